#pragma once
/// @brief `dtsim compare`: several scenarios simulated side by side, each in a process of its own.
#include "config/scenario.hpp"
#include "report/writers.hpp"

#include <vector>

namespace dtsim::app {

/// Simulates each scenario (and its one-device baseline) in child processes, `jobs` scenarios at a time,
/// and returns their summaries in the order given.
std::vector<report::ComparedScenario> compare_scenarios(const std::vector<config::Scenario>& scenarios, int jobs);

} // namespace dtsim::app
