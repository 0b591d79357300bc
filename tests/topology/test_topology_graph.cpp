// The topology graph against counts and capacities worked out by hand from the scenario.
#include "config/scenario.hpp"
#include "platform/cluster_layout.hpp"
#include "topology/topology_graph.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sstream>

namespace {

dtsim::topology::TopologySummary summary_of(const std::vector<std::string>& overrides)
{
  const auto scenario = dtsim::config::load_scenario(
      std::string(DTSIM_SOURCE_DIR) + "/scenarios/cluster-4node-a100.yaml", overrides, DTSIM_SOURCE_DIR);
  return dtsim::topology::summarize(dtsim::topology::build_graph(dtsim::platform::lay_out_cluster(scenario)));
}

} // namespace

TEST_CASE("topology: 4 DGX-like nodes on one switch")
{
  const auto s = summary_of({});
  CHECK(s.accelerators == 32);
  CHECK(s.cpus == 4);
  CHECK(s.storage_targets == 2);
  CHECK(s.switches == 4 + 1); // an NVSwitch per node and the cluster switch
  // Per node: 8 NVLink ports, 8 PCIe links, 8 NICs; per target one NIC link.
  CHECK(s.links == 4 * 24 + 2);
  CHECK(s.diameter_hops == 4); // accelerator, PCIe root, switch, PCIe root, accelerator
  // Two nodes on each side, each with 8 NICs of 200 Gb/s.
  CHECK(s.bisection_bandwidth == Approx(2 * 8 * 25e9));
}

TEST_CASE("topology: an oversubscribed leaf-spine halves the bisection and adds two hops")
{
  const auto s = summary_of(
      {"cluster.nodes=16", "network.topology=leaf-spine", "network.nodes_per_leaf=4", "network.oversubscription=2"});
  CHECK(s.accelerators == 128);
  CHECK(s.switches == 16 + 4 + 1);   // NVSwitches, leaves, spine
  CHECK(s.links == 16 * 24 + 4 + 2); // node links, leaf uplinks, target NICs
  CHECK(s.diameter_hops == 6);
  // Each side holds two leaves, each uplinked at 4 nodes x 8 x 25 GB/s / 2.
  CHECK(s.bisection_bandwidth == Approx(2 * 4 * 8 * 25e9 / 2));
}

TEST_CASE("topology: inside one NVSwitch node the bisection is the NVLink ports plus PCIe peers")
{
  const auto s = summary_of({"cluster.nodes=1", "storage.dataset_on=memory"});
  CHECK(s.diameter_hops == 2);
  // Four devices on each side: 300 GB/s of NVLink each, plus their PCIe links through the host bridge.
  CHECK(s.bisection_bandwidth == Approx(4 * (300e9 + 31.5e9)));
}

TEST_CASE("topology: the Graphviz output names every accelerator and link bandwidth")
{
  const auto scenario =
      dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml", {}, DTSIM_SOURCE_DIR);
  std::ostringstream dot;
  dtsim::topology::write_dot(dot, dtsim::topology::build_graph(dtsim::platform::lay_out_cluster(scenario)));
  CHECK(dot.str().find("graph G {") == 0);
  CHECK(dot.str().find("node-0-acc-1") != std::string::npos);
  CHECK(dot.str().find("label=\"300 GB/s\"") != std::string::npos);
}

TEST_CASE("topology: a three-level fat-tree adds pod switches, two more hops and its own oversubscription")
{
  const auto s = summary_of({"cluster.nodes=16", "network.topology=fat-tree", "network.nodes_per_leaf=2",
                             "network.leaves_per_pod=2", "network.pod_oversubscription=2"});
  CHECK(s.switches == 16 + 8 + 4 + 1);   // NVSwitches, leaves, pods, core
  CHECK(s.links == 16 * 24 + 8 + 4 + 2); // node links, leaf and pod uplinks, target NICs
  CHECK(s.diameter_hops == 8);
  // Each side holds two pods, each uplinked at 2 leaves x (2 nodes x 8 x 25 GB/s) / 2.
  CHECK(s.bisection_bandwidth == Approx(2 * 2 * 2 * 8 * 25e9 / 2));
}

TEST_CASE("topology: a rail-optimised fabric has a leaf per rail per group, and its groups' rail leaves together carry "
          "what one leaf would")
{
  const auto s = summary_of({"cluster.nodes=16", "network.topology=rail-optimized", "network.nodes_per_leaf=4",
                             "network.oversubscription=2"});
  CHECK(s.accelerators == 128);
  CHECK(s.switches == 16 + 4 * 8 + 1);   // NVSwitches, 8 rail leaves for each of 4 groups, spine
  CHECK(s.links == 16 * 24 + 4 * 8 + 2); // node links, rail-leaf uplinks, target NICs
  CHECK(s.diameter_hops == 6);           // accelerator, PCIe root, leaf, spine, leaf, PCIe root, accelerator
  // Each side holds 2 groups of 8 rail leaves, each uplinked at 4 NICs x 25 GB/s / 2.
  CHECK(s.bisection_bandwidth == Approx(2 * 8 * (4 * 25e9 / 2)));
}

TEST_CASE("topology: one group of rails keeps half the nodes' NICs as bisection, whatever the oversubscription")
{
  const auto s = summary_of({"cluster.nodes=4", "network.topology=rail-optimized", "network.nodes_per_leaf=4",
                             "network.oversubscription=4"});
  CHECK(s.switches == 4 + 8 + 1);
  // GPU k of one half reaches GPU k of the other half on rail k's leaf, no uplink needed.
  CHECK(s.bisection_bandwidth == Approx(2 * 8 * 25e9));
  CHECK(s.diameter_hops == 4); // through the PCIe root to the NIC of the other GPU's rail, then one leaf
}

namespace {

/// A dragonfly of DGX-like nodes (8 GPUs, 8 NICs of 25 GB/s), one node per router.
dtsim::topology::TopologySummary dragonfly(int groups, int routers, std::vector<std::string> more = {})
{
  std::vector<std::string> overrides{fmt::format("cluster.nodes={}", groups * routers), "storage.dataset_on=memory",
                                     "network.topology=dragonfly", fmt::format("network.dragonfly.groups={}", groups),
                                     fmt::format("network.dragonfly.routers_per_group={}", routers),
                                     "network.dragonfly.nodes_per_router=1"};
  overrides.insert(overrides.end(), more.begin(), more.end());
  return summary_of(overrides);
}

} // namespace

TEST_CASE("topology: a dragonfly of 3 groups of 2 routers has the diameter of minimal routing: local, global, local")
{
  const auto s = dragonfly(3, 2);
  CHECK(s.switches == 6 + 3 * 2);       // NVSwitches, routers
  CHECK(s.links == 6 * 24 + 3 * 1 + 3); // node links, one local link per group, one global link per pair of groups
  // Group 0's router 1 to group 1's router 1: its global link leaves group 0 at router 0 and enters
  // group 1 at router 0, so 3 router-to-router links plus PCIe and NIC at each end.
  CHECK(s.diameter_hops == 2 + 3 + 2);
}

TEST_CASE("topology: the bisection of a balanced dragonfly is its global links between the two halves of the groups")
{
  // 4 groups of 3 routers (a = 3, h = 1: one global link per pair of groups); halves of 2 groups
  // each, joined by 2 x 2 pairs of groups, each by 2 links of 100 Gb/s.
  const auto s = dragonfly(4, 3, {"network.dragonfly.global_links=2", "network.dragonfly.global_link_bandwidth=100Gb/s"});
  CHECK(s.switches == 12 + 12);
  CHECK(s.diameter_hops == 7);
  CHECK(s.bisection_bandwidth == Approx((4 / 2) * (4 / 2) * 2 * 12.5e9));
}

TEST_CASE("topology: one DGX-1: 16 NVLink pairs, and a bisection of the links between its quads plus PCIe")
{
  const auto scenario = dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/dgx1-v100-4node.yaml",
                                                     {"cluster.nodes=1"}, DTSIM_SOURCE_DIR);
  const auto s = dtsim::topology::summarize(dtsim::topology::build_graph(dtsim::platform::lay_out_cluster(scenario)));
  CHECK(s.switches == 1);       // no NVSwitch; the cluster switch
  CHECK(s.links == 16 + 8 + 4); // NVLink pairs, PCIe links, NICs
  CHECK(s.diameter_hops == 2);  // a pair without NVLink: through a linked GPU or the PCIe root
  // GPUs 0-3 against 4-7: 0-4 and 1-5 by two links, 2-6 and 3-7 by one, at 25 GB/s each, and
  // four PCIe Gen3 x16 links of 15.75 GB/s through the host.
  CHECK(s.bisection_bandwidth == Approx(6 * 25e9 + 4 * 15.75e9));
}
