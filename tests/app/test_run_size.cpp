// A run too large for the machine is refused before anything is built, with the estimate and what fits.
#include "app/run_size.hpp"
#include "config/scenario.hpp"

#include <catch2/catch.hpp>

TEST_CASE("run size: a run whose actors' stacks need more memory than is available is refused at cluster.nodes")
{
  const auto scenario =
      dtsim::config::load_scenario("scenarios/quickstart.yaml", {"cluster.nodes=4"}, DTSIM_SOURCE_DIR);
  const auto size = dtsim::app::estimate_run_size(scenario);
  REQUIRE(size.actors > 4 * static_cast<std::size_t>(scenario.cluster.accelerators_per_node));
  CHECK(size.stack_bytes == Approx(size.actors * 64.0 * 1024));
  CHECK_NOTHROW(dtsim::app::check_fits(scenario, size.stack_bytes));
  // Room for two nodes' stacks and a bit: two of the four fit.
  const double two_nodes = size.stack_bytes / 2 * 1.1;
  CHECK_THROWS_WITH(dtsim::app::check_fits(scenario, two_nodes),
                    Catch::Contains("--set cluster.nodes=4: cluster.nodes: expected a cluster this machine can "
                                    "simulate, found 4 nodes") &&
                        Catch::Contains("at most 2 nodes fit"));
}
