#include "training/dataset_reads.hpp"

#include "training/random_draws.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace dtsim::training {

namespace {

const config::StoragePool* dataset_pool(const config::StorageSpec& storage)
{
  if (storage.dataset_on == config::DatasetLocation::local_nvme)
    return &*storage.local_nvme;
  if (storage.dataset_is_remote())
    return &storage.remote->pool;
  return nullptr;
}

/// A standard normal draw determined by `key` alone (Box-Muller).
double standard_normal(std::uint64_t key)
{
  const double u1 = unit_interval(mix64(key)), u2 = unit_interval(mix64(key ^ 0x5851f42d4c957f2dULL));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

} // namespace

DatasetReads::DatasetReads(const config::Scenario& scenario, std::vector<int> batch_per_rank)
    : storage_(scenario.storage)
    , nodes_(scenario.cluster.nodes)
    , seed_(scenario.seed)
    , batch_per_rank_(std::move(batch_per_rank))
    , sample_bytes_(scenario.workload.model.sample_bytes.value)
    , sample_size_spread_(scenario.workload.sample_size_spread)
    , dataset_bytes_(static_cast<double>(scenario.workload.dataset_samples) * sample_bytes_)
    , dataset_samples_(scenario.workload.dataset_samples)
{
  if (batch_per_rank_.empty())
    batch_per_rank_.assign(static_cast<std::size_t>(scenario.cluster.devices()), scenario.workload.batch_per_device);
  samples_per_micro_step_ = 0;
  for (int batch : batch_per_rank_)
    samples_per_micro_step_ += batch;
  if (const config::StoragePool* pool = dataset_pool(storage_)) {
    file_latency_per_sample_ = storage_.request_latency / storage_.samples_per_file;
    read_bandwidth_ = storage_.read_bandwidth(*pool);
    if (storage_.dataset_is_remote() && storage_.remote->client_read_bandwidth > 0)
      read_bandwidth_ = std::min(read_bandwidth_, storage_.remote->client_read_bandwidth);
  }
}

long long DatasetReads::epoch_of(long long batch_index) const
{
  return batch_index * samples_per_micro_step_ / dataset_samples_;
}

double DatasetReads::batch_bytes(int rank, long long batch_index) const
{
  const int batch = batch_of(rank);
  const double mean = batch * sample_bytes_;
  if (sample_size_spread_ == 0)
    return mean;
  const std::uint64_t key =
      mix64(mix64(seed_) ^ static_cast<std::uint64_t>(rank)) ^ static_cast<std::uint64_t>(batch_index);
  return std::max(0.0, mean + std::sqrt(static_cast<double>(batch)) * sample_size_spread_ * standard_normal(key));
}

double DatasetReads::lone_fetch_time(int rank, double bytes) const
{
  return read_bandwidth_ > 0 ? batch_of(rank) * file_latency_per_sample_ + bytes / read_bandwidth_ : 0;
}

long long DatasetReads::first_warm_epoch(long long last_epoch, double tolerance) const
{
  if (storage_.page_cache_bytes == 0)
    return 0;
  const double final_share = std::min(
      1.0, storage_.page_cache_bytes * (storage_.sharding == config::Sharding::fixed ? nodes_ : 1) / dataset_bytes_);
  for (long long epoch = 1; epoch < last_epoch; ++epoch)
    if (final_share - cache_hit_fraction(epoch) <= tolerance) // the share only grows
      return epoch;
  return last_epoch;
}

DatasetReads::Split DatasetReads::mean_reads(long long first_batch, long long end_batch) const
{
  Split split;
  if (read_bandwidth_ == 0)
    return split; // synthetic data, or a dataset in memory
  const auto first_batch_of = [this](long long epoch) {
    return (epoch * dataset_samples_ + samples_per_micro_step_ - 1) / samples_per_micro_step_;
  };
  for (long long epoch = epoch_of(first_batch); first_batch_of(epoch) < end_batch; ++epoch) {
    const long long batches =
        std::min(end_batch, first_batch_of(epoch + 1)) - std::max(first_batch, first_batch_of(epoch));
    const double bytes = static_cast<double>(batches * samples_per_micro_step_) * sample_bytes_;
    split.cache += cache_hit_fraction(epoch) * bytes;
    split.storage += (1 - cache_hit_fraction(epoch)) * bytes;
  }
  return split;
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
