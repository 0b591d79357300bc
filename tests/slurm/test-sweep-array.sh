#!/usr/bin/env bash
# A sweep submitted to a real (one-machine) Slurm as a job array of 3 tasks, merged by a dependent job, gives
# the same results.jsonl and results.csv as the same sweep run locally. Starts Slurm and stops it again.
# Needs root and the Debian packages slurmctld, slurmd, slurm-client and munge (tools/install-deps.sh).
# DTSIM names the dtsim binary to test (default: build/sim/app/dtsim); the test puts its folder first on the PATH,
# where the Slurm scripts find it as they find an installed dtsim.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=${DTSIM:-$root/build/sim/app/dtsim}
unset DTSIM
export PATH="$(dirname "$binary"):$PATH"
work=$(mktemp -d /tmp/dtsim-slurm-test.XXXXXX)
. "$root/tests/slurm/local-slurm.sh"
# Stops Slurm; removes the test's files when it passed, keeps them (Slurm's logs) when it failed.
finish() {
  local status=$?
  slurm_stop "$work/slurm"
  if [ $status -eq 0 ]; then
    rm -rf "$work"
  else
    echo "test-sweep-array: files and logs kept in $work" >&2
  fi
}
trap finish EXIT

sweep=(scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2,3,4 --set workload.batch_per_device=128,256
  --set workload.steps=10)
cd "$root"
dtsim sweep "${sweep[@]}" -o "$work/local" -j 2 > /dev/null

slurm_start "$work/slurm"
ids=$(tools/slurm/submit-sweep.sh "${sweep[0]}" "$work/array" 3 "${sweep[@]:1}")
echo "test-sweep-array: submitted $ids"
merge_job=${ids##* }
waited=0
while squeue -h -j "$merge_job" 2>/dev/null | grep -q .; do
  sleep 1
  waited=$((waited + 1))
  if [ $waited -ge 300 ]; then
    echo "test-sweep-array: FAILED, the jobs did not finish in 300 s" >&2
    squeue >&2
    exit 1
  fi
done
cat "$work/array"/slurm-merge-*.out
shards=$(ls "$work/array"/rows.shard-*-of-3.jsonl 2>/dev/null | wc -l)
if [ "$shards" -ne 3 ]; then
  echo "test-sweep-array: FAILED, expected 3 shard files, found $shards; the tasks printed:" >&2
  tail -n 20 "$work/array"/slurm-sweep-*.out >&2
  exit 1
fi
for f in results.jsonl results.csv; do
  if ! cmp "$work/local/$f" "$work/array/$f"; then
    echo "test-sweep-array: FAILED, $f of the job array differs from the local run's" >&2
    exit 1
  fi
done
echo "test-sweep-array: passed: $(wc -l < "$work/local/results.jsonl") points, 3 array tasks, merged rows equal the local run's"
