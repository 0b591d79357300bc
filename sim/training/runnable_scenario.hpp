#pragma once
/// @brief The one way the program loads a scenario: read and validated by config::load_scenario, then checked
/// against what only the model can work out (the by-speed batch split needs the compute model), so that nothing
/// after loading meets a configuration error.
#include "config/scenario.hpp"

#include <string>
#include <vector>

namespace dtsim::training {

/// Throws ConfigError, with the key's location, for any input the model cannot run.
config::Scenario load_runnable_scenario(const std::string& path, const std::vector<std::string>& overrides,
                                        const std::string& data_dir);

} // namespace dtsim::training
