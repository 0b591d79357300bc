#!/usr/bin/env python3
"""ResNet-50 on A100, H100, TPU v4, MI250X and the Alveo U280, at equal device count and at equal budget.

Runs the five scenarios of scenarios/compare/ with dtsim and prints two Markdown tables (the ones in
docs/tutorials/gpu-tpu-or-fpga.md), plus how each device's throughput changes with the batch and a mixed
A100 + V100 cluster with either batch split.
Usage: tools/compare-hardware.py [--table count|budget|batch|mixed | --loaders N | --values]   (after
tools/build.sh; $DTSIM names another binary). With --table, prints that table alone, without its title; with
--loaders N, the H100s' run on real JPEGs with N loader workers per GPU: the generated parts of the tutorial.
--values prints the figures its prose quotes, as JSON (tools/tutorial.py).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ["DTSIM"] = os.path.abspath(os.environ.get("DTSIM", os.path.join(ROOT, "build", "sim", "app", "dtsim")))
os.chdir(ROOT)  # scenarios are named from the source folder, as the tutorial shows them
sys.path.insert(0, os.path.join(ROOT, "tools", "tutorials"))
from runs import DTSIM, command_line, dtsim, number, percent, run  # noqa: E402 (runs each command once)

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
BATCHES = [1, 8, 32, 128]
H100_FROM_MEMORY = ["scenarios/compare/resnet50-h100.yaml", "--set", "storage.dataset_on=memory"]
MIXED = "scenarios/mixed-a100-v100.yaml"


def settings(*pairs):
    return [word for pair in pairs for word in ("--set", pair)]


def summary(scenario, *pairs):
    """The summary of `dtsim run`, with the one-device baseline (the scaling efficiency) of a multi-device run."""
    return dtsim("run", [scenario] + settings(*pairs))[0]["summary"]


def per_epoch(s):
    """Seconds, kWh and dollars of one epoch: the run's energy and cost scaled to an epoch at its throughput."""
    epoch_s = EPOCH / s["throughput_samples_per_s"]
    return epoch_s, s["energy_kWh"] * epoch_s / s["time_to_train_s"], s["cost_usd"] * epoch_s / s["time_to_train_s"]


def count_nodes(scenario, _, __):  # 32 devices; MI250X: 32 packages, counted as their 64 GCDs
    return (8 if "mi250x" in scenario or "tpu" in scenario or "u280" in scenario else 4), []


def budget_nodes(_, nodes, extra):
    return nodes, extra


def clusters(nodes_of):
    """Name, scenario, devices, devices' price and summary of each kind's cluster."""
    for name, scenario, per_node, price, budget, extra in KINDS:
        nodes, extra = nodes_of(scenario, budget, extra)
        s = summary("scenarios/compare/" + scenario, f"cluster.nodes={nodes}", *extra)
        yield name, scenario, nodes * per_node, nodes * per_node * price, s


def table(title, nodes_of):
    if title:
        print(f"\n{title}\n")
    print("| device | devices | devices' price | cluster price | images/s | epoch | energy/epoch | cost/epoch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, _, devices, capital, s in clusters(nodes_of):
        epoch_s, energy, cost = per_epoch(s)
        print(f"| {name} | {devices} | ${capital / 1000:,.0f}k | ${s['purchase_usd'] / 1000:,.0f}k | "
              f"{s['throughput_samples_per_s']:,.0f} | {epoch_s:,.1f} s | {energy:,.3f} kWh | ${cost:,.3f} |")


def one_device(scenario, batch):
    """Images/s of one device at a batch per device."""
    pairs = ["cluster.nodes=1", "cluster.accelerators_per_node=1", f"workload.batch_per_device={batch}",
             "workload.steps=20"]
    if "tpu" in scenario:
        pairs += ["network.topology=single-switch", "training.allreduce=ring"]
    if "mi250x" in scenario or "tpu" in scenario:
        pairs += ["cluster.intra_node=nvswitch"]
    return summary("scenarios/compare/" + scenario, *pairs)["throughput_samples_per_s"]


def batch_sweep(title):
    if title:
        print(f"\n{title}\n")
    print("| device | " + " | ".join(f"batch {b}" for b in BATCHES) + " |")
    print("|---|" + "---:|" * len(BATCHES))
    for name, scenario, _, _, _, _ in KINDS:
        cells = [f"{one_device(scenario, b):,.0f}" for b in BATCHES]
        print(f"| {name.replace('(2 GCDs each)', '(one GCD)')} | " + " | ".join(cells) + " |")


def mixed_table(title):
    if title:
        print(f"\n{title}\n")
    print("| batch split | images/s | step | waiting for slower devices | scaling efficiency |")
    print("|---|---:|---:|---:|---:|")
    for split in ("equal", "by-speed"):
        s = summary(MIXED, f"training.batch_split={split}")
        batches = {g["accelerator"].split("-")[0]: g["batch_per_device"] for g in s["device_groups"]}
        shown = (f"{batches.popitem()[1]} on every device" if len(set(batches.values())) == 1
                 else ", ".join(f"{batch} on {kind}" for kind, batch in batches.items()))
        print(f"| {split} ({shown}) | {s['throughput_samples_per_s']:,.0f} | {number(1e3 * s['step_time_s'])} ms | "
              f"{percent(s['imbalance_s'] / s['step_time_s'])} | {percent(s['scaling_efficiency'])} |")


def loaders(workers):
    """The H100s on JPEGs from memory with `workers` loaders per GPU, for 120 steps (30 end before they settle)."""
    return H100_FROM_MEMORY + settings(f"training.loader_workers={workers}", "workload.steps=120")


def show_loaders(workers):
    _, lines = run(loaders(workers))
    print("```console\n$ " + command_line("run", loaders(workers) + ["--no-baseline"]))
    print(lines["throughput"] + "\n" + lines["bottleneck"] + "\n```")


def values():
    """Every figure the prose quotes, by name; a kind is named after its scenario (a100, ..., alveo-u280)."""
    def kinds(nodes_of):
        return {scenario[len("resnet50-"):-len(".yaml")]: s for _, scenario, _, _, s in clusters(nodes_of)}

    def rate(s):
        return s["throughput_samples_per_s"]

    def share(s, key):
        return percent(s[key] / s["step_time_s"])

    v = {}
    count, budget = kinds(count_nodes), kinds(budget_nodes)
    for kind, s in count.items():
        parts = s["it_energy_kWh_by_part"]
        v.update({f"rate_{kind}": f"{rate(s):,.0f}", f"overhead_{kind}": share(s, "overhead_s"),
                  f"efficiency_{kind}": percent(s["scaling_efficiency"]), f"energy_{kind}": f"{per_epoch(s)[1]:.3f}",
                  f"servers_{kind}": percent(parts["servers"] / sum(parts.values()), 0)})
    for kind, s in budget.items():
        v.update({f"budget_{kind}": f"{rate(s):,.0f}", f"cost_{kind}": f"${per_epoch(s)[2]:.3f}"})
    h100, tpu, mi250x, u280 = count["h100"], count["tpu-v4"], count["mi250x"], count["alveo-u280"]
    v.update({
        "energy_tpu-v4_over_h100": f"{per_epoch(tpu)[1] / per_epoch(h100)[1]:.1f}",
        "epoch_tpu-v4_over_h100": f"{rate(h100) / rate(tpu):.1f}",
        "fpga_behind_least": f"{rate(tpu) / rate(u280):.0f}", "fpga_behind_most": f"{rate(h100) / rate(u280):.0f}",
        "fpga_behind_least_tens": f"{round(rate(tpu) / rate(u280), -1):.0f}",
        "fpga_behind_most_tens": f"{round(rate(h100) / rate(u280), -1):.0f}",
        "fpga_energy_least": f"{per_epoch(u280)[1] / per_epoch(mi250x)[1]:.0f}",
        "fpga_energy_most": f"{per_epoch(u280)[1] / per_epoch(h100)[1]:.0f}",
        "fpga_behind_at_budget": f"{rate(budget['a100']) / rate(budget['alveo-u280']):.0f}",
    })
    for kind in ("tpu-v4", "mi250x"):  # at equal budget, against the H100s
        v[f"price_{kind}_over_h100"] = f"{budget[kind]['purchase_usd'] / budget['h100']['purchase_usd']:.1f}"
        v[f"cost_{kind}_over_h100"] = f"{per_epoch(budget[kind])[2] / per_epoch(budget['h100'])[2]:.1f}"
    # One device by batch; the GPUs are the A100, the H100 and the MI250X GCD.
    batch1 = {scenario: one_device(scenario, 1) for _, scenario, *_ in KINDS}
    kept = {scenario: images / one_device(scenario, 128) for scenario, images in batch1.items()}
    gpus = [kept[f"resnet50-{kind}.yaml"] for kind in ("a100", "h100", "mi250x")]
    v.update({"gpu_batch1_kept": percent(sum(gpus) / len(gpus), 0),
              "fpga_batch1_kept": percent(kept["resnet50-alveo-u280.yaml"], 0),
              "a100_over_fpga_batch1": f"{batch1['resnet50-a100.yaml'] / batch1['resnet50-alveo-u280.yaml']:.0f}"})
    # 32 devices at batch 8, the commands the tutorial shows (--no-baseline).
    small, _ = run(["scenarios/compare/resnet50-a100.yaml"] + settings("workload.batch_per_device=8"))
    fpga_small, _ = run(["scenarios/compare/resnet50-alveo-u280.yaml"] + settings("workload.batch_per_device=8"))
    v.update({
        "batch8_a100_rate": f"{rate(small):,.0f}", "batch8_a100_step": number(1e3 * small["step_time_s"]) + " ms",
        "batch8_a100_overhead": share(small, "overhead_s"), "batch8_a100_comm": share(small, "exposed_comm_s"),
        "batch8_a100_optimizer": share(small, "optimizer_s"),
        "batch8_u280_rate": f"{rate(fpga_small):,.0f}", "batch8_u280_overhead": share(fpga_small, "overhead_s"),
    })
    # The H100s on JPEGs from memory, and the mixed cluster.
    enough, few = run(loaders(17))[0], run(loaders(14))[0]
    equal, by_speed = (summary(MIXED, f"training.batch_split={split}") for split in ("equal", "by-speed"))
    v.update({
        "loaders17_rate": f"{rate(enough):,.0f}", "loaders17_overhead": share(enough, "overhead_s"),
        "loaders14_rate": f"{rate(few):,.0f}", "loaders14_stall": share(few, "data_stall_s"),
        "mixed_equal_wait": percent(equal["imbalance_s"] / equal["step_time_s"], 0),
        "mixed_efficiency": percent(by_speed["scaling_efficiency"]), "mixed_overhead": share(by_speed, "overhead_s"),
    })
    print(json.dumps(v, indent=1, sort_keys=True))


TABLES = {
    "count": lambda title: table(
        title and "Equal device count: 32 devices (MI250X: 32 packages, counted as their 64 GCDs)", count_nodes),
    "budget": lambda title: table(title and f"Equal budget: ${BUDGET / 1000:,.0f}k of devices at catalog prices",
                                  budget_nodes),
    "batch": lambda title: batch_sweep(title and "One device, images/s by batch per device"),  # MI250X: one GCD
    "mixed": lambda title: mixed_table(title and "Two DGX A100 and two V100 nodes, by batch split"),
}

if __name__ == "__main__":
    if not os.access(DTSIM, os.X_OK):
        sys.exit("build dtsim first: tools/build.sh")
    if len(sys.argv) == 3 and sys.argv[1] == "--table" and sys.argv[2] in TABLES:
        TABLES[sys.argv[2]](False)
    elif len(sys.argv) == 3 and sys.argv[1] == "--loaders" and sys.argv[2].isdigit():
        show_loaders(int(sys.argv[2]))
    elif sys.argv[1:] == ["--values"]:
        values()
    elif len(sys.argv) == 1:
        for print_table in TABLES.values():
            print_table(True)
    else:
        sys.exit(__doc__)
