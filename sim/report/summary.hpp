#pragma once
/// @brief The figures a run reports, derived from its step records and totals; no SimGrid here.
#include "config/scenario.hpp"
#include "report/cost.hpp"
#include "training/device_groups.hpp"
#include "training/metrics.hpp"
#include "training/steady_state.hpp"

#include <optional>
#include <string>
#include <vector>

namespace dtsim::report {

/// @brief Everything a simulation produced, as plain data.
struct RunResult {
  std::vector<training::StepRecord> steps;
  std::vector<training::TraceSpan> spans;
  training::RunTotals totals;
  std::vector<training::DeviceGroup> groups; ///< one per accelerator kind, with its batch and compute plan
  long long first_warm_step = 0;             ///< TrainingJob::first_warm_step()
  training::StepRange trace_steps;           ///< TrainingJob::trace_steps()
};

/// @brief Seconds per step, means over the steady-state steps and the workers.
struct Breakdown {
  double data_stall = 0, compute = 0, exposed_comm = 0, optimizer = 0, overhead = 0, checkpoint = 0;
  double imbalance = 0;   ///< waiting for slower devices to finish their backward (mixed clusters, uneven stalls)
  double fetch_stall = 0; ///< of data_stall, waiting for storage; the rest waited for preprocessing
  double preprocess_stall() const { return data_stall - fetch_stall; }
};

/// @brief Busy fractions over the whole run; storage ones only when the dataset is read from storage.
struct Utilisation {
  double accelerators = 0;
  double cpu_cores = 0;
  std::optional<double> drives;        ///< dataset reads over the drives' read bandwidth
  std::optional<double> target_nics;   ///< NVMe-oF: dataset reads over the targets' NIC bandwidth
  std::optional<double> client_nics;   ///< NVMe-oF: dataset reads over the bandwidth of the nodes' storage NICs
  std::optional<double> target_cpu;    ///< NVMe/TCP without offload: the targets' cores busy with the reads
  std::optional<double> client_mounts; ///< appliance with a client limit: the nodes' reads over that limit
};

/// @brief Dataset reads per storage unit (an NVMe-oF target, or a node's local drives), means over the run.
struct StorageReads {
  std::string unit; ///< "target", "appliance" or "node"
  int units = 0;
  double bandwidth = 0;     ///< B/s per unit
  double iops = 0;          ///< read requests/s per unit
  double request_bytes = 0; ///< the size of one read request
};

/// @brief What limits the step, named by the largest phase that is not compute (summary.cpp says when).
enum class BottleneckKind { compute, communication, input, checkpoint, imbalance };

/// "compute-bound", "communication-bound", ...
std::string to_string(BottleneckKind kind);
/// The kind that to_string names; throws std::invalid_argument for any other text.
BottleneckKind bottleneck_kind(const std::string& text);

struct Bottleneck {
  BottleneckKind kind = BottleneckKind::compute;
  std::string reason; ///< the figures behind the kind, in a sentence
  std::string text() const { return to_string(kind) + ": " + reason; }
};

/// @brief One kind of accelerator in the run, with its batch and how fast it computes.
struct GroupReport {
  std::string accelerator;
  int devices = 0;
  int batch_per_device = 0;
  double compute_efficiency = 0;    ///< of the accelerator's peak at the scenario's precision
  std::string compute_limit;        ///< training::to_string(ComputeLimit)
  std::string efficiency_basis;     ///< where compute_efficiency comes from
  double forward_backward_time = 0; ///< s per micro-batch
};

/// @brief A kind of part's failures over the run, the mean over the trials.
struct FailureCount {
  std::string part;
  double count = 0;
};

/// @brief The run with failures (failures.model): means over the trials of training/failures.hpp. All empty when
/// nothing fails.
struct FailureFigures {
  std::optional<double> failure_free_time; ///< s: time to train had nothing failed
  std::optional<double> job_mtbf;          ///< s between failures of the whole job
  std::optional<double> failures;          ///< over the run
  std::optional<double> lost_work;         ///< s of training done again
  std::optional<double> restarts;          ///< s restarting and restoring checkpoints
  std::optional<double> goodput;           ///< training (steps and evaluation, checkpoint waits excepted) over time
  std::optional<double> goodput_margin;    ///< half-width of goodput's 95% confidence interval
  std::optional<double> time_margin;       ///< half-width of time to train's 95% confidence interval
  std::optional<double> best_interval;     ///< s of training between checkpoints that loses least (Daly)
  std::vector<FailureCount> by_part;
};

struct Summary {
  int devices = 0;
  long long steps = 0;           ///< the run's optimizer steps
  long long simulated_steps = 0; ///< of them, played out; the rest are extrapolated at the steady step time
  double samples = 0;
  double time_to_train = 0;      ///< s: start-up, every step (simulated or extrapolated) and the evaluation passes
  double evaluation_time = 0;    ///< s of time_to_train spent in evaluation passes
  double startup_time = 0;       ///< s of time_to_train before the first step
  training::SteadyState steady;  ///< the steps over which the pattern has settled (training/steady_state.hpp)
  double throughput = 0;         ///< samples/s in steady state
  double step_time = 0;          ///< s, mean over the steady-state steps
  double overall_throughput = 0; ///< samples/s over the whole run, pipeline fill included
  Breakdown breakdown;
  std::optional<double> baseline_throughput; ///< one device, same per-device batch and storage
  std::optional<double> scaling_efficiency;
  Utilisation utilisation;
  std::optional<StorageReads> storage_reads;
  std::optional<double> page_cache_share; ///< of the dataset bytes read, the share the page caches served
  Bottleneck bottleneck;
  std::vector<GroupReport> device_groups;
  int checkpoints = 0;                  ///< written over the run
  double checkpoint_write_time = 0;     ///< s, summed over the checkpoints
  double restore_time = 0;              ///< s to read a checkpoint back at start-up
  double storage_bytes_read = 0;        ///< dataset bytes read from storage
  double cache_bytes_read = 0;          ///< dataset bytes the page caches served
  double gradient_bytes_per_device = 0; ///< all-reduced per device over the run
  double pue = 1;                       ///< facility power over IT power, as the scenario gives it
  double energy_kwh = 0;                ///< facility energy: every part's, times the PUE
  std::vector<EnergyPart> energy_parts; ///< IT energy by part, before the PUE
  std::optional<double> purchase_usd;   ///< the cluster's purchase price, when every part has a price
  std::optional<double> cost_usd;       ///< the run's cost under the cost model; none without one
  std::vector<CostPart> cost_parts;
  FailureFigures failures; ///< with failures.model; time_to_train and the cost include them
  double epochs = 0;        ///< passes over the dataset the run made: samples / workload.dataset_samples

  /// A total of the run scaled to one epoch, or to a million samples.
  double per_epoch(double total) const { return epochs > 0 ? total / epochs : 0; }
  double per_million_samples(double total) const { return samples > 0 ? total / samples * 1e6 : 0; }
};

/// `baseline_throughput`: samples/s of the one-device run, when one was simulated; a one-device
/// scenario is its own baseline.
Summary summarize(const config::Scenario& scenario, const RunResult& run, std::optional<double> baseline_throughput);

} // namespace dtsim::report
