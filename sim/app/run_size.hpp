#pragma once
/// @brief What a run asks of the machine, known before anything is built, so that a run too large for it
/// is refused at once rather than after minutes of building.
#include "config/scenario.hpp"
#include "platform/zone_spec.hpp"

#include <cstddef>
#include <optional>

namespace dtsim::app {

struct RunSize {
  std::size_t actors = 0;
  double stack_bytes = 0; ///< the actors' stacks: the bulk of a large run's memory
  platform::PlatformSize platform;
  double platform_bytes = 0; ///< SimGrid's hosts, links and routes, and the layout they are built from
};

/// The actors and their stacks alone: known without laying the platform out.
RunSize estimate_stacks(const config::Scenario& scenario);
/// The actors and the platform.
RunSize estimate_run_size(const config::Scenario& scenario);

/// Bytes of memory this machine has available (MemAvailable in /proc/meminfo); nothing when unknown.
std::optional<double> available_memory();

/// Throws ConfigError at cluster.nodes when the run's stacks and platform would need more than `available`
/// bytes, with the estimate and the most nodes that fit.
void check_fits(const config::Scenario& scenario, double available);

} // namespace dtsim::app
