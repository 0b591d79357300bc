#!/usr/bin/env python3
"""The generated parts and values of docs/tutorials/more-gpus-or-faster-storage.md (tools/tutorial.py runs them).

Usage: more-gpus-or-faster-storage.py advise-storage|advise-compute|h100|advise-cpu|values
"""
import json
import textwrap

from runs import command_line, dtsim, number, percent, run, run_part

STORAGE_BOUND = ["scenarios/cluster-4node-a100-storage-bound.yaml", "--budget", "20000"]
COMPUTE_BOUND = ["scenarios/cluster-4node-a100.yaml", "--budget", "500000"]
H100 = ["scenarios/cluster-4node-a100.yaml", "--set", "cluster.accelerator=H100-SXM5-80GB"]
HALF_CORES = H100 + ["--set", "cluster.cpu_cores_per_node=64"]


def advice(arguments):
    """The options dtsim advise ranked (the base first), and what it printed."""
    return dtsim("advise", arguments)


def show_advice(arguments, rows=None):
    """The command, the base line, the table (its first `rows` rows, if given) and the answer as a quote."""
    _, printed = advice(arguments)
    base, table, answer = printed.strip().split("\n\n")
    table_lines = table.splitlines()
    print("```sh\n" + command_line("advise", arguments) + "\n```\n\n```\n" + base + "\n```\n")
    print("\n".join(table_lines if rows is None else table_lines[:2 + rows]))
    if rows is None:
        print("\n" + textwrap.fill(answer, 100, initial_indent="> ", subsequent_indent="> "))


def show_run(arguments):
    _, lines = run(arguments)
    print("```sh\n" + command_line("run", arguments + ["--no-baseline"]) + "\n```\n\n```")
    for label in ("throughput", "step time", "bottleneck", "utilisation"):
        print(lines[label])
    print("```")


def option(rows, name):
    return next(row for row in rows if row["upgrade"] == name)


def seconds(x):
    return number(x) + " s"


def dollars(x):
    return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def values():
    """Every figure the prose quotes, by name."""
    v = {}
    rows, _ = advice(STORAGE_BOUND)
    base = rows[0]["summary"]
    h100, nodes = option(rows, "accelerators: H100-SXM5-80GB"), option(rows, "2x nodes")
    # The storage options that end compute-bound from the first epoch on (a page cache helps only after it).
    storage = [row for row in rows[1:] if row["kind"] == "storage" and row["summary"]["bottleneck"] == "compute-bound"
               and not row["upgrade"].startswith("page cache")]
    v.update({
        "stall": percent(base["data_stall_s"] / base["step_time_s"], 0),
        "drive_busy": percent(base["drive_utilisation"], 0),
        "base_time": seconds(base["time_to_train_s"]), "samples": f"{base['samples']:,.0f}",
        "h100_saved": seconds(h100["saved_s"]), "nodes_saved": seconds(nodes["saved_s"]),
        "storage_fastest": seconds(min(row["time_for_base_samples_s"] for row in storage)),
        "storage_slowest": seconds(max(row["time_for_base_samples_s"] for row in storage)),
        "overhead": number(1e3 * base["overhead_s"], 2) + " ms",
        "faster_drive": dollars(option(rows, "drives: Micron-9550-7.68TB")["added_purchase_usd"]),
        "second_target": dollars(option(rows, "2x NVMe-oF targets")["added_purchase_usd"]),
        "local_nvme": dollars(option(rows, "dataset on local NVMe (1 Micron-9400-7.68TB per node)")["added_purchase_usd"]),
    })
    rows, _ = advice(COMPUTE_BOUND)
    base = rows[0]["summary"]
    h100, nodes = option(rows, "accelerators: H100-SXM5-80GB"), option(rows, "2x nodes")
    fast, _ = run(H100)
    devices = base["devices"]
    v.update({
        "compute_time": seconds(base["time_to_train_s"]),
        "h100_less": percent(h100["saved_s"] / base["time_to_train_s"], 0),
        "nodes_less": percent(nodes["saved_s"] / base["time_to_train_s"], 0),
        "h100_rate": f"{fast['throughput_samples_per_s']:,.0f}",
        "h100_rate_per_node": f"{fast['throughput_samples_per_s'] / (devices // 8):,.0f}",
        "h100_time": seconds(h100["time_for_base_samples_s"]), "h100_price": dollars(h100["added_purchase_usd"]),
        "devices": str(devices), "device_hours_cost": f"${base['cost_usd']:.3f}",
        "h100_overhead_share": percent(fast["overhead_s"] / fast["step_time_s"], 0),
    })
    rows, _ = advice(HALF_CORES)
    cores, nodes = option(rows, "2x CPU cores (20 loader workers per device)"), option(rows, "2x nodes")
    v.update({
        "half_cores_time": seconds(rows[0]["summary"]["time_to_train_s"]),
        "cores_time": seconds(cores["time_for_base_samples_s"]),
        "cores_per_1000": number(1e3 * cores["saved_s_per_1000_usd"]),
        "nodes_per_1000": number(1e3 * nodes["saved_s_per_1000_usd"]),
        "cores_against_nodes": f"{cores['saved_s_per_1000_usd'] / nodes['saved_s_per_1000_usd']:.1f}",
    })
    print(json.dumps(v, indent=1, sort_keys=True))


def main():
    parts = {
        "advise-storage": lambda: show_advice(STORAGE_BOUND),
        "advise-compute": lambda: show_advice(COMPUTE_BOUND),
        "h100": lambda: show_run(H100),
        "advise-cpu": lambda: show_advice(HALF_CORES, rows=2),
        "values": values,
    }
    run_part(parts, __doc__)


if __name__ == "__main__":
    main()
