// A run too large for the machine is refused before anything is built, with the estimate and what fits.
#include "app/run_size.hpp"
#include "config/scenario.hpp"

#include <catch2/catch.hpp>

namespace {

dtsim::config::Scenario four_nodes()
{
  return dtsim::config::load_scenario("scenarios/quickstart.yaml", {"cluster.nodes=4"}, DTSIM_SOURCE_DIR);
}

} // namespace

TEST_CASE("run size: a run whose actors' stacks need more memory than is available is refused at cluster.nodes")
{
  const auto scenario = four_nodes();
  const auto size = dtsim::app::estimate_stacks(scenario);
  REQUIRE(size.actors > 4 * static_cast<std::size_t>(scenario.cluster.accelerators_per_node));
  CHECK(size.stack_bytes == Approx(size.actors * 64.0 * 1024));
  // Room for two nodes' stacks and a bit: two of the four fit, and the platform is not laid out to say so.
  const double two_nodes = size.stack_bytes / 2 * 1.1;
  CHECK_THROWS_WITH(dtsim::app::check_fits(scenario, two_nodes),
                    Catch::Contains("--set cluster.nodes=4: cluster.nodes: expected a cluster this machine can "
                                    "simulate, found 4 nodes") &&
                        Catch::Contains("at most 2 nodes fit") && !Catch::Contains("platform"));
}

TEST_CASE("run size: the platform's hosts, links and routes count towards the memory a run needs")
{
  const auto scenario = four_nodes();
  const auto size = dtsim::app::estimate_run_size(scenario);
  // Two accelerators, a CPU and an NVSwitch per node, and the one switch of the network.
  CHECK(size.platform.hosts == 4 * (2 + 1 + 1) + 1);
  CHECK(size.platform.links > size.platform.hosts);
  CHECK(size.platform_bytes > 0);
  CHECK_NOTHROW(dtsim::app::check_fits(scenario, size.stack_bytes + size.platform_bytes));
  CHECK_THROWS_WITH(dtsim::app::check_fits(scenario, size.stack_bytes + size.platform_bytes / 2),
                    Catch::Contains("and the platform of 17 hosts") && Catch::Contains("at most 3 nodes fit"));
}
