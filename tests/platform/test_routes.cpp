// Routes through the laid-out cluster, checked by their latency: each path's links are known, so a
// route that took the wrong way (or none) shows up as a wrong sum.
#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>

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

namespace {

using Links = std::vector<std::string>;

Links link_names(const std::vector<dtsim::engine::RouteLink>& route)
{
  Links names;
  for (const auto& link : route)
    names.push_back(link.name);
  return names;
}

/// Routes of the 16-node rail-optimised scenario cut down to `nodes`, 2 nodes per group.
struct RailRoutes {
  explicit RailRoutes(const std::vector<std::string>& overrides)
      : scenario(dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/rail-16node-h100.yaml",
                                              overrides, DTSIM_SOURCE_DIR))
      , simulation(dtsim::platform::lay_out_cluster(scenario).root, {})
  {
  }
  Links links(const char* from, const char* to) const
  {
    return link_names(dtsim::engine::route_links(simulation.host(from), simulation.host(to)));
  }
  double latency(const char* from, const char* to) const
  {
    return dtsim::engine::route_latency(simulation.host(from), simulation.host(to));
  }
  dtsim::config::Scenario scenario;
  dtsim::engine::Simulation simulation;
};

} // namespace

TEST_CASE("platform: on a rail-optimised fabric GPU k meets GPU k of its group on rail k's leaf, other rails at the "
          "spine")
{
  const RailRoutes r({"cluster.nodes=4", "network.nodes_per_leaf=2"});
  // Same rail, same group: one leaf, no uplink.
  CHECK(r.links("node-0-acc-3", "node-1-acc-3") ==
        Links{"node-0-acc-3-pcie_UP", "node-0-nic-3_UP", "node-1-nic-3_DOWN", "node-1-acc-3-pcie_DOWN"});
  // Different rails, same group: up rail 2's leaf to the spine, down rail 5's leaf.
  CHECK(r.links("node-0-acc-2", "node-1-acc-5") ==
        Links{"node-0-acc-2-pcie_UP", "node-0-nic-2_UP", "leaf-0-rail-2-uplink_UP", "leaf-0-rail-5-uplink_DOWN",
              "node-1-nic-5_DOWN", "node-1-acc-5-pcie_DOWN"});
  // Same rail, other group: rails of different groups also meet at the spine.
  CHECK(r.links("node-0-acc-3", "node-2-acc-3") ==
        Links{"node-0-acc-3-pcie_UP", "node-0-nic-3_UP", "leaf-0-rail-3-uplink_UP", "leaf-1-rail-3-uplink_DOWN",
              "node-2-nic-3_DOWN", "node-2-acc-3-pcie_DOWN"});
  // Inside a node: NVSwitch ports, in both directions, whichever rails the two GPUs are on.
  CHECK(r.links("node-1-acc-0", "node-1-acc-5") == Links{"node-1-acc-0-nvlink_UP", "node-1-acc-5-nvlink_DOWN"});
  CHECK(r.links("node-1-acc-5", "node-1-acc-0") == Links{"node-1-acc-5-nvlink_UP", "node-1-acc-0-nvlink_DOWN"});
  CHECK(r.links("node-3-cpu", "node-3-acc-6") == Links{"node-3-acc-6-pcie_DOWN"});
  CHECK(r.links("node-3-acc-6", "node-3-cpu") == Links{"node-3-acc-6-pcie_UP"});

  const double intra = r.scenario.cluster.intra_node_latency, nic = r.scenario.cluster.nic.latency.value,
               hop = r.scenario.network.switch_latency;
  const double one_leaf = 2 * (intra / 2 + nic + hop / 2);
  CHECK(r.latency("node-0-acc-3", "node-1-acc-3") == Approx(one_leaf));
  CHECK(r.latency("node-0-acc-2", "node-1-acc-5") == Approx(one_leaf + 2 * hop));
  CHECK(r.latency("node-1-acc-0", "node-1-acc-5") == Approx(intra));
}

TEST_CASE("platform: with fewer rails than GPUs, GPU k takes rail k mod rails and shares its NIC")
{
  const RailRoutes r({"cluster.nodes=2", "network.nodes_per_leaf=2", "cluster.nics_per_node=4"});
  CHECK(r.links("node-0-acc-4", "node-1-acc-0") ==
        Links{"node-0-acc-4-pcie_UP", "node-0-nic-0_UP", "node-1-nic-0_DOWN", "node-1-acc-0-pcie_DOWN"});
  CHECK(r.links("node-0-acc-4", "node-1-acc-1") ==
        Links{"node-0-acc-4-pcie_UP", "node-0-nic-0_UP", "leaf-0-rail-0-uplink_UP", "leaf-0-rail-1-uplink_DOWN",
              "node-1-nic-1_DOWN", "node-1-acc-1-pcie_DOWN"});
  // Two GPUs of one node on the same rail still talk over NVLink (a bypass held by the rail's leaf).
  CHECK(r.links("node-1-acc-2", "node-1-acc-6") == Links{"node-1-acc-2-nvlink_UP", "node-1-acc-6-nvlink_DOWN"});
}

TEST_CASE("platform: on a plain leaf-spine, GPUs on different NICs of one leaf's nodes never leave the leaf")
{
  const RailRoutes r({"cluster.nodes=4", "network.nodes_per_leaf=2", "network.topology=leaf-spine"});
  CHECK(r.links("node-0-acc-2", "node-1-acc-5") ==
        Links{"node-0-acc-2-pcie_UP", "node-0-nic-2_UP", "node-1-nic-5_DOWN", "node-1-acc-5-pcie_DOWN"});
}

TEST_CASE("platform: a dragonfly route is minimal: local link to the router holding the global link, the global link, "
          "local link")
{
  // 3 groups of 2 routers, one node each: group 0 holds nodes 0 and 1, group 1 nodes 2 and 3, group 2
  // nodes 4 and 5. Group 0 reaches group 1 from router 0 and group 2 from router 1.
  const RailRoutes r({"cluster.nodes=6", "network.topology=dragonfly", "network.dragonfly.groups=3",
                      "network.dragonfly.routers_per_group=2", "network.dragonfly.nodes_per_router=1"});
  CHECK(r.links("node-1-acc-0", "node-3-acc-0") ==
        Links{"node-1-acc-0-pcie_UP", "node-1-nic-0_UP", "group-0-local-0-1_DOWN", "global-0-1_UP",
              "group-1-local-0-1_UP", "node-3-nic-0_DOWN", "node-3-acc-0-pcie_DOWN"});
  CHECK(r.links("node-1-acc-2", "node-4-acc-2") == Links{"node-1-acc-2-pcie_UP", "node-1-nic-2_UP", "global-0-2_UP",
                                                         "node-4-nic-2_DOWN", "node-4-acc-2-pcie_DOWN"});
  CHECK(r.links("node-5-acc-7", "node-4-acc-7") == Links{"node-5-acc-7-pcie_UP", "node-5-nic-7_UP",
                                                         "group-2-local-0-1_DOWN", "node-4-nic-7_DOWN",
                                                         "node-4-acc-7-pcie_DOWN"});
  const double intra = r.scenario.cluster.intra_node_latency, nic = r.scenario.cluster.nic.latency.value,
               hop = r.scenario.network.switch_latency;
  CHECK(r.latency("node-1-acc-0", "node-3-acc-0") == Approx(2 * (intra / 2 + nic + hop / 2) + 3 * hop));
}

TEST_CASE("platform: in a DGX-1 each V100 has 6 NVLinks, and a pair without one goes through the best-linked third GPU")
{
  const auto s = dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/dgx1-v100-4node.yaml",
                                              {"cluster.nodes=1"}, DTSIM_SOURCE_DIR);
  const auto layout = dtsim::platform::lay_out_cluster(s);
  const double per_link = 25e9; // NVLink2, per direction (catalog: 150 GB/s over 6 links)
  std::map<std::string, double> nvlink_bandwidth;
  int pairs = 0;
  for (const auto& link : layout.root.children.at(1).links) // children: the switch's core zone, then node 0
    if (link.name.find("-link-") != std::string::npos) {
      nvlink_bandwidth[link.from] += link.bandwidth;
      nvlink_bandwidth[link.to] += link.bandwidth;
      ++pairs;
    }
  CHECK(pairs == 16);
  for (int k = 0; k < 8; ++k)
    CHECK(nvlink_bandwidth[fmt::format("node-0-acc-{}", k)] == Approx(6 * per_link));

  dtsim::engine::Simulation simulation(layout.root, {});
  const auto links = [&](const char* a, const char* b) {
    return link_names(dtsim::engine::route_links(simulation.host(a), simulation.host(b)));
  };
  CHECK(links("node-0-acc-0", "node-0-acc-3") == Links{"node-0-link-0-3_UP"});
  CHECK(links("node-0-acc-3", "node-0-acc-0") == Links{"node-0-link-0-3_DOWN"});
  CHECK(links("node-0-acc-2", "node-0-acc-6") == Links{"node-0-link-2-6_UP"});
  // No NVLink: through the GPU whose narrower link is widest (0-4-7: two double links, not 0-3-7),
  // the lowest-numbered on a tie (0-1-5 and 0-4-5 both have a single link).
  CHECK(links("node-0-acc-0", "node-0-acc-7") == Links{"node-0-link-0-4_UP", "node-0-link-4-7_UP"});
  CHECK(links("node-0-acc-7", "node-0-acc-0") == Links{"node-0-link-4-7_DOWN", "node-0-link-0-4_DOWN"});
  CHECK(links("node-0-acc-0", "node-0-acc-5") == Links{"node-0-link-0-1_UP", "node-0-link-1-5_UP"});
  CHECK(links("node-0-acc-6", "node-0-acc-1") == Links{"node-0-link-5-6_DOWN", "node-0-link-1-5_DOWN"});
}

TEST_CASE("platform: a node of 4 MI250X links its 8 GCDs by 4, 2 or 1 Infinity Fabric links of 50 GB/s")
{
  const auto s = dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/frontier-mi250x.yaml",
                                              {"cluster.nodes=1"}, DTSIM_SOURCE_DIR);
  const auto layout = dtsim::platform::lay_out_cluster(s);
  std::map<std::pair<std::string, std::string>, double> pair_bandwidth;
  std::map<std::string, double> gcd_bandwidth;
  for (const auto& link : layout.root.children.at(1).links)
    if (link.name.find("-link-") != std::string::npos) {
      pair_bandwidth[{link.from, link.to}] = link.bandwidth;
      gcd_bandwidth[link.from] += link.bandwidth;
      gcd_bandwidth[link.to] += link.bandwidth;
    }
  CHECK(pair_bandwidth.size() == 12);
  const auto gcd = [](int k) { return fmt::format("node-0-acc-{}", k); };
  CHECK(pair_bandwidth[{gcd(0), gcd(1)}] == Approx(200e9)); // the two GCDs of one package
  CHECK(pair_bandwidth[{gcd(0), gcd(6)}] == Approx(100e9));
  CHECK(pair_bandwidth[{gcd(0), gcd(2)}] == Approx(50e9));
  for (int k = 0; k < 8; ++k)
    CHECK(gcd_bandwidth[gcd(k)] == Approx((k % 2 == 0 ? 7 : 6) * 50e9));

  dtsim::engine::Simulation simulation(layout.root, {});
  const auto links = [&](int a, int b) {
    return link_names(dtsim::engine::route_links(simulation.host(gcd(a)), simulation.host(gcd(b))));
  };
  CHECK(links(1, 3) == Links{"node-0-link-1-3_UP"});
  // GCD 0 reaches GCD 3 in two hops (AMD lab notes): through 1 (4 then 1 links) or 2 (1 then 4): the
  // narrower link is 1 either way, so the lower-numbered GCD 1.
  CHECK(links(0, 3) == Links{"node-0-link-0-1_UP", "node-0-link-1-3_UP"});
  // GCD 0 to 7: through 6, the double link then the package's quadruple one.
  CHECK(links(0, 7) == Links{"node-0-link-0-6_UP", "node-0-link-6-7_UP"});
}

namespace {

/// Links from NVMe-oF target 0 to node 3's CPU on the 4-node storage-bound cluster.
Links storage_route(const std::string& network, const std::string& topology)
{
  const auto s = dtsim::config::load_scenario(
      std::string(DTSIM_SOURCE_DIR) + "/scenarios/cluster-4node-a100-storage-bound.yaml",
      {"network.storage_network=" + network, "network.topology=" + topology, "network.nodes_per_leaf=2"},
      DTSIM_SOURCE_DIR);
  const auto layout = dtsim::platform::lay_out_cluster(s);
  dtsim::engine::Simulation simulation(layout.root, {});
  return link_names(dtsim::engine::route_links(simulation.host("target-0"), simulation.host("node-3-cpu")));
}

} // namespace

TEST_CASE("platform: on a shared storage network NVMe-oF reads cross the fabric into the node's first NIC")
{
  CHECK(storage_route("shared", "leaf-spine") == Links{"target-0-nic_UP", "leaf-1-uplink_DOWN", "node-3-nic-0_DOWN"});
}

TEST_CASE("platform: on a separate storage network NVMe-oF reads take the node's storage NIC only")
{
  CHECK(storage_route("separate", "leaf-spine") == Links{"target-0-nic_UP", "node-3-storage-nic_DOWN"});
}

TEST_CASE("platform: on a rail-optimised fabric a separate storage network also bypasses the rails")
{
  CHECK(storage_route("separate", "rail-optimized") == Links{"target-0-nic_UP", "node-3-storage-nic_DOWN"});
}
