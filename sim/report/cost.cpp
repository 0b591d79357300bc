#include "report/cost.hpp"

#include "config/cluster_resources.hpp"
#include "config/inventory.hpp"
#include "report/summary.hpp"

namespace dtsim::report {

namespace {

constexpr double joules_per_kwh = 3.6e6;
constexpr double seconds_per_hour = 3600;
constexpr double seconds_per_year = 365.25 * 24 * seconds_per_hour;
constexpr double seconds_per_month = seconds_per_year / 12;

/// Joules of `units` parts drawing `idle` W for `elapsed` s and up to `max` W while busy for `busy` of it.
double draw(double units, double idle, double max, double busy, double elapsed)
{
  return units * (idle + busy * (max - idle)) * elapsed;
}

/// Bytes the run keeps on remote storage: the dataset when it is read from there, checkpoints written there.
double remote_bytes(const config::Scenario& s)
{
  double bytes = 0;
  if (s.storage.dataset_is_remote())
    bytes += static_cast<double>(s.workload.dataset_samples) * s.workload.model.sample_bytes.value;
  if (s.checkpoint.enabled() && s.checkpoint.to != config::CheckpointStorage::local_nvme)
    bytes += s.checkpoint.bytes;
  return bytes;
}

} // namespace

std::vector<EnergyPart> energy_parts(const config::Scenario& s, const RunResult& run, const Utilisation& u,
                                     double elapsed)
{
  const auto& c = s.cluster;
  const auto& parts = s.infrastructure;
  const double nodes = c.nodes;
  std::vector<EnergyPart> energy;
  const auto add = [&](std::string part, double joules) {
    if (joules > 0)
      energy.push_back({std::move(part), joules / joules_per_kwh});
  };
  for (std::size_t k = 0; k < run.groups.size(); ++k) {
    const auto& a = *run.groups[k].accelerator;
    const double devices = static_cast<double>(run.groups[k].nodes) * c.accelerators_per_node;
    const double busy_seconds = run.totals.group_busy_seconds.empty() ? 0 : run.totals.group_busy_seconds[k];
    add(a.name, devices * a.idle_power.value * elapsed + busy_seconds * (a.max_power.value - a.idle_power.value));
  }
  add("servers", nodes * c.accelerators_per_node * parts.server_idle_power.value * elapsed);
  const double cores = nodes * c.cpu_cores_per_node;
  add("CPU cores", draw(cores, parts.cpu_core_idle_power.value, parts.cpu_core_max_power.value, u.cpu_cores, elapsed));

  const config::ClusterResources r = config::cluster_resources(s);
  const auto watts = [](const config::NicGroup& nics) { return nics.total * nics.adapter.power.value; };
  double nic_watts = watts(r.compute_nics);
  if (r.storage_nics)
    nic_watts += watts(*r.storage_nics);
  if (r.target_nics && !r.target_nics->part_of_appliance)
    nic_watts += watts(*r.target_nics);
  add("NICs", nic_watts * elapsed);

  const auto& remote = s.storage.remote;
  const auto drives = [&](const config::StoragePool& pool, double units, bool holds_dataset) {
    return draw(units * pool.drives, pool.drive.idle_power.value, pool.drive.active_power.value,
                holds_dataset ? u.drives.value_or(0) : 0, elapsed);
  };
  double drive_joules = 0;
  if (const auto& local = s.storage.local_nvme)
    drive_joules += drives(*local, nodes, s.storage.dataset_on == config::DatasetLocation::local_nvme);
  if (remote && !remote->appliance)
    drive_joules += drives(remote->pool, remote->targets, s.storage.dataset_is_remote());
  add("drives", drive_joules);
  if (remote && !remote->appliance)
    add("NVMe-oF target servers", remote->targets * parts.storage_server_power.value * elapsed);
  if (remote && remote->appliance)
    add("storage appliance", remote->appliance_power.value_or(0) * elapsed);
  add("switch ports", r.switch_ports.total() * parts.switch_port_power.value * elapsed);
  return energy;
}

std::vector<CostPart> run_cost(const config::Scenario& s, double devices, double elapsed, double energy_kwh)
{
  const auto& c = s.cost;
  switch (c.model) {
  case config::CostModel::none:
    return {};
  case config::CostModel::hourly: {
    std::vector<CostPart> cost{{"device-hours", devices * elapsed / seconds_per_hour * c.device_hour_usd}};
    if (const double bytes = remote_bytes(s); bytes > 0)
      cost.push_back({"remote storage", bytes * c.storage_usd_per_byte_month * elapsed / seconds_per_month});
    return cost;
  }
  case config::CostModel::purchase:
    return {
        {"amortisation", config::purchase_price(s).value_or(0) * elapsed / (c.service_life_years * seconds_per_year)},
        {"energy", energy_kwh * c.energy_usd_per_kwh}};
  }
  return {};
}

} // namespace dtsim::report
