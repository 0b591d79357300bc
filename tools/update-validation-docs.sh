#!/usr/bin/env bash
# Rewrites the tables of docs/validation.md from the program's output: every block between
# `<!-- dtsim check CASES -->` and the next `<!-- end -->` becomes the table of
# `dtsim check CASES` (which exits 1 when a case is out of bounds: open-cases.yaml does).
# A test (tests/app/test_check.cpp) fails when the cases.yaml block differs from the output.
# Usage: tools/update-validation-docs.sh [markdown file]  (default docs/validation.md)
set -euo pipefail
cd "$(dirname "$0")/.."
doc=${1:-docs/validation.md}
dtsim=build/sim/app/dtsim
[ -x "$dtsim" ] || tools/build.sh
updated=$(mktemp)
trap 'rm -f "$updated"' EXIT
block=""
while IFS= read -r line || [ -n "$line" ]; do
  if [[ -z $block && $line =~ ^'<!-- dtsim check '([^ ]+)' -->'$ ]]; then
    block=${BASH_REMATCH[1]}
    printf '%s\n' "$line"
    status=0
    "$dtsim" check "$block" </dev/null || status=$?
    if [ "$status" -gt 1 ]; then
      echo "update-validation-docs: dtsim check $block failed (exit $status)" >&2
      exit "$status"
    fi
  elif [[ -n $block && $line == '<!-- end -->' ]]; then
    block=""
    printf '%s\n' "$line"
  elif [[ -z $block ]]; then
    printf '%s\n' "$line"
  fi
done <"$doc" >"$updated"
[ -z "$block" ] || { echo "update-validation-docs: no <!-- end --> after the block of $block" >&2; exit 2; }
cp "$updated" "$doc"
echo "$doc: tables rewritten"
