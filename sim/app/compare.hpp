#pragma once
/// @brief `dtsim compare`: several scenarios simulated side by side, each in a process of its own.
#include "config/scenario.hpp"
#include "report/writers.hpp"

#include <vector>

namespace dtsim::app {

/// @brief A scenario and the name its row goes by: its file, or an option's name.
struct NamedScenario {
  std::string name;
  config::Scenario scenario;
};

/// Simulates each scenario (and, with `baselines`, its one-device baseline) in child processes, `jobs`
/// scenarios at a time, and returns their summaries in the order given; on a terminal, with a progress line
/// that names `command`.
std::vector<report::ComparedScenario> compare_scenarios(const std::vector<NamedScenario>& scenarios, int jobs,
                                                        bool baselines, const std::string& command);

/// Splits an option "NAME:key=value,key=value" into its name and its --set overrides; throws ConfigError.
std::pair<std::string, std::vector<std::string>> parse_option(const std::string& option);

} // namespace dtsim::app
