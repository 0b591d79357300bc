// The Chrome/Perfetto trace: the steps it covers and what its spans carry (issue "Traces and plots", item 6).
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "report/trace.hpp"
#include "training/training_job.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace {

dtsim::config::Scenario load(const std::string& file, const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
}

} // namespace

TEST_CASE("trace: a multi-node run's all-reduce spans name bucket, bytes and algorithm, and add up to the gradient")
{
  const auto scenario = load("scenarios/cluster-4node-a100.yaml", {"workload.steps=12", "simulation.exact=true"});
  const auto run = dtsim::app::simulate(scenario, {2, dtsim::training::StepRange{4, 6}});
  const double gradient_bytes = run.groups.front().plan.gradient_bytes;
  REQUIRE(run.totals.gradient_bytes_per_device == Approx(12 * gradient_bytes));

  std::map<std::pair<int, long long>, double> bytes_by_worker_and_step;
  std::map<std::pair<int, long long>, int> buckets_by_worker_and_step;
  for (const auto& span : run.spans) {
    CHECK(span.worker < 2);
    CHECK((span.step == 4 || span.step == 5));
    if (span.stream != "comm")
      continue;
    REQUIRE(span.arguments.bucket);
    REQUIRE(span.arguments.bytes);
    CHECK(*span.arguments.bucket == buckets_by_worker_and_step[{span.worker, span.step}]++);
    CHECK(span.arguments.algorithm == "ring");
    CHECK(!span.arguments.protocol.empty());
    bytes_by_worker_and_step[{span.worker, span.step}] += *span.arguments.bytes;
  }
  REQUIRE(bytes_by_worker_and_step.size() == 4); // two workers, two steps
  for (const auto& [worker_and_step, bytes] : bytes_by_worker_and_step) {
    INFO(fmt::format("worker {}, step {}", worker_and_step.first, worker_and_step.second));
    CHECK(buckets_by_worker_and_step[worker_and_step] > 1);
    CHECK(bytes == Approx(gradient_bytes).epsilon(1e-12));
  }
}

TEST_CASE("trace: the Chrome trace names its steps from 1, and every span's args hold its step")
{
  const auto scenario = load("scenarios/cluster-4node-a100.yaml", {"workload.steps=12", "simulation.exact=true"});
  const auto run = dtsim::app::simulate(scenario, {1, dtsim::training::StepRange{4, 6}});
  const nlohmann::json trace = dtsim::report::chrome_trace(run);
  CHECK(trace["otherData"]["steps"] == nlohmann::json({{"first", 5}, {"last", 6}}));
  CHECK(trace["otherData"]["steps_simulated"] == nlohmann::json({{"first", 5}, {"last", 6}}));
  std::map<std::string, int> spans_by_stream;
  for (const auto& event : trace["traceEvents"]) {
    if (event["ph"] != "X")
      continue;
    const auto stream = event["cat"].get<std::string>();
    ++spans_by_stream[stream.starts_with("loader-") ? "loader" : stream];
    const auto& args = event["args"];
    CHECK((args["step"] == 5 || args["step"] == 6));
    if (event["cat"] == "comm")
      CHECK((args.contains("bucket") && args.contains("bytes") && args["algorithm"] == "ring"));
    if (stream == "input" || stream.starts_with("loader-"))
      CHECK(args["samples"] == scenario.workload.batch_per_device);
  }
  CHECK(spans_by_stream["comm"] > 0);
  CHECK(spans_by_stream["loader"] > 0);
}

TEST_CASE("trace: the default window lies in the steady state the summary reports", "[trace-window]")
{
  const std::string file =
      GENERATE(as<std::string>{}, "scenarios/node-8xa100.yaml", "scenarios/cluster-4node-a100-storage-bound.yaml",
               "scenarios/quickstart.yaml", "scenarios/mixed-a100-v100.yaml", "scenarios/tutorial-gpu-waiting-cpu.yaml",
               "scenarios/dgx1-v100-4node.yaml", "scenarios/appliance-300gbps-h100.yaml",
               "scenarios/compare/resnet50-alveo-u280.yaml", "scenarios/validation/mlps-mango-dpu-unet3d-h100.yaml");
  // Each simulation in a process of its own (SimGrid allows one per process).
  dtsim::app::ChildProcess child([&] {
    const auto scenario = load(file, {});
    const auto run = dtsim::app::simulate(scenario, {1, std::nullopt});
    const auto summary = dtsim::report::summarize(scenario, run, std::nullopt);
    const auto expected = dtsim::training::default_trace_steps(scenario, run.first_warm_step);
    return nlohmann::json{{"first", run.trace_steps.first},
                          {"end", run.trace_steps.end},
                          {"expected_first", expected.first},
                          {"expected_end", expected.end},
                          {"steady_first", summary.steady.first_step},
                          {"steady_end", summary.steady.first_step + summary.steady.steps},
                          {"spans", run.spans.size()}}
        .dump();
  });
  const auto text = child.result();
  REQUIRE(text);
  const auto window = nlohmann::json::parse(*text);
  INFO(file << ": " << *text);
  CHECK(window["first"] == window["expected_first"]);
  CHECK(window["end"].get<long long>() == window["first"].get<long long>() + 2);
  CHECK(window["end"] == window["expected_end"]);
  CHECK(window["first"] >= window["steady_first"]);
  CHECK(window["end"] <= window["steady_end"]);
  CHECK(window["spans"] > 0);
}
