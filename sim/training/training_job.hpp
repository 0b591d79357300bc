#pragma once
/// @brief Synchronous data-parallel training played out step by step on a simulated cluster.
///
/// Actors per worker (accelerator): a trainer on the accelerator and `loader_workers` input
/// loaders on the node's CPU; one communicator for the job. Each loader reads whole batches from
/// the dataset's storage (disk read and network transfer run concurrently, so the slower bounds
/// the batch) one batch ahead of preprocessing them on one CPU core, as tf.data's interleave or
/// DALI's readers do; together they keep up to loader_workers x prefetch batches in flight.
/// (A loader that read and then decoded in turn would, in a deterministic simulation, march in
/// lock-step with the others: all reading, then all decoding, leaving storage idle half the time.) The trainer waits
/// for a batch (data stall), runs forward and backward as one execution, and publishes when its backward starts and how
/// long it lasts: since nothing else runs on an accelerator, the moment each gradient bucket is ready follows from
/// that, so the communicator can start bucket k once every worker has produced it and bucket k-1 is reduced, without an
/// event per bucket per worker. Buckets are produced in proportion to their bytes (gradient FLOPs assumed proportional
/// to parameters). When the last bucket is reduced, every worker runs its optimizer and the fixed per-step overhead.
/// Checkpoints: every `checkpoint.every_steps` steps each trainer copies its share of the checkpoint to host
/// memory and a checkpointer actor writes it to storage; blocking checkpoints hold every trainer until the
/// write is done, background ones only until the copy (and until the previous write, if still running).
/// After training, the checkpointer reads the checkpoint back as a restart would: that is the restore time.
/// A mixed cluster's workers belong to device groups (device_groups.hpp), each with its own batch and compute
/// plan; a worker that finishes backward early waits for the slowest, which the step records as imbalance.
/// A run stops once its steps have settled (settled_state(), simulation.exact's help); totals()
/// then adds the work of the steps it left out. Not modelled yet: stragglers.
#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"
#include "training/collectives.hpp"
#include "training/compute_model.hpp"
#include "training/dataset_reads.hpp"
#include "training/device_groups.hpp"
#include "training/metrics.hpp"
#include "training/steady_state.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace dtsim::training {

/// The actors a run of `scenario` spawns at most (TrainingJob::start), known before anything is built.
std::size_t actors_spawned(const config::Scenario& scenario);

/// @brief Which workers and steps the timeline records (recording every span of a large run would be huge).
struct TraceWindow {
  int workers = 0;
  std::optional<StepRange> steps; ///< none: default_trace_steps()
};

/// The steps a trace covers when the user chooses none, known before the run: two steps three quarters of the
/// way through the steps the run simulates for sure (all when exact, else those up to its first check for a
/// settled state and the read-ahead) less those that drain the read-ahead, so past where find_steady_state
/// can start the steady window and before its end; and not before the loaders' read-ahead has filled or the
/// page caches are warm. `first_warm_step`: TrainingJob::first_warm_step().
StepRange default_trace_steps(const config::Scenario& scenario, long long first_warm_step);

class TrainingJob {
public:
  TrainingJob(const config::Scenario& scenario, const platform::ClusterLayout& layout, engine::Simulation& simulation,
              MetricsSink& sink, TraceWindow trace);
  ~TrainingJob();

  /// Spawns the actors; the run happens in Simulation::run().
  void start();

  /// The run's totals; when it stopped early (stops_early()), the steps it did not simulate are added as
  /// their work: per-step amounts in proportion, dataset reads epoch by epoch, checkpoints by count.
  RunTotals totals() const;
  const std::vector<DeviceGroup>& device_groups() const { return groups_; }
  /// The first step of the first epoch in which the page caches serve their final share (0 without them).
  long long first_warm_step() const { return first_warm_step_; }
  /// The steps the trace records: those asked for, or default_trace_steps().
  StepRange trace_steps() const { return trace_steps_; }

private:
  struct Worker;
  struct Loader;

  /// Workers meet at every step for the gradient all-reduce; emulated accelerators (DLIO) exchange
  /// nothing and run independently.
  bool synchronous() const { return !scenario_.workload.emulated_batch_time; }
  /// A run stops simulating once its steps have settled, unless it is to be exact (simulation.exact's help).
  bool stops_early() const { return !scenario_.training.exact; }
  std::optional<SteadyState> settled_state();
  void stop_after(long long step, long long block_steps);
  void trainer(Worker& w);
  /// The loader's reader: reads the next batch its worker claims; false once there is none.
  bool read_next(Worker& w, Loader& loader);
  void preprocessor(Worker& w, Loader& loader);
  void communicator();
  void checkpointer();
  double checkpoint(Worker& w, long long step);
  void move_checkpoint(bool restore);
  /// Reads the batch from storage, if the dataset is on it; returns the bytes the page cache did not serve.
  double fetch(Worker& w, const Loader& loader, long long batch_index);
  /// Waits for `io`, counted as storage traffic while it runs when it `crosses_network`.
  void wait_for(engine::ActivityGroup& io, bool crosses_network);
  double bucket_ready_time(double produced_fraction) const;
  void publish_backward(Worker& w, double start, double duration);
  void finish_step(long long step, const StepRecord& worker_record);
  /// Records the all-reduce of `bucket` that began at `start` on every traced worker's comm stream.
  void trace_bucket(long long step, std::size_t bucket, double start);
  void trace(int worker, std::string_view stream, std::string_view name, double start, double end, long long step,
             SpanArguments arguments = {});

  const config::Scenario& scenario_;
  engine::Simulation& simulation_;
  MetricsSink& sink_;
  int trace_workers_ = 0;
  StepRange trace_steps_;
  std::vector<DeviceGroup> groups_;
  DatasetReads reads_;
  RunTotals totals_;

  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<Worker*> node_leaders_; ///< the first worker of each node, in node order
  std::vector<std::unique_ptr<Loader>> loaders_;
  std::vector<double> bucket_bytes_;
  std::unique_ptr<Collectives> allreduce_;
  OtherTraffic storage_traffic_; ///< dataset and checkpoint transfers to and from remote storage
  std::unique_ptr<engine::Semaphore> all_backward_started_;
  int published_ = 0;
  double last_backward_end_ = 0;           ///< when the slowest worker finished this step's backward
  long long steps_to_run_ = 0;             ///< workload.steps, or fewer once the run has settled
  std::vector<StepRecord> finished_steps_; ///< kept while the run may stop early
  long long next_settle_check_ = 0;        ///< steps finished at the next check; 0 once stopped early
  double previous_check_step_time_ = 0;    ///< s, the steady step time the last check found
  long long first_warm_step_ = 0;          ///< from here on, the page caches serve a constant share
  double step_overhead_ = 0;               ///< s per optimizer step: the framework's and the scenario's fixed costs
  std::vector<engine::Host> targets_;
  std::vector<engine::Disk> target_disks_;
  std::map<long long, std::pair<int, StepRecord>> open_steps_; ///< step -> workers reported, sums
  int checkpoint_arrivals_ = 0;
  std::unique_ptr<engine::Semaphore> checkpoint_requested_;
  std::unique_ptr<engine::Semaphore> training_finished_;
};

} // namespace dtsim::training
