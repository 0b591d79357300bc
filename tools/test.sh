#!/usr/bin/env bash
# Second README command: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
# A sweep as a Slurm job array on a one-machine Slurm that the test starts and stops; it runs daemons as root.
if [ "$(id -u)" -eq 0 ]; then
  tests/slurm/test-sweep-array.sh
else
  echo "test.sh: the Slurm job-array test needs root (it starts munged, slurmctld and slurmd): not run"
fi
