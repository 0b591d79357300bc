#pragma once
/// @brief Lays a scenario's cluster, network and storage out as zones, hosts and links.
///
/// What is modelled: each accelerator is a host whose speed is its dense peak at the scenario's
/// precision; each node has one CPU host (one core per CPU core, speed 1, so an exec of N FLOP
/// costs N core-seconds) holding the local NVMe drives as one striped disk; links are full duplex.
/// Inside a node, an NVSwitch is a per-device link to a non-blocking switch, an NVLink mesh a
/// link per pair carrying link_bandwidth / (devices - 1), and PCIe a per-device link to the host
/// bridge. Accelerator k reaches the network through its PCIe link and NIC k mod nics_per_node;
/// the CPU (input pipeline) through NIC 0. A leaf-spine fabric is reduced to one uplink per leaf
/// whose capacity is the leaf's NIC capacity divided by the oversubscription, which is what ECMP
/// over the spines gives a flow-level model; a single switch adds no link, only latency. A
/// rail-optimised fabric has one such leaf per rail per group of nodes, NIC k of each node on the
/// leaf of rail k, so traffic between rails crosses the spine. NVMe-oF targets hang off the spine
/// (or the single switch) through their NICs.
/// Ignored for now: PCIe switch sharing.
#include "config/scenario.hpp"
#include "platform/zone_spec.hpp"

#include <string>
#include <vector>

namespace dtsim::platform {

struct ClusterLayout {
  ZoneSpec root;
  std::vector<std::string> worker_hosts; ///< accelerator host of each data-parallel rank
  std::vector<int> worker_node;          ///< node index of each rank
  std::vector<std::string> node_cpus;    ///< CPU host of each node
  std::string local_disk;                ///< disk name on each node's CPU host ("" without local NVMe)
  /// Disk name on each node's CPU host whose read bandwidth is the file-system client's limit ("" without one)
  std::string client_mount;
  std::vector<std::string> storage_targets; ///< NVMe-oF target hosts
  std::string target_disk;                  ///< disk name on each target host
};

ClusterLayout lay_out_cluster(const config::Scenario& scenario);

} // namespace dtsim::platform
