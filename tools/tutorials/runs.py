"""dtsim runs for the tutorials' generated parts and values (tools/tutorial.py), each run once per tutorial.

A run's --json document and what it printed are kept in TUTORIAL_CACHE, so that the values command of a tutorial
reads the runs its tables made instead of repeating them. DTSIM names the binary.
"""
import atexit
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DTSIM = os.environ.get("DTSIM", "build/sim/app/dtsim")
CACHE = os.environ.get("TUTORIAL_CACHE")
if not CACHE:  # run alone: nothing is kept
    CACHE = tempfile.mkdtemp(prefix="dtsim-tutorial-cache-")
    atexit.register(shutil.rmtree, CACHE, True)


def command_line(subcommand, arguments):
    """The command as the tutorial shows it: the build folder's binary, from the source folder."""
    return " ".join(["build/sim/app/dtsim", subcommand] + arguments)


def dtsim(subcommand, arguments):
    """Runs `dtsim SUBCOMMAND ARGUMENTS --json FILE` once; returns (the JSON document, what it printed)."""
    os.makedirs(CACHE, exist_ok=True)
    key = hashlib.sha256(json.dumps([subcommand] + arguments).encode()).hexdigest()[:16]
    document, printed = os.path.join(CACHE, key + ".json"), os.path.join(CACHE, key + ".txt")
    if not os.path.exists(document):
        done = subprocess.run([DTSIM, subcommand] + arguments + ["--json", document + ".partial"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"`{command_line(subcommand, arguments)}` exited {done.returncode}:\n{done.stderr}")
        open(printed, "w").write(done.stdout)
        os.replace(document + ".partial", document)
    return json.load(open(document)), open(printed).read()


def run(arguments):
    """The summary of `dtsim run ARGUMENTS --no-baseline`, and the lines it printed by their label."""
    document, printed = dtsim("run", arguments + ["--no-baseline"])
    lines = {line[:20].strip(): line for line in printed.splitlines() if line[:1] not in " "}
    return document["summary"], lines


def number(x, digits=4):
    """A figure as dtsim prints it: `digits` significant digits, whole numbers from 1,000 with separators."""
    if abs(x) >= 10 ** (digits - 1):
        return f"{x:,.0f}"
    text = f"{x:.{digits}g}"
    return text if "e" not in text else f"{x:.{digits}f}"


def percent(fraction, decimals=1):
    return f"{100 * fraction:.{decimals}f}%"


def printed_figure(line, pattern):
    """The first group of `pattern` in a line dtsim printed, which must be there."""
    found = re.search(pattern, line)
    if not found:
        sys.exit(f"tutorial: no {pattern!r} in {line!r}")
    return found.group(1)


def run_part(parts, usage):
    """Prints the part of a tutorial that the command line names, one of `parts` (name: function)."""
    if len(sys.argv) != 2 or sys.argv[1] not in parts:
        sys.exit(usage)
    parts[sys.argv[1]]()
