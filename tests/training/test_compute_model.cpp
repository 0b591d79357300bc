// Closed forms of the compute model: the efficiency curve over batch size, the memory-bandwidth roofline,
// an FPGA's dataflow design, and the memory check. plan_compute needs no simulation.
#include "config/config_error.hpp"
#include "config/scenario.hpp"
#include "temp_dir.hpp"
#include "training/compute_model.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using dtsim::training::batch_fraction;
using dtsim::training::ComputeLimit;
using dtsim::training::plan_compute;

namespace {

const std::string kSource = DTSIM_SOURCE_DIR;

dtsim::config::Scenario load(const std::string& file, const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(file.starts_with("/") ? file : kSource + "/" + file, overrides, kSource);
}

/// workloads/resnet50.yaml with each top-level `key` (its line and the indented lines under it) replaced
/// by the text given for it, or that text appended when the file has no such key.
std::string resnet50_with(const std::vector<std::pair<std::string, std::string>>& replacements)
{
  std::ifstream original(kSource + "/workloads/resnet50.yaml");
  std::stringstream text;
  text << original.rdbuf();
  std::string workload = "\n" + text.str();
  for (const auto& [key, replacement] : replacements) {
    const auto at = workload.find("\n" + key + ":");
    if (at == std::string::npos) {
      workload += "\n" + replacement + "\n";
      continue;
    }
    auto end = workload.find('\n', at + 1);
    while (end != std::string::npos && end + 1 < workload.size() && workload[end + 1] == ' ')
      end = workload.find('\n', end + 1);
    workload.replace(at + 1, (end == std::string::npos ? workload.size() : end) - at - 1, replacement);
  }
  static const TempDir dir("dtsim-test-compute");
  const fs::path file = dir / fmt::format("resnet50-{}.yaml", std::hash<std::string>{}(workload));
  std::ofstream(file) << workload;
  return file.string();
}

std::string resnet50_with(const std::string& key, const std::string& replacement)
{
  return resnet50_with({{key, replacement}});
}

double images_per_second(const dtsim::config::Scenario& s)
{
  const auto plan = plan_compute(s);
  return s.workload.batch_per_device / (plan.forward_time + plan.backward_time);
}

} // namespace

TEST_CASE("compute: the measured batch reproduces its throughput and other batches follow b / (b + half)")
{
  const auto at_256 = load("scenarios/quickstart.yaml", {"workload.batch_per_device=256"});
  CHECK(images_per_second(at_256) == Approx(2470).epsilon(1e-9));
  CHECK(plan_compute(at_256).limit == ComputeLimit::compute);
  const double half = at_256.workload.model.half_efficiency_batch.value;
  REQUIRE(half > 0);
  for (int batch : {1, 8, 32, 128}) {
    const auto s = load("scenarios/quickstart.yaml", {fmt::format("workload.batch_per_device={}", batch)});
    INFO("batch " << batch);
    CHECK(images_per_second(s) == Approx(2470 * batch_fraction(batch, half) / batch_fraction(256, half)));
  }
  // Halfway up the curve: at batch = half the device reaches half its saturated rate.
  const auto at_half = load("scenarios/quickstart.yaml", {fmt::format("workload.batch_per_device={:g}", half)});
  CHECK(images_per_second(at_half) == Approx(0.5 * 2470 / batch_fraction(256, half)));
}

TEST_CASE("compute: without a measurement the workload's efficiency follows the same curve")
{
  // H100 has no ResNet-50 row: 3 x 8.18 GFLOP per image at 0.2 x b/(b+half) of 989.4 TFLOPS.
  const auto s =
      load("scenarios/quickstart.yaml", {"cluster.accelerator=H100-SXM5-80GB", "workload.batch_per_device=64"});
  const auto& model = s.workload.model;
  const double efficiency = model.efficiency.value * batch_fraction(64, model.half_efficiency_batch.value);
  CHECK(images_per_second(s) == Approx(efficiency * 989.4e12 / (3 * model.forward_flops_per_sample.value)));
  CHECK(plan_compute(s).efficiency == Approx(efficiency));
  CHECK_THAT(plan_compute(s).efficiency_basis, Catch::Contains("the workload's efficiency 0.2"));
}

TEST_CASE("compute: a memory-bound workload runs at memory bandwidth x arithmetic intensity")
{
  // 8 GB of activation traffic per image on an A100 80GB (2,039 GB/s): the memory, not the tensor cores, sets the pace.
  const auto workload = resnet50_with("memory_traffic_per_sample", "memory_traffic_per_sample: {value: \"8 GB\", "
                                                                   "assumption: \"test\"}");
  const auto s = load("scenarios/quickstart.yaml", {"workload.model=" + workload, "workload.batch_per_device=16"});
  const auto plan = plan_compute(s);
  CHECK(plan.limit == ComputeLimit::memory_bandwidth);
  const double forward_bytes = 16 * 8e9 + s.workload.model.parameters.value * 2; // fp16: 2-byte weights
  CHECK(plan.forward_time == Approx(forward_bytes / 2039e9));
  CHECK(plan.backward_time == Approx(2 * plan.forward_time));
  // Achieved rate = bandwidth x FLOPs per byte.
  const double flops = 16 * s.workload.model.forward_flops_per_sample.value;
  CHECK(plan.efficiency * plan.peak_rate == Approx(2039e9 * flops / forward_bytes));
  CHECK_THAT(plan.efficiency_basis, Catch::Contains("memory-bound"));
  // fp32 doubles the bytes, so the time, on the same memory.
  const auto fp32 = load("scenarios/quickstart.yaml",
                         {"workload.model=" + workload, "workload.batch_per_device=16", "workload.precision=fp32"});
  CHECK(plan_compute(fp32).forward_time == Approx(2 * plan.forward_time));
}

TEST_CASE("compute: an FPGA's dataflow design takes latency + batch / rate, nearly flat in batch")
{
  const auto workload = resnet50_with(
      "dataflow_designs", "dataflow_designs:\n  - {accelerator: Alveo-U280, precision: fp32, samples_per_second: 500, "
                          "latency: 4 ms, clock: 300 MHz, assumption: test}");
  const auto at = [&](int batch) {
    return load("scenarios/quickstart.yaml",
                {"workload.model=" + workload, "cluster.accelerator=Alveo-U280", "workload.precision=fp32",
                 fmt::format("workload.batch_per_device={}", batch)});
  };
  for (int batch : {1, 8, 64}) {
    INFO("batch " << batch);
    const auto plan = plan_compute(at(batch));
    CHECK(plan.limit == ComputeLimit::dataflow_design);
    CHECK(plan.forward_time + plan.backward_time == Approx(4e-3 + batch / 500.0));
    CHECK(plan.backward_time == Approx(2 * plan.forward_time));
  }
  // Only the pipeline's fill depends on the batch: 64 images run at 64 / (4 ms + 128 ms), 97% of the rate.
  CHECK(images_per_second(at(64)) == Approx(64 / (4e-3 + 64 / 500.0)));
  CHECK_THAT(plan_compute(at(8)).efficiency_basis, Catch::Contains("dataflow design: 500 images/s at 300 MHz"));
  // An assumed design is listed among the run's assumptions.
  const auto s = at(8);
  CHECK(std::any_of(s.assumptions.begin(), s.assumptions.end(), [](const auto& a) {
    return a.where.find("dataflow_designs Alveo-U280 fp32") != std::string::npos;
  }));
}

TEST_CASE("compute: an FPGA's design is bounded by its on-board memory bandwidth too")
{
  // 8 GB of traffic per image through the U280's 460 GB/s of HBM: forward + backward of a batch of 4
  // move 3 x (4 x 8 GB x 2 (fp32) + weights) bytes, far slower than the design's 500 images/s.
  const auto workload =
      resnet50_with({{"dataflow_designs",
                      "dataflow_designs:\n  - {accelerator: Alveo-U280, precision: fp32, samples_per_second: 500, "
                      "latency: 4 ms, clock: 300 MHz, assumption: test}"},
                     {"memory_traffic_per_sample", "memory_traffic_per_sample: {value: \"8 GB\", assumption: test}"}});
  const auto s = load("scenarios/quickstart.yaml", {"workload.model=" + workload, "cluster.accelerator=Alveo-U280",
                                                    "workload.precision=fp32", "workload.batch_per_device=4"});
  const auto plan = plan_compute(s);
  CHECK(plan.limit == ComputeLimit::memory_bandwidth);
  const double bytes = 3 * (4 * 8e9 * 2 + s.workload.model.parameters.value * 4);
  CHECK(plan.forward_time + plan.backward_time == Approx(bytes / 460e9));
}

TEST_CASE("compute: an FPGA without a dataflow design for the workload is an error at workload.model")
{
  try {
    load("scenarios/quickstart.yaml", {"cluster.accelerator=Alveo-U280", "workload.model=bert-large"});
    FAIL("expected a ConfigError");
  } catch (const dtsim::config::ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("workload.model"));
    CHECK_THAT(e.what(), Catch::Contains("dataflow design for the FPGA Alveo-U280 in fp16"));
  }
}

TEST_CASE("compute: activations in fp32 take twice the memory of fp16 in the memory check")
{
  // V100 16 GB: model state 25.6 M x 16 B = 409 MB; 44.5 MB per image in fp16, 89 MB in fp32.
  CHECK_NOTHROW(
      load("scenarios/quickstart.yaml", {"cluster.accelerator=V100-SXM2-16GB", "workload.batch_per_device=256"}));
  try {
    load("scenarios/quickstart.yaml",
         {"cluster.accelerator=V100-SXM2-16GB", "workload.batch_per_device=256", "workload.precision=fp32"});
    FAIL("expected a ConfigError");
  } catch (const dtsim::config::ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("workload.batch_per_device"));
    CHECK_THAT(e.what(), Catch::Contains("at most 175 fit"));
  }
}

TEST_CASE("compute: ResNet-50's efficiency curve follows published throughput per batch size")
{
  const auto s = load("scenarios/quickstart.yaml", {});
  const double half = s.workload.model.half_efficiency_batch.value;
  // One A100-40GB, TF32, images/s at batch 1..256 (NVIDIA/DeepLearningExamples@729963dd47e7:
  // TensorFlow/Classification/ConvNets/resnet50v1.5/README.md, inference, the only A100 series per batch).
  const std::vector<std::pair<int, double>> a100{{1, 191.23},   {2, 376.83},    {4, 601.12},
                                                 {8, 963.86},   {16, 1361.58},  {32, 1602.09},
                                                 {64, 1793.81}, {128, 1876.22}, {256, 1911.96}};
  for (const auto& [batch, rate] : a100) {
    INFO("A100 batch " << batch);
    CHECK(batch_fraction(batch, half) / batch_fraction(256, half) == Approx(rate / 1911.96).margin(0.06));
  }
  // Training on one P100: 195 images/s at batch 32, 219 at 64 (tensorflow/docs@82a6055d:
  // site/en/r1/guide/performance/benchmarks.md).
  CHECK(batch_fraction(32, half) / batch_fraction(64, half) == Approx(195.0 / 219.0).margin(0.02));
}

TEST_CASE("compute: BERT's efficiency curve follows published throughput per batch size")
{
  const auto s = load("scenarios/quickstart.yaml", {"workload.model=bert-large", "workload.batch_per_device=32"});
  const double half = s.workload.model.half_efficiency_batch.value;
  // BERT-base seq 128 FP16 on one V100: 534.72, 589.12, 605.11 sequences/s at batch 64, 128, 160
  // (Oneflow-Inc/DLPerf@c89430b:OneFlow/LanguageModeling/BERT/reports/bert_base_oneflow_v0.2_report_1009.md).
  CHECK(batch_fraction(64, half) / batch_fraction(160, half) == Approx(534.72 / 605.11).margin(0.01));
  CHECK(batch_fraction(128, half) / batch_fraction(160, half) == Approx(589.12 / 605.11).margin(0.01));
}
