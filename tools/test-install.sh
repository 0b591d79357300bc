#!/usr/bin/env bash
# dtsim as a user installs it: cpack makes the .deb from a build folder (default build/), unpacked into a fresh
# folder; with nothing but the package's files and from another directory, its dtsim, found on the PATH, runs the
# quickstart and a two-point sweep, and the package holds the man pages and the bash completion.
# Usage: tools/test-install.sh [BUILD-FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
work=$(mktemp -d /tmp/dtsim-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT

cpack --config "$build/CPackConfig.cmake" -B "$work/package" >/dev/null
deb=$(ls "$work"/package/dtsim_*.deb)
echo "test-install: $(basename "$deb")"
dpkg-deb --field "$deb" Package Version Depends
dpkg-deb -x "$deb" "$work/root"
for file in usr/bin/dtsim usr/share/dtsim/catalog/accelerators.yaml usr/share/man/man1/dtsim.1 \
            usr/share/man/man1/dtsim-run.1 usr/share/bash-completion/completions/dtsim; do
  [ -s "$work/root/$file" ] || { echo "test-install: FAILED, the package has no $file" >&2; exit 1; }
done

cd "$work"
unset DTSIM_DATA_DIR
export PATH="$work/root/usr/bin:$PATH"
[ "$(command -v dtsim)" = "$work/root/usr/bin/dtsim" ]
examples=root/usr/share/dtsim/scenarios
dtsim run "$examples/quickstart.yaml" --json quickstart.json >/dev/null
grep -q "\"time_to_train_s\"" quickstart.json
dtsim sweep "$examples/quickstart.yaml" --set cluster.nodes=1,2 --set workload.steps=5 -o sweep -j 2 >/dev/null
[ "$(wc -l <sweep/results.jsonl)" -eq 2 ]
# --data-dir after the subcommand; a folder without the data is refused, naming where it came from.
dtsim validate "$examples/quickstart.yaml" --data-dir root/usr/share/dtsim >/dev/null
status=0
DTSIM_DATA_DIR=/nonexistent dtsim validate "$examples/quickstart.yaml" 2>err.txt || status=$?
[ $status -eq 2 ] && grep -q "DTSIM_DATA_DIR=/nonexistent" err.txt
echo "test-install: the unpacked package ran the quickstart and a sweep from $work"
