#!/usr/bin/env bash
# The generated parts of docs/tutorials/checkpoints.md (tools/tutorial.py runs them, with DTSIM and FIGURES
# set). Usage: checkpoints.sh size|targets|intervals|figure|real-intervals|exercise
set -euo pipefail
scenario=scenarios/tutorial-checkpoints.yaml
work=$(mktemp -d /tmp/dtsim-tutorial.XXXXXX)
trap 'rm -rf "$work"' EXIT

# --set arguments that move the checkpoints from the scenario's NVMe-oF targets to another target.
target_settings() {
  case "$1" in
    local-nvme) echo "--set storage.nvme_of=null --set checkpoint.to=local-nvme" \
                     "--set storage.local_nvme.drive=Micron-9400-7.68TB --set storage.local_nvme.drives_per_node=2" ;;
    nvme-of) echo "" ;;
    appliance) echo "--set storage.nvme_of=null --set checkpoint.to=appliance --set storage.appliance.model=DDN-AI400X2T" ;;
  esac
}

size() {
  python3 - <<'PY'
import re
params = int(re.search(r"^parameters: \{value: (\d+)", open("workloads/gpt2-xl.yaml").read(), re.M).group(1))
print(f"GPT-2 XL has {params:,} parameters; at 16 bytes each a checkpoint holds {params * 16 / 1e9:.1f} GB.")
PY
}

targets() {
  local files=()
  for target in local-nvme nvme-of appliance; do
    for sharded in false true; do
      # shellcheck disable=SC2046 # target_settings prints several words on purpose
      "$DTSIM" run $scenario $(target_settings $target) --set checkpoint.sharded=$sharded --no-baseline \
        --json "$work/$target-$sharded.json" >/dev/null
      files+=("$work/$target-$sharded.json")
    done
  done
  python3 - "${files[@]}" <<'PY'
import json, re, sys
params = int(re.search(r"^parameters: \{value: (\d+)", open("workloads/gpt2-xl.yaml").read(), re.M).group(1))
print("| written to | sharded | write (s) | write rate (GB/s) | stall per checkpoint (s) | step (ms) | restore (s) |")
print("|---|---|---:|---:|---:|---:|---:|")
for path in sys.argv[1:]:
    document = json.load(open(path))
    settings, s = document["scenario"]["settings"], document["summary"]
    every = settings["checkpoint.every_steps"]["value"]
    write = s["checkpoint_write_s"] / s["checkpoints"]
    size = params * settings["checkpoint.bytes_per_param"]["value"]
    print(f"| {settings['checkpoint.to']} | {'yes' if settings['checkpoint.sharded'] else 'no'} | {write:.2f} | "
          f"{size / write / 1e9:.0f} | {s['checkpoint_s'] * every:.2f} | {1e3 * s['step_time_s']:.0f} | "
          f"{s['restore_s']:.2f} |")
PY
}

# Shared by the parts of one tools/tutorial.py run: a sweep there is not run twice.
cache=${TUTORIAL_CACHE:-$work}

interval_sweep() {
  "$DTSIM" sweep $scenario --set checkpoint.every_steps=1,2,5,10,20 --set checkpoint.mode=blocking,background \
    --no-baseline -j 2 -o "$cache/intervals" >/dev/null
}

without_checkpoints() {
  [ -f "$cache/none.json" ] || "$DTSIM" run $scenario --set checkpoint=null --set storage.nvme_of=null --no-baseline \
    --json "$cache/none.json" >/dev/null
}

intervals() {
  interval_sweep
  without_checkpoints
  python3 - "$cache/none.json" "$cache/intervals/results.jsonl" <<'PY'
import json, sys
none = json.load(open(sys.argv[1]))["summary"]
rows = [json.loads(line) for line in open(sys.argv[2])]
def cells(every, mode, s):
    hours = s["time_to_train_s"] / s["epochs"] / 3600
    return (f"| {every} | {mode} | {1e3 * s['step_time_s']:.0f} | {1e3 * s['checkpoint_s']:.0f} | "
            f"{s['throughput_samples_per_s']:.0f} | {hours:.1f} | {s['cost_usd_per_epoch']:,.0f} | "
            f"{s['cost_usd_per_epoch'] - none['cost_usd_per_epoch']:,.0f} | {s['energy_kWh_per_epoch']:.0f} |")
print("| every (steps) | mode | step (ms) | checkpoint (ms per step) | sequences/s | hours per epoch | "
      "$ per epoch | of which checkpoints ($) | kWh per epoch |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
print(cells("never", "-", none))
for row in rows:
    if row["status"] == "ok":
        print(cells(row["settings"]["checkpoint.every_steps"], row["settings"]["checkpoint.mode"], row["summary"]))
PY
}

figure() {
  interval_sweep
  "$DTSIM" plot "$cache/intervals" --x checkpoint.every_steps --y throughput_samples_per_s --group checkpoint.mode \
    -o "$FIGURES/checkpoints-interval.svg" >/dev/null
  echo "![Sequences/s against the checkpoint interval, blocking and background](../figures/checkpoints-interval.svg)"
}

real_intervals() {
  "$DTSIM" run $scenario --no-baseline --json "$work/blocking.json" >/dev/null
  without_checkpoints
  python3 - "$work/blocking.json" "$cache/none.json" <<'PY'
import json, sys
blocking, none = (json.load(open(f)) for f in sys.argv[1:])
stall = blocking["summary"]["checkpoint_s"] * blocking["scenario"]["settings"]["checkpoint.every_steps"]["value"]
share = stall / (1800 + stall)
cost = none["summary"]["cost_usd_per_epoch"]
print(f"Each blocking checkpoint of the scenario stalls the whole job for {stall:.2f} s. Taken every 30 minutes")
print(f"instead, that stall is {100 * share:.2f}% of the time: about ${share * cost:.2f} of the ${cost:,.0f} an epoch")
print("costs without checkpoints.")
PY
}

exercise() {
  local separate="--set network.storage_network=separate --set network.storage_nic=ConnectX-7-NDR-400G"
  separate+=" --set network.storage_nics_per_node=2"
  # shellcheck disable=SC2046,SC2086
  "$DTSIM" run $scenario $(target_settings appliance) --no-baseline --json "$work/shared.json" >/dev/null
  # shellcheck disable=SC2046,SC2086
  "$DTSIM" run $scenario $(target_settings appliance) $separate --no-baseline --json "$work/separate.json" >/dev/null
  python3 - "$work/shared.json" "$work/separate.json" <<'PY'
import json, sys
write = [s["checkpoint_write_s"] / s["checkpoints"] for s in (json.load(open(f))["summary"] for f in sys.argv[1:])]
print(f"*Answer:* the write falls from {write[0]:.2f} s to {write[1]:.2f} s, {write[0] / write[1]:.1f} times faster, not 4:")
print("rank 0's node now has 100 GB/s of storage ports, but the appliance writes at most 65 GB/s, and that is")
print("the new bottleneck. The copy from the GPU to host memory does not change at all.")
PY
}

"${1//-/_}"
