// The flow-level ring all-reduce against the exact message-by-message ring, on a real two-node
// layout (NVSwitch inside nodes, 200 Gb/s NICs between them), in both regimes.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "platform/cluster_layout.hpp"
#include "training/collectives.hpp"
#include "training/reference_ring.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

struct Cluster {
  dtsim::config::Scenario scenario;
  dtsim::platform::ClusterLayout layout;
  dtsim::engine::Simulation simulation;
  std::vector<dtsim::engine::Host> ranks;

  explicit Cluster(int per_node)
      : scenario(dtsim::config::load_scenario(
            std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml",
            {"cluster.nodes=2", fmt::format("cluster.accelerators_per_node={}", per_node), "storage.dataset_on=memory"},
            DTSIM_SOURCE_DIR))
      , layout(dtsim::platform::lay_out_cluster(scenario))
      , simulation(layout.root, {})
  {
    for (const auto& name : layout.worker_hosts)
      ranks.push_back(simulation.host(name));
  }
};

double by_messages(int per_node, double bytes)
{
  Cluster c(per_node);
  double finished = 0;
  dtsim::training::spawn_ring_all_reduce_by_messages(c.simulation, c.ranks, bytes, finished);
  c.simulation.run();
  return finished;
}

double by_flows(int per_node, double bytes)
{
  Cluster c(per_node);
  dtsim::training::CollectiveSetup setup;
  setup.algorithm = dtsim::config::AllReduceAlgorithm::ring;
  setup.protocol = dtsim::config::Protocol::simple;
  setup.software_latency = false; // the reference models the network, not NCCL's software
  const dtsim::training::Collectives collectives(setup, c.ranks, c.layout.worker_node);
  double finished = 0;
  c.simulation.spawn("driver", c.ranks[0], [&] {
    collectives.all_reduce(bytes);
    finished = dtsim::engine::now();
  });
  c.simulation.run();
  return finished;
}

/// Each form needs an engine of its own, so each runs in a child process.
double in_child(const std::function<double()>& simulate)
{
  dtsim::app::ChildComputation child(simulate);
  const auto result = child.result();
  REQUIRE(result.has_value());
  return *result;
}

void check_agreement(int per_node, double bytes, double tolerance)
{
  const double messages = in_child([=] { return by_messages(per_node, bytes); });
  const double flows = in_child([=] { return by_flows(per_node, bytes); });
  INFO(
      fmt::format("2 nodes x {}, {} B: message-level {:.6e} s, flow-level {:.6e} s", per_node, bytes, messages, flows));
  CHECK(flows == Approx(messages).epsilon(tolerance));
}

} // namespace

TEST_CASE("training: flow-level and message-level rings agree when bandwidth-bound")
{
  check_agreement(2, 256.0 * (1 << 20), 0.01);
  check_agreement(4, 256.0 * (1 << 20), 0.01);
}

TEST_CASE("training: flow-level and message-level rings agree when latency-bound")
{
  check_agreement(2, 4096, 0.02);
  check_agreement(4, 4096, 0.02);
}
