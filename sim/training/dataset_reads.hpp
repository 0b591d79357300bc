#pragma once
/// @brief What reading one batch asks of storage: its bytes, the share the node's page cache serves, and
/// the time one loader takes with the storage to itself. Plain arithmetic, no SimGrid.
#include "config/scenario.hpp"

#include <cstdint>
#include <vector>

namespace dtsim::training {

class DatasetReads {
public:
  /// `batch_per_rank`: each worker's micro-batch, when they differ (a mixed cluster split by speed); empty
  /// means workload.batch_per_device everywhere.
  explicit DatasetReads(const config::Scenario& scenario, std::vector<int> batch_per_rank = {});

  /// Fraction of a node's reads in `epoch` (0 for the first) that its page cache serves, as
  /// storage.page_cache's help describes.
  double cache_hit_fraction(long long epoch) const;

  /// The first epoch from which every later epoch's page-cache share is within `tolerance` of its final value
  /// (0 without a page cache); `last_epoch` when none before it is.
  long long first_warm_epoch(long long last_epoch, double tolerance) const;

  /// @brief Dataset bytes read from storage and served by the page caches.
  struct Split {
    double storage = 0, cache = 0;
  };
  /// Bytes of every worker's micro-batches [first_batch, end_batch) at the mean sample size.
  Split mean_reads(long long first_batch, long long end_batch) const;

  /// Epoch of a worker's `batch_index`-th micro-batch: every worker takes one micro-batch per micro-step.
  long long epoch_of(long long batch_index) const;

  /// Bytes of worker `rank`'s `batch_index`-th micro-batch: the mean, or with a sample-size spread a
  /// draw that depends only on the seed, the rank and the index (not on the order of events).
  double batch_bytes(int rank, long long batch_index) const;

  /// s to read a batch of `bytes` from storage with no other loader: files opened one after another, each
  /// costing the request latency, then the bytes at the storage's read bandwidth. Loaders in parallel
  /// overlap these latencies, so a batch takes this long or its share of the drives and links, whichever is longer.
  double lone_fetch_time(int rank, double bytes) const;

private:
  config::StorageSpec storage_;
  int nodes_ = 1;
  std::uint64_t seed_ = 0;
  std::vector<int> batch_per_rank_;
  double sample_bytes_ = 0;
  double sample_size_spread_ = 0;
  double dataset_bytes_ = 0;
  long long dataset_samples_ = 1;
  long long samples_per_micro_step_ = 1;

  int batch_of(int rank) const { return batch_per_rank_[static_cast<std::size_t>(rank)]; }
  double file_latency_per_sample_ = 0; ///< s: request latency per file / samples per file
  double read_bandwidth_ =
      0; ///< B/s one loader alone gets: the drives', or a node's client limit if lower; 0 without storage
};

} // namespace dtsim::training
