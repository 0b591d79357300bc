#pragma once
/// @brief What the training model reports: one record per step, trace spans, and run totals.
#include <optional>
#include <string>
#include <vector>

namespace dtsim::training {

/// @brief One optimizer step; components are means over workers and add up to the step's duration.
struct StepRecord {
  long long step = 0;
  double start = 0; ///< s, simulated
  double end = 0;
  double data_stall = 0;
  double compute = 0;
  double exposed_comm = 0;
  double imbalance = 0; ///< s waiting, after its own backward, for slower devices to finish theirs
  double optimizer = 0;
  double overhead = 0;
  double checkpoint = 0; ///< s the trainer waited for a checkpoint
};

/// @brief Optimizer steps first to end - 1, counted from 0 like StepRecord::step.
struct StepRange {
  long long first = 0;
  long long end = 0;

  bool contains(long long step) const { return step >= first && step < end; }
};

/// @brief What a span worked on, where known: the timeline shows it with the span.
struct SpanArguments {
  std::optional<int> bucket;        ///< comm: the gradient bucket, in the order backward produces them
  std::optional<double> bytes;      ///< comm: all-reduced per device; a loader's read: fetched from storage
  std::optional<long long> samples; ///< input and loader spans: samples in the micro-batch
  std::string algorithm;            ///< comm: the all-reduce algorithm it ran with
  std::string protocol;             ///< comm: and its protocol
};

/// @brief A span of activity on one worker's stream, for the timeline.
struct TraceSpan {
  int worker = 0;
  std::string stream; ///< "compute", "comm", "input", "loader-<j>"
  std::string name;
  double start = 0;
  double end = 0;
  long long step = 0; ///< the optimizer step it belongs to, counted from 0 like StepRecord::step
  SpanArguments arguments;
};

/// @brief Work done over the whole run, for utilisations.
struct RunTotals {
  double device_busy_seconds = 0;         ///< forward, backward and optimizer, summed over devices
  std::vector<double> group_busy_seconds; ///< the same per device group (training/device_groups.hpp)
  double cpu_core_seconds = 0;            ///< preprocessing, summed over nodes
  double storage_bytes_read = 0;
  double cache_bytes_read = 0;          ///< served by the nodes' page caches instead of storage
  double gradient_bytes_per_device = 0; ///< all-reduced per device over the run
  double allreduce_seconds = 0;         ///< time the communicator spent in collectives
  int checkpoints = 0;
  double checkpoint_write_seconds = 0; ///< summed over checkpoints, from the request to the last byte written
  double restore_seconds = 0;          ///< reading the checkpoint back and copying it to the devices
};

/// @brief Receives the model's output; writers and tests implement it.
class MetricsSink {
public:
  virtual ~MetricsSink() = default;
  virtual void step(const StepRecord& record) = 0;
  virtual void span(const TraceSpan& span) = 0;
};

} // namespace dtsim::training
