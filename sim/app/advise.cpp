#include "app/advise.hpp"

#include <cmath>
#include <fmt/format.h>

namespace dtsim::app {

namespace {

std::string set(const std::string& key, const auto& value)
{
  return fmt::format("{}={}", key, value);
}

/// Accelerators of the same kind and vendor with a higher dense peak at the scenario's precision.
void faster_accelerators(const config::Scenario& s, const config::Catalog& catalog, std::vector<UpgradeMove>& moves)
{
  const auto& current = s.cluster.accelerator;
  const auto& precision = s.workload.precision;
  const double peak = current.peak_rate.at(precision).value;
  for (const auto& [name, a] : catalog.accelerators()) {
    const auto rate = a.peak_rate.find(precision);
    if (a.kind == current.kind && a.vendor == current.vendor && rate != a.peak_rate.end() && rate->second.value > peak)
      moves.push_back({"accelerators: " + name, "compute", {set("cluster.accelerator", name)}});
  }
}

/// The NIC with the least bandwidth above `bandwidth`, or nothing.
const config::Nic* next_faster_nic(const config::Catalog& catalog, double bandwidth)
{
  const config::Nic* best = nullptr;
  for (const auto& [name, nic] : catalog.nics())
    if (nic.bandwidth.value > bandwidth && nic.price_usd && (!best || nic.bandwidth.value < best->bandwidth.value))
      best = &nic;
  return best;
}

void storage_moves(const config::Scenario& s, const config::Catalog& catalog, std::vector<UpgradeMove>& moves)
{
  const auto& st = s.storage;
  const bool local = st.dataset_on == config::DatasetLocation::local_nvme;
  if (!local && !st.dataset_is_remote())
    return; // synthetic data or a dataset in memory reads nothing
  const auto& remote = st.remote;
  const config::StoragePool& pool = local ? *st.local_nvme : remote->pool;
  if (local) {
    moves.push_back({"2x local drives", "storage", {set("storage.local_nvme.drives_per_node", 2 * pool.drives)}});
  } else if (remote->appliance) {
    moves.push_back({"2x appliance ports", "storage", {set("storage.appliance.ports", 2 * remote->nics_per_target)}});
  } else {
    moves.push_back({"2x NVMe-oF targets", "storage", {set("storage.nvme_of.targets", 2 * remote->targets)}});
    moves.push_back({"2x drives per target", "storage", {set("storage.nvme_of.drives_per_target", 2 * pool.drives)}});
    if (const auto* nic = next_faster_nic(catalog, remote->nic.bandwidth.value))
      moves.push_back({"target NICs: " + nic->name, "storage", {set("storage.nvme_of.nic", nic->name)}});
  }
  if (!remote || !remote->appliance) {
    const std::string section = local ? "storage.local_nvme.drive" : "storage.nvme_of.drive";
    for (const auto& [name, drive] : catalog.drives())
      if (drive.price_usd && st.read_bandwidth({drive, 1}) > st.read_bandwidth({pool.drive, 1}))
        moves.push_back({"drives: " + name, "storage", {set(section, name)}});
  }
  if (!local)
    moves.push_back({"dataset on local NVMe (1 " + pool.drive.name + " per node)",
                     "storage",
                     {"storage.dataset_on=local-nvme", set("storage.local_nvme.drive", pool.drive.name)}});
  const double shard =
      static_cast<double>(s.workload.dataset_samples) * s.workload.model.sample_bytes.value / s.cluster.nodes;
  const double cache_gb = std::ceil(shard / 1e9);
  if (cache_gb * 1e9 > st.page_cache_bytes)
    moves.push_back({fmt::format("page cache {:g} GB per node (the node's shard)", cache_gb),
                     "storage",
                     {set("storage.page_cache", fmt::format("{:g} GB", cache_gb)), "storage.sharding=fixed"}});
}

/// Twice the cores per node, and enough loader workers per device to keep them all busy (hardware threads
/// included): extra cores that no worker uses would save nothing.
UpgradeMove more_cpu_cores(const config::Scenario& s)
{
  config::ClusterSpec doubled = s.cluster;
  doubled.cpu_cores_per_node *= 2;
  const int per_node = s.cluster.accelerators_per_node;
  const int workers_to_fill = (doubled.input_cores() + per_node - 1) / per_node;
  UpgradeMove move{"2x CPU cores", "CPU", {set("cluster.cpu_cores_per_node", doubled.cpu_cores_per_node)}};
  if (s.training.loader_workers < workers_to_fill) {
    move.name += fmt::format(" ({} loader workers per device)", workers_to_fill);
    move.overrides.push_back(set("training.loader_workers", workers_to_fill));
  }
  return move;
}

} // namespace

std::vector<UpgradeMove> upgrade_moves(const config::Scenario& s, const config::Catalog& catalog)
{
  std::vector<UpgradeMove> moves{{"2x nodes", "compute", {set("cluster.nodes", 2 * s.cluster.nodes)}}};
  faster_accelerators(s, catalog, moves);
  storage_moves(s, catalog, moves);
  if (s.cluster.nodes > 1)
    if (const auto* nic = next_faster_nic(catalog, s.cluster.nic.bandwidth.value))
      moves.push_back({"NICs: " + nic->name, "network", {set("cluster.nic", nic->name)}});
  moves.push_back(more_cpu_cores(s));
  return moves;
}

} // namespace dtsim::app
