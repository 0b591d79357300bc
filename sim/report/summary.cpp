#include "report/summary.hpp"

#include "config/cluster_resources.hpp"
#include "config/config_error.hpp"
#include "config/inventory.hpp"
#include "training/failures.hpp"
#include "training/steady_state.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <span>

namespace dtsim::report {

namespace {

/// A phase is named the bottleneck when it takes at least this share of the step.
constexpr double notable_share = 0.10;
/// A resource this busy is called saturated.
constexpr double saturated = 0.80;

Breakdown mean_breakdown(std::span<const training::StepRecord> steps)
{
  Breakdown b;
  for (const auto& s : steps) {
    b.data_stall += s.data_stall;
    b.compute += s.compute;
    b.exposed_comm += s.exposed_comm;
    b.imbalance += s.imbalance;
    b.optimizer += s.optimizer;
    b.overhead += s.overhead;
    b.checkpoint += s.checkpoint;
  }
  const double n = std::max<double>(1, static_cast<double>(steps.size()));
  return {b.data_stall / n, b.compute / n,    b.exposed_comm / n, b.optimizer / n,
          b.overhead / n,   b.checkpoint / n, b.imbalance / n};
}

/// The part of the data stall that storage causes: what would remain with storage infinitely fast is
/// preprocessing stall (DS-Analyzer's definition, Mohan et al., VLDB 2021), the rest is fetch stall. With
/// free storage a step takes its preprocessing time or its time without stall, whichever is longer; the
/// preprocessing time is the node's CPU work per step over the cores its loaders can use.
double fetch_stall(const config::Scenario& s, const std::vector<training::DeviceGroup>& groups, double step_time,
                   double data_stall)
{
  const auto& c = s.cluster;
  double batch_core_seconds = 0; // the busiest node's
  for (const auto& g : groups)
    batch_core_seconds = std::max(batch_core_seconds, g.plan.preprocessing_core_seconds);
  const double work = s.workload.gradient_accumulation * c.accelerators_per_node * batch_core_seconds;
  const double cores = std::min(c.input_cores(), s.training.loader_workers * c.accelerators_per_node);
  const double preprocess_stall = std::clamp(work / cores - (step_time - data_stall), 0.0, data_stall);
  return data_stall - preprocess_stall;
}

/// Seconds of the evaluation passes a run of `epochs` makes: each runs forward over the evaluation samples on
/// every device at the training batch, at the slowest kind's pace.
double evaluation_time(const config::Scenario& s, const std::vector<training::DeviceGroup>& groups, double epochs)
{
  const auto& t = s.training;
  if (t.evaluation_every_epochs <= 0)
    return 0;
  const double passes = std::floor(epochs / t.evaluation_every_epochs + 1e-9);
  double pass = 0;
  for (const auto& g : groups) {
    const double per_batch = static_cast<double>(s.cluster.devices()) * g.batch_per_device;
    pass = std::max(pass, std::ceil(static_cast<double>(t.evaluation_samples) / per_batch) * g.plan.forward_time);
  }
  return passes * pass;
}

/// Where the dataset is read from: the NVMe-oF targets or every node's local drives; none from memory.
std::optional<StorageReads> storage_units(const config::Scenario& s)
{
  if (s.storage.dataset_on == config::DatasetLocation::local_nvme)
    return StorageReads{"node", s.cluster.nodes, 0, 0, s.storage.request_bytes};
  if (s.storage.dataset_is_remote())
    return StorageReads{s.storage.remote->appliance ? "appliance" : "target", s.storage.remote->targets, 0, 0,
                        s.storage.request_bytes};
  return std::nullopt;
}

/// Fills the storage utilisations and per-unit reads of `out` for a run that read `bytes` in `elapsed` s.
void account_storage(const config::Scenario& s, double bytes, double elapsed, Summary& out)
{
  out.storage_reads = storage_units(s);
  if (!out.storage_reads)
    return;
  StorageReads& reads = *out.storage_reads;
  reads.bandwidth = bytes / reads.units / elapsed;
  reads.iops = reads.bandwidth / s.storage.request_bytes;
  const auto& pool = s.storage.dataset_is_remote() ? s.storage.remote->pool : *s.storage.local_nvme;
  out.utilisation.drives = reads.bandwidth / s.storage.read_bandwidth(pool);
  if (const auto& t = s.storage.remote; t && s.storage.dataset_is_remote()) {
    const config::ClusterResources r = config::cluster_resources(s);
    out.utilisation.target_nics = reads.bandwidth / r.target_nics->host_bandwidth;
    out.utilisation.client_nics = bytes / s.cluster.nodes / elapsed / r.storage_path->bandwidth;
    if (t->cpu_seconds_per_byte > 0)
      out.utilisation.target_cpu = reads.bandwidth * t->cpu_seconds_per_byte / t->target_cores;
    if (t->client_read_bandwidth > 0)
      out.utilisation.client_mounts = bytes / s.cluster.nodes / elapsed / t->client_read_bandwidth;
  }
}

/// The storage resource that is busiest, with its utilisation.
std::pair<std::string, double> busiest_storage_resource(const config::Scenario& s, const Utilisation& u)
{
  const bool appliance = s.storage.remote && s.storage.remote->appliance;
  std::pair<std::string, double> busiest{appliance ? "the appliance" : "storage drives", u.drives.value_or(0)};
  if (u.target_nics && *u.target_nics > busiest.second)
    busiest = {"NVMe-oF target NICs", *u.target_nics};
  if (u.client_nics && *u.client_nics > busiest.second)
    busiest = {"client NICs", *u.client_nics};
  if (u.target_cpu && *u.target_cpu > busiest.second)
    busiest = {"NVMe/TCP target cores", *u.target_cpu};
  if (u.client_mounts && *u.client_mounts > busiest.second)
    busiest = {"file-system clients", *u.client_mounts};
  return busiest;
}

std::string input_cause(const config::Scenario& s, const Summary& summary)
{
  const auto pct = [](double x) { return fmt::format("{:.0f}%", 100 * x); };
  const Breakdown& b = summary.breakdown;
  if (b.fetch_stall >= b.preprocess_stall()) {
    const auto [resource, busy] = busiest_storage_resource(s, summary.utilisation);
    if (busy >= saturated)
      return fmt::format("{} {} busy ({})", resource, pct(busy), config::to_string(s.storage.dataset_on));
    return fmt::format("reads from {} wait on request latency ({} loaders per device; busiest is {} at {})",
                       config::to_string(s.storage.dataset_on), s.training.loader_workers, resource, pct(busy));
  }
  if (summary.utilisation.cpu_cores >= saturated)
    return fmt::format("CPU cores {} busy preprocessing", pct(summary.utilisation.cpu_cores));
  return fmt::format("{} loader workers per device cannot preprocess fast enough, while CPU cores are only {} busy",
                     s.training.loader_workers, pct(summary.utilisation.cpu_cores));
}

Bottleneck name_bottleneck(const config::Scenario& s, const Summary& summary)
{
  const Breakdown& b = summary.breakdown;
  const double step = summary.step_time;
  const auto pct = [](double x) { return fmt::format("{:.0f}%", 100 * x); };
  if (b.data_stall >= notable_share * step && b.data_stall >= b.exposed_comm)
    return {BottleneckKind::input,
            fmt::format("data stall is {} of the step (fetch {}, preprocessing {}); {}", pct(b.data_stall / step),
                        pct(b.fetch_stall / step), pct(b.preprocess_stall() / step), input_cause(s, summary))};
  if (b.checkpoint >= notable_share * step && b.checkpoint >= b.exposed_comm)
    return {BottleneckKind::checkpoint,
            fmt::format("waiting for checkpoints is {} of the step ({}, to {})", pct(b.checkpoint / step),
                        s.checkpoint.mode == config::CheckpointMode::blocking ? "blocking" : "background",
                        config::to_string(s.checkpoint.to))};
  if (b.imbalance >= notable_share * step && b.imbalance >= b.exposed_comm)
    return {BottleneckKind::imbalance,
            fmt::format("devices wait {} of the step for slower ones to finish backward{}", pct(b.imbalance / step),
                        s.cluster.mixed && !s.training.batches_by_speed
                            ? " (a mixed cluster with equal batches: training.batch_split: by-speed balances them)"
                            : "")};
  if (b.exposed_comm >= notable_share * step)
    return {BottleneckKind::communication,
            fmt::format("exposed gradient all-reduce is {} of the step ({} over {} devices)",
                        pct(b.exposed_comm / step), config::to_string(s.training.allreduce), summary.devices)};
  return {BottleneckKind::compute, fmt::format("accelerators busy {} of the time; compute is {} of the step",
                                               pct(summary.utilisation.accelerators), pct(b.compute / step))};
}

std::vector<GroupReport> group_reports(const config::Scenario& s, const std::vector<training::DeviceGroup>& groups)
{
  std::vector<GroupReport> reports;
  for (const auto& g : groups)
    reports.push_back({g.accelerator->name, g.nodes * s.cluster.accelerators_per_node, g.batch_per_device,
                       g.plan.efficiency, training::to_string(g.plan.limit), g.plan.efficiency_basis,
                       g.plan.forward_time + g.plan.backward_time});
  return reports;
}

/// The run's totals that the summary reports as they are.
void copy_totals(const training::RunTotals& totals, Summary& out)
{
  out.checkpoints = totals.checkpoints;
  out.checkpoint_write_time = totals.checkpoint_write_seconds;
  out.restore_time = totals.restore_seconds;
  out.storage_bytes_read = totals.storage_bytes_read;
  out.cache_bytes_read = totals.cache_bytes_read;
  out.gradient_bytes_per_device = totals.gradient_bytes_per_device;
}

/// The run without failures, as the failure model needs it.
training::FailureFreeRun failure_free_run(const config::Scenario& s, const Summary& out)
{
  training::FailureFreeRun run;
  run.time = out.time_to_train;
  run.useful = out.time_to_train - out.startup_time - static_cast<double>(out.steps) * out.breakdown.checkpoint;
  if (s.checkpoint.enabled()) {
    run.checkpoint_period = static_cast<double>(s.checkpoint.every_steps) * out.step_time;
    if (s.checkpoint.mode == config::CheckpointMode::background && out.checkpoints > 0)
      run.checkpoint_lag = out.checkpoint_write_time / out.checkpoints;
    run.restore = out.restore_time;
  }
  return run;
}

/// Time to train, energy and cost with the failures of `outcome`: the lost work and the restarts extend the run,
/// and cost what the same time costs in training (hourly: device-hours; purchase: amortisation and energy at the
/// run's mean power, an upper bound for restarts).
void add_failure_time(const config::Scenario& s, const training::FailureOutcome& outcome, Summary& out)
{
  const double free_time = out.time_to_train, extra = outcome.time.mean - free_time;
  const double lost_share = outcome.lost_work / std::max(outcome.lost_work + outcome.restarting, 1e-300);
  double it_energy = 0;
  for (const auto& part : out.energy_parts)
    it_energy += part.kwh;
  const double failure_energy = it_energy * extra / std::max(free_time, 1e-300);
  out.energy_parts.push_back({"lost work and restarts", failure_energy});
  out.energy_kwh += failure_energy * out.pue;
  out.time_to_train = outcome.time.mean;
  out.overall_throughput = out.samples / out.time_to_train;
  if (!out.cost_usd)
    return;
  double with_failures = 0;
  for (const auto& part : run_cost(s, out.devices, out.time_to_train, out.energy_kwh))
    with_failures += part.usd;
  const double extra_cost = with_failures - *out.cost_usd;
  out.cost_parts.push_back({"lost work", extra_cost * lost_share});
  out.cost_parts.push_back({"restarts", extra_cost * (1 - lost_share)});
  *out.cost_usd = with_failures;
}

/// The failures of the run, drawn failures.trials times over it (training/failures.hpp).
void account_failures(const config::Scenario& s, Summary& out)
{
  const training::FailureFreeRun run = failure_free_run(s, out);
  const auto& sources = s.failures.parts;
  training::FailureOutcome outcome;
  try {
    outcome = training::simulate_failures(run, {sources, s.failures.restart, s.seed, s.failures.trials});
  } catch (const std::invalid_argument& e) {
    throw config::ConfigError(s.failures.model_at, "failures.model", e.what());
  }
  FailureFigures& f = out.failures;
  f.failure_free_time = run.time;
  f.job_mtbf = outcome.mtbf;
  f.failures = outcome.failures.mean;
  f.lost_work = outcome.lost_work;
  f.restarts = outcome.restarting;
  f.goodput = outcome.goodput.mean;
  f.goodput_margin = outcome.goodput.half_width;
  f.time_margin = outcome.time.half_width;
  const double per_checkpoint = out.breakdown.checkpoint * static_cast<double>(s.checkpoint.every_steps);
  if (s.checkpoint.enabled() && per_checkpoint > 0)
    f.best_interval = training::daly_interval(per_checkpoint, outcome.mtbf);
  for (std::size_t k = 0; k < sources.size(); ++k)
    f.by_part.push_back({sources[k].part, outcome.failures_by_part[k]});
  add_failure_time(s, outcome, out);
}

} // namespace

std::string to_string(BottleneckKind kind)
{
  switch (kind) {
  case BottleneckKind::compute:
    return "compute-bound";
  case BottleneckKind::communication:
    return "communication-bound";
  case BottleneckKind::input:
    return "input-bound";
  case BottleneckKind::checkpoint:
    return "checkpoint-bound";
  case BottleneckKind::imbalance:
    return "imbalance-bound";
  }
  return "unknown";
}

BottleneckKind bottleneck_kind(const std::string& text)
{
  for (const auto kind : {BottleneckKind::compute, BottleneckKind::communication, BottleneckKind::input,
                          BottleneckKind::checkpoint, BottleneckKind::imbalance})
    if (to_string(kind) == text)
      return kind;
  throw std::invalid_argument("not a bottleneck kind: " + text);
}

Summary summarize(const config::Scenario& s, const RunResult& run, std::optional<double> baseline_throughput)
{
  Summary out;
  out.devices = s.cluster.devices();
  out.steps = s.workload.steps;
  out.simulated_steps = static_cast<long long>(run.steps.size());
  out.samples = static_cast<double>(out.steps) * s.workload.gradient_accumulation *
                static_cast<double>(training::samples_per_micro_step(run.groups, s.cluster.accelerators_per_node));
  out.epochs = out.samples / static_cast<double>(std::max(1LL, s.workload.dataset_samples));
  const long long read_ahead = s.training.loader_workers * s.training.prefetch;
  out.steady = training::find_steady_state(
      run.steps, s.checkpoint.every_steps,
      (read_ahead + s.workload.gradient_accumulation - 1) / s.workload.gradient_accumulation, run.first_warm_step);
  out.step_time = out.steady.step_time;
  out.evaluation_time = evaluation_time(s, run.groups, out.epochs);
  out.startup_time = s.training.startup;
  const double simulated_time = run.steps.empty() ? 0 : run.steps.back().end;
  out.time_to_train = simulated_time + static_cast<double>(out.steps - out.simulated_steps) * out.step_time +
                      out.evaluation_time + out.startup_time;
  out.throughput = out.step_time > 0 ? out.samples / static_cast<double>(out.steps) / out.step_time : 0;
  out.breakdown = mean_breakdown(std::span(run.steps).subspan(static_cast<std::size_t>(out.steady.first_step),
                                                              static_cast<std::size_t>(out.steady.steps)));
  out.breakdown.fetch_stall = fetch_stall(s, run.groups, out.step_time, out.breakdown.data_stall);
  out.overall_throughput = out.time_to_train > 0 ? out.samples / out.time_to_train : 0;
  out.baseline_throughput = out.devices == 1 ? std::optional(out.throughput) : baseline_throughput;
  if (out.baseline_throughput && *out.baseline_throughput > 0)
    out.scaling_efficiency = out.throughput / (out.devices * *out.baseline_throughput);

  const double elapsed = std::max(out.time_to_train, 1e-12);
  out.utilisation.accelerators = run.totals.device_busy_seconds / (out.devices * elapsed);
  out.utilisation.cpu_cores =
      run.totals.cpu_core_seconds / (static_cast<double>(s.cluster.nodes) * s.cluster.input_cores() * elapsed);
  account_storage(s, run.totals.storage_bytes_read, elapsed, out);
  if (s.storage.page_cache_bytes > 0)
    out.page_cache_share =
        run.totals.cache_bytes_read / std::max(1.0, run.totals.cache_bytes_read + run.totals.storage_bytes_read);
  out.bottleneck = name_bottleneck(s, out);
  out.device_groups = group_reports(s, run.groups);
  copy_totals(run.totals, out);

  out.energy_parts = energy_parts(s, run, out.utilisation, elapsed);
  out.pue = s.cost.pue;
  for (const auto& part : out.energy_parts)
    out.energy_kwh += part.kwh * out.pue;
  out.purchase_usd = config::purchase_price(s);
  out.cost_parts = run_cost(s, out.devices, out.time_to_train, out.energy_kwh);
  if (s.cost.model != config::CostModel::none) {
    out.cost_usd = 0;
    for (const auto& part : out.cost_parts)
      *out.cost_usd += part.usd;
  }
  if (s.failures.enabled())
    account_failures(s, out);
  return out;
}

} // namespace dtsim::report
