// Routes through the laid-out cluster, checked by their latency: each path's links are known, so a
// route that took the wrong way (or none) shows up as a wrong sum.
#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"

#include <catch2/catch.hpp>

TEST_CASE("platform: routes inside a node, inside a leaf and across leaves have the latencies of their links")
{
  const auto s = dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/tutorial-allreduce.yaml",
                                              {"cluster.nodes=4", "network.nodes_per_leaf=2"}, DTSIM_SOURCE_DIR);
  const auto layout = dtsim::platform::lay_out_cluster(s);
  dtsim::engine::Simulation simulation(layout.root, {});
  const auto host = [&](const char* name) { return simulation.host(name); };
  const double intra = s.cluster.intra_node_latency, nic = s.cluster.nic.latency.value, hop = s.network.switch_latency;

  // NVSwitch: two ports of intra/2 each.
  CHECK(dtsim::engine::route_latency(host("node-0-acc-0"), host("node-0-acc-5")) == Approx(intra));
  // Same leaf: PCIe (intra/2) and NIC (nic + hop/2) out of one node and into the other.
  const double same_leaf = 2 * (intra / 2 + nic + hop / 2);
  CHECK(dtsim::engine::route_latency(host("node-0-acc-0"), host("node-1-acc-3")) == Approx(same_leaf));
  CHECK(dtsim::engine::route_latency(host("node-0-acc-7"), host("node-1-acc-4")) == Approx(same_leaf));
  // Across leaves: both leaf uplinks (one switch hop each) on top.
  for (const char* far : {"node-2-acc-0", "node-2-acc-4", "node-3-acc-7"})
    CHECK(dtsim::engine::route_latency(host("node-0-acc-6"), host(far)) == Approx(same_leaf + 2 * hop));
}

TEST_CASE("platform: across pods of a three-level fat-tree a route climbs to the core and back")
{
  const auto s = dtsim::config::load_scenario(
      std::string(DTSIM_SOURCE_DIR) + "/scenarios/tutorial-allreduce.yaml",
      {"cluster.nodes=8", "network.topology=fat-tree", "network.nodes_per_leaf=2", "network.leaves_per_pod=2"},
      DTSIM_SOURCE_DIR);
  const auto layout = dtsim::platform::lay_out_cluster(s);
  dtsim::engine::Simulation simulation(layout.root, {});
  const auto latency = [&](const char* a, const char* b) {
    return dtsim::engine::route_latency(simulation.host(a), simulation.host(b));
  };
  const double intra = s.cluster.intra_node_latency, nic = s.cluster.nic.latency.value, hop = s.network.switch_latency;
  const double same_leaf = 2 * (intra / 2 + nic + hop / 2);
  CHECK(latency("node-0-acc-0", "node-1-acc-1") == Approx(same_leaf));           // leaf
  CHECK(latency("node-0-acc-0", "node-2-acc-5") == Approx(same_leaf + 2 * hop)); // pod: two leaf uplinks
  CHECK(latency("node-0-acc-7", "node-6-acc-2") == Approx(same_leaf + 4 * hop)); // core: leaf and pod uplinks
}
