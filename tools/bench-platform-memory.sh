#!/usr/bin/env bash
# The platform's memory as dtsim validate estimates it, beside what SimGrid takes to build it: the peak memory of a
# one-message benchmark over the platform (dtsim collective --op send_recv, one actor) less that of the quickstart.
# A benchmark, not a test; the figures of sim/app/run_size.cpp come from it. Usage: tools/bench-platform-memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dtsim=build/sim/app/dtsim
[ -x "$dtsim" ] || tools/build.sh
peak_kib() { /usr/bin/time -f %M "$dtsim" collective "$@" --op send_recv --sizes 8B:8B 2>&1 >/dev/null | tail -1; }
empty=$(peak_kib scenarios/quickstart.yaml)
printf '%-60s %10s %10s\n' scenario estimate measured
measure() {
  local estimate
  estimate=$("$dtsim" validate "$@" | sed -n 's/.*route hops, about //p')
  printf '%-60s %10s %7.1f MiB\n' "$*" "$estimate" "$(awk -v peak="$(peak_kib "$@")" -v empty="$empty" 'BEGIN { print (peak - empty) / 1024 }')"
}
measure scenarios/cluster-512node-a100.yaml --set cluster.nodes=128
measure scenarios/cluster-512node-a100.yaml --set cluster.nodes=2048
measure scenarios/rail-16node-h100.yaml --set cluster.nodes=512
measure scenarios/dgx1-v100-4node.yaml --set cluster.nodes=512
measure scenarios/dragonfly-72node-a100.yaml
measure scenarios/tpu-v4-pod.yaml
measure scenarios/frontier-mi250x.yaml --set cluster.nodes=1024
