#!/usr/bin/python3
"""Prints rows of dtsim results as a Markdown table, for the tutorials (tools/tutorial.py).

Usage: table.py RESULTS COLUMN...
  RESULTS: a sweep's results.jsonl, or one `dtsim run --json` file per row, several joined by commas
  COLUMN:  HEADER=KEY[:FORMAT]  KEY is a swept key or a summary metric (docs/results-reference.md), or
           step_time_ms, compute_ms, exposed_comm_pct (of the step), data_stall_pct; FORMAT a Python format spec
           (",.0f"); a column whose FORMAT starts with '<' is left-aligned.
"""
import json
import sys


def rows_of(results):
    for path in results.split(","):
        if path.endswith(".jsonl"):
            for line in open(path):
                row = json.loads(line)
                if row["status"] == "ok":
                    yield row["settings"], row["summary"]
        else:
            document = json.load(open(path))
            yield {k: v["as_written"] if isinstance(v, dict) else v for k, v in document["scenario"]["settings"].items()}, \
                document["summary"]


def value(settings, summary, key):
    derived = {"step_time_ms": lambda: 1e3 * summary["step_time_s"],
               "compute_ms": lambda: 1e3 * summary["compute_s"],
               "exposed_comm_pct": lambda: 100 * summary["exposed_comm_s"] / summary["step_time_s"],
               "data_stall_pct": lambda: 100 * summary["data_stall_s"] / summary["step_time_s"]}
    if key in derived:
        return derived[key]()
    return settings[key] if key in settings else summary[key]


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    columns = []
    for column in sys.argv[2:]:
        header, spec = column.split("=", 1)
        key, _, form = spec.partition(":")
        columns.append((header, key, form.lstrip("<"), form.startswith("<") or not form))
    print("| " + " | ".join(h for h, _, _, _ in columns) + " |")
    print("|" + "|".join("---" if left else "---:" for _, _, _, left in columns) + "|")
    for settings, summary in rows_of(sys.argv[1]):
        cells = [format(value(settings, summary, key), form) for _, key, form, _ in columns]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
