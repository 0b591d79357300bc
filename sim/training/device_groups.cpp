#include "training/device_groups.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace dtsim::training {

namespace {

/// Fixed-point rounds of the by-speed split; the batches settle in two or three.
constexpr int split_rounds = 4;

double samples_per_second(const ComputePlan& plan, int batch)
{
  return batch / (plan.accelerator_preprocess_time + plan.forward_time + plan.backward_time);
}

/// Deals the global batch in proportion to each group's rate at its current batch.
void split_by_speed(const config::Scenario& s, std::vector<DeviceGroup>& groups)
{
  const int per_node = s.cluster.accelerators_per_node;
  const double global_batch = static_cast<double>(s.workload.batch_per_device) * s.cluster.devices();
  for (int round = 0; round < split_rounds; ++round) {
    double total_rate = 0;
    for (const auto& g : groups)
      total_rate += g.nodes * per_node * samples_per_second(g.plan, g.batch_per_device);
    std::vector<int> batches;
    for (const auto& g : groups)
      batches.push_back(std::max(1, static_cast<int>(std::lround(
                                        global_batch * samples_per_second(g.plan, g.batch_per_device) / total_rate))));
    for (std::size_t k = 0; k < groups.size(); ++k) {
      groups[k].batch_per_device = batches[k];
      groups[k].plan = plan_compute(s, *groups[k].accelerator, batches[k]);
    }
  }
  for (const auto& g : groups)
    if (const auto problem = config::memory_shortfall(s, *g.accelerator, g.batch_per_device))
      throw config::ConfigError(
          s.training.batch_split_at, "training.batch_split",
          fmt::format("by-speed deals {} a batch of {}: {}", g.accelerator->name, g.batch_per_device, *problem));
}

} // namespace

std::vector<DeviceGroup> plan_device_groups(const config::Scenario& s)
{
  const auto& c = s.cluster;
  const int batch = s.workload.batch_per_device;
  std::vector<DeviceGroup> groups;
  const int mixed_nodes = c.mixed ? c.mixed->nodes : 0;
  groups.push_back({&c.accelerator, 0, c.nodes - mixed_nodes, batch, plan_compute(s, c.accelerator, batch)});
  if (c.mixed) {
    groups.push_back({&c.mixed->accelerator, c.nodes - mixed_nodes, mixed_nodes, batch,
                      plan_compute(s, c.mixed->accelerator, batch)});
    if (s.training.batches_by_speed)
      split_by_speed(s, groups);
  }
  return groups;
}

std::size_t group_index_of_node(const std::vector<DeviceGroup>& groups, int node)
{
  for (std::size_t k = 0; k < groups.size(); ++k)
    if (node < groups[k].first_node + groups[k].nodes)
      return k;
  return groups.size() - 1;
}

std::vector<int> batch_per_rank(const std::vector<DeviceGroup>& groups, const std::vector<int>& worker_node)
{
  std::vector<int> batches;
  for (int node : worker_node)
    batches.push_back(groups[group_index_of_node(groups, node)].batch_per_device);
  return batches;
}

long long samples_per_micro_step(const std::vector<DeviceGroup>& groups, int devices_per_node)
{
  long long samples = 0;
  for (const auto& g : groups)
    samples += static_cast<long long>(g.nodes) * devices_per_node * g.batch_per_device;
  return samples;
}

} // namespace dtsim::training
