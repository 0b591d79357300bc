#!/usr/bin/env bash
# Builds dtsim and its tests with AddressSanitizer and UndefinedBehaviorSanitizer into build-sanitize/ and
# runs every test there. A test fails on any sanitizer report, including one from a process it started
# (dtsim, a forked simulation) whose output the test does not read: reports go to files, checked at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDTSIM_SANITIZE=ON >/dev/null
cmake --build build-sanitize --parallel "$(nproc)"

reports=$root/build-sanitize/sanitizer-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer-suppressions/lsan.supp:print_suppressions=0"
status=0
ctest --test-dir build-sanitize --output-on-failure --parallel "$(nproc)" || status=$?
if compgen -G "$reports/*" >/dev/null; then
  echo "test-sanitizers: sanitizer reports:" >&2
  cat "$reports"/* >&2
  status=1
fi
exit $status
