#pragma once
/// @brief The devices of each accelerator kind in the job, with their batch and compute plan.
///
/// A cluster has one group, a mixed cluster two (its last cluster.mixed.nodes nodes form the second).
/// With training.batch_split equal every device takes workload.batch_per_device; with by-speed the global
/// batch is dealt in proportion to each kind's rate at its own batch, found by a few fixed-point rounds
/// since the rate depends on the batch.
#include "config/scenario.hpp"
#include "training/compute_model.hpp"

#include <vector>

namespace dtsim::training {

struct DeviceGroup {
  const config::Accelerator* accelerator = nullptr;
  int first_node = 0;
  int nodes = 0;
  int batch_per_device = 0;
  ComputePlan plan;
};

/// Throws ConfigError at training.batch_split when a by-speed batch does not fit a device's memory.
std::vector<DeviceGroup> plan_device_groups(const config::Scenario& scenario);

/// Index in `groups` of the group `node` belongs to.
std::size_t group_index_of_node(const std::vector<DeviceGroup>& groups, int node);

/// Each worker's batch, from the node each worker is on.
std::vector<int> batch_per_rank(const std::vector<DeviceGroup>& groups, const std::vector<int>& worker_node);

/// Samples all devices take in one micro-step.
long long samples_per_micro_step(const std::vector<DeviceGroup>& groups, int devices_per_node);

} // namespace dtsim::training
