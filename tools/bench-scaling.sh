#!/usr/bin/env bash
# Simulator cost against cluster size: scenarios/cluster-512node-a100.yaml (BERT-Large, 8 A100s per node) from 16
# to 2,048 nodes, with the dataset in memory and on NVMe-oF (one target of 8 Micron 9400 drives per 32 nodes, on the
# shared fabric). Each row runs `short` and `long` steps (at most 48, the first check at which a run can stop early,
# so every step is simulated): the difference gives the cost per accelerator-step, the rest is building the platform and the first
# step (whose all-reduces are simulated before they can be reused). A benchmark, not a test: numbers vary by machine.
# Usage: tools/bench-scaling.sh [largest nodes] [short steps] [long steps]   (default: 2048 16 48; DTSIM names
# another dtsim binary)
set -euo pipefail
cd "$(dirname "$0")/.."
largest=${1:-2048}
short=${2:-16}
long=${3:-48}
dtsim=${DTSIM:-build/sim/app/dtsim}
[ -x "$dtsim" ] || tools/build.sh
scenario=scenarios/cluster-512node-a100.yaml

# Prints "wall_seconds peak_MiB" of one run.
cost() {
  "$dtsim" run "$scenario" --no-baseline --verbose "$@" 2>&1 >/dev/null |
    sed -n 's/^dtsim: simulator wall time \([0-9.]*\) s, peak memory \([0-9.]*\) MiB.*/\1 \2/p'
}

printf '| accelerators | dataset | %s steps | %s steps | per accelerator-step | set-up and first step | peak memory |\n' \
  "$short" "$long"
printf '|---:|---|---:|---:|---:|---:|---:|\n'
for ((nodes = 16; nodes <= largest; nodes *= 2)); do
  targets=$(((nodes + 31) / 32))
  for dataset in memory nvme-of; do
    set -- --set cluster.nodes="$nodes" --set storage.dataset_on="$dataset"
    [ "$dataset" = nvme-of ] && set -- "$@" --set storage.nvme_of.targets="$targets" \
      --set storage.nvme_of.drive=Micron-9400-7.68TB --set storage.nvme_of.drives_per_target=8
    read -r t1 _ < <(cost "$@" --set workload.steps="$short")
    read -r t2 m2 < <(cost "$@" --set workload.steps="$long")
    awk -v n="$((nodes * 8))" -v d="$dataset" -v s="$short" -v l="$long" -v a="$t1" -v b="$t2" -v m="$m2" 'BEGIN {
      per = (b - a) / (l - s) / n
      printf "| %d | %s | %.2f s | %.2f s | %.1f us | %.1f s | %.0f MiB |\n", n, d, a, b, per * 1e6, a - s * per * n, m }'
  done
done
