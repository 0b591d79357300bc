#include "app/compare.hpp"

#include "app/simulate.hpp"

#include <algorithm>
#include <memory>

namespace dtsim::app {

namespace {

/// The "summary" object of results_json for one scenario, as text; simulates, so call in a process of its own.
std::string summary_text(const config::Scenario& scenario)
{
  std::optional<ChildComputation> baseline;
  if (scenario.cluster.devices() > 1)
    baseline.emplace([&scenario] { return baseline_throughput(scenario); });
  const report::RunResult run = simulate(scenario, {});
  const report::Summary summary = report::summarize(scenario, run, baseline ? baseline->result() : std::nullopt);
  return report::results_json(scenario, run, summary, "").at("summary").dump();
}

} // namespace

std::vector<report::ComparedScenario> compare_scenarios(const std::vector<config::Scenario>& scenarios, int jobs)
{
  std::vector<report::ComparedScenario> rows;
  const std::size_t batch = static_cast<std::size_t>(std::max(1, jobs));
  for (std::size_t first = 0; first < scenarios.size(); first += batch) {
    std::vector<std::unique_ptr<ChildProcess>> running;
    const std::size_t last = std::min(scenarios.size(), first + batch);
    for (std::size_t k = first; k < last; ++k)
      running.push_back(std::make_unique<ChildProcess>([&s = scenarios[k]] { return summary_text(s); }));
    for (std::size_t k = first; k < last; ++k) {
      const auto text = running[k - first]->result();
      rows.push_back({scenarios[k].file, text ? std::optional(nlohmann::json::parse(*text)) : std::nullopt});
    }
  }
  return rows;
}

} // namespace dtsim::app
