#include "app/validation_cases.hpp"

#include "app/collective_benchmark.hpp"
#include "app/progress.hpp"
#include "app/simulate.hpp"
#include "config/value_reader.hpp"
#include "training/runnable_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/ostream.h>

namespace dtsim::app {

namespace {

using units::Dimension;

std::string metric_names()
{
  std::string names;
  const auto& table = metric_table();
  for (std::size_t i = 0; i < table.size(); ++i)
    names += (i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + table[i].name;
  return names;
}

const MetricInfo& read_metric(const config::MapReader& entry)
{
  const std::string name = entry.text("metric");
  const auto& table = metric_table();
  const auto found = std::find_if(table.begin(), table.end(), [&](const MetricInfo& m) { return m.name == name; });
  if (found == table.end())
    entry.fail_at("metric", fmt::format("expected {}, found \"{}\"", metric_names(), name));
  return *found;
}

/// Keys only some metrics take are errors for the others.
void refuse_keys_that_do_not_apply(const config::MapReader& entry, const MetricInfo& metric)
{
  for (const auto& [key, applies] :
       {std::pair{"size", metric.size}, std::pair{"op", metric.op}, std::pair{"baseline_set", metric.baseline}})
    if (!applies && entry.has(key))
      entry.fail_at(key, fmt::format("does not apply to metric {}", metric.name));
}

std::vector<std::string> read_overrides(const config::MapReader& entry, const std::string& key)
{
  std::vector<std::string> overrides;
  const YAML::Node list = entry.node(key);
  if (!list.IsSequence())
    entry.fail_at(key, "expected a list of key.path=value overrides, found " + config::describe(list));
  for (std::size_t i = 0; i < list.size(); ++i)
    overrides.push_back(config::read_text(entry.document(), list[i], entry.path_of(key)));
  return overrides;
}

void read_unit(const config::MapReader& entry, const MetricInfo& metric, ValidationCase& c)
{
  if (metric.default_unit.empty() || entry.has("unit"))
    c.unit = entry.text("unit");
  else
    c.unit = metric.default_unit;
  if (metric.points && c.unit != metric.default_unit)
    entry.fail_at("unit",
                  fmt::format("expected \"{}\" for {}, found \"{}\"", metric.default_unit, metric.name, c.unit));
  if (!metric.dimension)
    return;
  try {
    c.unit_scale = units::parse("1 " + c.unit, *metric.dimension);
  } catch (const units::UnitError&) {
    entry.fail_at("unit", fmt::format("expected the unit of {} for {}, found \"{}\"",
                                      units::expected_form(*metric.dimension), metric.name, c.unit));
  }
}

ValidationCase read_case(const config::MapReader& entry, const std::filesystem::path& folder)
{
  ValidationCase c;
  c.id = entry.text("id");
  c.scenario = (folder / entry.text("scenario")).string();
  if (entry.has("set"))
    c.overrides = read_overrides(entry, "set");
  const MetricInfo& metric = read_metric(entry);
  c.metric = metric.metric;
  refuse_keys_that_do_not_apply(entry, metric);
  if (metric.size)
    c.bytes = entry.quantity("size", Dimension::size);
  if (metric.op) {
    try {
      c.op = report::collective_op(entry.text("op"));
    } catch (const std::invalid_argument& e) {
      entry.fail_at("op", e.what());
    }
  }
  if (entry.has("baseline_set"))
    c.baseline_overrides = read_overrides(entry, "baseline_set");
  c.measured = entry.quantity("measured", Dimension::number);
  read_unit(entry, metric, c);
  c.tolerance = entry.quantity("tolerance", Dimension::number);
  if (entry.has("calibration"))
    c.calibration = config::read_boolean(entry.document(), entry.node("calibration"), entry.path_of("calibration"));
  c.source = entry.text("source");
  entry.finish();
  return c;
}

report::Summary summarize_run(const config::Scenario& scenario)
{
  return report::summarize(scenario, simulate(scenario, {}), std::nullopt);
}

/// Throughput over (devices / baseline devices) x the baseline's throughput; the baseline is one
/// device, or the case's scenario under its baseline_set.
double scaling_efficiency(const ValidationCase& c, const config::Scenario& scenario, const std::string& data_dir)
{
  if (c.baseline_overrides.empty()) {
    ChildComputation baseline([&scenario] { return baseline_throughput(scenario); });
    const auto summary = report::summarize(scenario, simulate(scenario, {}), baseline.result());
    if (!summary.scaling_efficiency)
      throw std::runtime_error("no baseline");
    return *summary.scaling_efficiency;
  }
  std::vector<std::string> overrides = c.overrides;
  overrides.insert(overrides.end(), c.baseline_overrides.begin(), c.baseline_overrides.end());
  const config::Scenario base = training::load_runnable_scenario(c.scenario, overrides, data_dir);
  ChildComputation baseline([&base] { return summarize_run(base).throughput; });
  const double throughput = summarize_run(scenario).throughput;
  const auto base_throughput = baseline.result();
  if (!base_throughput || *base_throughput <= 0)
    throw std::runtime_error("the baseline run failed");
  const double scale = static_cast<double>(scenario.cluster.devices()) / base.cluster.devices();
  return throughput / (scale * *base_throughput);
}

/// In SI units: seconds, bytes/s.
double collective_metric(const ValidationCase& c, const config::Scenario& scenario)
{
  const double seconds = benchmark_collective(scenario, c.op, {c.bytes}).front().seconds;
  const int ranks = scenario.cluster.devices();
  const double algbw = c.bytes / seconds, busbw = algbw * report::bus_bandwidth_factor(c.op, ranks);
  switch (c.metric) {
  case Metric::algbw:
    return algbw;
  case Metric::busbw:
    return busbw;
  case Metric::pod_busbw:
    return busbw * ranks;
  default:
    return seconds;
  }
}

/// The prediction in the case's unit.
double predict(const ValidationCase& c, const std::string& data_dir)
{
  const config::Scenario scenario = training::load_runnable_scenario(c.scenario, c.overrides, data_dir);
  switch (c.metric) {
  case Metric::scaling_efficiency:
    return 100 * scaling_efficiency(c, scenario, data_dir);
  case Metric::throughput:
    return summarize_run(scenario).throughput;
  case Metric::time_to_train:
    return summarize_run(scenario).time_to_train / c.unit_scale;
  case Metric::step_time:
    return summarize_run(scenario).step_time / c.unit_scale;
  default:
    return collective_metric(c, scenario) / c.unit_scale;
  }
}

std::string number(double v)
{
  return std::abs(v) >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
}

} // namespace

const std::vector<MetricInfo>& metric_table()
{
  using M = Metric;
  static const std::vector<MetricInfo> table{
      {M::throughput, "throughput", std::nullopt, "", false, false, false, false},
      {M::scaling_efficiency, "scaling_efficiency", std::nullopt, "%", true, false, false, true},
      {M::time_to_train, "time_to_train", Dimension::time, "s", false, false, false, false},
      {M::step_time, "step_time", Dimension::time, "s", false, false, false, false},
      {M::allreduce_time, "allreduce_time", Dimension::time, "us", false, true, false, false},
      {M::collective_time, "collective_time", Dimension::time, "us", false, true, true, false},
      {M::algbw, "algbw", Dimension::bandwidth, "GB/s", false, true, true, false},
      {M::busbw, "busbw", Dimension::bandwidth, "GB/s", false, true, true, false},
      {M::pod_busbw, "pod_busbw", Dimension::bandwidth, "TB/s", false, true, true, false},
  };
  return table;
}

const MetricInfo& metric_info(Metric metric)
{
  return *std::find_if(metric_table().begin(), metric_table().end(),
                       [metric](const MetricInfo& m) { return m.metric == metric; });
}

double CaseOutcome::error() const
{
  if (!predicted)
    return NAN;
  return metric_info(spec.metric).points ? *predicted - spec.measured : *predicted / spec.measured - 1;
}

bool CaseOutcome::within_bounds() const
{
  return predicted && std::abs(error()) <= spec.tolerance;
}

bool CaseOutcome::passes() const
{
  return predicted && (spec.calibration || within_bounds());
}

std::vector<ValidationCase> load_cases(const std::string& path)
{
  const config::Document doc = config::Document::load(path);
  const config::MapReader file(doc, doc.root(), "");
  const YAML::Node list = file.node("cases");
  if (!list.IsSequence())
    file.fail_at("cases", "expected a list of cases, found " + config::describe(list));
  std::vector<ValidationCase> cases;
  const auto folder = std::filesystem::path(path).parent_path();
  for (std::size_t i = 0; i < list.size(); ++i)
    cases.push_back(read_case(config::MapReader(doc, list[i], fmt::format("cases[{}]", i)), folder));
  file.finish();
  return cases;
}

std::vector<CaseOutcome> run_cases(const std::vector<ValidationCase>& cases, const std::string& data_dir)
{
  std::vector<CaseOutcome> outcomes;
  TaskProgress progress("check", cases.size());
  for (const auto& c : cases) {
    progress.show(1);
    ChildComputation run([&c, &data_dir] { return predict(c, data_dir); });
    outcomes.push_back({c, run.result()});
    progress.finished(outcomes.back().predicted.has_value());
  }
  return outcomes;
}

void print_outcomes(std::ostream& out, const std::vector<CaseOutcome>& outcomes)
{
  fmt::print(out,
             "| case | unit | measured | predicted | error | bound | within |\n|---|---|---:|---:|---:|---:|---|\n");
  for (const auto& o : outcomes) {
    const bool points = metric_info(o.spec.metric).points;
    const std::string predicted = o.predicted ? number(*o.predicted) : "failed";
    const std::string error = !o.predicted ? "-"
                              : points     ? fmt::format("{:+.1f} pt", o.error())
                                           : fmt::format("{:+.1f}%", 100 * o.error());
    const std::string bound =
        points ? fmt::format("{:g} pt", o.spec.tolerance) : fmt::format("{:g}%", 100 * o.spec.tolerance);
    const std::string within = o.spec.calibration ? "calibration" : o.within_bounds() ? "yes" : "NO";
    fmt::print(out, "| {} | {} | {} | {} | {} | {} | {} |\n", o.spec.id, o.spec.unit, number(o.spec.measured),
               predicted, error, bound, within);
  }
}

nlohmann::json outcomes_json(const std::vector<CaseOutcome>& outcomes)
{
  nlohmann::json list = nlohmann::json::array();
  for (const auto& o : outcomes) {
    const MetricInfo& metric = metric_info(o.spec.metric);
    nlohmann::json entry{{"id", o.spec.id},
                         {"metric", metric.name},
                         {"unit", o.spec.unit},
                         {"measured", o.spec.measured},
                         {"predicted", o.predicted ? nlohmann::json(*o.predicted) : nlohmann::json()},
                         {"error", o.predicted ? nlohmann::json(o.error()) : nlohmann::json()},
                         {"error_in", metric.points ? "points" : "relative"},
                         {"bound", o.spec.tolerance},
                         {"within", o.within_bounds()},
                         {"calibration", o.spec.calibration},
                         {"source", o.spec.source}};
    if (metric.op)
      entry["op"] = report::to_string(o.spec.op);
    if (metric.size)
      entry["size_bytes"] = o.spec.bytes;
    list.push_back(entry);
  }
  return list;
}

const std::vector<std::string>& outcome_columns()
{
  static const std::vector<std::string> columns{"id",       "metric",      "op",    "size_bytes", "unit",
                                                "measured", "predicted",   "error", "error_in",   "bound",
                                                "within",   "calibration", "source"};
  return columns;
}

} // namespace dtsim::app
