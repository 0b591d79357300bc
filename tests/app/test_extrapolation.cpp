// A run given in epochs stops simulating once its steps have settled and extrapolates the rest (issue 17,
// item 3): every figure it reports must agree with simulating every step.
#include "app/simulate.hpp"
#include "training/steady_state.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

const std::vector<std::string> compared = {
    "time_to_train_s",   "throughput_samples_per_s", "energy_kWh",      "cost_usd",   "storage_read_B",
    "page_cache_read_B", "accelerator_utilisation",  "cpu_utilisation", "checkpoints"};

/// The summary of `file` with `overrides`, simulated in a child process.
nlohmann::json summary_of(const std::string& file, std::vector<std::string> overrides, bool exact)
{
  overrides.push_back(fmt::format("simulation.exact={}", exact));
  dtsim::app::ChildProcess child([&] {
    const auto scenario =
        dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
    const auto run = dtsim::app::simulate(scenario, {});
    const auto sum = dtsim::report::summarize(scenario, run, std::nullopt);
    return nlohmann::json{{"steps", sum.steps},
                          {"simulated_steps", sum.simulated_steps},
                          {"time_to_train_s", sum.time_to_train},
                          {"throughput_samples_per_s", sum.throughput},
                          {"energy_kWh", sum.energy_kwh},
                          {"cost_usd", sum.cost_usd.value_or(0)},
                          {"storage_read_B", run.totals.storage_bytes_read},
                          {"page_cache_read_B", run.totals.cache_bytes_read},
                          {"accelerator_utilisation", sum.utilisation.accelerators},
                          {"cpu_utilisation", sum.utilisation.cpu_cores},
                          {"checkpoints", run.totals.checkpoints}}
        .dump();
  });
  const auto text = child.result();
  REQUIRE(text);
  return nlohmann::json::parse(*text);
}

} // namespace

TEST_CASE("an epochs run that stops once settled reports what simulating every step does", "[extrapolation]")
{
  const auto [file, epochs, overrides, stops] = GENERATE(table<std::string, double, std::vector<std::string>, bool>({
      {"scenarios/node-8xa100.yaml", 5, {}, true},
      // storage-bound: a step pattern that repeats every 32 steps
      {"scenarios/cluster-4node-a100-storage-bound.yaml", 6, {}, true},
      {"scenarios/node-8xa100.yaml",
       5,
       {"checkpoint.every_steps=100", "checkpoint.to=local-nvme", "checkpoint.mode=background"},
       true},
      // page caches that serve nothing in the first epoch and a fifth of the reads after it
      {"scenarios/cluster-4node-a100-storage-bound.yaml",
       16,
       {"workload.dataset_samples=300000", "storage.page_cache=7 GB"},
       true},
      // independent emulated accelerators (DLIO) reading samples of random sizes: their step time is not
      // known to within extrapolation_tolerance after 2,500 steps, so every step is simulated
      {"scenarios/validation/mlps-micron9550-unet3d-h100.yaml", 5, {}, false},
  }));
  std::vector<std::string> all = overrides;
  all.push_back(fmt::format("workload.epochs={}", epochs));
  const auto fast = summary_of(file, all, false), exact = summary_of(file, all, true);
  INFO(fmt::format("{} for {} epochs {}: {} of {} steps simulated", file, epochs, fmt::join(overrides, " "),
                   fast["simulated_steps"].get<long long>(), fast["steps"].get<long long>()));
  CHECK(exact["simulated_steps"] == exact["steps"]);
  CHECK(fast["steps"] == exact["steps"]);
  CHECK((fast["simulated_steps"].get<long long>() < fast["steps"].get<long long>()) == stops);
  for (const auto& key : compared) {
    const double a = fast[key].get<double>(), b = exact[key].get<double>();
    INFO(fmt::format("{}: {:.6g} extrapolated, {:.6g} exact", key, a, b));
    CHECK(std::abs(a - b) <= dtsim::training::extrapolation_tolerance * std::abs(b));
  }
}

TEST_CASE("a 100-step run that settles within 48 steps stops before its end", "[extrapolation]")
{
  // Checks at 32 and 48 steps agree; the loaders' 32 claimed batches per device (16 workers x 2) still run.
  const auto fast = summary_of("scenarios/node-8xa100.yaml", {"workload.steps=100"}, false);
  INFO(fmt::format("{} of 100 steps simulated", fast["simulated_steps"].get<long long>()));
  CHECK(fast["simulated_steps"].get<long long>() < 100);
}
