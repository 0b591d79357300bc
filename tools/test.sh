#!/usr/bin/env bash
# Second README command (what .ci/run calls): install what is missing, then every test on a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/, tools/test-sanitizers.sh), the Slurm
# job-array test among them when run as root; the .deb made from that build, unpacked into a fresh folder and run
# from there (tools/test-install.sh); then 20 s of fuzzing each of the scenario and sweep loaders.
# For a quicker loop on the ordinary build: tools/build.sh && ctest --test-dir build --parallel "$(nproc)".
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh --for-tests
tools/test-sanitizers.sh
tools/test-install.sh build-sanitize
tools/fuzz.sh 20
