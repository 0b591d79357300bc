// The cluster's resources against closed forms: NIC groups per node and target, the NICs a node's storage
// traffic leaves through, and the switch ports of each network.
#include "config/cluster_resources.hpp"

#include <catch2/catch.hpp>

using namespace dtsim::config;

namespace {

/// 4 nodes x 8 HDR NICs (25 GB/s) on one switch; 2 NVMe-oF targets x 2 HDR NICs.
ClusterResources four_nodes(const std::vector<std::string>& overrides)
{
  return cluster_resources(
      load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/cluster-4node-a100.yaml", overrides, DTSIM_SOURCE_DIR));
}

constexpr double hdr = 200e9 / 8; // B/s of one ConnectX-6 HDR port

} // namespace

TEST_CASE("resources: each group counts its adapters per host and in the cluster, at the rate of each and of a host's")
{
  const ClusterResources r = four_nodes({"cluster.nic_bandwidth=100 Gb/s"});
  CHECK(r.compute_nics.adapter.name == "ConnectX-6-HDR-200G");
  CHECK(r.compute_nics.per_host == 8);
  CHECK(r.compute_nics.total == 4 * 8);
  CHECK(r.compute_nics.port_bandwidth == Approx(100e9 / 8)); // the scenario's rate, not the catalog's
  CHECK(r.compute_nics.host_bandwidth == Approx(8 * 100e9 / 8));
  CHECK_FALSE(r.storage_nics);
  REQUIRE(r.target_nics);
  CHECK(r.target_nics->per_host == 2);
  CHECK(r.target_nics->total == 2 * 2);
  CHECK(r.target_nics->host_bandwidth == Approx(2 * hdr));
  CHECK_FALSE(r.target_nics->part_of_appliance);
}

TEST_CASE("resources: on a shared network a node's storage traffic leaves through its first compute NIC")
{
  const ClusterResources r = four_nodes({"cluster.nic_bandwidth=100 Gb/s"});
  REQUIRE(r.storage_path);
  CHECK(r.storage_path->bandwidth == Approx(100e9 / 8));
  CHECK(r.storage_path->shares_fabric);
}

TEST_CASE("resources: on a separate storage network it leaves through all the node's storage NICs")
{
  const ClusterResources r = four_nodes(
      {"network.storage_network=separate", "network.storage_nic=Ethernet-100G", "network.storage_nics_per_node=3"});
  REQUIRE(r.storage_nics);
  CHECK(r.storage_nics->adapter.name == "Ethernet-100G");
  CHECK(r.storage_nics->total == 4 * 3);
  REQUIRE(r.storage_path);
  CHECK(r.storage_path->bandwidth == Approx(3 * 100e9 / 8));
  CHECK_FALSE(r.storage_path->shares_fabric);
  // One port per NIC: the compute NICs', the storage NICs' and the targets'.
  CHECK(r.switch_ports.compute == 4 * 8);
  CHECK(r.switch_ports.storage_network == 4 * 3);
  CHECK(r.switch_ports.targets == 2 * 2);
  CHECK(r.switch_ports.total() == 4 * 8 + 4 * 3 + 2 * 2);
}

TEST_CASE("resources: each tier above the leaves adds two ports per uplink, fewer as the oversubscription grows")
{
  const double node_ports = 4 * 8, target_ports = 2 * 2;
  const ClusterResources leaf_spine =
      four_nodes({"network.topology=leaf-spine", "network.nodes_per_leaf=2", "network.oversubscription=2"});
  CHECK(leaf_spine.switch_ports.compute == Approx(node_ports * (1 + 2.0 / 2)));
  CHECK(leaf_spine.switch_ports.total() == Approx(node_ports * (1 + 2.0 / 2) + target_ports));
  const ClusterResources fat_tree =
      four_nodes({"network.topology=fat-tree", "network.nodes_per_leaf=1", "network.leaves_per_pod=2",
                  "network.oversubscription=2", "network.pod_oversubscription=4"});
  CHECK(fat_tree.switch_ports.compute == Approx(node_ports * (1 + 2.0 / 2 + 2.0 / (2 * 4))));
}

TEST_CASE("resources: without remote storage there is no storage path, nor target ports")
{
  // quickstart: 1 node with 1 NIC on a single switch, its dataset on local NVMe.
  const ClusterResources r = cluster_resources(
      load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml", {}, DTSIM_SOURCE_DIR));
  CHECK_FALSE(r.storage_path);
  CHECK_FALSE(r.target_nics);
  CHECK(r.switch_ports.targets == 0);
  CHECK(r.switch_ports.total() == 1);
}

TEST_CASE("resources: an appliance's ports take switch ports but come with the appliance")
{
  // 96 DGX H100 (8 NDR NICs each) on a leaf-spine of oversubscription 1, 2 storage NICs per node, and an
  // appliance of 8 NDR ports.
  const ClusterResources r = cluster_resources(
      load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/appliance-300gbps-h100.yaml", {}, DTSIM_SOURCE_DIR));
  REQUIRE(r.target_nics);
  CHECK(r.target_nics->part_of_appliance);
  CHECK(r.target_nics->host_bandwidth == Approx(8 * 400e9 / 8));
  CHECK(r.switch_ports.targets == 8);
  CHECK(r.switch_ports.total() == Approx(96 * 8 * 3 + 96 * 2 + 8));
}
