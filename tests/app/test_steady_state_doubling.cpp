// Throughput reported in steady state must not depend on how long the run was (issue 17, item 3).
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

// Run once per scenario file by CMake (DTSIM_SCENARIO names it), hidden from the default run.
TEST_CASE("scenarios: doubling the run changes steady-state throughput by less than 1%", "[.][doubling]")
{
  const char* file = std::getenv("DTSIM_SCENARIO");
  REQUIRE(file != nullptr);
  const auto data_dir = std::string(DTSIM_SOURCE_DIR);
  const auto scenario = dtsim::config::load_scenario(file, {}, data_dir);
  const std::string doubled = scenario.workload.epochs
                                  ? fmt::format("workload.epochs={}", 2 * *scenario.workload.epochs)
                                  : fmt::format("workload.steps={}", 2 * scenario.workload.steps);
  const auto throughput = [&](const std::vector<std::string>& overrides) {
    dtsim::app::ChildComputation run([&] {
      const auto s = dtsim::config::load_scenario(file, overrides, data_dir);
      return dtsim::report::summarize(s, dtsim::app::simulate(s, {}), std::nullopt).throughput;
    });
    return run.result();
  };
  const auto once = throughput({}), twice = throughput({doubled});
  REQUIRE(once);
  REQUIRE(twice);
  INFO(fmt::format("{}: {:.6g} samples/s over {} steps, {:.6g} with {}", file, *once, scenario.workload.steps, *twice,
                   doubled));
  CHECK(std::abs(*twice / *once - 1) < 0.01);
}
