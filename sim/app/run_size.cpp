#include "app/run_size.hpp"

#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"
#include "training/training_job.hpp"
#include "units/units.hpp"

#include <fmt/format.h>
#include <fstream>
#include <string>

namespace dtsim::app {

namespace {

/// Memory per host of the platform, and per zone, link and route hop, with SimGrid 3.32 on x86-64: fitted to
/// the peak memory of a 16,384-A100 leaf-spine and a 4,096-chip TPU torus, rounded up; tools/bench-platform-memory.sh
/// sets the estimate beside the measurement for the project's topologies.
constexpr double bytes_per_host = 16 * 1024;
constexpr double bytes_per_zone_link_or_hop = 256;

double platform_bytes(const platform::PlatformSize& p)
{
  return static_cast<double>(p.hosts) * bytes_per_host +
         static_cast<double>(p.zones + p.links + p.route_hops) * bytes_per_zone_link_or_hop;
}

} // namespace

RunSize estimate_stacks(const config::Scenario& scenario)
{
  const std::size_t actors = training::actors_spawned(scenario);
  // Past the kernel's memory-mapping limit, stacks come from the heap whole (Simulation::make_room_for_actors);
  // below it they are mapped and touched only in part, so this is an upper bound.
  return {actors, static_cast<double>(actors) * engine::Options{}.actor_stack_kib * 1024.0, {}, 0};
}

RunSize estimate_run_size(const config::Scenario& scenario)
{
  RunSize size = estimate_stacks(scenario);
  size.platform = platform::size_of(platform::lay_out_cluster(scenario).root);
  size.platform_bytes = platform_bytes(size.platform);
  return size;
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
  // A cluster whose stacks alone do not fit is refused before its platform is laid out, which takes seconds at
  // a million devices.
  RunSize size = estimate_stacks(scenario);
  if (size.stack_bytes <= available)
    size = estimate_run_size(scenario);
  const double needed = size.stack_bytes + size.platform_bytes;
  if (needed <= available)
    return;
  // Both the actors and the platform grow in proportion to the nodes.
  const auto nodes_that_fit = static_cast<long long>(available / (needed / scenario.cluster.nodes));
  const auto bytes = [](double b) { return units::format(b, units::Dimension::size); };
  const std::string platform =
      size.platform_bytes > 0 ? fmt::format(" and the platform of {} hosts, {} links and {} route hops about {}, {} "
                                            "in all,",
                                            size.platform.hosts, size.platform.links, size.platform.route_hops,
                                            bytes(size.platform_bytes), bytes(needed))
                              : ",";
  throw config::ConfigError(
      scenario.cluster.nodes_at, "cluster.nodes",
      fmt::format("expected a cluster this machine can simulate, found {} nodes: their {} actors need about {} of "
                  "memory for their stacks ({} KiB each){} and {} is available; at most {} nodes fit (fewer "
                  "training.loader_workers also take fewer actors)",
                  scenario.cluster.nodes, size.actors, bytes(size.stack_bytes), engine::Options{}.actor_stack_kib,
                  platform, bytes(available), nodes_that_fit));
}

} // namespace dtsim::app
