#pragma once
/// @brief The cluster's network resources, worked out once from a scenario: the NICs of the nodes and of the
/// NVMe-oF targets, the way a node's storage traffic leaves it, and the switch ports they all occupy.
///
/// The platform lays these out, the inventory and the energy count them, and the report and the training job
/// read them, so that each is decided here alone.
#include "config/scenario.hpp"

#include <optional>

namespace dtsim::config {

/// @brief Adapters of one kind, the same number on each node (or target).
struct NicGroup {
  Nic adapter;
  int per_host = 1;               ///< on each node, or each target
  double total = 0;               ///< in the whole cluster
  double port_bandwidth = 0;      ///< B/s per direction of one adapter
  double host_bandwidth = 0;      ///< B/s per direction of a node's (or target's) adapters together
  bool part_of_appliance = false; ///< an appliance's ports: bought and powered with the appliance
};

/// @brief The NICs a node's NVMe-oF (or appliance) traffic leaves through.
struct StoragePath {
  double bandwidth = 0;       ///< B/s per direction: the first compute NIC's, or all the node's storage NICs'
  bool shares_fabric = false; ///< on the compute fabric, alongside the gradients
};

/// @brief Switch ports the cluster's NICs and fabric links occupy, counted at the NICs' line rate.
struct SwitchPorts {
  double compute = 0;         ///< the compute NICs' ports and the fabric's own links above them, tier by tier
  double storage_network = 0; ///< a separate storage network's: the storage NICs' ports
  double targets = 0;         ///< the NVMe-oF targets' (or the appliance's) ports

  double total() const { return compute + storage_network + targets; }
};

struct ClusterResources {
  NicGroup compute_nics;                ///< carry the gradients; the first also the storage traffic of a shared network
  std::optional<NicGroup> storage_nics; ///< a separate storage network's: carry the storage traffic alone
  std::optional<NicGroup> target_nics;  ///< the NVMe-oF targets' (or the appliance's ports)
  std::optional<StoragePath> storage_path; ///< none without remote storage
  SwitchPorts switch_ports;
};

ClusterResources cluster_resources(const Scenario& scenario);

} // namespace dtsim::config
