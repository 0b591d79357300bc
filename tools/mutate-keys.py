#!/usr/bin/env python3
"""Gives every scenario key, one at a time, odd values (zero, negative, denormal, huge, infinite, not a
number, wrong type, special files) on a few base scenarios, runs dtsim on each mutant and sorts what it did:

  refused     exit 2 with a message that names where (file:line:column or the --set option)
  ran         exit 0, results finite (dtsim refuses to write inf or nan)
  failed      exit 3, 4 or 5: accepted, then the run failed (said so, wrote no results)
  crashed     killed by a signal, or an abort, a backtrace or an uncaught exception in the output
  hung        still running after --timeout seconds
  unclear     exit 2 without a location

Each mutant runs with --set workload.steps=4 and --no-baseline. Prints one line per mutant that is neither
refused nor ran, then the count of each outcome, and the slowest refusal.

  tools/mutate-keys.py [--dtsim build/sim/app/dtsim] [--jobs 2] [--timeout 20] ["BASE.yaml [key=value ...]" ...]
"""
import argparse
import concurrent.futures
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

DEFAULT_BASES = [
    "scenarios/quickstart.yaml",
    "scenarios/cluster-4node-a100-storage-bound.yaml",
    "scenarios/appliance-300gbps-h100.yaml",
    "scenarios/mixed-a100-v100.yaml",
    "scenarios/dragonfly-72node-a100.yaml",
    "scenarios/tpu-v5e-multislice.yaml",
    # Keys that apply only with these settings: priced purchase, checkpoints and evaluation; NVMe/TCP on a
    # storage network of its own, priced by the hour.
    "scenarios/quickstart.yaml cost.model=purchase checkpoint.every_steps=2 checkpoint.to=local-nvme "
    "training.evaluation.every_epochs=1 training.evaluation.samples=1000",
    "scenarios/cluster-4node-a100-storage-bound.yaml storage.nvme_of.transport=tcp network.storage_network=separate "
    "cost.model=hourly cost.device_hour_usd=2",
]

WHOLE = ["0", "-1", "1.5", "2147483648", "9007199254740993", "1e18", ".inf", ".nan", "x", "[1, 2]"]
NUMBER = ["0", "-1", "1e-320", "1e-300", "1e308", ".inf", "-.inf", ".nan", "x", "{a: 1}"]
TEXT = ["''", "x", "/dev/zero", "../../../../etc/passwd", "x" * 300, "[1, 2]", "{a: 1}", "~", "yes"]


def quantity_values(unit):
    return [f'"{v} {unit}"' for v in ["0", "-1", "1e-320", "1e-30", "1e300", "inf", "nan"]] + ['"5"', '"5 parsec"']


def keys_and_values(dtsim):
    """Every key of `dtsim reference` with the odd values for its kind (read from its 'expects' column)."""
    reference = subprocess.run([dtsim, "reference"], capture_output=True, text=True, check=True).stdout
    for line in reference.splitlines():
        match = re.match(r"\| `([^`]+)` \| ([^|]*) \|", line)
        if not match:
            continue
        key, expects = match.groups()
        unit = re.search(r'such as "[0-9.]+ ?([^"]+)"', expects)
        if unit:
            yield key, quantity_values(unit.group(1))
        elif "whole number" in expects:
            yield key, WHOLE
        elif "number" in expects:
            yield key, NUMBER
        else:
            yield key, TEXT


CRASH_SIGNS = ("The Impossible Did Happen", "terminate called", "Backtrace", "Segmentation fault", "Aborted",
               "duration is not finite", "xbt_die", "std::out_of_range", "map::at")


def run_mutant(dtsim, base, key, value, timeout):
    """`base` is a scenario file, optionally followed by key=value settings of its own."""
    file, *settings = base.split()
    with tempfile.TemporaryDirectory(prefix="dtsim-mutant-") as folder:
        command = [dtsim, "run", file, "--no-baseline", "--set", "workload.steps=4"]
        for setting in settings + [f"{key}={value}"]:
            command += ["--set", setting]
        command += ["--json", os.path.join(folder, "out.json")]
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   errors="replace", start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return "hung", f"past {timeout} s", timeout
        seconds = time.monotonic() - start
    code = process.returncode
    first_error = next((l for l in output.splitlines() if "error" in l.lower() or "expected" in l), output[-200:])
    if code < 0 or any(sign in output for sign in CRASH_SIGNS):
        return "crashed", f"exit {code}: {first_error.strip()[:200]}", seconds
    if code == 0:
        return "ran", "", seconds
    if code == 2:
        located = f"--set {key}=" in output or re.search(r":\d+:\d+:", output)
        return ("refused" if located else "unclear"), first_error.strip()[:200], seconds
    return "failed", f"exit {code}: {first_error.strip()[:200]}", seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bases", nargs="*", default=DEFAULT_BASES)
    parser.add_argument("--dtsim", default="build/sim/app/dtsim")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    mutants = [(base, key, value) for base in args.bases for key, values in keys_and_values(args.dtsim)
               for value in values]
    counts, slowest_refusal = {}, (0, None)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_mutant, args.dtsim, *m, args.timeout): m for m in mutants}
        for future in concurrent.futures.as_completed(futures):
            base, key, value = futures[future]
            outcome, detail, seconds = future.result()
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == "refused" and seconds > slowest_refusal[0]:
                slowest_refusal = (seconds, f"{base} --set {key}={value}")
            if outcome not in ("refused", "ran"):
                print(f"{outcome}: {base} --set {key}={value}: {detail}", flush=True)
    print(f"mutate-keys: {len(mutants)} mutants: " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))
    if slowest_refusal[1]:
        print(f"mutate-keys: slowest refusal {slowest_refusal[0]:.2f} s: {slowest_refusal[1]}")
    return 0 if set(counts) <= {"refused", "ran"} else 1


if __name__ == "__main__":
    sys.exit(main())
