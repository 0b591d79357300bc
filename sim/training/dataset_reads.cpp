#include "training/dataset_reads.hpp"

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

/// SplitMix64's finaliser (Steele, Lea and Flood, OOPSLA 2014): a well-mixed 64-bit hash of `x`.
std::uint64_t mix(std::uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A uniform draw in (0, 1) from a hash.
double unit_interval(std::uint64_t hash)
{
  return (static_cast<double>(hash >> 11) + 0.5) / 9007199254740992.0; // 2^53
}

/// A standard normal draw determined by `key` alone (Box-Muller).
double standard_normal(std::uint64_t key)
{
  const double u1 = unit_interval(mix(key)), u2 = unit_interval(mix(key ^ 0x5851f42d4c957f2dULL));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

} // namespace

DatasetReads::DatasetReads(const config::Scenario& scenario)
    : storage_(scenario.storage)
    , nodes_(scenario.cluster.nodes)
    , seed_(scenario.seed)
    , batch_samples_(scenario.workload.batch_per_device)
    , sample_bytes_(scenario.workload.model.sample_bytes.value)
    , sample_size_spread_(scenario.workload.sample_size_spread)
    , dataset_bytes_(static_cast<double>(scenario.workload.dataset_samples) * sample_bytes_)
    , dataset_samples_(scenario.workload.dataset_samples)
    , samples_per_micro_step_(static_cast<long long>(scenario.cluster.devices()) * batch_samples_)
{
  if (const config::StoragePool* pool = dataset_pool(storage_)) {
    file_latency_per_batch_ =
        static_cast<double>(batch_samples_) / storage_.samples_per_file * storage_.request_latency;
    read_bandwidth_ = storage_.read_bandwidth(*pool);
  }
}

long long DatasetReads::epoch_of(long long batch_index) const
{
  return batch_index * samples_per_micro_step_ / dataset_samples_;
}

double DatasetReads::batch_bytes(int rank, long long batch_index) const
{
  const double mean = batch_samples_ * sample_bytes_;
  if (sample_size_spread_ == 0)
    return mean;
  const std::uint64_t key =
      mix(mix(seed_) ^ static_cast<std::uint64_t>(rank)) ^ static_cast<std::uint64_t>(batch_index);
  return std::max(0.0,
                  mean + std::sqrt(static_cast<double>(batch_samples_)) * sample_size_spread_ * standard_normal(key));
}

double DatasetReads::lone_fetch_time(double bytes) const
{
  return read_bandwidth_ > 0 ? file_latency_per_batch_ + bytes / read_bandwidth_ : 0;
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
