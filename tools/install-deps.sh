#!/usr/bin/env bash
# Installs the Debian packages dtsim needs to build and run.
set -euo pipefail
# With --for-tests, also what only the tests need. Installs only the packages that are missing.
packages=(cmake ninja-build g++ pkg-config libsimgrid-dev libboost-graph-dev libyaml-cpp-dev
          catch2 libcli11-dev nlohmann-json3-dev libfmt-dev
          help2man) # the man pages (packaging.cmake)
if [ $# -gt 1 ] || { [ $# -eq 1 ] && [ "$1" != "--for-tests" ]; }; then
  echo "usage: tools/install-deps.sh [--for-tests]" >&2
  exit 2
fi
if [ $# -eq 1 ]; then
  packages+=(slurmctld slurmd slurm-client munge # a one-machine Slurm for the job-array test
             clang libclang-rt-14-dev            # libFuzzer and clang's sanitizer runtimes (tools/fuzz.sh)
             dpkg-dev file                       # cpack's .deb (tools/test-install.sh)
             python3-jsonschema python3-yaml     # the scenario schema's check (tools/check-schema.py)
             chromium python3-pil)               # the HTML pages in a browser (tools/check-report-in-browser.py)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
