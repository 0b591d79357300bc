#!/usr/bin/env bash
# First README command: install what is missing, build, run the quickstart scenario.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh
build/sim/app/dtsim run scenarios/quickstart.yaml
