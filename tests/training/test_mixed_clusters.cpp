// Mixed clusters: nodes with different accelerators in one data-parallel job. With equal batches the slower
// kind sets the pace and the faster one waits; split by speed, both finish their compute together.
#include "app/simulate.hpp"
#include "config/config_error.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/device_groups.hpp"
#include "training/runnable_scenario.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

using dtsim::training::DeviceGroup;
using dtsim::training::plan_device_groups;

namespace {

/// Two DGX-like nodes of A100s, the second node V100s, ResNet-50 from memory with CPU to spare.
dtsim::config::Scenario mixed(std::vector<std::string> overrides)
{
  const std::vector<std::string> base{"cluster.nodes=2",
                                      "cluster.accelerators_per_node=8",
                                      "cluster.cpu_cores_per_node=256",
                                      "cluster.mixed.nodes=1",
                                      "cluster.mixed.accelerator=V100-SXM2-32GB",
                                      "storage.dataset_on=memory",
                                      "workload.batch_per_device=256",
                                      "workload.steps=60",
                                      "training.loader_workers=32"};
  overrides.insert(overrides.begin(), base.begin(), base.end());
  return dtsim::training::load_runnable_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml",
                                                 overrides, DTSIM_SOURCE_DIR);
}

double compute_time(const DeviceGroup& g)
{
  return g.plan.forward_time + g.plan.backward_time;
}

double rate(const DeviceGroup& g)
{
  return g.batch_per_device / compute_time(g);
}

} // namespace

TEST_CASE("mixed: equal batches run at the slower kind's pace and the faster kind waits the difference")
{
  const auto scenario = mixed({});
  const auto groups = plan_device_groups(scenario);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].accelerator->name == "A100-SXM4-80GB");
  CHECK(groups[1].accelerator->name == "V100-SXM2-32GB");
  CHECK(groups[0].batch_per_device == 256);
  CHECK(groups[1].batch_per_device == 256);
  const double slow = compute_time(groups[1]), fast = compute_time(groups[0]);
  REQUIRE(slow > 2 * fast);
  const auto summary = dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
  const double optimizer = std::max(groups[0].plan.optimizer_time, groups[1].plan.optimizer_time);
  const double overhead = dtsim::training::step_overhead(scenario); // DDP's per-tensor hooks
  REQUIRE(overhead > 0);
  CHECK(summary.step_time == Approx(slow + optimizer + overhead).epsilon(0.01));
  CHECK(summary.throughput == Approx(16 * 256 / summary.step_time).epsilon(1e-6));
  // Half the devices (the A100s) wait slow - fast; the breakdown is a mean over devices.
  CHECK(summary.breakdown.imbalance == Approx(0.5 * (slow - fast)).epsilon(0.02));
  CHECK(summary.bottleneck.kind == dtsim::report::BottleneckKind::imbalance);
  CHECK(summary.bottleneck.reason.find("by-speed") != std::string::npos);
}

TEST_CASE("mixed: batches split by speed make both kinds finish together at the sum of their rates")
{
  const auto scenario = mixed({"training.batch_split=by-speed"});
  const auto groups = plan_device_groups(scenario);
  REQUIRE(groups.size() == 2);
  // The global batch of 16 x 256 is kept, up to rounding, and dealt in proportion to each kind's rate.
  const int global = 8 * groups[0].batch_per_device + 8 * groups[1].batch_per_device;
  CHECK(std::abs(global - 16 * 256) <= 8);
  CHECK(groups[0].batch_per_device > 2 * groups[1].batch_per_device);
  CHECK(compute_time(groups[0]) == Approx(compute_time(groups[1])).epsilon(0.01));
  const auto summary = dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), std::nullopt);
  const double ideal = 8 * rate(groups[0]) + 8 * rate(groups[1]);
  const double optimizer = std::max(groups[0].plan.optimizer_time, groups[1].plan.optimizer_time);
  const double overhead = dtsim::training::step_overhead(scenario);
  CHECK(summary.throughput == Approx(global / (global / ideal + optimizer + overhead)).epsilon(0.015));
  CHECK(summary.breakdown.imbalance < 0.01 * summary.step_time);
  CHECK(summary.bottleneck.kind == dtsim::report::BottleneckKind::compute);
}

TEST_CASE("mixed: the one-device baseline is the mean over the devices of each kind's own baseline")
{
  const auto scenario = mixed({"training.batch_split=by-speed"});
  const auto groups = plan_device_groups(scenario);
  const double baseline = dtsim::app::baseline_throughput(scenario);
  const auto one_device = [](const DeviceGroup& g) {
    return g.batch_per_device / (compute_time(g) + g.plan.optimizer_time);
  };
  CHECK(baseline == Approx((one_device(groups[0]) + one_device(groups[1])) / 2).epsilon(0.01));
}

TEST_CASE("mixed: energy adds each kind's idle and busy power")
{
  const auto scenario = mixed({});
  const auto run = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, run, std::nullopt);
  REQUIRE(run.totals.group_busy_seconds.size() == 2);
  const auto energy_of = [&](const std::string& part) {
    for (const auto& p : summary.energy_parts)
      if (p.part == part)
        return p.kwh;
    FAIL("no energy part " << part);
    return 0.0;
  };
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& a = *run.groups[k].accelerator;
    const double joules = 8 * a.idle_power.value * summary.time_to_train +
                          run.totals.group_busy_seconds[k] * (a.max_power.value - a.idle_power.value);
    CHECK(energy_of(a.name) == Approx(joules / 3.6e6).epsilon(1e-6));
  }
  // The A100s are busy for a smaller share of the run than the V100s they wait for.
  CHECK(run.totals.group_busy_seconds[0] < 0.6 * run.totals.group_busy_seconds[1]);
}

TEST_CASE("mixed: bad mixed clusters are errors at the key")
{
  const auto error_of = [](const std::vector<std::string>& overrides) {
    try {
      mixed(overrides); // loading finds every error, the by-speed split's included
    } catch (const dtsim::config::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of({"cluster.mixed.nodes=2"}),
             Catch::Contains("cluster.mixed.nodes") && Catch::Contains("fewer mixed nodes than the cluster's 2"));
  CHECK_THAT(error_of({"cluster.mixed.accelerator=B200"}), Catch::Contains("cluster.mixed.accelerator"));
  CHECK_THAT(error_of({"network.topology=torus", "network.torus=4x4"}),
             Catch::Contains("expected one kind of accelerator on a torus"));
  // By speed, one A100 node among three P100 nodes would take 1,000+ images of 44.5 MB: more than 40 GB.
  CHECK_THAT(error_of({"cluster.accelerator=A100-SXM4-40GB", "cluster.nodes=4", "cluster.mixed.nodes=3",
                       "cluster.mixed.accelerator=P100-PCIe-16GB", "workload.batch_per_device=300",
                       "training.batch_split=by-speed"}),
             Catch::Contains("training.batch_split") && Catch::Contains("by-speed deals A100-SXM4-40GB a batch of") &&
                 Catch::Contains("memory of A100-SXM4-40GB"));
}

TEST_CASE("mixed: only one of cluster.mixed.nodes and cluster.mixed.accelerator is an error")
{
  try {
    dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml",
                                 {"cluster.nodes=2", "cluster.mixed.nodes=1"}, DTSIM_SOURCE_DIR);
    FAIL("expected a ConfigError");
  } catch (const dtsim::config::ConfigError& e) {
    CHECK_THAT(e.what(), Catch::Contains("expected both cluster.mixed.nodes and cluster.mixed.accelerator"));
  }
}
