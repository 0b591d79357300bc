#!/usr/bin/env bash
# The generated parts of docs/tutorials/scaling-efficiency.md (tools/tutorial.py runs them, with DTSIM and
# FIGURES set). Usage: scaling-efficiency.sh allreduce|scaling|exercise
set -euo pipefail
scenario=scenarios/cluster-4node-a100.yaml
work=$(mktemp -d /tmp/dtsim-tutorial.XXXXXX)
trap 'rm -rf "$work"' EXIT
nodes="1 2 4 8 16 32 64"
# Four NVMe-oF targets instead of the scenario's two, so that storage keeps up with 64 nodes (section 4).
fixed=(--set storage.nvme_of.targets=4 --set workload.steps=6)

allreduce() {
  for n in $nodes; do
    "$DTSIM" collective $scenario --set cluster.nodes=$n --sizes 25MiB:100MiB --factor 4 --csv "$work/$n.csv" >/dev/null
  done
  python3 - "$work" $nodes <<'PY'
import csv, sys
print("| nodes | GPUs | one 25 MiB bucket (ms) | 100 MiB (ms) | algorithm/protocol at 25 MiB |")
print("|---:|---:|---:|---:|---|")
for n in sys.argv[2:]:
    rows = list(csv.DictReader(open(f"{sys.argv[1]}/{n}.csv")))
    print(f"| {n} | {8 * int(n)} | {1e3 * float(rows[0]['time_s']):.2f} | {1e3 * float(rows[1]['time_s']):.2f} | "
          f"{rows[0]['algorithm']} |")
PY
}

# Strong scaling: the global batch stays 2,048 images, so the batch per GPU halves as the nodes double.
# Weak scaling: 256 images per GPU at every size.
sweeps() {
  "$DTSIM" sweep $scenario "${fixed[@]}" --zip cluster.nodes=${nodes// /,} \
    --zip workload.batch_per_device=256,128,64,32,16,8,4 -j 2 -o "$work/strong" >/dev/null
  "$DTSIM" sweep $scenario "${fixed[@]}" --set cluster.nodes=${nodes// /,} -j 2 -o "$work/weak" >/dev/null
}

# The rows of both sweeps in one file whose swept keys are scaling and cluster.nodes: one chart, a line each.
combine() {
  python3 - "$work" <<'PY'
import json, sys
with open(f"{sys.argv[1]}/scaling.jsonl", "w") as out:
    for kind in ("strong", "weak"):
        for line in open(f"{sys.argv[1]}/{kind}/results.jsonl"):
            row = json.loads(line)
            row["settings"] = {"scaling": kind, "cluster.nodes": row["settings"]["cluster.nodes"]}
            out.write(json.dumps(row) + "\n")
PY
}

# One part for the table and the figures: the two sweeps take most of the tutorial's time, so they run once.
scaling() {
  sweeps
  combine
  python3 - "$work" <<'PY'
import json, sys
rows = {kind: [json.loads(line) for line in open(f"{sys.argv[1]}/{kind}/results.jsonl")] for kind in ("strong", "weak")}
print("| scaling | nodes | batch/GPU | images/s | speed-up over 1 node | step (ms) | compute | exposed comm | "
      "overhead + optimizer | data stall | GPU compute efficiency | scaling_efficiency | bottleneck |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for kind, points in rows.items():
    first = points[0]["summary"]["throughput_samples_per_s"]
    for row in points:
        s = row["summary"]
        batch = row["settings"].get("workload.batch_per_device", 256)
        print(f"| {kind} | {row['settings']['cluster.nodes']} | {batch} | {s['throughput_samples_per_s']:,.0f} | "
              f"{s['throughput_samples_per_s'] / first:.1f}x | {1e3 * s['step_time_s']:.1f} | {1e3 * s['compute_s']:.1f} | "
              f"{1e3 * s['exposed_comm_s']:.1f} | {1e3 * (s['overhead_s'] + s['optimizer_s']):.1f} | "
              f"{1e3 * s['data_stall_s']:.1f} | {100 * s['compute_efficiency']:.1f}% | {100 * s['scaling_efficiency']:.1f}% | "
              f"{s['bottleneck']} |")
strong, weak = ([p["summary"] for p in rows[k]] for k in ("strong", "weak"))
best = max(range(len(strong)), key=lambda k: strong[k]["throughput_samples_per_s"])
speedup = lambda runs, k: runs[k]["throughput_samples_per_s"] / runs[0]["throughput_samples_per_s"]
print()
print(f"At 64 nodes (512 GPUs) weak scaling trains {speedup(weak, -1):.1f}x as many images/s as 1 node; strong scaling")
print(f"peaks at {rows['strong'][best]['settings']['cluster.nodes']} nodes with {speedup(strong, best):.1f}x and "
      f"falls back to {speedup(strong, -1):.1f}x at 64. Along the strong line the step's compute")
print(f"shrinks from {1e3 * strong[0]['compute_s']:.1f} ms to {1e3 * strong[-1]['compute_s']:.1f} ms while its exposed "
      f"communication grows from {1e3 * strong[0]['exposed_comm_s']:.1f} ms to {1e3 * strong[-1]['exposed_comm_s']:.1f} ms, "
      f"and the GPUs reach {100 * strong[-1]['compute_efficiency']:.1f}%")
print(f"of their peak instead of {100 * strong[0]['compute_efficiency']:.1f}%: one A100 alone trains "
      f"{strong[-1]['baseline_throughput_samples_per_s']:,.0f} images/s at 4 images per step, "
      f"{strong[0]['baseline_throughput_samples_per_s']:,.0f} at 256.")
PY
  "$DTSIM" plot "$work/scaling.jsonl" --x cluster.nodes --y scaling_efficiency --group scaling \
    -o "$FIGURES/scaling-efficiency-strong-weak.svg" >/dev/null
  "$DTSIM" plot "$work/strong" --x cluster.nodes --y throughput_samples_per_s --ideal \
    -o "$FIGURES/scaling-efficiency-strong-throughput.svg" >/dev/null
  echo
  echo "![Scaling efficiency against nodes, strong and weak scaling](../figures/scaling-efficiency-strong-weak.svg)"
  echo
  echo "![Strong scaling: images/s against nodes, with perfect scaling from 1 node](../figures/scaling-efficiency-strong-throughput.svg)"
}

exercise() {
  for n in 1 2 4 8; do
    "$DTSIM" run scenarios/cluster-4node-a100-storage-bound.yaml --set cluster.nodes=$n --set workload.steps=100 \
      --no-baseline --json "$work/$n.json" >/dev/null
  done
  python3 - "$work" <<'PY'
import json, sys
runs = {n: json.load(open(f"{sys.argv[1]}/{n}.json"))["summary"] for n in (1, 2, 4, 8)}
tp = {n: s["throughput_samples_per_s"] for n, s in runs.items()}
eff = {n: 100 * tp[n] / (n * tp[1]) for n in runs}
stall = {n: 100 * s["data_stall_s"] / s["step_time_s"] for n, s in runs.items()}
print("| nodes | images/s | speed-up over 1 node | data stall (% of step) | bottleneck |")
print("|---:|---:|---:|---:|---|")
for n, s in runs.items():
    print(f"| {n} | {tp[n]:,.0f} | {tp[n] / tp[1]:.2f}x | {stall[n]:.0f} | {s['bottleneck']} |")
print()
print(f"*Answer:* about {tp[8] / tp[1]:.1f} times 1 node, and no more than 4 nodes ({tp[4]:,.0f} and {tp[8]:,.0f} "
      f"images/s): the one drive")
print(f"feeds only that many nodes' worth of images, so the efficiency falls to {eff[4]:.0f}% of perfect "
      f"scaling at 4 nodes and halves to {eff[8]:.0f}%")
print(f"at 8, where the GPUs wait for data {stall[8]:.0f}% of the step.")
PY
}

"$1"
