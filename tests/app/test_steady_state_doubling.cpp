// Throughput reported in steady state must not depend on how long the run was (issue 17, item 3), and the
// approximations that make runs faster must report what simulation.exact does (issue 18).
#include "../temp_dir.hpp"
#include "shell.hpp"
#include "config/scenario.hpp"
#include "report/result_metrics.hpp"
#include "training/steady_state.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

namespace {

/// What the comparison needs of a summary: throughput and the step breakdown, as one array.
struct Figures {
  long long steps = 0, simulated_steps = 0;
  double throughput = 0, step_time = 0;
  std::array<double, 7> breakdown{};
  std::string printed; ///< what dtsim run printed, stdout and stderr
};

const std::array<const char*, 7> breakdown_names = {
    "compute", "exposed communication", "data stall", "imbalance", "optimizer", "overhead", "checkpoint"};

/// The figures of `file` with `overrides`, from the dtsim binary's --json document.
Figures figures_of(const char* file, const std::vector<std::string>& overrides)
{
  static const TempDir folder("dtsim-doubling");
  const auto json_path = folder / "results.json";
  std::string command = fmt::format("'{}' run '{}' --no-baseline --json '{}'", DTSIM_BINARY, file, json_path.string());
  for (const auto& setting : overrides)
    command += " --set " + setting;
  const Outcome run = shell(command);
  INFO(command << "\n" << run.output);
  REQUIRE(run.exit_code == 0);
  Figures figures;
  figures.printed = run.output;
  std::ifstream in(json_path);
  const auto sum = dtsim::report::summary_from_json(nlohmann::json::parse(in).at("summary"));
  const auto& b = sum.breakdown;
  figures.steps = sum.steps;
  figures.simulated_steps = sum.simulated_steps;
  figures.throughput = sum.throughput;
  figures.step_time = sum.step_time;
  figures.breakdown = {b.compute, b.exposed_comm, b.data_stall, b.imbalance, b.optimizer, b.overhead, b.checkpoint};
  return figures;
}

} // namespace

// Run once per scenario file by CMake (DTSIM_SCENARIO names it), hidden from the default run.
TEST_CASE("scenarios: doubling the run changes steady-state throughput by less than 1%, and "
          "simulation.exact changes throughput and step breakdown by at most 0.5%",
          "[.][doubling]")
{
  const char* file = std::getenv("DTSIM_SCENARIO");
  REQUIRE(file != nullptr);
  const auto scenario = dtsim::config::load_scenario(file, {}, DTSIM_SOURCE_DIR);
  const std::string doubled = scenario.workload.epochs
                                  ? fmt::format("workload.epochs={}", 2 * *scenario.workload.epochs)
                                  : fmt::format("workload.steps={}", 2 * scenario.workload.steps);
  const Figures once = figures_of(file, {}), twice = figures_of(file, {doubled});
  // The run as a user starts it reports, and names a bottleneck.
  CHECK(std::regex_search(once.printed, std::regex("\\nbottleneck +[a-z]+-bound")));
  INFO(fmt::format("{}: {:.6g} samples/s over {} steps, {:.6g} with {}", file, once.throughput, once.steps,
                   twice.throughput, doubled));
  CHECK(std::abs(twice.throughput / once.throughput - 1) < 0.01);
  // Faster paths that approximate (stopping once settled, all-reduces reused beside storage traffic) against
  // simulation.exact.
  const Figures exact = figures_of(file, {doubled, "simulation.exact=true"});
  INFO(fmt::format("{} of {} steps simulated: {:.6g} samples/s, {:.6g} with simulation.exact", twice.simulated_steps,
                   twice.steps, twice.throughput, exact.throughput));
  REQUIRE(exact.simulated_steps == exact.steps);
  CHECK(std::abs(twice.throughput / exact.throughput - 1) <= dtsim::training::extrapolation_tolerance);
  for (std::size_t k = 0; k < breakdown_names.size(); ++k) {
    INFO(fmt::format("{}: {:.6g} s, {:.6g} s with simulation.exact, of a {:.6g} s step", breakdown_names[k],
                     twice.breakdown[k], exact.breakdown[k], exact.step_time));
    CHECK(std::abs(twice.breakdown[k] - exact.breakdown[k]) <=
          dtsim::training::extrapolation_tolerance * exact.step_time);
  }
}
