#pragma once
/// @brief What a scenario's cluster is built from: each kind of part, how many, and its purchase price.
///
/// Parts are counted from the scenario alone (no simulation): accelerators, servers, CPU cores, NICs, drives,
/// NVMe-oF target servers or the appliance, switch ports and the memory set aside as page cache. NICs and switch
/// ports are those of config/cluster_resources.
#include "config/scenario.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dtsim::config {

struct InventoryItem {
  std::string part;               ///< "A100-SXM4-80GB", "server", "switch port", ...
  double count = 0;               ///< units, or bytes for page-cache memory
  std::optional<double> unit_usd; ///< empty when neither scenario nor catalog gives a price
  std::string price_key;          ///< the cost.* key that sets the price
  double total_usd() const { return count * unit_usd.value_or(0); }
};

/// Every part of the cluster with a count above zero, in a fixed order.
std::vector<InventoryItem> inventory(const Scenario& scenario);

/// The cluster's purchase price in USD, or nothing when some part has no price.
std::optional<double> purchase_price(const Scenario& scenario);

} // namespace dtsim::config
