#!/usr/bin/env python3
"""The generated parts and values of docs/tutorials/why-is-my-gpu-waiting.md (tools/tutorial.py runs them).

Usage: why-is-my-gpu-waiting.py report|storage|cache|cpu|small-files|values
"""
import json
import math
import re

from runs import command_line, number, percent, printed_figure, run, run_part

STORAGE = "scenarios/tutorial-gpu-waiting-storage.yaml"
CPU = "scenarios/tutorial-gpu-waiting-cpu.yaml"
THREE_EPOCHS = ["--set", "workload.steps=469"]
SMALL_SAMPLES = ["--set", "workload.sample_size=2KiB", "--set", "workload.emulated_batch_time=1ms"]


def settings(*pairs):
    return [word for pair in pairs for word in ("--set", pair)]


STORAGE_VARIANTS = [
    ("as in the file", []),
    ("2 drives in the target", settings("storage.nvme_of.drives_per_target=2")),
    ("2 targets", settings("storage.nvme_of.targets=2")),
    ("256 CPU cores per node", settings("cluster.cpu_cores_per_node=256")),
    ("2 drives, 25 GbE target NICs",
     settings("storage.nvme_of.drives_per_target=2", "storage.nvme_of.nic=Ethernet-25G")),
]
CACHE_VARIANTS = [
    ("no cache", THREE_EPOCHS),
    ("40 GB per node", THREE_EPOCHS + settings("storage.page_cache=40GB")),
    ("20 GB per node", THREE_EPOCHS + settings("storage.page_cache=20GB")),
]
RESHUFFLED = THREE_EPOCHS + settings("storage.page_cache=40GB", "storage.sharding=reshuffled")
CPU_VARIANTS = [
    ("as in the file", []),
    ("2 drives", settings("storage.local_nvme.drives_per_node=2")),
    ("24 cores", settings("cluster.cpu_cores_per_node=24")),
    ("32 cores", settings("cluster.cpu_cores_per_node=32")),
    ("128 cores, 2 loaders per GPU", settings("cluster.cpu_cores_per_node=128", "training.loader_workers=2")),
    ("128 cores, 8 loaders per GPU", settings("cluster.cpu_cores_per_node=128")),
    ("tf.data instead of PyTorch", settings("training.loader=tf-data")),
    ("decode on the GPU", settings("training.loader=dali-gpu")),
]
RECORDS = settings("storage.layout=records", "storage.samples_per_record=1024")
SMALL_VARIANTS = [
    ("one file per sample", SMALL_SAMPLES),
    ("records of 512 samples", SMALL_SAMPLES + settings("storage.layout=records", "storage.samples_per_record=512")),
]


def scenario_run(scenario, arguments):
    return run([scenario] + arguments)


def shown_command(scenario, arguments):
    return "`" + command_line("run", [scenario, "--no-baseline"] + arguments) + "`"


def stall_cell(s):
    if s["data_stall_s"] == 0:
        return "0.0%"
    return (f"{percent(s['data_stall_s'] / s['step_time_s'])} ({percent(s['fetch_stall_s'] / s['step_time_s'])} / "
            f"{percent(s['preprocess_stall_s'] / s['step_time_s'])})")


def bottleneck_cell(s):
    """The bottleneck and, for an input-bound run, what the sentence blames, without the storage's name."""
    if s["bottleneck"] != "input-bound":
        return s["bottleneck"]
    return "input-bound: " + re.sub(r" \([a-z-]+\)$", "", s["bottleneck_reason"].split("; ", 1)[1])


def step_table(scenario, variants, unit):
    print(f"| variant | command | throughput ({unit}/s) | step time | data stall (fetch / preprocessing) | bottleneck |")
    print("|---|---|---:|---:|---|---|")
    for name, arguments in variants:
        s, _ = scenario_run(scenario, arguments)
        print(f"| {name} | {shown_command(scenario, arguments)} | {s['throughput_samples_per_s']:,.0f} | "
              f"{number(1e3 * s['step_time_s'])} ms | {stall_cell(s)} | {bottleneck_cell(s)} |")


def report():
    print("```sh\n" + command_line("run", [STORAGE, "--no-baseline"]) + "\n```\n\n```")
    _, lines = scenario_run(STORAGE, [])
    for label in ("throughput", "step time", "bottleneck", "utilisation", "storage reads"):
        print(lines[label])
    print("```")


def cache():
    print("| variant | command | time to train | page cache line |")
    print("|---|---|---:|---|")
    for name, arguments in CACHE_VARIANTS:
        s, lines = scenario_run(STORAGE, arguments)
        cache_line = lines["page cache"][20:] if "page cache" in lines else "(none)"
        print(f"| {name} | {shown_command(STORAGE, arguments)} | {number(s['time_to_train_s'])} s | {cache_line} |")


def values():
    """Every figure the prose quotes, by name."""
    v = {}

    def share(s, key):
        return percent(s[key] / s["step_time_s"])

    # Section 1: the storage-bound run, and the drive's closed form at ImageNet's mean file size.
    s, storage_lines = scenario_run(STORAGE, [])
    file_size, drive_bandwidth, drive_iops = 114_660, 7e9, 1.6e6
    request_time = file_size / drive_bandwidth + 1 / drive_iops
    no_stall = s["step_time_s"] - s["data_stall_s"]
    v.update({
        "first": str(s["steady_first_step"] + 1), "last": str(s["steady_first_step"] + s["steady_steps"]),
        "overhead": number(1e3 * s["overhead_s"], 2) + " ms", "overhead_share": share(s, "overhead_s"),
        "step": number(1e3 * s["step_time_s"]) + " ms", "stall": share(s, "data_stall_s"),
        "no_stall": number(1e3 * no_stall) + " ms",
        "read_rate": printed_figure(storage_lines["storage reads"], r"([\d.]+ GB/s) and"),
        "drive_busy": percent(s["drive_utilisation"], 0),
        "transfer_us": f"{1e6 * file_size / drive_bandwidth:.2f} us", "request_us": f"{1e6 * request_time:.3f} us",
        "files_per_s": f"{1 / request_time:,.0f}", "drive_rate": f"{file_size / request_time / 1e9:.3f} GB/s",
        "transfer_share": percent(file_size / drive_bandwidth / request_time, 0),
        "throughput": f"{s['throughput_samples_per_s']:,.0f}",
    })
    # Section 2: storage fixed, cores doubled, page caches.
    fixed, _ = scenario_run(STORAGE, STORAGE_VARIANTS[1][1])
    cores, _ = scenario_run(STORAGE, STORAGE_VARIANTS[3][1])
    v.update({
        "compute_bound": f"{fixed['throughput_samples_per_s']:,.0f}",
        "compute_bound_rate": f"{fixed['throughput_samples_per_s'] * file_size / 1e9:.1f} GB/s",
        "fixed_step": number(1e3 * fixed["step_time_s"]) + " ms", "fixed_overhead": share(fixed, "overhead_s"),
        "fixed_drive_busy": percent(fixed["drive_utilisation"], 0),
        "cpu_busy": percent(s["cpu_utilisation"], 0), "cpu_busy_doubled": percent(cores["cpu_utilisation"], 0),
        "unserved": percent(1 - s["throughput_samples_per_s"] / fixed["throughput_samples_per_s"], 0),
    })
    cached, _ = scenario_run(STORAGE, CACHE_VARIANTS[1][1])
    half, _ = scenario_run(STORAGE, CACHE_VARIANTS[2][1])
    reshuffled, _ = scenario_run(STORAGE, RESHUFFLED)
    v.update({
        "cached_time": number(cached["time_to_train_s"]) + " s",
        "cache_gap_ms": f"{1e3 * abs(cached['time_to_train_s'] - half['time_to_train_s']):.0f}",
        "reshuffled_served": percent(reshuffled["page_cache_share"], 0),
        "reshuffled_time": number(reshuffled["time_to_train_s"]) + " s",
    })
    # Section 3: the CPU-bound node; 15 core-equivalents serve its loaders (the prose derives them).
    c, _ = scenario_run(CPU, [])
    cost = 15 / c["throughput_samples_per_s"]
    without = c["compute_s"] + c["exposed_comm_s"] + c["optimizer_s"] + c["overhead_s"]
    runs = {name: scenario_run(CPU, arguments)[0] for name, arguments in CPU_VARIANTS}
    gpu_bound = runs["32 cores"]
    tf_data, dali = runs["tf.data instead of PyTorch"], runs["decode on the GPU"]
    v.update({
        "cpu_cost_ms": f"{1e3 * cost:.4f} ms", "cpu_cost_short": f"{1e3 * cost:.2f}",
        "cpu_work": f"{8 * 256 * cost:.2f} core-s", "cpu_rate": f"{15 / cost:,.1f}",
        "gpu_bound": f"{gpu_bound['throughput_samples_per_s']:,.0f}",
        "cpu_step": f"{1e3 * c['step_time_s']:.1f} ms", "cpu_step_round": f"{1e3 * c['step_time_s']:.0f} ms",
        "cpu_throughput": f"{c['throughput_samples_per_s']:,.0f}", "cpu_step_exact": f"{1e3 * c['step_time_s']:.3f}",
        "cpu_compute": f"{1e3 * c['compute_s']:.3f} ms", "cpu_comm": f"{1e3 * c['exposed_comm_s']:.3f} ms",
        "cpu_optimizer": f"{1e3 * c['optimizer_s']:.3f} ms", "cpu_overhead": f"{1e3 * c['overhead_s']:.3f} ms",
        "cpu_overhead_share": share(c, "overhead_s"), "cpu_without": f"{1e3 * without:.3f}",
        "cpu_stall_ms": f"{1e3 * (c['step_time_s'] - without):.3f} ms", "cpu_stall": share(c, "data_stall_s"),
        "cpu_drive_busy": percent(c["drive_utilisation"], 0),
        "cpu_drive_busy_2": percent(runs["2 drives"]["drive_utilisation"], 0),
        "rate_24": f"{runs['24 cores']['throughput_samples_per_s']:,.0f}",
        "rate_24_closed": f"{25 / cost:,.0f}", "rate_32_closed": f"{35 / cost:,.0f}", "busy_32": percent(gpu_bound["cpu_utilisation"], 0),
        "rate_2_loaders": f"{16 / cost:,.0f}",
        "idle_2_loaders": percent(1 - runs["128 cores, 2 loaders per GPU"]["cpu_utilisation"], 0),
        "tf_cost": f"{1e3 * 15 / tf_data['throughput_samples_per_s']:.2f} ms",
        "tf_cost_exact": f"{1e3 * 15 / tf_data['throughput_samples_per_s']:.4f}",
        "tf_rate": f"{tf_data['throughput_samples_per_s']:,.0f}",
        "tf_gain": percent(tf_data["throughput_samples_per_s"] / c["throughput_samples_per_s"] - 1, 0),
        "dali_cpu_busy": percent(dali["cpu_utilisation"], 0), "dali_rate": f"{dali['throughput_samples_per_s']:,.0f}",
        "dali_step": f"{1e3 * dali['step_time_s']:.1f} ms",
        "dali_extra": f"{1e3 * (dali['step_time_s'] - gpu_bound['step_time_s']):.2f} ms",
        "gpu_bound_step": f"{1e3 * gpu_bound['step_time_s']:.1f} ms",
    })
    # Section 4: records of ImageNet files, and 2 KiB samples.
    records, record_lines = scenario_run(STORAGE, RECORDS)
    record = 1024 * file_size
    requests_per_record = math.ceil(record / 2**20)  # storage.max_request: 1 MiB
    per_request = record / requests_per_record
    record_request = per_request / drive_bandwidth + 1 / drive_iops
    small, small_lines = scenario_run(CPU, SMALL_VARIANTS[0][1])
    packed, packed_lines = scenario_run(CPU, SMALL_VARIANTS[1][1])
    small_request = 2048 / drive_bandwidth + 1 / drive_iops
    v.update({
        "records_iops": printed_figure(record_lines["storage reads"], r"([\d,]+) IOPS"),
        "files_iops": printed_figure(storage_lines["storage reads"], r"([\d,]+) IOPS"),
        "record_bytes": f"{record:,}", "requests_per_record": str(requests_per_record),
        "request_bytes": f"{per_request:,.0f}", "images_per_request": f"{1024 / requests_per_record:.2f}",
        "images_per_request_exact": f"{1024 / requests_per_record:.4f}",
        "records_rate": f"{records['throughput_samples_per_s']:,.0f}",
        "records_gain": percent(records["throughput_samples_per_s"] / s["throughput_samples_per_s"] - 1),
        "record_request_us": f"{1e6 * record_request:.3f} us", "record_requests": f"{1 / record_request:,.1f}",
        "record_rate": f"{per_request / record_request / 1e9:.3f} GB/s",
        "record_images": f"{per_request / file_size / record_request:,.0f}",
        "records_busy": percent(records["drive_utilisation"], 0),
        "small_request_us": f"{1e6 * small_request:.4f} us", "small_requests": f"{1 / small_request:,.0f}",
        "small_iops": printed_figure(small_lines["storage reads"], r"([\d,]+) IOPS"),
        "small_busy": percent(small["drive_utilisation"], 0),
        "packed_iops": printed_figure(packed_lines["storage reads"], r"([\d,]+) IOPS"),
    })
    print(json.dumps(v, indent=1, sort_keys=True))


def main():
    parts = {
        "report": report,
        "storage": lambda: step_table(STORAGE, STORAGE_VARIANTS, "images"),
        "cache": cache,
        "cpu": lambda: step_table(CPU, CPU_VARIANTS, "images"),
        "small-files": lambda: step_table(CPU, SMALL_VARIANTS, "samples"),
        "values": values,
    }
    run_part(parts, __doc__)


if __name__ == "__main__":
    main()
