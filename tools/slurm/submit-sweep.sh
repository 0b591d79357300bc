#!/usr/bin/env bash
# Submits a sweep as a Slurm job array of SHARDS tasks and a merge job that runs after it; prints both job ids.
#   tools/slurm/submit-sweep.sh SWEEP.yaml OUT_DIR SHARDS [dtsim sweep options...]
# Options after SHARDS go to every task (such as --set workload.steps=100); sbatch options through SBATCH_*
# environment variables (SBATCH_PARTITION, SBATCH_TIMELIMIT, ...). dtsim is the one on the PATH
# unless DTSIM names another.
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SWEEP.yaml OUT_DIR SHARDS [dtsim sweep options...]" >&2
  exit 2
fi
sweep=$1 out=$2 shards=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
array=$(sbatch --parsable --array="0-$((shards - 1))" --output="$out/slurm-sweep-%A_%a.out" \
  "$here/sweep-array.sbatch" "$sweep" "$out" "$@")
merge=$(sbatch --parsable --dependency="afterany:${array%%;*}" --output="$out/slurm-merge-%j.out" \
  "$here/merge.sbatch" "$out")
echo "array job ${array%%;*} ($shards tasks), merge job ${merge%%;*}"
