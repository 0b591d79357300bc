#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz into build-fuzz/ (clang++, ASan, UBSan) and runs the scenario
# and the sweep-file target side by side for SECONDS each (default 600). Seeds: scenarios/**/*.yaml and
# tests/data/*.yaml. New inputs collect in build-fuzz/corpus/, findings (crash-*, timeout-*, oom-*, leak-*)
# in build-fuzz/findings/. Exits 1 when a target found something. libFuzzer first replays the whole corpus,
# which once it has grown over earlier runs can take longer than SECONDS; each target's time is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
targets=(fuzz_scenario fuzz_sweep)

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DDTSIM_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target "${targets[@]}"

seeds=build-fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
while IFS= read -r file; do
  cp "$file" "$seeds/${file//\//_}"
done < <(find scenarios tests/data -name '*.yaml' | sort)

run_target() {
  local target=$1 status=0
  SECONDS=0
  "build-fuzz/tests/fuzz/$target" "build-fuzz/corpus/$target" "$seeds" -dict=tests/fuzz/yaml.dict \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/findings/$target/" >"build-fuzz/$target.log" 2>&1 || status=$?
  echo "$SECONDS" >"build-fuzz/$target.seconds"
  return "$status"
}

count_findings() { find "build-fuzz/findings/$1" -type f | wc -l; }
declare -A before
pids=()
for target in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/findings/$target"
  before[$target]=$(count_findings "$target")
  run_target "$target" &
  pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
  target=${targets[$i]}
  status=0
  wait "${pids[$i]}" || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/$target.log" | tail -1)
  findings=$(($(count_findings "$target") - before[$target]))
  echo "fuzz.sh: $target: ${executions:-?} executions in $(cat "build-fuzz/$target.seconds") s," \
    "$findings new findings in build-fuzz/findings/$target/"
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "fuzz.sh: $target stopped with status $status; the end of build-fuzz/$target.log:"
    tail -40 "build-fuzz/$target.log"
  fi
done
exit "$failed"
