#include "report/result_metrics.hpp"

#include "report/csv.hpp"

#include <array>
#include <fmt/format.h>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace dtsim::report {

namespace {

using nlohmann::json;

// How each type of Summary field is written to JSON and read back.

json json_of(double x)
{
  return x;
}
json json_of(int x)
{
  return x;
}
json json_of(long long x)
{
  return x;
}
json json_of(bool x)
{
  return x;
}
json json_of(const std::string& x)
{
  return x;
}
json json_of(BottleneckKind kind)
{
  return to_string(kind);
}
json json_of(const std::optional<double>& x)
{
  return x ? json(*x) : json();
}

json json_of(const std::optional<StorageReads>& reads)
{
  if (!reads)
    return nullptr;
  return {{"unit", reads->unit},
          {"units", reads->units},
          {"bandwidth_B_per_s_each", reads->bandwidth},
          {"iops_each", reads->iops},
          {"request_B", reads->request_bytes}};
}

template <typename Part> json json_of(const std::vector<Part>& parts)
{
  json by_part = json::object();
  for (const auto& p : parts)
    if constexpr (std::is_same_v<Part, EnergyPart>)
      by_part[p.part] = p.kwh;
    else if constexpr (std::is_same_v<Part, FailureCount>)
      by_part[p.part] = p.count;
    else
      by_part[p.part] = p.usd;
  return by_part;
}

json json_of(const std::vector<GroupReport>& groups)
{
  json list = json::array();
  for (const auto& g : groups)
    list.push_back({{"accelerator", g.accelerator},
                    {"devices", g.devices},
                    {"batch_per_device", g.batch_per_device},
                    {"compute_efficiency", g.compute_efficiency},
                    {"compute_limit", g.compute_limit},
                    {"compute_efficiency_basis", g.efficiency_basis},
                    {"forward_backward_s", g.forward_backward_time}});
  return list;
}

template <typename T> void set_from(const json& j, T& x)
{
  x = j.get<T>();
}

void set_from(const json& j, BottleneckKind& kind)
{
  kind = bottleneck_kind(j.get<std::string>());
}

void set_from(const json& j, std::optional<double>& x)
{
  x = j.is_null() ? std::nullopt : std::optional(j.get<double>());
}

void set_from(const json& j, std::optional<StorageReads>& reads)
{
  if (j.is_null()) {
    reads.reset();
    return;
  }
  reads = StorageReads{j.at("unit").get<std::string>(), j.at("units").get<int>(),
                       j.at("bandwidth_B_per_s_each").get<double>(), j.at("iops_each").get<double>(),
                       j.at("request_B").get<double>()};
}

template <typename Part> void set_from(const json& j, std::vector<Part>& parts)
{
  parts.clear();
  for (const auto& [name, amount] : j.items())
    parts.push_back({name, amount.template get<double>()});
}

void set_from(const json& j, std::vector<GroupReport>& groups)
{
  groups.clear();
  for (const auto& g : j)
    groups.push_back({g.at("accelerator").get<std::string>(), g.at("devices").get<int>(),
                      g.at("batch_per_device").get<int>(), g.at("compute_efficiency").get<double>(),
                      g.at("compute_limit").get<std::string>(), g.at("compute_efficiency_basis").get<std::string>(),
                      g.at("forward_backward_s").get<double>()});
}

template <typename T> constexpr MetricShape shape_of()
{
  if constexpr (std::is_same_v<T, bool>)
    return MetricShape::flag;
  else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, BottleneckKind>)
    return MetricShape::text;
  else if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::optional<double>>)
    return MetricShape::number;
  else
    return MetricShape::structure;
}

template <typename T> constexpr bool is_nullable = false;
template <typename T> constexpr bool is_nullable<std::optional<T>> = true;

/// A metric that is a field of the Summary; `field` is a lambda `[](auto& s) -> auto& { return s.x; }`.
template <typename Field> Metric stored(std::string key, std::string unit, std::string description, Field field)
{
  using Value = std::remove_cvref_t<decltype(field(std::declval<Summary&>()))>;
  return {std::move(key),
          std::move(unit),
          std::move(description),
          shape_of<Value>(),
          is_nullable<Value>,
          [field](const Summary& s) { return json_of(field(s)); },
          [field](Summary& s, const json& j) { set_from(j, field(s)); }};
}

/// A metric worked out from other figures of the Summary; it is written, never read back.
template <typename Compute> Metric derived(std::string key, std::string unit, std::string description, Compute compute)
{
  using Value = std::remove_cvref_t<decltype(compute(std::declval<const Summary&>()))>;
  return {std::move(key),
          std::move(unit),
          std::move(description),
          shape_of<Value>(),
          is_nullable<Value>,
          [compute](const Summary& s) { return json_of(compute(s)); },
          {}};
}

/// The first device group, the one whose figures a single number reports; none in an empty Summary.
GroupReport first_group(const Summary& s)
{
  return s.device_groups.empty() ? GroupReport{} : s.device_groups.front();
}

std::optional<double> cost_per(const Summary& s, double (Summary::*per)(double) const)
{
  return s.cost_usd ? std::optional((s.*per)(*s.cost_usd)) : std::nullopt;
}

std::vector<Metric> make_metrics()
{
  return {
      stored(
          "devices", "count", "Accelerators in the cluster.", [](auto& s) -> auto& { return s.devices; }),
      stored(
          "steps", "count", "Optimizer steps the run trains.", [](auto& s) -> auto& { return s.steps; }),
      stored(
          "simulated_steps", "count", "Of the steps, those played out; the rest take the steady step time.",
          [](auto& s) -> auto& { return s.simulated_steps; }),
      stored(
          "samples", "samples", "Samples trained: steps x gradient accumulation x the global micro-batch.",
          [](auto& s) -> auto& { return s.samples; }),
      stored(
          "epochs", "epochs", "Passes over the dataset: samples / workload.dataset_samples.",
          [](auto& s) -> auto& { return s.epochs; }),
      stored(
          "time_to_train_s", "s", "The whole run: start-up, every step and the evaluation passes.",
          [](auto& s) -> auto& { return s.time_to_train; }),
      stored(
          "startup_s", "s", "Of time_to_train, before the first step (training.startup).",
          [](auto& s) -> auto& { return s.startup_time; }),
      stored(
          "evaluation_s", "s", "Of time_to_train, the evaluation passes.",
          [](auto& s) -> auto& { return s.evaluation_time; }),
      stored(
          "throughput_samples_per_s", "samples/s", "Samples per second in the steady state.",
          [](auto& s) -> auto& { return s.throughput; }),
      stored(
          "overall_throughput_samples_per_s", "samples/s",
          "Samples per second over the whole run, start-up and pipeline fill included.",
          [](auto& s) -> auto& { return s.overall_throughput; }),
      stored(
          "step_time_s", "s", "Mean step over the steady state.", [](auto& s) -> auto& { return s.step_time; }),
      stored(
          "steady_first_step", "count", "First step of the steady state, counted from 0.",
          [](auto& s) -> auto& { return s.steady.first_step; }),
      stored(
          "steady_steps", "count", "Steps in the steady state.", [](auto& s) -> auto& { return s.steady.steps; }),
      stored(
          "steady_settled", "", "Whether the steady state's halves agree; if not, simulate more steps.",
          [](auto& s) -> auto& { return s.steady.settled; }),
      stored(
          "compute_s", "s", "Of the step: forward and backward, mean over workers.",
          [](auto& s) -> auto& { return s.breakdown.compute; }),
      stored(
          "exposed_comm_s", "s", "Of the step: gradient all-reduce not hidden behind backward.",
          [](auto& s) -> auto& { return s.breakdown.exposed_comm; }),
      stored(
          "imbalance_s", "s", "Of the step: waiting for slower devices to finish their backward.",
          [](auto& s) -> auto& { return s.breakdown.imbalance; }),
      stored(
          "data_stall_s", "s", "Of the step: waiting for the input pipeline.",
          [](auto& s) -> auto& { return s.breakdown.data_stall; }),
      stored(
          "fetch_stall_s", "s", "Of the data stall: what infinitely fast storage would remove.",
          [](auto& s) -> auto& { return s.breakdown.fetch_stall; }),
      derived("preprocess_stall_s", "s", "Of the data stall: waiting for preprocessing (data_stall_s - fetch_stall_s).",
              [](const Summary& s) { return s.breakdown.preprocess_stall(); }),
      stored(
          "optimizer_s", "s", "Of the step: the optimizer.", [](auto& s) -> auto& { return s.breakdown.optimizer; }),
      stored(
          "overhead_s", "s", "Of the step: the framework's fixed cost per step.",
          [](auto& s) -> auto& { return s.breakdown.overhead; }),
      stored(
          "checkpoint_s", "s", "Of the step: waiting for checkpoints, spread over the steps.",
          [](auto& s) -> auto& { return s.breakdown.checkpoint; }),
      stored(
          "scaling_efficiency", "fraction",
          "Throughput over devices x the one-device baseline's; null without a baseline (--no-baseline).",
          [](auto& s) -> auto& { return s.scaling_efficiency; }),
      stored(
          "baseline_throughput_samples_per_s", "samples/s",
          "Throughput of one device with the same batch and storage; null without a baseline.",
          [](auto& s) -> auto& { return s.baseline_throughput; }),
      stored(
          "bottleneck", "",
          "What limits the step: compute-bound, communication-bound, input-bound, "
          "checkpoint-bound or imbalance-bound.",
          [](auto& s) -> auto& { return s.bottleneck.kind; }),
      stored(
          "bottleneck_reason", "", "The figures behind the bottleneck, in a sentence.",
          [](auto& s) -> auto& { return s.bottleneck.reason; }),
      stored(
          "accelerator_utilisation", "fraction", "Busy share of the accelerators over the whole run.",
          [](auto& s) -> auto& { return s.utilisation.accelerators; }),
      stored(
          "cpu_utilisation", "fraction", "Busy share of the nodes' input cores over the whole run.",
          [](auto& s) -> auto& { return s.utilisation.cpu_cores; }),
      stored(
          "drive_utilisation", "fraction",
          "Dataset reads over the drives' read bandwidth; null when nothing is read from storage.",
          [](auto& s) -> auto& { return s.utilisation.drives; }),
      stored(
          "target_nic_utilisation", "fraction", "NVMe-oF: dataset reads over the targets' NIC bandwidth.",
          [](auto& s) -> auto& { return s.utilisation.target_nics; }),
      stored(
          "client_nic_utilisation", "fraction", "NVMe-oF: dataset reads over the nodes' storage NIC bandwidth.",
          [](auto& s) -> auto& { return s.utilisation.client_nics; }),
      stored(
          "target_cpu_utilisation", "fraction", "NVMe/TCP without offload: the targets' cores busy with reads.",
          [](auto& s) -> auto& { return s.utilisation.target_cpu; }),
      stored(
          "client_mount_utilisation", "fraction",
          "Appliance with a per-client limit: the nodes' reads over that limit.",
          [](auto& s) -> auto& { return s.utilisation.client_mounts; }),
      stored(
          "page_cache_share", "fraction",
          "Of the dataset bytes read, the share the page caches served; null without a page cache.",
          [](auto& s) -> auto& { return s.page_cache_share; }),
      stored(
          "storage_reads", "",
          "Dataset reads per storage unit: unit (node, target or appliance), units, bandwidth_B_per_s_each, "
          "iops_each, request_B; null when nothing is read from storage.",
          [](auto& s) -> auto& { return s.storage_reads; }),
      stored(
          "storage_read_B", "B", "Dataset bytes read from storage.",
          [](auto& s) -> auto& { return s.storage_bytes_read; }),
      stored(
          "page_cache_read_B", "B", "Dataset bytes the page caches served.",
          [](auto& s) -> auto& { return s.cache_bytes_read; }),
      stored(
          "gradient_allreduced_per_device_B", "B", "Gradient bytes each device all-reduced over the run.",
          [](auto& s) -> auto& { return s.gradient_bytes_per_device; }),
      stored(
          "checkpoints", "count", "Checkpoints written.", [](auto& s) -> auto& { return s.checkpoints; }),
      stored(
          "checkpoint_write_s", "s", "Writing the checkpoints, summed over them.",
          [](auto& s) -> auto& { return s.checkpoint_write_time; }),
      stored(
          "restore_s", "s", "Reading a checkpoint back at start-up.", [](auto& s) -> auto& { return s.restore_time; }),
      stored(
          "failure_free_time_to_train_s", "s", "With failures.model: time_to_train had nothing failed; else null.",
          [](auto& s) -> auto& { return s.failures.failure_free_time; }),
      stored(
          "time_to_train_ci_s", "s", "With failures.model: half-width of time_to_train's 95% confidence interval.",
          [](auto& s) -> auto& { return s.failures.time_margin; }),
      stored(
          "job_mtbf_s", "s", "With failures.model: mean time between failures of the whole job.",
          [](auto& s) -> auto& { return s.failures.job_mtbf; }),
      stored(
          "failures", "count", "With failures.model: failures over the run, the mean over failures.trials.",
          [](auto& s) -> auto& { return s.failures.failures; }),
      stored(
          "failures_by_part", "", "With failures.model: failures over the run by kind of part; empty without.",
          [](auto& s) -> auto& { return s.failures.by_part; }),
      stored(
          "lost_work_s", "s", "With failures.model: training done again after failures, part of time_to_train.",
          [](auto& s) -> auto& { return s.failures.lost_work; }),
      stored(
          "restarts_s", "s", "With failures.model: restarting and restoring checkpoints, part of time_to_train.",
          [](auto& s) -> auto& { return s.failures.restarts; }),
      stored(
          "goodput", "fraction",
          "With failures.model: time spent training (steps and evaluation, not checkpoint waits, restarts or lost "
          "work) over time_to_train.",
          [](auto& s) -> auto& { return s.failures.goodput; }),
      stored(
          "goodput_ci", "fraction", "With failures.model: half-width of goodput's 95% confidence interval.",
          [](auto& s) -> auto& { return s.failures.goodput_margin; }),
      stored(
          "best_checkpoint_interval_s", "s",
          "With failures.model and checkpoints: the training time between checkpoints that loses least, from the "
          "simulated checkpoint wait and the job's MTBF (Daly 2006).",
          [](auto& s) -> auto& { return s.failures.best_interval; }),
      derived("compute_efficiency", "fraction", "Of the first device group: achieved over peak compute rate.",
              [](const Summary& s) { return first_group(s).compute_efficiency; }),
      derived("compute_limit", "", "Of the first device group: what bounds its compute rate.",
              [](const Summary& s) { return first_group(s).compute_limit; }),
      derived("compute_efficiency_basis", "", "Of the first device group: where its efficiency comes from.",
              [](const Summary& s) { return first_group(s).efficiency_basis; }),
      stored(
          "device_groups", "",
          "One per accelerator kind: accelerator, devices, batch_per_device, compute_efficiency, compute_limit, "
          "compute_efficiency_basis, forward_backward_s.",
          [](auto& s) -> auto& { return s.device_groups; }),
      stored(
          "energy_kWh", "kWh", "Facility energy: every part's, times the PUE.",
          [](auto& s) -> auto& { return s.energy_kwh; }),
      derived("energy_kWh_per_epoch", "kWh", "energy_kWh over epochs.",
              [](const Summary& s) { return s.per_epoch(s.energy_kwh); }),
      derived("energy_kWh_per_million_samples", "kWh", "energy_kWh per million samples.",
              [](const Summary& s) { return s.per_million_samples(s.energy_kwh); }),
      stored(
          "pue", "ratio", "Facility power over IT power (cost.pue).", [](auto& s) -> auto& { return s.pue; }),
      stored(
          "it_energy_kWh_by_part", "", "IT energy of each kind of part, before the PUE, in kWh.",
          [](auto& s) -> auto& { return s.energy_parts; }),
      stored(
          "purchase_usd", "USD", "The cluster's purchase price; null when a part has no price.",
          [](auto& s) -> auto& { return s.purchase_usd; }),
      stored(
          "cost_usd", "USD", "The run's cost under cost.model; null for none.",
          [](auto& s) -> auto& { return s.cost_usd; }),
      derived("cost_usd_per_epoch", "USD", "cost_usd over epochs.",
              [](const Summary& s) { return cost_per(s, &Summary::per_epoch); }),
      derived("cost_usd_per_million_samples", "USD", "cost_usd per million samples.",
              [](const Summary& s) { return cost_per(s, &Summary::per_million_samples); }),
      stored(
          "cost_usd_by_part", "", "The run's cost by component, in USD.",
          [](auto& s) -> auto& { return s.cost_parts; }),
  };
}

std::vector<StepField> make_step_fields()
{
  using training::StepRecord;
  return {
      {"step", "count", "The step, counted from 0.", [](const StepRecord& r) { return static_cast<double>(r.step); }},
      {"start_s", "s", "When the step started, in simulated time.", [](const StepRecord& r) { return r.start; }},
      {"end_s", "s", "When it ended.", [](const StepRecord& r) { return r.end; }},
      {"step_time_s", "s", "end_s - start_s; the components below add up to it.",
       [](const StepRecord& r) { return r.end - r.start; }},
      {"compute_s", "s", "Forward and backward, mean over workers.", [](const StepRecord& r) { return r.compute; }},
      {"exposed_comm_s", "s", "All-reduce not hidden behind backward.",
       [](const StepRecord& r) { return r.exposed_comm; }},
      {"imbalance_s", "s", "Waiting for slower devices.", [](const StepRecord& r) { return r.imbalance; }},
      {"data_stall_s", "s", "Waiting for the input pipeline.", [](const StepRecord& r) { return r.data_stall; }},
      {"optimizer_s", "s", "The optimizer.", [](const StepRecord& r) { return r.optimizer; }},
      {"overhead_s", "s", "The framework's fixed cost.", [](const StepRecord& r) { return r.overhead; }},
      {"checkpoint_s", "s", "Waiting for a checkpoint.", [](const StepRecord& r) { return r.checkpoint; }},
  };
}

std::string shape_name(const Metric& m)
{
  switch (m.shape) {
  case MetricShape::number:
    return m.nullable ? "number or null" : "number";
  case MetricShape::text:
    return "text";
  case MetricShape::flag:
    return "true or false";
  case MetricShape::structure:
    return m.nullable ? "object or null" : m.key == "device_groups" ? "list" : "object";
  }
  return "";
}

} // namespace

const std::vector<Metric>& summary_metrics()
{
  static const std::vector<Metric> metrics = make_metrics();
  return metrics;
}

const Metric* find_metric(const std::string& key)
{
  for (const auto& m : summary_metrics())
    if (m.key == key)
      return &m;
  return nullptr;
}

const std::vector<StepField>& step_fields()
{
  static const std::vector<StepField> fields = make_step_fields();
  return fields;
}

nlohmann::json summary_json(const Summary& summary)
{
  json out = json::object();
  for (const auto& m : summary_metrics())
    out[m.key] = m.read(summary);
  return out;
}

Summary summary_from_json(const nlohmann::json& summary)
{
  Summary out;
  for (const auto& m : summary_metrics()) {
    if (!m.write)
      continue;
    if (!summary.contains(m.key))
      throw std::runtime_error(fmt::format("the summary has no \"{}\"", m.key));
    try {
      m.write(out, summary.at(m.key));
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("the summary's \"{}\" is not {}: {}", m.key, shape_name(m), e.what()));
    }
  }
  return out;
}

std::vector<std::string> metric_columns()
{
  std::vector<std::string> columns;
  for (const auto& m : summary_metrics())
    if (m.is_column())
      columns.push_back(m.key);
  return columns;
}

nlohmann::json with_metric_columns(nlohmann::json record, const nlohmann::json& summary)
{
  for (const auto& m : summary_metrics())
    if (m.is_column())
      record[m.key] = summary.is_object() ? summary.value(m.key, json()) : json();
  return record;
}

std::string summary_records_csv(std::vector<std::string> columns, const nlohmann::json& records)
{
  json flat = json::array();
  for (const auto& record : records)
    flat.push_back(with_metric_columns(record, record.at("summary")));
  const auto metrics = metric_columns();
  columns.insert(columns.end(), metrics.begin(), metrics.end());
  return records_csv(columns, flat);
}

std::string results_reference_markdown()
{
  std::string md =
      "# Results reference\n\n"
      "Generated by `dtsim reference --results`; a test keeps this file in step with the program.\n\n"
      "`dtsim run --json FILE` writes one JSON document: `dtsim_version`; `scenario` (its `file` and every "
      "resolved key under `settings`); `assumptions` (figures that rest on an assumption, not a source); "
      "`summary` (the metrics below), `steps` (one record per simulated step) and `epochs` (below). The same metrics "
      "are "
      "the `summary` of each row of a sweep's `results.jsonl`, the metric columns of every `--csv` and of "
      "`results.csv` (all but lists and objects), and the keys `dtsim plot` accepts (the numbers).\n\n"
      "A fraction is between 0 and 1; `dtsim plot` shows it in percent. Samples are the workload's unit "
      "(images, sequences, ...).\n\n"
      "## Summary\n\n"
      "| key | unit | value | meaning |\n|---|---|---|---|\n";
  for (const auto& m : summary_metrics())
    md += fmt::format("| `{}` | {} | {} | {} |\n", m.key, m.unit.empty() ? "-" : m.unit, shape_name(m), m.description);
  md += "\n## Steps\n\nEach record of `steps`; every value is a number.\n\n| key | unit | meaning |\n|---|---|---|\n";
  for (const auto& f : step_fields())
    md += fmt::format("| `{}` | {} | {} |\n", f.key, f.unit, f.description);
  md += "\n## Epochs\n\n"
        "Each record of `epochs`: one per pass over the dataset (`workload.dataset_samples` samples), or, when the "
        "run makes more than 1,000 epochs, one per equal run of consecutive epochs. A step whose samples fall in "
        "two epochs counts in each in proportion, so the times add up to `time_to_train_s` less start-up and "
        "evaluation.\n\n| key | unit | meaning |\n|---|---|---|\n";
  for (const auto& [key, unit, description] : std::vector<std::array<std::string, 3>>{
           {"first_epoch", "count", "First epoch the record covers, counted from 1."},
           {"last_epoch", "count", "Last epoch it covers."},
           {"first_step", "count", "Step of its first sample, counted from 1 as `dtsim run` prints steps."},
           {"last_step", "count", "Step of its last sample."},
           {"samples", "samples", "Samples it trained (fewer in the last when the run ends within it)."},
           {"time_s", "s", "Time its steps took."},
           {"throughput_samples_per_s", "samples/s", "samples / time_s."},
           {"data_stall_s_per_step", "s", "Mean data stall of its steps."},
           {"steps_simulated", "-", "`all`, `some` or `none`: the rest take the steady step time and stall."}})
    md += fmt::format("| `{}` | {} | {} |\n", key, unit, description);
  return md;
}

} // namespace dtsim::report
