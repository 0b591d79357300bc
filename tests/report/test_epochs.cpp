// The "epochs" array of the results JSON against closed forms (issue "Traces and plots", item 6).
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/epochs.hpp"
#include "report/summary.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

/// One A100 training ResNet-50 from memory at 256 samples per step: compute-bound, every steady step alike.
struct Run {
  dtsim::config::Scenario scenario;
  dtsim::report::RunResult result;
  dtsim::report::Summary summary;
  std::vector<dtsim::report::EpochRecord> epochs;

  explicit Run(std::vector<std::string> overrides)
      : scenario(load(std::move(overrides)))
      , result(dtsim::app::simulate(scenario, {}))
      , summary(dtsim::report::summarize(scenario, result, std::nullopt))
      , epochs(dtsim::report::epoch_records(scenario, result, summary))
  {
  }

  static dtsim::config::Scenario load(std::vector<std::string> overrides)
  {
    overrides.insert(overrides.begin(), {"cluster.accelerators_per_node=1", "storage.dataset_on=memory",
                                         "workload.batch_per_device=256", "training.loader_workers=32"});
    return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml", overrides,
                                        DTSIM_SOURCE_DIR);
  }

  double training_time() const { return summary.time_to_train - summary.evaluation_time - summary.startup_time; }
  double total(double dtsim::report::EpochRecord::*field) const
  {
    double sum = 0;
    for (const auto& epoch : epochs)
      sum += epoch.*field;
    return sum;
  }
};

} // namespace

TEST_CASE("epochs: a compute-bound run's steady epochs take steps per epoch x the step time, adding up to the run")
{
  const Run run({"workload.steps=60", "workload.dataset_samples=2560", "simulation.exact=true"});
  REQUIRE(run.summary.samples == 60 * 256);
  REQUIRE(run.epochs.size() == 6);
  for (std::size_t k = 0; k < run.epochs.size(); ++k) {
    const auto& epoch = run.epochs[k];
    INFO(fmt::format("epoch {}", k + 1));
    CHECK(epoch.first_epoch == static_cast<long long>(k) + 1);
    CHECK(epoch.last_epoch == epoch.first_epoch);
    CHECK(epoch.first_step == 10 * static_cast<long long>(k) + 1);
    CHECK(epoch.last_step == 10 * static_cast<long long>(k) + 10);
    CHECK(epoch.samples == 2560);
    CHECK(epoch.steps_simulated == "all");
    if (epoch.first_step > run.summary.steady.first_step) {
      CHECK(epoch.time == Approx(10 * run.summary.step_time).epsilon(1e-6));
      CHECK(epoch.throughput() == Approx(run.summary.throughput).epsilon(1e-6));
    }
  }
  CHECK(run.total(&dtsim::report::EpochRecord::time) == Approx(run.training_time()).epsilon(1e-12));
}

TEST_CASE("epochs: epochs a run did not simulate take steps per epoch x the steady step time and data stall")
{
  const Run run({"workload.steps=2000", "workload.dataset_samples=2560", "simulation.exact=false"});
  REQUIRE(run.summary.simulated_steps < run.summary.steps);
  REQUIRE(run.epochs.size() == 200);
  int extrapolated = 0, mixed = 0;
  for (const auto& epoch : run.epochs) {
    INFO(fmt::format("epoch {}, steps {} to {}", epoch.first_epoch, epoch.first_step, epoch.last_step));
    if (epoch.steps_simulated == "some") {
      ++mixed;
      CHECK(epoch.first_step <= run.summary.simulated_steps);
      CHECK(epoch.last_step > run.summary.simulated_steps);
    }
    if (epoch.steps_simulated != "none")
      continue;
    ++extrapolated;
    CHECK(epoch.first_step > run.summary.simulated_steps);
    CHECK(epoch.time == Approx(10 * run.summary.step_time).epsilon(1e-12));
    CHECK(epoch.data_stall == Approx(run.summary.breakdown.data_stall).margin(1e-15));
  }
  CHECK(extrapolated >= 200 - run.summary.simulated_steps / 10 - 1);
  CHECK(mixed <= 1);
  CHECK(run.total(&dtsim::report::EpochRecord::time) == Approx(run.training_time()).epsilon(1e-9));
}

TEST_CASE("epochs: a run of more epochs than max_epoch_records writes at most that many, covering every epoch once")
{
  // 250,000 steps of 256 samples over epochs of 300: 213,334 epochs, the last one partial.
  const Run run({"workload.steps=250000", "workload.dataset_samples=300", "simulation.exact=false"});
  REQUIRE(run.epochs.size() <= dtsim::report::max_epoch_records);
  REQUIRE(run.epochs.size() > dtsim::report::max_epoch_records / 2);
  long long next_epoch = 1;
  for (const auto& record : run.epochs) {
    CHECK(record.first_epoch == next_epoch);
    CHECK(record.last_epoch >= record.first_epoch);
    next_epoch = record.last_epoch + 1;
  }
  CHECK(next_epoch == 213334 + 1);
  CHECK(run.epochs.back().last_step == 250000);
  CHECK(run.total(&dtsim::report::EpochRecord::samples) == Approx(run.summary.samples).epsilon(1e-12));
  CHECK(run.total(&dtsim::report::EpochRecord::time) == Approx(run.training_time()).epsilon(1e-9));
}
