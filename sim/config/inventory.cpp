#include "config/inventory.hpp"

#include "config/cluster_resources.hpp"

namespace dtsim::config {

std::vector<InventoryItem> inventory(const Scenario& s)
{
  const auto& c = s.cluster;
  const ClusterResources r = cluster_resources(s);
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
  items.push_back({r.compute_nics.adapter.name, r.compute_nics.total, p.nic, "cost.nic_usd"});
  if (r.storage_nics)
    items.push_back(
        {r.storage_nics->adapter.name + " (storage)", r.storage_nics->total, p.storage_nic, "cost.storage_nic_usd"});
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
        {r.target_nics->adapter.name + " (targets)", r.target_nics->total, p.target_nic, "cost.target_nic_usd"});
  }
  items.push_back({"switch port", r.switch_ports.total(), p.switch_port, "cost.switch_port_usd"});
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
