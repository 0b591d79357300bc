#include "app/validation_cases.hpp"

#include "app/collective_benchmark.hpp"
#include "app/simulate.hpp"
#include "config/value_reader.hpp"

#include <cmath>
#include <filesystem>
#include <fmt/ostream.h>

namespace dtsim::app {

namespace {

const std::vector<std::string> metrics{"throughput", "scaling_efficiency", "allreduce_time"};

ValidationCase read_case(const config::MapReader& entry, const std::filesystem::path& folder)
{
  ValidationCase c;
  c.id = entry.text("id");
  c.scenario = (folder / entry.text("scenario")).string();
  if (entry.has("set")) {
    const YAML::Node list = entry.node("set");
    if (!list.IsSequence())
      entry.fail_at("set", "expected a list of key.path=value overrides, found " + config::describe(list));
    for (std::size_t i = 0; i < list.size(); ++i)
      c.overrides.push_back(config::read_text(entry.document(), list[i], entry.path_of("set")));
  }
  c.metric = entry.text("metric");
  if (std::find(metrics.begin(), metrics.end(), c.metric) == metrics.end())
    entry.fail_at("metric",
                  fmt::format("expected throughput, scaling_efficiency or allreduce_time, found \"{}\"", c.metric));
  if (c.metric == "allreduce_time")
    c.bytes = entry.quantity("size", units::Dimension::size);
  c.measured = entry.quantity("measured", units::Dimension::number);
  c.unit = entry.text("unit");
  c.tolerance = entry.quantity("tolerance", units::Dimension::number);
  c.source = entry.text("source");
  entry.finish();
  return c;
}

double predict(const ValidationCase& c, const std::string& data_dir)
{
  const config::Scenario scenario = config::load_scenario(c.scenario, c.overrides, data_dir);
  if (c.metric == "throughput")
    return report::summarize(scenario, simulate(scenario, {}), std::nullopt).throughput;
  if (c.metric == "allreduce_time")
    return 1e6 * benchmark_collective(scenario, report::CollectiveOp::all_reduce, {c.bytes}).front().seconds;
  ChildComputation baseline([&scenario] { return baseline_throughput(scenario); });
  const report::RunResult run = simulate(scenario, {});
  const auto summary = report::summarize(scenario, run, baseline.result());
  if (!summary.scaling_efficiency)
    throw std::runtime_error("no baseline");
  return 100 * *summary.scaling_efficiency;
}

} // namespace

double CaseOutcome::error() const
{
  if (!predicted)
    return NAN;
  return spec.metric == "scaling_efficiency" ? *predicted - spec.measured : *predicted / spec.measured - 1;
}

bool CaseOutcome::within_bounds() const
{
  return predicted && std::abs(error()) <= spec.tolerance;
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
  for (const auto& c : cases) {
    ChildComputation run([&c, &data_dir] { return predict(c, data_dir); });
    outcomes.push_back({c, run.result()});
  }
  return outcomes;
}

void print_outcomes(std::ostream& out, const std::vector<CaseOutcome>& outcomes)
{
  fmt::print(out, "| case | measured | predicted | error | bound | within |\n|---|---:|---:|---:|---:|---|\n");
  for (const auto& o : outcomes) {
    const bool points = o.spec.metric == "scaling_efficiency";
    const auto number = [](double v) {
      return std::abs(v) >= 100 ? fmt::format("{:.0f}", v) : fmt::format("{:.1f}", v);
    };
    const std::string predicted = o.predicted ? number(*o.predicted) : "failed";
    const std::string error = !o.predicted ? "-"
                              : points     ? fmt::format("{:+.1f} pt", o.error())
                                           : fmt::format("{:+.1f}%", 100 * o.error());
    const std::string bound =
        points ? fmt::format("{:g} pt", o.spec.tolerance) : fmt::format("{:g}%", 100 * o.spec.tolerance);
    fmt::print(out, "| {} | {} {} | {} | {} | {} | {} |\n", o.spec.id, number(o.spec.measured), o.spec.unit, predicted,
               error, bound, o.within_bounds() ? "yes" : "NO");
  }
}

} // namespace dtsim::app
