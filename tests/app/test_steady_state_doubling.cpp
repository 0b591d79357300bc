// Throughput reported in steady state must not depend on how long the run was (issue 17, item 3), and the
// approximations that make runs faster must report what simulation.exact does (issue 18).
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/steady_state.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

/// What the comparison needs of a summary: throughput and the step breakdown, as one array.
struct Figures {
  long long steps = 0, simulated_steps = 0;
  double throughput = 0, step_time = 0;
  std::array<double, 7> breakdown{};
};

const std::array<const char*, 7> breakdown_names = {
    "compute", "exposed communication", "data stall", "imbalance", "optimizer", "overhead", "checkpoint"};

/// The figures of `file` with `overrides`, simulated in a child process.
Figures figures_of(const char* file, const std::vector<std::string>& overrides)
{
  dtsim::app::ChildProcess child([&] {
    const auto s = dtsim::config::load_scenario(file, overrides, DTSIM_SOURCE_DIR);
    const auto sum = dtsim::report::summarize(s, dtsim::app::simulate(s, {}), std::nullopt);
    const auto& b = sum.breakdown;
    return nlohmann::json{
        {"steps", sum.steps},
        {"simulated_steps", sum.simulated_steps},
        {"throughput", sum.throughput},
        {"step_time", sum.step_time},
        {"breakdown", {b.compute, b.exposed_comm, b.data_stall, b.imbalance, b.optimizer, b.overhead, b.checkpoint}}}
        .dump();
  });
  const auto text = child.result();
  REQUIRE(text);
  const auto json = nlohmann::json::parse(*text);
  return {json["steps"], json["simulated_steps"], json["throughput"], json["step_time"], json["breakdown"]};
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
