#include "training/training_job.hpp"

#include "config/cluster_resources.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <fmt/format.h>
#include <utility>

namespace dtsim::training {

namespace {

SpanArguments batch_arguments(const DeviceGroup& group)
{
  SpanArguments arguments;
  arguments.samples = group.batch_per_device;
  return arguments;
}

/// Steps finished at the first check for a settled run; each later check comes after half as many again.
constexpr long long first_settle_check = 32;
/// The page caches count as warm once their share of reads is this close to its final value.
constexpr double cache_share_tolerance = 1e-3;

/// The dataset is read from drives (local or remote), not held in memory or made up.
bool reads_storage(const config::Scenario& s)
{
  return s.storage.dataset_on != config::DatasetLocation::memory &&
         s.storage.dataset_on != config::DatasetLocation::synthetic;
}

/// Reads from remote storage land in inboxes once the cluster has engine::Inbox::worth_from loaders.
bool reads_through_inboxes(const config::Scenario& s)
{
  const auto loaders =
      static_cast<std::size_t>(s.cluster.devices()) * static_cast<std::size_t>(s.training.loader_workers);
  return s.storage.dataset_is_remote() && loaders >= engine::Inbox::worth_from;
}

} // namespace

std::size_t actors_spawned(const config::Scenario& s)
{
  // Per device: a trainer and a reader and a preprocessor per loader worker (a reader of storage and its
  // successor may both exist for a moment: Simulation::spawn_loop); when a collective's stage runs as many
  // flows as engine::TransferStages hands to agents, an agent on each device and node, and below that, its
  // issuing actors; with reads through inboxes, the keeper of each node's; the communicator and checkpointer.
  const auto devices = static_cast<std::size_t>(s.cluster.devices()), nodes = static_cast<std::size_t>(s.cluster.nodes);
  const auto loaders = static_cast<std::size_t>(s.training.loader_workers);
  const std::size_t per_loader = reads_storage(s) ? 3 : 2;
  const std::size_t issuers = engine::TransferStages::agents_from / engine::TransferStages::flows_per_issuer;
  const std::size_t inbox_keepers = reads_through_inboxes(s) ? nodes : 0;
  return devices * (1 + per_loader * loaders) + devices + nodes + issuers + inbox_keepers + 2;
}

StepRange default_trace_steps(const config::Scenario& s, long long first_warm_step)
{
  constexpr long long steps_traced = 2;
  const long long steps = s.workload.steps, accumulation = s.workload.gradient_accumulation;
  const long long read_ahead = (s.training.loader_workers * s.training.prefetch + accumulation - 1) / accumulation;
  // find_steady_state's window within the steps the run simulates for sure: it leaves out the steps that
  // drain the read-ahead and starts at most half-way through the rest, later when more steps are simulated.
  const long long simulated = s.training.exact ? steps : std::min(steps, first_settle_check + read_ahead);
  const long long drain = 2 * (simulated - read_ahead) >= simulated ? read_ahead : 0;
  const long long three_quarters = 3 * (simulated - drain) / 4;
  const long long last_start = std::max(three_quarters, simulated - drain - steps_traced);
  const long long first = std::max(std::min(std::max(three_quarters, read_ahead), last_start), first_warm_step);
  const long long clamped = std::clamp(first, 0LL, std::max(0LL, steps - steps_traced));
  return {clamped, std::min(clamped + steps_traced, steps)};
}

struct TrainingJob::Worker {
  int rank = 0;
  const DeviceGroup* group = nullptr;
  std::size_t group_index = 0;
  double snapshot_time = 0; ///< s to copy the device's share of a checkpoint to host memory
  engine::Host device;
  engine::Host cpu;
  std::optional<engine::Disk> local_disk;
  std::optional<engine::Disk> client_mount; ///< its reads are the node's file-system client limit
  engine::Semaphore ready{0};
  engine::Semaphore free_slots;
  engine::Semaphore step_done{0};
  engine::Semaphore checkpoint_written{0};
  int checkpoints_taken = 0;
  long long batches_claimed = 0;
  double backward_start = 0;
  double backward_duration = 0;

  explicit Worker(int slots)
      : free_slots(slots)
  {
  }
};

/// @brief One loader worker: a reader that runs one batch ahead of the preprocessing that follows it.
struct TrainingJob::Loader {
  std::string stream;                 ///< its name in the trace
  std::optional<engine::Inbox> inbox; ///< where its reads from remote storage arrive, with thousands in flight
  engine::Semaphore read_done{0};
  engine::Semaphore read_slot{1};
  std::deque<long long> read_batches; ///< batch indices read and not yet preprocessed; -1 ends the stream
};

TrainingJob::TrainingJob(const config::Scenario& scenario, const platform::ClusterLayout& layout,
                         engine::Simulation& simulation, MetricsSink& sink, TraceWindow trace)
    : scenario_(scenario)
    , simulation_(simulation)
    , sink_(sink)
    , trace_workers_(trace.workers)
    , groups_(plan_device_groups(scenario))
    , reads_(scenario, batch_per_rank(groups_, layout.worker_node))
{
  const auto& t = scenario.training;
  const auto& w = scenario.workload;
  const int slots = t.loader_workers * t.prefetch;
  std::vector<engine::Host> ranks, rank_hosts;
  node_leaders_.assign(layout.node_cpus.size(), nullptr);
  for (std::size_t r = 0; r < layout.worker_hosts.size(); ++r) {
    auto worker = std::make_unique<Worker>(slots);
    worker->rank = static_cast<int>(r);
    worker->device = simulation.host(layout.worker_hosts[r]);
    worker->cpu = simulation.host(layout.node_cpus[layout.worker_node[r]]);
    worker->group_index = group_index_of_node(groups_, layout.worker_node[r]);
    worker->group = &groups_[worker->group_index];
    if (!layout.local_disk.empty())
      worker->local_disk = simulation.disk(worker->cpu, layout.local_disk);
    if (!layout.client_mount.empty())
      worker->client_mount = simulation.disk(worker->cpu, layout.client_mount);
    ranks.push_back(worker->device);
    rank_hosts.push_back(worker->cpu);
    Worker*& leader = node_leaders_[static_cast<std::size_t>(layout.worker_node[r])];
    if (leader == nullptr)
      leader = worker.get();
    workers_.push_back(std::move(worker));
  }
  for (const auto& name : layout.storage_targets) {
    targets_.push_back(simulation.host(name));
    target_disks_.push_back(simulation.disk(targets_.back(), layout.target_disk));
  }
  allreduce_ = std::make_unique<Collectives>(collective_setup(scenario), std::move(ranks), layout.worker_node,
                                             std::move(rank_hosts));
  // Remote storage is laid out only when used; on a separate storage network its traffic meets no gradient.
  const auto storage_path = config::cluster_resources(scenario).storage_path;
  const bool network_carries_only_collectives = !storage_path || !storage_path->shares_fabric;
  if (t.reuse_collectives && network_carries_only_collectives)
    allreduce_->reuse_durations();
  else if (t.reuse_collectives && !t.exact)
    allreduce_->reuse_durations(&storage_traffic_);
  all_backward_started_ = std::make_unique<engine::Semaphore>(0);
  checkpoint_requested_ = std::make_unique<engine::Semaphore>(0);
  training_finished_ = std::make_unique<engine::Semaphore>(0);
  const auto& c = scenario.checkpoint;
  for (auto& worker : workers_)
    worker->snapshot_time =
        c.bytes / (c.sharded ? scenario.cluster.devices() : 1) / worker->group->accelerator->host_link_bandwidth.value;
  totals_.group_busy_seconds.assign(groups_.size(), 0);

  double gradient_bytes = groups_.front().plan.gradient_bytes;
  while (gradient_bytes > 0) {
    bucket_bytes_.push_back(std::min(gradient_bytes, t.bucket_bytes));
    gradient_bytes -= bucket_bytes_.back();
  }
  steps_to_run_ = w.steps;
  step_overhead_ = step_overhead(scenario);
  next_settle_check_ = first_settle_check;
  const long long samples_per_step =
      samples_per_micro_step(groups_, scenario.cluster.accelerators_per_node) * w.gradient_accumulation;
  const long long last_epoch = w.steps * samples_per_step / std::max(1LL, w.dataset_samples);
  const long long warm_epoch = reads_.first_warm_epoch(last_epoch, cache_share_tolerance);
  first_warm_step_ = (warm_epoch * w.dataset_samples + samples_per_step - 1) / samples_per_step;
  trace_steps_ = trace.steps.value_or(default_trace_steps(scenario, first_warm_step_));
}

TrainingJob::~TrainingJob() = default;

void TrainingJob::start()
{
  simulation_.make_room_for_actors(actors_spawned(scenario_));
  const bool inboxes = reads_through_inboxes(scenario_);
  for (auto& w : workers_) {
    simulation_.spawn(fmt::format("trainer-{}", w->rank), w->device, [this, &w = *w] { trainer(w); });
    for (int j = 0; j < scenario_.training.loader_workers; ++j) {
      Loader& loader = *loaders_.emplace_back(std::make_unique<Loader>());
      loader.stream = fmt::format("loader-{}", j);
      if (inboxes)
        loader.inbox = simulation_.inbox(w->cpu);
      const auto read = [this, &w = *w, &loader] { return read_next(w, loader); };
      if (reads_storage(scenario_))
        simulation_.spawn_loop(fmt::format("reader-{}-{}", w->rank, j), w->cpu, read);
      else
        simulation_.spawn(fmt::format("reader-{}-{}", w->rank, j), w->cpu, [read] {
          while (read()) {
          }
        });
      simulation_.spawn(fmt::format("preprocessor-{}-{}", w->rank, j), w->cpu,
                        [this, &w = *w, &loader] { preprocessor(w, loader); });
    }
  }
  if (synchronous())
    simulation_.spawn("communicator", workers_.front()->device, [this] { communicator(); });
  if (scenario_.checkpoint.enabled())
    simulation_.spawn("checkpointer", workers_.front()->cpu, [this] { checkpointer(); });
}

void TrainingJob::trainer(Worker& w)
{
  const int micro_batches = scenario_.workload.gradient_accumulation;
  for (long long step = 0; step < steps_to_run_; ++step) {
    StepRecord r{step, engine::now()};
    for (int m = 0; m < micro_batches; ++m) {
      const double wait_start = engine::now();
      w.ready.acquire();
      w.free_slots.release();
      const double compute_start = engine::now();
      r.data_stall += compute_start - wait_start;
      trace(w.rank, "input", "data stall", wait_start, compute_start, step, batch_arguments(*w.group));
      const ComputePlan& plan = w.group->plan;
      if (m == micro_batches - 1 && synchronous())
        publish_backward(w, compute_start + plan.accelerator_preprocess_time + plan.forward_time, plan.backward_time);
      engine::compute(w.device,
                      (plan.accelerator_preprocess_time + plan.forward_time + plan.backward_time) * plan.peak_rate);
      r.compute += engine::now() - compute_start;
      trace(w.rank, "compute", "forward+backward", compute_start, engine::now(), step);
    }
    const double compute_end = engine::now();
    if (synchronous())
      w.step_done.acquire();
    const double all_computed = synchronous() ? std::max(compute_end, last_backward_end_) : compute_end;
    r.imbalance = all_computed - compute_end;
    r.exposed_comm = engine::now() - all_computed;
    const double optimizer_start = engine::now();
    engine::sleep_for(w.group->plan.optimizer_time);
    r.optimizer = engine::now() - optimizer_start;
    trace(w.rank, "compute", "optimizer", optimizer_start, engine::now(), step);
    r.overhead = step_overhead_;
    engine::sleep_for(r.overhead);
    if (scenario_.checkpoint.enabled() && (step + 1) % scenario_.checkpoint.every_steps == 0)
      r.checkpoint = checkpoint(w, step);
    r.end = engine::now();
    totals_.device_busy_seconds += r.compute + r.optimizer;
    totals_.group_busy_seconds[w.group_index] += r.compute + r.optimizer;
    finish_step(step, r);
  }
}

void TrainingJob::publish_backward(Worker& w, double start, double duration)
{
  w.backward_start = start;
  w.backward_duration = duration;
  if (++published_ == static_cast<int>(workers_.size())) {
    published_ = 0;
    all_backward_started_->release();
  }
}

double TrainingJob::bucket_ready_time(double produced_fraction) const
{
  double ready = 0;
  for (const auto& w : workers_)
    ready = std::max(ready, w->backward_start + produced_fraction * w->backward_duration);
  return ready;
}

void TrainingJob::communicator()
{
  const double total_bytes = groups_.front().plan.gradient_bytes;
  for (long long step = 0; step < steps_to_run_; ++step) {
    all_backward_started_->acquire();
    double produced = 0;
    for (std::size_t k = 0; k < bucket_bytes_.size(); ++k) {
      produced += bucket_bytes_[k];
      engine::sleep_until(bucket_ready_time(scenario_.training.overlap ? produced / total_bytes : 1.0));
      if (const double cycle = scenario_.training.cycle_time; cycle > 0)
        engine::sleep_until(std::ceil(engine::now() / cycle) * cycle); // the framework's next tick
      const double start = engine::now();
      allreduce_->all_reduce(bucket_bytes_[k]);
      totals_.allreduce_seconds += engine::now() - start;
      if (trace_steps_.contains(step))
        trace_bucket(step, k, start);
    }
    totals_.gradient_bytes_per_device += total_bytes;
    last_backward_end_ = bucket_ready_time(1.0);
    for (auto& w : workers_)
      w->step_done.release();
  }
}

void TrainingJob::trace_bucket(long long step, std::size_t bucket, double start)
{
  const double bytes = bucket_bytes_[bucket];
  const CollectiveChoice choice = allreduce_->all_reduce_choice(bytes);
  const SpanArguments arguments{static_cast<int>(bucket), bytes, std::nullopt, config::to_string(choice.algorithm),
                                config::to_string(choice.protocol)};
  for (int rank = 0; rank < std::min<int>(trace_workers_, static_cast<int>(workers_.size())); ++rank)
    trace(rank, "comm", fmt::format("all-reduce bucket {}", bucket), start, engine::now(), step, arguments);
}

double TrainingJob::checkpoint(Worker& w, long long step)
{
  const double start = engine::now();
  const bool background = scenario_.checkpoint.mode == config::CheckpointMode::background;
  if (background && w.checkpoints_taken > 0)
    w.checkpoint_written.acquire(); // the previous checkpoint
  engine::sleep_for(w.snapshot_time);
  trace(w.rank, "compute", "checkpoint copy to host", start, engine::now(), step);
  ++w.checkpoints_taken;
  if (++checkpoint_arrivals_ == static_cast<int>(workers_.size())) {
    checkpoint_arrivals_ = 0;
    checkpoint_requested_->release();
  }
  if (!background)
    w.checkpoint_written.acquire();
  return engine::now() - start;
}

void TrainingJob::checkpointer()
{
  for (long long k = 0; k < steps_to_run_ / scenario_.checkpoint.every_steps; ++k) {
    checkpoint_requested_->acquire();
    const double start = engine::now();
    move_checkpoint(false);
    totals_.checkpoint_write_seconds += engine::now() - start;
    ++totals_.checkpoints;
    for (auto& w : workers_)
      w->checkpoint_written.release();
  }
  training_finished_->acquire();
  const double start = engine::now();
  move_checkpoint(true);
  double slowest_copy = 0;
  for (const auto& w : workers_)
    slowest_copy = std::max(slowest_copy, w->snapshot_time);
  engine::sleep_for(slowest_copy);
  totals_.restore_seconds = engine::now() - start;
}

/// Writes the checkpoint from the writers' nodes (rank 0's, or every node's share when sharded), or on
/// restore reads it into every node: the whole of it, or the node's share when sharded.
void TrainingJob::move_checkpoint(bool restore)
{
  const auto& c = scenario_.checkpoint;
  const int nodes = scenario_.cluster.nodes;
  const double node_bytes = c.sharded ? c.bytes / nodes : c.bytes;
  engine::ActivityGroup io;
  for (const Worker* node_ptr : node_leaders_) {
    const Worker& node = *node_ptr;
    if (!restore && !c.sharded && node.rank > 0)
      break;
    if (c.to == config::CheckpointStorage::local_nvme) {
      restore ? io.read(*node.local_disk, node_bytes) : io.write(*node.local_disk, node_bytes);
      continue;
    }
    const double share = node_bytes / static_cast<double>(targets_.size());
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      restore ? io.read(target_disks_[t], share) : io.write(target_disks_[t], share);
      restore ? io.transfer(targets_[t], node.cpu, share) : io.transfer(node.cpu, targets_[t], share);
      io.compute(targets_[t], share * scenario_.storage.remote->cpu_seconds_per_byte);
    }
  }
  wait_for(io, c.to != config::CheckpointStorage::local_nvme);
}

void TrainingJob::wait_for(engine::ActivityGroup& io, bool crosses_network)
{
  if (!crosses_network) {
    io.wait();
    return;
  }
  ++storage_traffic_.started;
  ++storage_traffic_.in_flight;
  io.wait();
  --storage_traffic_.in_flight;
}

bool TrainingJob::read_next(Worker& w, Loader& loader)
{
  // A batch is claimed once it has a slot, so that a run stopping early leaves out the batches still waiting
  // for one (stop_after).
  const auto none_left = [&] { return w.batches_claimed >= steps_to_run_ * scenario_.workload.gradient_accumulation; };
  const bool waited = !none_left();
  if (waited)
    w.free_slots.acquire();
  if (none_left()) { // from the start, or since this loader began waiting for a slot
    if (waited)
      w.free_slots.release();
    loader.read_batches.push_back(-1);
    loader.read_done.release();
    return false;
  }
  const long long batch = w.batches_claimed++;
  loader.read_slot.acquire();
  const double start = engine::now();
  SpanArguments arguments = batch_arguments(*w.group);
  arguments.bytes = fetch(w, loader, batch);
  trace(w.rank, loader.stream, "read", start, engine::now(), batch / scenario_.workload.gradient_accumulation,
        arguments);
  loader.read_batches.push_back(batch);
  loader.read_done.release();
  return true;
}

void TrainingJob::preprocessor(Worker& w, Loader& loader)
{
  const double cpu_seconds = w.group->plan.preprocessing_core_seconds;
  while (true) {
    loader.read_done.acquire();
    const long long batch = loader.read_batches.front();
    loader.read_batches.pop_front();
    if (batch < 0)
      return;
    loader.read_slot.release();
    const double start = engine::now();
    engine::compute(w.cpu, cpu_seconds);
    totals_.cpu_core_seconds += cpu_seconds;
    trace(w.rank, loader.stream, "preprocess", start, engine::now(), batch / scenario_.workload.gradient_accumulation,
          batch_arguments(*w.group));
    w.ready.release();
  }
}

double TrainingJob::fetch(Worker& w, const Loader& loader, long long batch_index)
{
  const auto& storage = scenario_.storage;
  if (!reads_storage(scenario_))
    return 0;
  const double missed = 1 - reads_.cache_hit_fraction(reads_.epoch_of(batch_index));
  const double batch_bytes = reads_.batch_bytes(w.rank, batch_index);
  const double bytes = missed * batch_bytes;
  totals_.cache_bytes_read += batch_bytes - bytes;
  if (bytes == 0)
    return 0;
  const double start = engine::now();
  engine::ActivityGroup io;
  const bool local = storage.dataset_on == config::DatasetLocation::local_nvme;
  if (local) {
    io.read(*w.local_disk, bytes);
  } else {
    const std::size_t t = static_cast<std::size_t>(w.rank + batch_index) % targets_.size();
    // The drives first: waiting on them before the transfer measured faster (a storage-bound point of 256 A100s
    // with 16 loaders each and plain transfers: 12 s against 22 s the other way round).
    io.read(target_disks_[t], bytes);
    loader.inbox ? io.transfer(targets_[t], *loader.inbox, bytes) : io.transfer(targets_[t], w.cpu, bytes);
    io.compute(targets_[t], bytes * storage.remote->cpu_seconds_per_byte);
    if (w.client_mount)
      io.read(*w.client_mount, bytes);
  }
  wait_for(io, !local);
  // Contention shares the drives and links above; a loader alone still waits for each file in turn.
  engine::sleep_until(start + missed * reads_.lone_fetch_time(w.rank, batch_bytes));
  totals_.storage_bytes_read += bytes;
  return bytes;
}

void TrainingJob::finish_step(long long step, const StepRecord& worker_record)
{
  auto& [reported, sums] = open_steps_[step];
  if (reported == 0) {
    sums = worker_record;
  } else {
    sums.start = std::min(sums.start, worker_record.start);
    sums.end = std::max(sums.end, worker_record.end);
    sums.data_stall += worker_record.data_stall;
    sums.compute += worker_record.compute;
    sums.exposed_comm += worker_record.exposed_comm;
    sums.imbalance += worker_record.imbalance;
    sums.optimizer += worker_record.optimizer;
    sums.overhead += worker_record.overhead;
    sums.checkpoint += worker_record.checkpoint;
  }
  if (++reported < static_cast<int>(workers_.size()))
    return;
  const double n = static_cast<double>(workers_.size());
  StepRecord mean = sums;
  mean.data_stall /= n;
  mean.compute /= n;
  mean.exposed_comm /= n;
  mean.imbalance /= n;
  mean.optimizer /= n;
  mean.overhead /= n;
  mean.checkpoint /= n;
  open_steps_.erase(step);
  sink_.step(mean);
  if (stops_early() && next_settle_check_ > 0) {
    finished_steps_.push_back(mean);
    if (step + 1 == next_settle_check_) {
      next_settle_check_ += next_settle_check_ / 2;
      if (const auto steady = settled_state())
        stop_after(step, steady->block_steps);
    }
  }
  if (step + 1 == steps_to_run_)
    training_finished_->release();
}

/// Settled: the steady state's halves agree, it starts once the page caches have warmed up, its step time
/// is known to within extrapolation_tolerance and agrees that closely with the previous check's, at two
/// thirds of the steps (so that a pattern slower than the window is not taken for a steady one).
std::optional<SteadyState> TrainingJob::settled_state()
{
  const SteadyState steady = find_steady_state(finished_steps_, scenario_.checkpoint.every_steps, 0, first_warm_step_);
  if (steady.first_step < first_warm_step_)
    return std::nullopt;
  const double previous = std::exchange(previous_check_step_time_, steady.step_time);
  if (!steady.settled || 2 * steady.relative_error > extrapolation_tolerance || previous == 0 ||
      std::abs(steady.step_time / previous - 1) > extrapolation_tolerance)
    return std::nullopt;
  return steady;
}

/// Ends the run at the first step boundary that consumes every batch already claimed, leaves the
/// communicator's next step to run, (with checkpoints) closes a checkpoint period, and leaves whole blocks
/// of the steady pattern to extrapolate, so that the run ends in the phase of the pattern it would have.
void TrainingJob::stop_after(long long step, long long block_steps)
{
  const long long accumulation = scenario_.workload.gradient_accumulation;
  long long end = step + 2;
  for (const auto& w : workers_)
    end = std::max(end, (w->batches_claimed + accumulation - 1) / accumulation);
  if (const long long period = scenario_.checkpoint.every_steps; period > 0)
    end = (end + period - 1) / period * period;
  if (end < steps_to_run_)
    steps_to_run_ -= (steps_to_run_ - end) / block_steps * block_steps;
  next_settle_check_ = 0; // no more checks
  finished_steps_.clear();
  finished_steps_.shrink_to_fit();
}

RunTotals TrainingJob::totals() const
{
  const long long all_steps = scenario_.workload.steps;
  if (steps_to_run_ == all_steps)
    return totals_;
  RunTotals t = totals_;
  const double scale = static_cast<double>(all_steps) / static_cast<double>(steps_to_run_);
  t.device_busy_seconds *= scale;
  for (double& busy : t.group_busy_seconds)
    busy *= scale;
  t.cpu_core_seconds *= scale;
  t.gradient_bytes_per_device *= scale;
  t.allreduce_seconds *= scale;
  const long long accumulation = scenario_.workload.gradient_accumulation;
  const DatasetReads::Split rest = reads_.mean_reads(steps_to_run_ * accumulation, all_steps * accumulation);
  t.storage_bytes_read += rest.storage;
  t.cache_bytes_read += rest.cache;
  if (t.checkpoints > 0) {
    const int checkpoints = static_cast<int>(all_steps / scenario_.checkpoint.every_steps);
    t.checkpoint_write_seconds *= static_cast<double>(checkpoints) / t.checkpoints;
    t.checkpoints = checkpoints;
  }
  return t;
}

void TrainingJob::trace(int worker, std::string_view stream, std::string_view name, double start, double end,
                        long long step, SpanArguments arguments)
{
  if (worker < trace_workers_ && trace_steps_.contains(step) && end > start)
    sink_.span({worker, std::string(stream), std::string(name), start, end, step, std::move(arguments)});
}

} // namespace dtsim::training
