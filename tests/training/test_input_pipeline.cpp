// Closed forms of the input pipeline: throughput bound by drive bandwidth, IOPS, NICs, request latency or CPU
// cores, and the report's split of data stall into fetch and preprocessing stall.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/compute_model.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

dtsim::config::Scenario load(const std::string& file, const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
}

dtsim::report::Summary run(const dtsim::config::Scenario& scenario)
{
  return dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
}

/// Requests of `bytes` per second a drive or an appliance serves: each holds it 1 / iops plus its bytes at `bandwidth`.
double requests_per_second(double bandwidth, double iops, double bytes)
{
  return 1 / (bytes / bandwidth + 1 / iops);
}

} // namespace

TEST_CASE("input: storage-bound throughput equals drive bandwidth over bytes per sample, and the stall is fetch stall")
{
  const auto scenario = load("scenarios/cluster-4node-a100-storage-bound.yaml", {});
  const auto& target = *scenario.storage.remote;
  const auto& drive = target.pool.drive;
  // One file per sample, each one request.
  const double expected = target.targets * target.pool.drives *
                          requests_per_second(drive.read_bandwidth.value, drive.read_iops.value,
                                              scenario.workload.model.sample_bytes.value);
  const auto summary = run(scenario);
  INFO(fmt::format("storage-bound: simulated {:.0f} samples/s, closed form {:.0f}", summary.throughput, expected));
  CHECK(summary.throughput == Approx(expected).epsilon(0.02));
  REQUIRE(summary.utilisation.drives.has_value());
  CHECK(*summary.utilisation.drives > 0.9);
  CHECK(summary.breakdown.fetch_stall == Approx(summary.breakdown.data_stall).epsilon(0.01));
  CHECK(summary.bottleneck.kind == dtsim::report::BottleneckKind::input);
  CHECK(summary.bottleneck.reason.find("storage drives") != std::string::npos);
  // One target serves every read: its bandwidth and IOPS (112 KiB requests) are the run's.
  REQUIRE(summary.storage_reads.has_value());
  CHECK(summary.storage_reads->units == 1);
  CHECK(summary.storage_reads->bandwidth == Approx(summary.overall_throughput * 114660).epsilon(0.01));
  CHECK(summary.storage_reads->iops == Approx(summary.overall_throughput).epsilon(0.01));
}

TEST_CASE(
    "input: a target with more drives than its NIC carries is NIC-bound: throughput = NIC bandwidth / sample size")
{
  // Eight 7 GB/s drives behind one 200 Gb/s NIC, feeding 32 emulated A100s that want 47 GB/s.
  const auto scenario = load("scenarios/cluster-4node-a100-storage-bound.yaml",
                             {"storage.nvme_of.drives_per_target=8", "storage.nvme_of.nics_per_target=1",
                              "workload.emulated_batch_time=20 ms", "workload.steps=100"});
  const auto& t = *scenario.storage.remote;
  const double expected = t.nic.bandwidth.value / scenario.workload.model.sample_bytes.value;
  REQUIRE(expected < 32 * 256 / 0.02);
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(expected).epsilon(0.02));
  CHECK(summary.bottleneck.reason.find("NVMe-oF target NICs") != std::string::npos);
}

TEST_CASE("input: a JPEG image costs its decode, its crop's resize and the loader's own work, at the CPU's rates")
{
  // DGX-1's Xeon E5-2698 v4 with the PyTorch DataLoader: 181,503 pixels at 140.4 Mpx/s, 0.54 of them resized
  // at 189.7 Mpx/s, and 374 us of torchvision per sample: 1.293 + 0.517 + 0.374 = 2.183 ms.
  const auto scenario = load("scenarios/validation/dle-rn50-dgx1v.yaml", {});
  CHECK(dtsim::training::cpu_seconds_per_sample(scenario) == Approx(2.183e-3).epsilon(1e-3));
  // tf.data and DALI on the CPU decode and resize alike, without the per-sample Python.
  const auto tf = load("scenarios/validation/dle-rn50-dgx1v.yaml", {"training.loader=tf-data"});
  CHECK(dtsim::training::cpu_seconds_per_sample(tf) == Approx(1.809e-3).epsilon(1e-3));
  // FFCV decodes only the half of the images its file keeps as JPEG: 1.293 / 2 + 0.517 = 1.164 ms.
  const auto ffcv = load("scenarios/validation/dle-rn50-dgx1v.yaml", {"training.loader=ffcv"});
  CHECK(dtsim::training::cpu_seconds_per_sample(ffcv) == Approx(1.164e-3).epsilon(1e-3));
  // Samples that are not images cost the workload's fixed figure.
  const auto bert = load("scenarios/validation/bert-large-dgxa100.yaml", {});
  CHECK(dtsim::training::cpu_seconds_per_sample(bert) == 0);
}

namespace {

/// Core-seconds per image from the scenario's catalog figures, written out independently of the model.
double image_cost(const dtsim::config::Scenario& s)
{
  const auto& jpeg = *s.workload.model.jpeg;
  const auto& cpu = s.cluster.cpu;
  return s.training.loader.jpeg_fraction.value * jpeg.decoded_pixels.value / cpu.jpeg_decode_rate.value +
         jpeg.crop_area_fraction.value * jpeg.decoded_pixels.value / cpu.resize_rate.value +
         s.training.loader.per_sample_overhead.value;
}

} // namespace

TEST_CASE("input: CPU-bound throughput = core-equivalents / core-seconds per sample, and the stall is preprocessing "
          "stall")
{
  // Two A100s want 4,940 images/s. 4 cores with Hyper-Threading at the assumed yield of 0.25 are 5 cores' worth,
  // less the two threads the training processes spin on (2 x 1.25 / 2): 3.75, which the platform rounds to 4.
  const auto scenario = load("scenarios/quickstart.yaml", {"storage.dataset_on=memory", "cluster.cpu_cores_per_node=4",
                                                           "training.loader_workers=4", "workload.steps=40"});
  REQUIRE(scenario.cluster.input_cores() == 4);
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(4 / image_cost(scenario)).epsilon(0.02));
  CHECK(summary.breakdown.fetch_stall < 1e-3 * summary.step_time);
  CHECK(summary.breakdown.preprocess_stall() > 0.4 * summary.step_time);
  CHECK(summary.utilisation.cpu_cores > 0.95);
  CHECK(summary.bottleneck.reason.find("busy preprocessing") != std::string::npos);
}

TEST_CASE("input: FFCV on the same cores: throughput = core-equivalents / its cheaper core-seconds per sample")
{
  const auto scenario =
      load("scenarios/quickstart.yaml", {"storage.dataset_on=memory", "cluster.cpu_cores_per_node=2",
                                         "training.loader_workers=4", "workload.steps=40", "training.loader=ffcv"});
  // 2 cores at a yield of 0.25 are 2.5 cores' worth, less the 1.25 the training processes spin on: 1.25, rounded to 1.
  REQUIRE(scenario.cluster.input_cores() == 1);
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(1 / image_cost(scenario)).epsilon(0.02));
  CHECK(summary.bottleneck.reason.find("busy preprocessing") != std::string::npos);
}

TEST_CASE("input: a second hardware thread per core adds smt_yield of a core")
{
  // 4 cores, 8 loaders for 2 A100s that want 4,750 images/s. Each training process spins on one of the 8
  // hardware threads. Without a yield, two threads share a core: 4 - 2 x 0.5 = 3 cores serve the loaders; if
  // the second thread were worth a whole core, 4 x 2 - 2 x 1 = 6.
  const std::vector<std::string> base{"storage.dataset_on=memory", "cluster.cpu_cores_per_node=4",
                                      "training.loader_workers=4", "workload.steps=60"};
  auto with_yield = [&](const std::string& yield) {
    auto overrides = base;
    overrides.push_back("cluster.smt_yield=" + yield);
    return load("scenarios/quickstart.yaml", overrides);
  };
  const auto no_yield = with_yield("0"), full = with_yield("1");
  CHECK(no_yield.cluster.input_cores() == 3);
  CHECK(full.cluster.input_cores() == 6);
  CHECK(run(no_yield).throughput == Approx(3 / image_cost(no_yield)).epsilon(0.02));
}

TEST_CASE("input: SMT's yield raises CPU-bound throughput in proportion to the cores it adds")
{
  const auto full =
      load("scenarios/quickstart.yaml", {"storage.dataset_on=memory", "cluster.cpu_cores_per_node=4",
                                         "training.loader_workers=4", "workload.steps=60", "cluster.smt_yield=1"});
  CHECK(run(full).throughput == Approx(6 / image_cost(full)).epsilon(0.02));
}

TEST_CASE("input: tf.data runs as many threads as the node has hardware threads, shared by its devices")
{
  // The DGX A100 cluster of scenarios/compare leaves training.loader_workers to its default.
  const auto tf = load("scenarios/compare/resnet50-a100.yaml", {"training.loader=tf-data"});
  REQUIRE(tf.cluster.accelerators_per_node == 8);
  CHECK(tf.training.loader_workers == tf.cluster.cpu_cores_per_node * 2 / 8);
  const auto pytorch = load("scenarios/compare/resnet50-a100.yaml", {});
  CHECK(pytorch.training.loader_workers == 4);
}

TEST_CASE("input: too few loader workers bound throughput at loaders / core-seconds per sample with cores idle")
{
  const auto scenario = load("scenarios/quickstart.yaml", {"storage.dataset_on=memory", "training.loader_workers=1",
                                                           "workload.steps=40", "cluster.cpu=Xeon-E5-2698-v4"});
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(2 / image_cost(scenario)).epsilon(0.02));
  CHECK(summary.bottleneck.reason.find("1 loader workers per device cannot preprocess fast enough") != std::string::npos);
}

TEST_CASE("input: emulated accelerators on one drive: throughput = drive bandwidth / sample size")
{
  // MLPerf Storage's single-drive case: 4 emulated H100s want 4 x 7 / 0.323 s = 86.7 UNet3D volumes/s;
  // the drive gives 10 GB/s / 146.6 MB = 68.2. Every volume of the mean size: a batch's wait is then
  // the step less the emulated compute.
  const auto scenario =
      load("scenarios/validation/mlps-micron9550-unet3d-h100.yaml", {"workload.sample_size_spread=0 B"});
  const double drive = scenario.storage.local_nvme->drive.read_bandwidth.value;
  const double expected = drive / scenario.workload.model.sample_bytes.value;
  REQUIRE(expected < 4 * 7 / 0.323);
  const auto summary = dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
  CHECK(summary.throughput == Approx(expected).epsilon(0.01));
  CHECK(summary.breakdown.data_stall == Approx(summary.step_time - 0.323).epsilon(0.02));
}

namespace {

/// Emulated devices reading 2 KiB samples (tokenised text) from one Micron 9400 as fast as they can.
dtsim::report::Summary small_samples_on_one_drive(const std::vector<std::string>& layout)
{
  std::vector<std::string> overrides{"cluster.accelerators_per_node=8",
                                     "workload.sample_size=2 KiB",
                                     "workload.batch_per_device=256",
                                     "workload.emulated_batch_time=1 ms",
                                     "workload.steps=1000",
                                     "training.loader_workers=32",
                                     "training.prefetch=1"};
  overrides.insert(overrides.end(), layout.begin(), layout.end());
  const auto scenario = load("scenarios/quickstart.yaml", overrides);
  return dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
}

} // namespace

TEST_CASE("input: small files make a drive IOPS-bound: each request holds it 1 / IOPS plus its transfer")
{
  // The 9400 reads 1.6 M requests/s: a 2 KiB file holds it 1 / 1.6 M s plus 2 KiB at 7 GB/s, 1.53 M files/s,
  // for 8 devices that want 8 x 256 / 1 ms = 2.05 M. 256 loaders each keep one file in flight for 80 us,
  // enough for 3.2 M files/s (Little's law), so latency does not bind.
  const auto summary = small_samples_on_one_drive({});
  INFO(fmt::format("IOPS-bound: {:.4g} samples/s", summary.throughput));
  CHECK(summary.throughput == Approx(requests_per_second(7e9, 1.6e6, 2048)).epsilon(0.02));
  CHECK(summary.bottleneck.kind == dtsim::report::BottleneckKind::input);
}

TEST_CASE("input: packing the same samples into 1 MiB records lifts the IOPS bound")
{
  // 512 samples per record: 1 MiB requests, so the drive gives its 7 GB/s (3.4 M samples/s) and the
  // emulated devices' 2.05 M samples/s is what remains.
  const auto summary = small_samples_on_one_drive({"storage.layout=records", "storage.samples_per_record=512"});
  CHECK(summary.throughput == Approx(8 * 256 / 1e-3).epsilon(0.02));
}

TEST_CASE("input: one loader opens a batch's files one after another: step = files x latency + bytes / bandwidth")
{
  // One device, one loader holding one batch: nothing hides the read. 64 files of 100 kB on a Micron
  // 9400 (80 us read latency, 7 GB/s).
  const auto scenario =
      load("scenarios/quickstart.yaml", {"cluster.accelerators_per_node=1", "workload.sample_size=100 kB",
                                         "workload.batch_per_device=64", "workload.emulated_batch_time=1 us",
                                         "workload.steps=30", "training.loader_workers=1", "training.prefetch=1"});
  const auto summary = dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
  const double expected = 64 * 80e-6 + 64 * 100e3 / 7e9;
  CHECK(summary.step_time == Approx(expected).epsilon(0.02));
}

namespace {

/// Seconds of all-reduce per step on the 4-node cluster with one NIC per node, reading 1 MB samples
/// from a target whose eight drives give 56 GB/s: 14 GB/s into each node.
double allreduce_per_step(const std::string& dataset_on, const std::string& storage_network,
                          const std::string& reuse = "true")
{
  std::vector<std::string> overrides{"cluster.nics_per_node=1",
                                     "workload.sample_size=1 MB",
                                     "workload.steps=100",
                                     "training.prefetch=1",
                                     "storage.dataset_on=" + dataset_on,
                                     "network.storage_network=" + storage_network,
                                     "simulation.reuse_collectives=" + reuse};
  // The target's keys apply only while it holds the dataset.
  if (dataset_on == "nvme-of")
    overrides.insert(overrides.end(), {"storage.nvme_of.drives_per_target=8", "storage.nvme_of.nics_per_target=4"});
  const auto scenario = load("scenarios/cluster-4node-a100-storage-bound.yaml", overrides);
  const auto result = dtsim::app::simulate(scenario, {});
  return result.totals.allreduce_seconds / static_cast<double>(scenario.workload.steps); // totals count every step
}

} // namespace

TEST_CASE("input: storage reads slow the gradient all-reduce on a shared fabric and not on a separate one")
{
  dtsim::app::ChildComputation shared([] { return allreduce_per_step("nvme-of", "shared"); });
  dtsim::app::ChildComputation separate([] { return allreduce_per_step("nvme-of", "separate"); });
  const double alone = allreduce_per_step("memory", "shared");
  const auto with_shared = shared.result(), with_separate = separate.result();
  REQUIRE(with_shared.has_value());
  REQUIRE(with_separate.has_value());
  INFO(fmt::format("all-reduce per step: {:.4g} s alone, {:.4g} s shared, {:.4g} s separate", alone, *with_shared,
                   *with_separate));
  CHECK(*with_separate == Approx(alone).epsilon(0.01));
  CHECK(*with_shared > 1.5 * alone);
}

TEST_CASE("input: on a separate storage network, reusing all-reduce durations leaves the result unchanged")
{
  dtsim::app::ChildComputation simulated([] { return allreduce_per_step("nvme-of", "separate", "false"); });
  const double reused = allreduce_per_step("nvme-of", "separate", "true");
  REQUIRE(simulated.result().has_value());
  CHECK(reused == Approx(*simulated.result()).epsilon(1e-9));
}

TEST_CASE("input: a shared all-flash appliance bounds throughput at its aggregate read bandwidth / sample size")
{
  // 32 A100s want 79,000 images/s (9 GB/s); the appliance gives 5 GB/s through two 200 Gb/s ports.
  const auto scenario = load("scenarios/cluster-4node-a100-storage-bound.yaml",
                             {"storage.dataset_on=appliance", "storage.appliance.read_bandwidth=5 GB/s",
                              "storage.appliance.write_bandwidth=3 GB/s", "storage.appliance.read_iops=1000000",
                              "storage.appliance.port=ConnectX-6-HDR-200G", "storage.appliance.ports=2"});
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(requests_per_second(5e9, 1e6, 114660)).epsilon(0.02));
  REQUIRE(summary.storage_reads.has_value());
  CHECK(summary.storage_reads->unit == "appliance");
  CHECK(summary.bottleneck.reason.find("the appliance 9") != std::string::npos);
}

TEST_CASE("input: an appliance reading small files is IOPS-bound: each request holds it 1 / IOPS plus its transfer")
{
  // 10 kB samples: 200,000 requests/s, each also holding the appliance 10 kB / 50 GB/s, give 2 GB/s of its 50.
  const auto scenario =
      load("scenarios/cluster-4node-a100-storage-bound.yaml",
           {"storage.dataset_on=appliance", "storage.appliance.read_bandwidth=50 GB/s",
            "storage.appliance.write_bandwidth=30 GB/s", "storage.appliance.read_iops=200000",
            "storage.appliance.port=ConnectX-6-HDR-200G", "storage.appliance.ports=4", "workload.sample_size=10 kB",
            "workload.emulated_batch_time=20 ms", "workload.steps=600"});
  CHECK(run(scenario).throughput == Approx(requests_per_second(50e9, 200000, 10e3)).epsilon(0.02));
}

namespace {

/// DDN-AI400X2T (110 GB/s, 3 M IOPS, 8 x 200 Gb/s ports) under emulated accelerators that want more than it gives,
/// on 8 nodes whose NICs carry 200 GB/s.
dtsim::config::Scenario on_the_ddn_appliance(std::vector<std::string> overrides)
{
  const std::vector<std::string> base{"storage.dataset_on=appliance", "storage.appliance.model=DDN-AI400X2T",
                                      "cluster.nodes=8", "workload.emulated_batch_time=1 ms", "workload.steps=300"};
  overrides.insert(overrides.end(), base.begin(), base.end());
  return load("scenarios/cluster-4node-a100-storage-bound.yaml", overrides);
}

} // namespace

TEST_CASE("input: a catalog appliance reads large files at 1 MiB requests, each holding it 1 / IOPS plus its transfer")
{
  const auto large = on_the_ddn_appliance({"workload.sample_size=146.6 MB", "workload.batch_per_device=1"});
  const double mib = large.storage.request_bytes;
  REQUIRE(mib == Approx(146.6e6 / 140));
  CHECK(run(large).throughput * 146.6e6 == Approx(mib * requests_per_second(110e9, 3e6, mib)).epsilon(0.02));
}

TEST_CASE("input: the same catalog appliance serves far fewer bytes of small files")
{
  const auto small = on_the_ddn_appliance({"workload.sample_size=16 kB"});
  CHECK(run(small).throughput == Approx(requests_per_second(110e9, 3e6, 16e3)).epsilon(0.02));
}

TEST_CASE("input: a file-system client limit bounds each node at that limit / sample size, whatever the appliance")
{
  // 8 nodes of 8 emulated A100s on DDN-AI400X2T, each node's client held to 1.5 GB/s (an NFS mount over one
  // TCP connection): 8 x 1.5 GB/s of 146.6 MB volumes, far below the appliance's 110 GB/s.
  const auto scenario = on_the_ddn_appliance({"workload.sample_size=146.6 MB", "workload.batch_per_device=1",
                                              "storage.appliance.client_read_bandwidth=1.5 GB/s"});
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(8 * 1.5e9 / 146.6e6).epsilon(0.02));
  CHECK(summary.bottleneck.reason.find("file-system clients") != std::string::npos);
  REQUIRE(summary.utilisation.client_mounts.has_value());
  CHECK(*summary.utilisation.client_mounts == Approx(1.0).epsilon(0.05));
}

TEST_CASE("input: NVMe/TCP without offload is bound by the target's cores: throughput = cores / (cost x sample size)")
{
  // Two target cores at 0.64 core-s per GB serve 3.1 GB/s of the drive's 7. Long enough that the batches
  // prefetched while the pipeline filled do not flatter the steady state.
  const auto scenario =
      load("scenarios/cluster-4node-a100-storage-bound.yaml",
           {"storage.nvme_of.transport=tcp", "storage.nvme_of.target_cores=2", "workload.steps=1200"});
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(2 / (0.64e-9 * 114660)).epsilon(0.02));
  CHECK(summary.bottleneck.reason.find("NVMe/TCP target cores") != std::string::npos);
}

TEST_CASE("input: with a DPU terminating NVMe/TCP the same target is drive-bound again")
{
  // The target's cores do no protocol work behind a DPU, so their count (storage.nvme_of.target_cores) does not
  // apply.
  const auto scenario = load("scenarios/cluster-4node-a100-storage-bound.yaml",
                             {"storage.nvme_of.transport=tcp", "storage.nvme_of.offload=dpu"});
  const auto summary = run(scenario);
  const auto& drive = scenario.storage.remote->pool.drive;
  CHECK(summary.throughput ==
        Approx(requests_per_second(drive.read_bandwidth.value, drive.read_iops.value, 114660)).epsilon(0.02));
  CHECK(summary.bottleneck.reason.find("storage drives") != std::string::npos);
}

TEST_CASE("input: emulated accelerators that the storage can feed run at batch / computation time")
{
  // MangoBoost's client: 10 emulated H100s want 10 x 7 / 0.323 s = 216.7 volumes/s (32 GB/s) of a path
  // that carries 50 GB/s; the spread of file sizes costs them about 1%.
  const auto scenario = load("scenarios/validation/mlps-mango-dpu-unet3d-h100.yaml", {});
  const auto summary = run(scenario);
  CHECK(summary.throughput == Approx(10 * 7 / 0.323).epsilon(0.02));
  CHECK(summary.bottleneck.kind == dtsim::report::BottleneckKind::compute);
}

TEST_CASE("input: decoding on the accelerator frees the CPU and costs the device batch x decode time per step")
{
  // The CPU-bound node above (4 cores, 667 images/s) with DALI-style decoding on each A100: compute per
  // step becomes 128 x (t + 167 us), and the loaders only read; t is the time per image at batch 128
  // of the 2,470 images/s measured at batch 256.
  const auto scenario =
      load("scenarios/quickstart.yaml", {"storage.dataset_on=memory", "cluster.cpu_cores_per_node=2",
                                         "training.loader_workers=2", "workload.steps=40", "training.loader=dali-gpu"});
  const auto result = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, result, std::nullopt);
  const double half = scenario.workload.model.half_efficiency_batch.value;
  const double per_image =
      (1 / 2470.0) * dtsim::training::batch_fraction(256, half) / dtsim::training::batch_fraction(128, half);
  CHECK(summary.breakdown.compute == Approx(128 * (per_image + 167e-6)).epsilon(0.01));
  CHECK(summary.breakdown.data_stall < 0.01 * summary.step_time);
  CHECK(result.totals.cpu_core_seconds == 0);
  CHECK(summary.throughput > 2 * scenario.cluster.input_cores() / image_cost(scenario));
}
