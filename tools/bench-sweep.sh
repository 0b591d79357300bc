#!/usr/bin/env bash
# Sweep speed: wall time of a 100-point sweep of scenarios/cluster-4node-a100.yaml (1 to 10 nodes x 1 to 10
# NVMe-oF targets, 100 steps each, with each point's one-device baseline), all cores, into a fresh folder;
# then the same sweep again, which finds every point done; then 100 points of the same scenario at 32 nodes (256
# A100s: 1 to 10 NVMe-oF targets x 10 batch sizes, 100 steps each, baselines included) into another fresh folder.
# A benchmark, not a test: numbers vary by machine.
# Usage: tools/bench-sweep.sh [jobs]   (default: the cores)
set -euo pipefail
cd "$(dirname "$0")/.."
dtsim=build/sim/app/dtsim
[ -x "$dtsim" ] || tools/build.sh
out=$(mktemp -d /tmp/dtsim-bench-sweep.XXXXXX)
trap 'rm -rf "$out"' EXIT
jobs=${1:-$(nproc)}
sweep=(sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2,3,4,5,6,7,8,9,10
       --set storage.nvme_of.targets=1,2,3,4,5,6,7,8,9,10 -j "$jobs" -o "$out")
start=$(date +%s.%N)
"$dtsim" "${sweep[@]}" > /dev/null
first=$(date +%s.%N)
"$dtsim" "${sweep[@]}" > /dev/null
second=$(date +%s.%N)
awk -v j="$jobs" -v c="$(nproc)" -v a="$start" -v b="$first" -v d="$second" 'BEGIN {
  printf "100-point sweep, -j %s on %s cores: %.1f s; re-run into the same folder (nothing to do): %.2f s\n", j, c, b - a, d - b }'
printf 'rows: %s, results.csv lines: %s\n' "$(wc -l < "$out/rows.jsonl")" "$(wc -l < "$out/results.csv")"

large=(sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=32 --set storage.nvme_of.targets=1,2,3,4,5,6,7,8,9,10
       --set workload.batch_per_device=32,64,96,128,160,192,224,256,288,320 -j "$jobs" -o "$out/large")
start=$(date +%s.%N)
"$dtsim" "${large[@]}" > /dev/null
end=$(date +%s.%N)
awk -v j="$jobs" -v a="$start" -v b="$end" 'BEGIN {
  printf "100-point sweep of 32 nodes (targets x batch), -j %s: %.1f s\n", j, b - a }'
