#!/usr/bin/env python3
"""ResNet-50 on A100, H100, TPU v4, MI250X and the Alveo U280, at equal device count and at equal budget.

Runs the five scenarios of scenarios/compare/ with dtsim and prints two Markdown tables (the ones in
docs/tutorials/gpu-tpu-or-fpga.md), plus how each device's throughput changes with the batch.
Usage: tools/compare-hardware.py [--table count|budget|batch]   (after tools/build.sh; $DTSIM names another
binary). With --table, prints that table alone, without its title: a generated part of the tutorial.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DTSIM = os.environ.get("DTSIM", os.path.join(ROOT, "build", "sim", "app", "dtsim"))
EPOCH = 1_281_167  # ImageNet training images (workloads/resnet50.yaml)

# name, scenario, devices per node, purchase price per device (catalog/accelerators.yaml), node count at the
# budget of 32 A100s (the most whole nodes whose devices cost no more), extra settings at that count.
BUDGET = 32 * 15_000
KINDS = [
    ("A100-SXM4-80GB", "resnet50-a100.yaml", 8, 15_000, 4, []),
    ("H100-SXM5-80GB", "resnet50-h100.yaml", 8, 27_500, 2, []),
    ("TPU v4", "resnet50-tpu-v4.yaml", 4, 10_000, 12, ["network.torus=4x4x3"]),
    ("MI250X (2 GCDs each)", "resnet50-mi250x.yaml", 8, 6_000, 10, []),
    ("Alveo U280", "resnet50-alveo-u280.yaml", 4, 7_000, 17, []),
]


def run(scenario, settings):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = [DTSIM, "run", os.path.join(ROOT, "scenarios", "compare", scenario), "--no-baseline", "--json", out.name]
        for s in settings:
            args += ["--set", s]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        return json.load(open(out.name))["summary"]


def row(name, devices, capital, s):
    epoch_s = EPOCH / s["throughput_samples_per_s"]
    per_epoch = epoch_s / s["time_to_train_s"]  # scale the run's energy and cost to one epoch
    return (f"| {name} | {devices} | ${capital / 1000:,.0f}k | ${s['purchase_usd'] / 1000:,.0f}k | "
            f"{s['throughput_samples_per_s']:,.0f} | "
            f"{epoch_s:,.1f} s | {s['energy_kWh'] * per_epoch:,.3f} kWh | ${s['cost_usd'] * per_epoch:,.3f} |")


def table(title, nodes_of):
    if title:
        print(f"\n{title}\n")
    print("| device | devices | devices' price | cluster price | images/s | epoch | energy/epoch | cost/epoch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, scenario, per_node, price, budget_nodes, extra in KINDS:
        nodes, settings = nodes_of(scenario, budget_nodes, extra)
        s = run(scenario, [f"cluster.nodes={nodes}"] + settings)
        print(row(name, nodes * per_node, nodes * per_node * price, s))


def batch_sweep(title):
    if title:
        print(f"\n{title}\n")
    batches = [1, 8, 32, 128]
    print("| device | " + " | ".join(f"batch {b}" for b in batches) + " |")
    print("|---|" + "---:|" * len(batches))
    for name, scenario, _, _, _, _ in KINDS:
        cells = []
        for b in batches:
            settings = ["cluster.nodes=1", "cluster.accelerators_per_node=1", f"workload.batch_per_device={b}",
                        "workload.steps=20"]
            if "tpu" in scenario:
                settings += ["network.topology=single-switch", "training.allreduce=ring"]
            if "mi250x" in scenario or "tpu" in scenario:
                settings += ["cluster.intra_node=nvswitch"]
            cells.append(f"{run(scenario, settings)['throughput_samples_per_s']:,.0f}")
        print(f"| {name.replace('(2 GCDs each)', '(one GCD)')} | " + " | ".join(cells) + " |")


TABLES = {
    "count": lambda title: table(
        title and "Equal device count: 32 devices (MI250X: 32 packages, counted as their 64 GCDs)",
        lambda scenario, _, __: (8 if "mi250x" in scenario or "tpu" in scenario or "u280" in scenario else 4, [])),
    "budget": lambda title: table(title and f"Equal budget: ${BUDGET / 1000:,.0f}k of devices at catalog prices",
                                  lambda scenario, budget_nodes, extra: (budget_nodes, extra)),
    "batch": lambda title: batch_sweep(title and "One device, images/s by batch per device"),  # MI250X: one GCD
}

if __name__ == "__main__":
    if not os.access(DTSIM, os.X_OK):
        sys.exit("build dtsim first: tools/build.sh")
    if len(sys.argv) == 3 and sys.argv[1] == "--table" and sys.argv[2] in TABLES:
        TABLES[sys.argv[2]](False)
    elif len(sys.argv) == 1:
        for print_table in TABLES.values():
            print_table(True)
    else:
        sys.exit(__doc__)
