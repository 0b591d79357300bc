// Framework costs beyond compute and bandwidth: PyTorch DDP's per-tensor hooks, Horovod's background cycle.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/compute_model.hpp"

#include <catch2/catch.hpp>

namespace {

dtsim::config::Scenario load(const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml", overrides,
                                      DTSIM_SOURCE_DIR);
}

dtsim::report::Summary run(const dtsim::config::Scenario& scenario)
{
  return dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
}

} // namespace

TEST_CASE("framework: DDP costs 23 us per parameter tensor per step on several devices, nothing on one")
{
  // ResNet-50 has 161 parameter tensors: 3.7 ms per optimizer step, in the step's overhead.
  const auto two = load({"storage.dataset_on=memory", "workload.steps=30"});
  REQUIRE(two.cluster.devices() == 2);
  CHECK(two.training.framework.name == "pytorch-ddp");
  CHECK(dtsim::training::step_overhead(two) == Approx(161 * 23e-6));
  CHECK(run(two).breakdown.overhead == Approx(161 * 23e-6).epsilon(1e-6));
  const auto one = load({"cluster.accelerators_per_node=1"});
  CHECK(dtsim::training::step_overhead(one) == 0);
  const auto none = load({"training.framework=none", "training.step_overhead=2 ms"});
  CHECK(dtsim::training::step_overhead(none) == Approx(2e-3));
}

TEST_CASE("framework: Horovod starts each all-reduce at the next tick of its cycle")
{
  // One bucket after backward, a 1 s cycle and a step far shorter than that: every step's all-reduce waits for
  // the next whole second, so steps come one per second.
  const auto scenario = load({"storage.dataset_on=memory", "workload.steps=12", "training.framework=horovod",
                              "training.cycle_time=1 s", "training.overlap=false", "training.bucket_size=1 GiB"});
  const auto summary = run(scenario);
  CHECK(summary.step_time == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("framework: TPUs default to JAX, which adds no fixed cost")
{
  const auto tpu = dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/tpu-v4-slice.yaml", {},
                                                DTSIM_SOURCE_DIR);
  CHECK(tpu.training.framework.name == "jax");
  CHECK(dtsim::training::step_overhead(tpu) == 0);
}

TEST_CASE("time to train: start-up and evaluation passes (forward over the evaluation set) are added to the steps")
{
  // 2 A100s at batch 128 for 10,010 steps: 2 epochs of ImageNet, so 2 passes over 50,000 images, each
  // ceil(50,000 / 256) = 196 forward passes of a micro-batch.
  const auto scenario = load({"storage.dataset_on=memory", "workload.steps=10010", "training.evaluation.every_epochs=1",
                              "training.evaluation.samples=50000", "training.startup=90 s", "simulation.exact=true"});
  const auto result = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, result, std::nullopt);
  const double forward = result.groups.front().plan.forward_time;
  REQUIRE(summary.epochs == Approx(2.0).epsilon(1e-3));
  CHECK(summary.evaluation_time == Approx(2 * 196 * forward));
  CHECK(summary.startup_time == 90);
  CHECK(summary.time_to_train == Approx(result.steps.back().end + 2 * 196 * forward + 90));
}

TEST_CASE("time to train: evaluation samples without an interval are refused")
{
  CHECK_THROWS_WITH(load({"training.evaluation.samples=50000"}),
                    Catch::Contains("training.evaluation.samples: expected no training.evaluation.samples, since "
                                    "training.evaluation.every_epochs is not set"));
}
