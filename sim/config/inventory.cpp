#include "config/inventory.hpp"

#include <cmath>

namespace dtsim::config {

namespace {

/// Ports of the compute fabric above the nodes' own: each of a leaf's uplinks (its node ports over the
/// oversubscription) takes a port on the leaf and one on the switch above, tier by tier.
double fabric_ports(const Scenario& s, double node_ports)
{
  const NetworkSpec& n = s.network;
  switch (n.topology) {
  case Topology::single_switch:
    return node_ports;
  case Topology::leaf_spine:
  case Topology::rail_optimized:
    return node_ports * (1 + 2 / n.oversubscription);
  case Topology::fat_tree:
    return node_ports * (1 + 2 / n.oversubscription + 2 / (n.oversubscription * n.pod_oversubscription));
  case Topology::dragonfly: {
    // Each pair of routers in a group, and each pair of groups, joined by links of the NICs' line rate.
    const DragonflySpec& d = n.dragonfly;
    const double port = s.cluster.nic_bandwidth;
    const double local =
        d.groups * d.routers_per_group * (d.routers_per_group - 1.0) * std::ceil(d.local_bandwidth / port);
    const double global = d.groups * (d.groups - 1.0) * std::ceil(d.global_bandwidth / port);
    return node_ports + local + global;
  }
  case Topology::torus: // chips meet on their own links; only a multislice joins hosts through a switch
    return n.slices > 1 ? node_ports : 0;
  }
  return node_ports;
}

} // namespace

double switch_ports(const Scenario& s)
{
  const auto& c = s.cluster;
  const auto& remote = s.storage.remote;
  const double target_ports = remote ? static_cast<double>(remote->targets) * remote->nics_per_target : 0;
  double ports = fabric_ports(s, static_cast<double>(c.nodes) * c.nics_per_node);
  if (s.network.separate_storage)
    ports += static_cast<double>(c.nodes) * s.network.storage_nics_per_node;
  return ports + target_ports;
}

std::vector<InventoryItem> inventory(const Scenario& s)
{
  const auto& c = s.cluster;
  const PriceList& p = s.cost.prices;
  const double nodes = c.nodes;
  const double mixed_nodes = c.mixed ? c.mixed->nodes : 0;
  std::vector<InventoryItem> items{
      {c.accelerator.name, (nodes - mixed_nodes) * c.accelerators_per_node, p.accelerator, "cost.accelerator_usd"}};
  if (c.mixed)
    items.push_back({c.mixed->accelerator.name, mixed_nodes * c.accelerators_per_node, p.mixed_accelerator,
                     "cost.mixed_accelerator_usd"});
  items.push_back({"server", nodes, p.server, "cost.server_usd"});
  items.push_back({"CPU core", nodes * c.cpu_cores_per_node, p.cpu_core, "cost.cpu_core_usd"});
  items.push_back({c.nic.name, nodes * c.nics_per_node, p.nic, "cost.nic_usd"});
  if (s.network.separate_storage)
    items.push_back({s.network.storage_nic.name + " (storage)", nodes * s.network.storage_nics_per_node, p.storage_nic,
                     "cost.storage_nic_usd"});
  if (const auto& local = s.storage.local_nvme)
    items.push_back({local->drive.name, nodes * local->drives, p.local_drive, "cost.drive_usd"});
  if (const auto& remote = s.storage.remote; remote && remote->appliance) {
    items.push_back({"storage appliance", 1, p.appliance, "cost.appliance_usd"});
  } else if (remote) {
    const double targets = remote->targets;
    items.push_back({"NVMe-oF target server", targets, p.storage_server, "cost.storage_server_usd"});
    items.push_back({remote->pool.drive.name + " (targets)", targets * remote->pool.drives, p.target_drive,
                     "cost.target_drive_usd"});
    items.push_back(
        {remote->nic.name + " (targets)", targets * remote->nics_per_target, p.target_nic, "cost.target_nic_usd"});
  }
  items.push_back({"switch port", switch_ports(s), p.switch_port, "cost.switch_port_usd"});
  items.push_back(
      {"page-cache memory (bytes)", nodes * s.storage.page_cache_bytes, p.memory_per_byte, "cost.memory_usd_per_gb"});
  std::erase_if(items, [](const InventoryItem& item) { return item.count <= 0; });
  return items;
}

std::optional<double> purchase_price(const Scenario& s)
{
  double total = 0;
  for (const auto& item : inventory(s)) {
    if (!item.unit_usd)
      return std::nullopt;
    total += item.total_usd();
  }
  return total;
}

} // namespace dtsim::config
