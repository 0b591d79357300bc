#pragma once
/// @brief What reading one batch asks of storage: its bytes, the share the node's page cache serves, and
/// the time one loader takes with the storage to itself. Plain arithmetic, no SimGrid.
#include "config/scenario.hpp"

namespace dtsim::training {

class DatasetReads {
public:
  explicit DatasetReads(const config::Scenario& scenario);

  /// Fraction of a node's reads in `epoch` (0 for the first) that its page cache serves, as
  /// storage.page_cache's help describes.
  double cache_hit_fraction(long long epoch) const;

  /// Epoch of a worker's `batch_index`-th micro-batch: every worker takes one micro-batch per micro-step.
  long long epoch_of(long long batch_index) const;

  double batch_bytes() const { return batch_bytes_; }

  /// s to read a whole batch from storage with no other loader: files opened one after another, each
  /// costing the request latency, then the bytes at the storage's read bandwidth. Loaders in parallel
  /// overlap these latencies, so a batch takes this long or its share of the drives and links, whichever is longer.
  double lone_fetch_time() const { return lone_fetch_time_; }

private:
  config::StorageSpec storage_;
  int nodes_ = 1;
  double dataset_bytes_ = 0;
  long long dataset_samples_ = 1;
  long long samples_per_micro_step_ = 1;
  double batch_bytes_ = 0;
  double lone_fetch_time_ = 0;
};

} // namespace dtsim::training
