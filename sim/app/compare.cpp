#include "app/compare.hpp"

#include "app/simulate.hpp"

#include "config/config_error.hpp"

#include <algorithm>
#include <memory>
#include <sstream>

namespace dtsim::app {

namespace {

/// The "summary" object of results_json for one scenario, as text; simulates, so call in a process of its own.
std::string summary_text(const config::Scenario& scenario, bool with_baseline)
{
  std::optional<ChildComputation> baseline;
  if (with_baseline && scenario.cluster.devices() > 1)
    baseline.emplace([&scenario] { return baseline_throughput(scenario); });
  const report::RunResult run = simulate(scenario, {});
  const report::Summary summary = report::summarize(scenario, run, baseline ? baseline->result() : std::nullopt);
  return report::results_json(scenario, run, summary, "").at("summary").dump();
}

} // namespace

std::vector<report::ComparedScenario> compare_scenarios(const std::vector<NamedScenario>& scenarios, int jobs,
                                                        bool baselines)
{
  std::vector<report::ComparedScenario> rows;
  const std::size_t batch = static_cast<std::size_t>(std::max(1, jobs));
  for (std::size_t first = 0; first < scenarios.size(); first += batch) {
    std::vector<std::unique_ptr<ChildProcess>> running;
    const std::size_t last = std::min(scenarios.size(), first + batch);
    for (std::size_t k = first; k < last; ++k)
      running.push_back(std::make_unique<ChildProcess>(
          [&s = scenarios[k].scenario, baselines] { return summary_text(s, baselines); }));
    for (std::size_t k = first; k < last; ++k) {
      const auto text = running[k - first]->result();
      rows.push_back({scenarios[k].name, text ? std::optional(nlohmann::json::parse(*text)) : std::nullopt});
    }
  }
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
