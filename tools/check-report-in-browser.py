#!/usr/bin/python3
"""Loads the HTML pages of dtsim in headless Chromium, as a reader would, and checks what it draws.

For a run (`dtsim run --html`) and a sweep (`dtsim report`): the page loads with no console message, and its
screenshot shows each chart, found in the pixels: horizontal bands of the charts' colours (Okabe-Ito, the
palette of every dtsim picture), one per chart at least, each with two colours or more.

Usage: tools/check-report-in-browser.py DTSIM-BINARY   (run from the source folder; needs chromium and
python3-pil, which tools/install-deps.sh --for-tests installs)
"""
import os
import subprocess
import sys
import tempfile

from PIL import Image

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"]  # black is text
COLOURS = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in PALETTE]
GAP = 24  # rows without chart colour that separate two charts


def run(*command, cwd=None):
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"check-report-in-browser: {' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return done


def screenshot(page, png):
    """The page's screenshot; fails on a console message (Chromium logs them as CONSOLE lines)."""
    done = run("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               "--window-size=800,4000", "--enable-logging=stderr", "--v=0", f"--screenshot={png}",
               f"file://{page}")
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    if console:
        sys.exit(f"check-report-in-browser: {page} logged to the console:\n" + "\n".join(console))
    return Image.open(png).convert("RGB")


def chart_colour(pixel):
    for k, colour in enumerate(COLOURS):
        if all(abs(a - b) <= 8 for a, b in zip(pixel, colour)):
            return k
    return None


def chart_bands(image):
    """(first row, last row, colours) of each band of rows that hold chart colours, top to bottom."""
    width, height = image.size
    pixels = image.load()
    bands, quiet = [], GAP
    for y in range(height):
        colours = {chart_colour(pixels[x, y]) for x in range(0, width, 2)} - {None}
        if colours:
            if quiet >= GAP:
                bands.append([y, y, set()])
            bands[-1][1] = y
            bands[-1][2] |= colours
            quiet = 0
        else:
            quiet += 1
    return bands


def check(page, png, charts):
    bands = [b for b in chart_bands(screenshot(page, png)) if len(b[2]) >= 2 or b[1] - b[0] >= 40]
    print(f"check-report-in-browser: {os.path.basename(page)}: {len(bands)} chart bands at rows "
          + ", ".join(f"{b[0]}-{b[1]} ({len(b[2])} colours)" for b in bands))
    if len(bands) < charts:
        sys.exit(f"check-report-in-browser: {page}: expected {charts} charts in the screenshot, found {len(bands)}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    dtsim = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="dtsim-browser-") as work:
        run_page = os.path.join(work, "run.html")
        run(dtsim, "run", "scenarios/cluster-4node-a100-storage-bound.yaml", "--set", "workload.steps=40",
            "--html", run_page)
        check(run_page, os.path.join(work, "run.png"), 4)  # the step, every step, the utilisation, the timeline
        sweep = os.path.join(work, "sweep")
        run(dtsim, "sweep", "scenarios/quickstart.yaml", "--set", "cluster.nodes=1,2,4", "--set",
            "workload.steps=20", "-j", "2", "-o", sweep)
        run(dtsim, "report", sweep)
        check(os.path.join(sweep, "report.html"), os.path.join(work, "sweep.png"), 3)  # 2 scaling charts, steps


if __name__ == "__main__":
    main()
