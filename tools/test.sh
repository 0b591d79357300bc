#!/usr/bin/env bash
# Second README command: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
