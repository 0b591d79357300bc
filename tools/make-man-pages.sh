#!/usr/bin/env bash
# Writes dtsim.1 and a dtsim-SUBCOMMAND.1 per subcommand into FOLDER, with help2man from the binary's own --help,
# so the pages say what the program does. Usage: tools/make-man-pages.sh DTSIM FOLDER VERSION
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: tools/make-man-pages.sh DTSIM FOLDER VERSION" >&2; exit 2; }
dtsim=$1 folder=$2 version=$3
mkdir -p "$folder"
page() { # page NAME HELP-OPTION DESCRIPTION
  help2man --no-info --no-discard-stderr --version-string="$version" --help-option="$2" --name="$3" "$dtsim" |
    sed -e "s/^\.TH DTSIM /.TH ${1^^} /" -e "s/^dtsim \\\\- /$1 \\\\- /" >"$folder/$1.1"
}
page dtsim --help "a discrete-event simulator of distributed data-parallel deep-learning training"
# Each subcommand and its one-line description, from the Subcommands: section of dtsim --help.
"$dtsim" --help | sed -n '/^Subcommands:/,$p' | tail -n +2 | while read -r name description; do
  if [ -n "$name" ]; then page "dtsim-$name" "$name --help" "$description"; fi
done
