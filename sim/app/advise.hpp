#pragma once
/// @brief `dtsim advise`: the upgrade moves the catalog offers for a scenario, each one a set of --set overrides.
///
/// Moves: twice the nodes; each faster accelerator of the same kind and vendor; for a dataset read from
/// storage, twice the NVMe-oF targets, drives or appliance ports, each faster drive, the dataset moved to
/// local NVMe, and page cache that holds each node's shard; the next faster NIC (compute fabric, targets);
/// twice the CPU cores. A move the scenario cannot take (a torus that cannot grow, a model that does not
/// fit) fails validation and is reported as not applicable.
#include "config/catalog.hpp"
#include "config/scenario.hpp"

#include <string>
#include <vector>

namespace dtsim::app {

/// @brief One upgrade: what it is called, what it buys (compute, storage, network, CPU) and how it is set.
struct UpgradeMove {
  std::string name;
  std::string kind;
  std::vector<std::string> overrides;
};

/// The moves worth simulating for `base`, in a fixed order.
std::vector<UpgradeMove> upgrade_moves(const config::Scenario& base, const config::Catalog& catalog);

} // namespace dtsim::app
