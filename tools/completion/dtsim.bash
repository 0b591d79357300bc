# Bash completion for dtsim: subcommands, their options, scenario keys after --set, files elsewhere.
# Everything is read from dtsim itself (its --help and its scenario reference), so it stays in step with it.
_dtsim() {
  local cur prev subcommand word
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case $word in -*) ;; *) subcommand=$word; break ;; esac
  done
  if [ "$prev" = --set ]; then
    local keys
    keys=$("${COMP_WORDS[0]}" reference 2>/dev/null | sed -n 's/^| `\([a-z0-9_.]*\)` |.*/\1=/p')
    compopt -o nospace 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -W "$keys" -- "$cur")
    return
  fi
  if [ -z "$subcommand" ]; then
    local subcommands
    subcommands=$("${COMP_WORDS[0]}" --help 2>/dev/null | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 { print $1 }')
    mapfile -t COMPREPLY < <(compgen -W "$subcommands --help --version --data-dir" -- "$cur")
    return
  fi
  if [[ $cur == -* ]]; then
    local options
    options=$("${COMP_WORDS[0]}" "$subcommand" --help 2>/dev/null | grep -o -- '--[a-z-]*' | sort -u)
    mapfile -t COMPREPLY < <(compgen -W "$options --data-dir" -- "$cur")
    return
  fi
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -o filenames -F _dtsim dtsim
