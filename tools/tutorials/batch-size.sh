#!/usr/bin/env bash
# The generated parts of docs/tutorials/batch-size.md (tools/tutorial.py runs them, with DTSIM and FIGURES set).
# Usage: batch-size.sh curve|memory|accumulation|exercise
set -euo pipefail
scenario=scenarios/tutorial-allreduce.yaml
steps=workload.steps=6
work=$(mktemp -d /tmp/dtsim-tutorial.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Prints a sweep's points as a Markdown table, with the per-sequence figures the tutorial needs.
# Usage: points RESULTS.jsonl [ACCUMULATION]  (only the points with that accumulation, if given)
points() {
  python3 - "$@" <<'PY'
import json, sys
only = int(sys.argv[2]) if len(sys.argv) > 2 else None
print("| batch/device | accumulation | global batch | compute efficiency | sequences/s | step (ms) | compute (ms) | "
      "exposed comm (ms/step) | exposed comm (% of step) | gradient all-reduced per sequence (MB) | "
      "exposed comm per sequence (us) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row["status"] != "ok":
        continue
    s, k = row["summary"], row["settings"]
    batch, accumulation = int(k["workload.batch_per_device"]), int(k.get("workload.gradient_accumulation", 1))
    if only is not None and accumulation != only:
        continue
    per_step = s["samples"] / s["steps"]           # the global batch: devices x batch x accumulation
    per_device = s["samples"] / s["devices"]       # sequences each device trained over the run
    group = s["device_groups"][0]
    print(f"| {batch} | {accumulation} | {per_step:,.0f} | {100 * group['compute_efficiency']:.1f}% | "
          f"{s['throughput_samples_per_s']:,.0f} | {1e3 * s['step_time_s']:.1f} | {1e3 * s['compute_s']:.1f} | "
          f"{1e3 * s['exposed_comm_s']:.1f} | {100 * s['exposed_comm_s'] / s['step_time_s']:.1f} | "
          f"{s['gradient_allreduced_per_device_B'] / per_device / 1e6:.1f} | "
          f"{1e6 * s['exposed_comm_s'] / per_step:.2f} |")
PY
}

curve() {
  "$DTSIM" sweep $scenario --set $steps --set workload.batch_per_device=1,4,16,64,256,512 \
    --set workload.gradient_accumulation=1,4 --no-baseline -j 2 -o "$work/curve" >/dev/null
  points "$work/curve/results.jsonl" 1
  "$DTSIM" plot "$work/curve" --x workload.batch_per_device --y throughput_samples_per_s \
    --group workload.gradient_accumulation -o "$FIGURES/batch-size-throughput.svg" >/dev/null
  echo
  echo "![Sequences/s against batch per device, without and with gradient accumulation 4](../figures/batch-size-throughput.svg)"
}

memory() {
  echo '```'
  for extra in "" "--set workload.gradient_accumulation=2"; do
    for batch in 512 1024; do
      [[ $batch == 1024 && -n $extra ]] && continue
      echo "\$ dtsim validate $scenario --set workload.batch_per_device=$batch $extra" | sed 's/ *$//'
      local rc=0
      "$DTSIM" validate $scenario --set workload.batch_per_device=$batch $extra >"$work/out" 2>&1 || rc=$?
      cat "$work/out"
      echo "(exit code $rc)"
    done
  done
  echo '```'
}

accumulation() {
  "$DTSIM" sweep $scenario --set $steps --zip workload.batch_per_device=8,8,8,8,16,32,64 \
    --zip workload.gradient_accumulation=1,2,4,8,4,2,1 --no-baseline -j 2 -o "$work/accumulation" >/dev/null
  points "$work/accumulation/results.jsonl"
}

exercise() {
  local runs=()
  for setting in "1 1" "1 4" "8 1"; do
    set -- $setting
    "$DTSIM" run $scenario --set $steps --set workload.batch_per_device=64 --set cluster.nics_per_node=$1 \
      --set workload.gradient_accumulation=$2 --no-baseline --json "$work/nics$1-acc$2.json" >/dev/null
    runs+=("$work/nics$1-acc$2.json")
  done
  python3 - "${runs[@]}" <<'PY'
import json, sys
one, four, eight = (json.load(open(f))["summary"] for f in sys.argv[1:])
share = lambda s: 100 * s["exposed_comm_s"] / s["step_time_s"]
print(f"*Answer:* throughput rises from {one['throughput_samples_per_s']:,.0f} to "
      f"{four['throughput_samples_per_s']:,.0f} sequences/s "
      f"(+{100 * (four['throughput_samples_per_s'] / one['throughput_samples_per_s'] - 1):.0f}%), and the exposed")
print(f"all-reduce falls from {share(one):.1f}% to {share(four):.1f}% of the step, though it still takes "
      f"{1e3 * four['exposed_comm_s']:.1f} ms per step in both runs:")
print(f"the same gradients are all-reduced once per step, and the step now holds four micro-batches. With one NIC")
print(f"per node and accumulation 4 the cluster comes within {100 * (1 - four['throughput_samples_per_s'] / eight['throughput_samples_per_s']):.0f}% "
      f"of eight NICs per node without accumulation ({eight['throughput_samples_per_s']:,.0f} sequences/s),")
print("but with a global batch four times larger, which the optimizer may not tolerate.")
PY
}

"$1"
