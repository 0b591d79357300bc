// dtsim run --trace with --trace-steps as a user gives it (issue "Traces and plots", item 6).
#include "cli.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

std::filesystem::path scratch(const std::string& name)
{
  static const TempDir dir("dtsim-trace-test");
  return dir / name;
}

} // namespace

TEST_CASE("app: --trace-steps other than FIRST:LAST within the run's steps exits with 2, naming the option")
{
  const auto [steps, expected] = GENERATE(table<std::string, std::string>({
      {"0:2", "expected a first step of at least 1"},
      {"3:2", "expected a last step of at least the first, 3, found 2"},
      {"1:101", "expected a last step of at most the run's 100 steps, found 101"},
      {"5", "expected FIRST:LAST"},
      {"4:x", "expected FIRST:LAST"},
  }));
  const auto trace = scratch("refused.json");
  const Outcome out = dtsim(
      fmt::format("run scenarios/node-8xa100.yaml --no-baseline --trace {} --trace-steps {}", trace.string(), steps));
  INFO(out.output);
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.output, Catch::Contains("--trace-steps " + steps) && Catch::Contains(expected));
  CHECK(!std::filesystem::exists(trace));
  const Outcome without_trace = dtsim("run scenarios/node-8xa100.yaml --no-baseline --trace-steps " + steps);
  CHECK(without_trace.exit_code == 2);
  CHECK_THAT(without_trace.output, Catch::Contains(expected));
}

TEST_CASE("app: --trace-steps of steps a run did not simulate exits with 2, naming the steps it simulated")
{
  // 100 steps that settle early: the run simulates fewer and extrapolates the rest.
  const auto trace = scratch("not-simulated.json");
  const Outcome out = dtsim(
      fmt::format("run scenarios/node-8xa100.yaml --no-baseline --trace {} --trace-steps 99:100", trace.string()));
  INFO(out.output);
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.output, Catch::Contains("--trace-steps 99:100") && Catch::Contains("the run simulated steps 1 to ") &&
                             Catch::Contains("simulation.exact=true"));
  CHECK(!std::filesystem::exists(trace));
}

TEST_CASE("app: a trace of steps 3 to 4 holds those steps only, says so, and is the same bytes every time")
{
  const auto first = scratch("first.json"), second = scratch("second.json"), results = scratch("results.json");
  const std::string args = "run scenarios/cluster-4node-a100.yaml --no-baseline --set workload.steps=20 --trace-steps "
                           "3:4 --json " +
                           results.string() + " --trace ";
  REQUIRE(dtsim(args + first.string()).exit_code == 0);
  REQUIRE(dtsim(args + second.string()).exit_code == 0);
  const std::string text = read_file(first);
  CHECK(text == read_file(second));
  const auto trace = nlohmann::json::parse(text);
  CHECK(trace["otherData"]["steps"] == nlohmann::json({{"first", 3}, {"last", 4}}));
  int spans = 0;
  for (const auto& event : trace["traceEvents"])
    if (event["ph"] == "X") {
      ++spans;
      CHECK((event["args"]["step"] == 3 || event["args"]["step"] == 4));
    }
  CHECK(spans > 0);
  const auto epochs = nlohmann::json::parse(read_file(results))["epochs"];
  REQUIRE(epochs.is_array());
  CHECK(!epochs.empty());
}

TEST_CASE("app: --trace-steps partly past the steps a run simulated writes those it did, with a warning naming them")
{
  const auto trace = scratch("partly.json");
  const Outcome out = dtsim(
      fmt::format("run scenarios/node-8xa100.yaml --no-baseline --trace {} --trace-steps 40:100", trace.string()));
  INFO(out.output);
  REQUIRE(out.exit_code == 0);
  CHECK_THAT(out.output, Catch::Contains("warning: --trace-steps 40:100: the trace covers steps 40 to ") &&
                             Catch::Contains("simulation.exact=true"));
  const auto other = nlohmann::json::parse(read_file(trace))["otherData"];
  CHECK(other["steps"] == nlohmann::json({{"first", 40}, {"last", 100}}));
  CHECK(other["steps_simulated"]["first"] == 40);
  CHECK(other["steps_simulated"]["last"] == other["run_simulated_steps"]);
  CHECK(other["run_simulated_steps"] < 100);
}
