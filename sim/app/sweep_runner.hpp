#pragma once
/// @brief `dtsim sweep`: a sweep's points simulated in child processes, their rows appended as they finish.
#include "sweep/sweep_definition.hpp"

#include <string>
#include <vector>

namespace dtsim::app {

/// @brief Which part of a sweep this process runs: point k (in sweep order) belongs to shard k mod count.
struct Shard {
  int index = 0;
  int count = 1;
};

/// The shard from "--shard I/N", or else from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT, or else the
/// whole sweep. Throws ConfigError for a malformed or out-of-range shard.
Shard shard_from(const std::string& option);

/// The points of `points` that belong to `shard`, in sweep order.
std::vector<sweep::SweepPoint> shard_points(const std::vector<sweep::SweepPoint>& points, const Shard& shard);

struct SweepRunOptions {
  std::string out_dir;
  std::string data_dir;
  int jobs = 1;
  Shard shard;
  bool baselines = true; ///< each point's one-device baseline, for its scaling efficiency
  bool progress = false; ///< a progress line on stderr
};

/// @brief What a sweep run did: points it ran, points it found done, points that failed.
struct SweepTally {
  std::size_t ran = 0;
  std::size_t skipped = 0;
  std::size_t failed = 0;
};

/// Runs this shard's points that have no ok row yet in the output directory, `jobs` at a time, each in a
/// process of its own that writes the point's folder; appends a row per point as it finishes. Without shards,
/// writes results.jsonl and results.csv at the end. Holds the folder's lock (sweep::FolderLock) throughout.
/// Throws ConfigError when the directory holds another sweep, when another process holds its lock, or when no
/// point of the shard is a valid scenario.
SweepTally run_sweep(const sweep::SweepDefinition& sweep, const SweepRunOptions& options);

} // namespace dtsim::app
