#include "app/compare.hpp"

#include "app/process_pool.hpp"
#include "app/progress.hpp"
#include "app/simulate.hpp"

#include "config/config_error.hpp"
#include "report/result_metrics.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <sstream>

namespace dtsim::app {

namespace {

/// The summary of one scenario as JSON text; simulates, so call in a process of its own.
std::string summary_text(const config::Scenario& scenario, bool with_baseline)
{
  const auto [run, summary] = simulate_and_summarize(scenario, with_baseline);
  const nlohmann::json json = report::summary_json(summary);
  report::require_finite_numbers(json, "the summary");
  return json.dump();
}

} // namespace

std::vector<report::ComparedScenario> compare_scenarios(const std::vector<NamedScenario>& scenarios, int jobs,
                                                        bool baselines, const std::string& command)
{
  std::vector<report::ComparedScenario> rows;
  for (const auto& s : scenarios)
    rows.push_back({s.name, std::nullopt});
  TaskProgress progress(command, scenarios.size());
  run_in_processes(
      scenarios.size(), jobs, [&](std::size_t k) { return summary_text(scenarios[k].scenario, baselines); },
      [&](std::size_t k, const TaskOutcome& outcome) {
        progress.finished(outcome.text.has_value());
        if (outcome.text)
          rows[k].summary = report::summary_from_json(nlohmann::json::parse(*outcome.text));
        else
          fmt::print(stderr, "\ndtsim: {} failed: {}\n", scenarios[k].name, outcome.error);
      },
      [&](std::size_t running) { progress.show(running); });
  return rows;
}

std::pair<std::string, std::vector<std::string>> parse_option(const std::string& option)
{
  const config::Location where{"--option " + option, 0, 0};
  const auto colon = option.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == option.size())
    throw config::ConfigError(where, "", "expected NAME:key=value[,key=value...], such as \"8 nodes:cluster.nodes=8\"");
  std::vector<std::string> overrides;
  std::stringstream settings(option.substr(colon + 1));
  for (std::string setting; std::getline(settings, setting, ',');)
    overrides.push_back(setting);
  return {option.substr(0, colon), overrides};
}

} // namespace dtsim::app
