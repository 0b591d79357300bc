#include "training/dataset_reads.hpp"

#include <algorithm>
#include <cmath>

namespace dtsim::training {

namespace {

const config::StoragePool* dataset_pool(const config::StorageSpec& storage)
{
  if (storage.local_nvme)
    return &*storage.local_nvme;
  if (storage.nvme_of)
    return &storage.nvme_of->pool;
  return nullptr;
}

} // namespace

DatasetReads::DatasetReads(const config::Scenario& scenario)
    : storage_(scenario.storage)
    , nodes_(scenario.cluster.nodes)
    , dataset_bytes_(static_cast<double>(scenario.workload.dataset_samples) * scenario.workload.model.sample_bytes.value)
    , dataset_samples_(scenario.workload.dataset_samples)
    , samples_per_micro_step_(static_cast<long long>(scenario.cluster.devices()) * scenario.workload.batch_per_device)
    , batch_bytes_(scenario.workload.batch_per_device * scenario.workload.model.sample_bytes.value)
{
  if (const config::StoragePool* pool = dataset_pool(storage_)) {
    const double files = static_cast<double>(scenario.workload.batch_per_device) / storage_.samples_per_file;
    lone_fetch_time_ = files * storage_.request_latency + batch_bytes_ / storage_.read_bandwidth(*pool);
  }
}

long long DatasetReads::epoch_of(long long batch_index) const
{
  return batch_index * samples_per_micro_step_ / dataset_samples_;
}

double DatasetReads::cache_hit_fraction(long long epoch) const
{
  if (epoch == 0 || storage_.page_cache_bytes == 0)
    return 0;
  if (storage_.sharding == config::Sharding::fixed)
    return std::min(1.0, storage_.page_cache_bytes * nodes_ / dataset_bytes_);
  // Each epoch deals the node a uniformly random 1/nodes of the dataset; the cache holds part of what it read before.
  const double read_before = dataset_bytes_ * (1 - std::pow(1 - 1.0 / nodes_, static_cast<double>(epoch)));
  return std::min(storage_.page_cache_bytes, read_before) / dataset_bytes_;
}

} // namespace dtsim::training
