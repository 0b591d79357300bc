#include "app/run_size.hpp"

#include "engine/simulation.hpp"
#include "training/training_job.hpp"
#include "units/units.hpp"

#include <fmt/format.h>
#include <fstream>
#include <string>

namespace dtsim::app {

RunSize estimate_run_size(const config::Scenario& scenario)
{
  const std::size_t actors = training::actors_spawned(scenario);
  // Past the kernel's memory-mapping limit, stacks come from the heap whole (Simulation::make_room_for_actors);
  // below it they are mapped and touched only in part, so this is an upper bound.
  return {actors, static_cast<double>(actors) * engine::Options{}.actor_stack_kib * 1024.0};
}

std::optional<double> available_memory()
{
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  while (meminfo >> key >> kib) {
    if (key == "MemAvailable:")
      return kib * 1024;
    meminfo.ignore(64, '\n');
  }
  return std::nullopt;
}

void check_fits(const config::Scenario& scenario, double available)
{
  const RunSize size = estimate_run_size(scenario);
  if (size.stack_bytes <= available)
    return;
  const auto nodes_that_fit = static_cast<long long>(available / (size.stack_bytes / scenario.cluster.nodes));
  const auto bytes = [](double b) { return units::format(b, units::Dimension::size); };
  throw config::ConfigError(
      scenario.cluster.nodes_at, "cluster.nodes",
      fmt::format("expected a cluster this machine can simulate, found {} nodes: their {} actors need about {} of "
                  "memory for their stacks ({} KiB each), and {} is available; at most {} nodes fit (fewer "
                  "training.loader_workers also take fewer actors)",
                  scenario.cluster.nodes, size.actors, bytes(size.stack_bytes), engine::Options{}.actor_stack_kib,
                  bytes(available), nodes_that_fit));
}

} // namespace dtsim::app
