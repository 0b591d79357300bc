#!/usr/bin/env bash
# Simulator speed: wall time and peak memory of dtsim runs, as dtsim --verbose reports them
# (a benchmark, not a test; numbers vary by machine). Usage: tools/bench.sh [steps]  (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-1000}
dtsim=build/sim/app/dtsim
[ -x "$dtsim" ] || tools/build.sh
printf '%-48s %6s  %s\n' scenario steps "simulator cost"
for scenario in scenarios/quickstart.yaml scenarios/node-8xa100.yaml scenarios/cluster-4node-a100.yaml \
                scenarios/cluster-4node-a100-storage-bound.yaml; do
  cost=$("$dtsim" run "$scenario" --set workload.steps="$steps" --no-baseline --verbose 2>&1 >/dev/null |
         sed -n 's/^dtsim: //p')
  printf '%-48s %6s  %s\n' "$scenario" "$steps" "$cost"
done
# Thousands of accelerators: 4,096 A100s, 100 steps.
scenario=scenarios/cluster-512node-a100.yaml
cost=$("$dtsim" run "$scenario" --set workload.steps=100 --no-baseline --verbose 2>&1 >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario" 100 "$cost"
# The same with NCCL's automatic choice (the tree at these sizes): more flows per all-reduce.
cost=$("$dtsim" run "$scenario" --set workload.steps=100 --set training.allreduce=auto --no-baseline --verbose 2>&1 \
       >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario (auto)" 100 "$cost"
# Remote storage at scale: 864 emulated A100s reading from one appliance for one epoch (500 steps) ...
scenario=scenarios/validation/mlps-ddn-rn50-a100.yaml
cost=$("$dtsim" run "$scenario" --set workload.steps=500 --no-baseline --verbose 2>&1 >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario" 500 "$cost"
# ... and the 4,096 A100s reading from 16 NVMe-oF targets on a separate storage network.
scenario=scenarios/cluster-512node-a100.yaml
cost=$("$dtsim" run "$scenario" --set workload.steps=100 --set storage.dataset_on=nvme-of --set storage.nvme_of.targets=16 \
       --set storage.nvme_of.drive=Micron-9400-7.68TB --set storage.nvme_of.drives_per_target=8 \
       --set network.storage_network=separate --no-baseline --verbose 2>&1 >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario (NVMe-oF, separate)" 100 "$cost"
# 1,024 A100s (128 nodes), 1,000 steps: the dataset in memory, then on 4 NVMe-oF targets on the shared fabric and on a
# separate storage network (runs stop once settled; on the shared fabric, all-reduces reused beside storage traffic).
scenario=scenarios/cluster-512node-a100.yaml
nvme_of=(--set storage.nvme_of.targets=4 --set storage.nvme_of.drive=Micron-9400-7.68TB
         --set storage.nvme_of.drives_per_target=8)
for variant in memory shared separate; do
  case $variant in
    memory) options=(--set storage.dataset_on=memory) ;;
    *) options=(--set storage.dataset_on=nvme-of "${nvme_of[@]}" --set network.storage_network=$variant) ;;
  esac
  cost=$("$dtsim" run "$scenario" --set cluster.nodes=128 --set workload.steps=1000 "${options[@]}" --no-baseline \
         --verbose 2>&1 >/dev/null | sed -n 's/^dtsim: //p')
  printf '%-48s %6s  %s\n' "$scenario (128 nodes, $variant)" 1000 "$cost"
done
# TPU Multislice: 1,024 v5e chips in 4 slices joined by the data-centre network, 100 steps.
scenario=scenarios/tpu-v5e-multislice.yaml
cost=$("$dtsim" run "$scenario" --set workload.steps=100 --no-baseline --verbose 2>&1 >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario" 100 "$cost"
# A full TPU v4 pod: 4,096 chips in a 16x16x16 torus, one all-reduce per step (simulated once, then reused).
scenario=scenarios/tpu-v4-pod.yaml
cost=$("$dtsim" run "$scenario" --set workload.steps=100 --no-baseline --verbose 2>&1 >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario" 100 "$cost"
# Time to train in epochs: 90 epochs of ResNet-50 on one 8xA100 node (56,302 steps), stopping once the
# steps have settled and extrapolating the rest, then every step played out (simulation.exact).
scenario=scenarios/node-8xa100.yaml
for exact in false true; do
  cost=$("$dtsim" run "$scenario" --set workload.epochs=90 --set simulation.exact=$exact --no-baseline --verbose 2>&1 \
         >/dev/null | sed -n 's/^dtsim: //p')
  printf '%-48s %6s  %s\n' "$scenario (90 epochs, exact: $exact)" 56302 "$cost"
done
# 16,384 A100s (2,048 nodes) in memory, 5 steps: more actors than the default vm.max_map_count allows with
# guard pages, so their stacks go without (docs/architecture.md).
scenario=scenarios/cluster-512node-a100.yaml
cost=$("$dtsim" run "$scenario" --set cluster.nodes=2048 --set workload.steps=5 --no-baseline --verbose 2>&1 \
       >/dev/null | sed -n 's/^dtsim: //p')
printf '%-48s %6s  %s\n' "$scenario (2,048 nodes)" 5 "$cost"
