// NCCL's protocols and its choice of algorithm: latency closed forms from NCCL's own tables, and
// `auto` against the algorithm and protocol the simulation itself finds fastest.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "platform/cluster_layout.hpp"
#include "training/collectives.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

using dtsim::config::AllReduceAlgorithm;
using dtsim::config::Protocol;

/// 2 nodes of 8 H100 on NVSwitch with 8 x 200 Gb/s NICs each (the a3-mega validation scenario).
dtsim::config::Scenario a3_mega(const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/validation/nccl-a3mega-16xh100.yaml",
                                      overrides, DTSIM_SOURCE_DIR);
}

/// Simulated time of one all-reduce of `bytes` on the scenario's cluster, in a child process (one
/// SimGrid engine each).
double all_reduce(const dtsim::config::Scenario& scenario, double bytes)
{
  const auto seconds = dtsim::app::ChildComputation([&] {
                         const auto layout = dtsim::platform::lay_out_cluster(scenario);
                         dtsim::engine::Simulation simulation(layout.root, {});
                         std::vector<dtsim::engine::Host> ranks;
                         for (const auto& name : layout.worker_hosts)
                           ranks.push_back(simulation.host(name));
                         const dtsim::training::Collectives collectives(dtsim::training::collective_setup(scenario),
                                                                        ranks, layout.worker_node);
                         double finished = 0;
                         simulation.spawn("driver", ranks[0], [&] {
                           collectives.all_reduce(bytes);
                           finished = dtsim::engine::now();
                         });
                         simulation.run();
                         return finished;
                       }).result();
  REQUIRE(seconds.has_value());
  return *seconds;
}

double forced(const std::string& algorithm, const std::string& protocol, double bytes)
{
  return all_reduce(a3_mega({"training.allreduce=" + algorithm, "training.protocol=" + protocol}), bytes);
}

} // namespace

TEST_CASE("training: NCCL's Simple ring latency on 2 nodes x 8: 8.4 us + 26 NVLink steps x 3.4 + 4 network steps")
{
  // An 8-byte all-reduce is all latency. On InfiniBand NICs every route is shorter than NCCL's
  // step latencies, so NCCL's own formula holds: baseLat + (2(N-1) - 2 nodes) intra + 2 nodes inter.
  const auto s = a3_mega({"cluster.nic=ConnectX-6-HDR-200G", "training.allreduce=ring", "training.protocol=simple"});
  CHECK(all_reduce(s, 8) == Approx(8.4e-6 + 26 * 3.4e-6 + 4 * 14e-6).epsilon(0.01));
}

TEST_CASE("training: auto runs within 10% of the fastest forced algorithm and protocol, small and large")
{
  for (const double bytes : {8.0, 1048576.0, 8589934592.0}) {
    double fastest = 1e300;
    for (const std::string algorithm : {"ring", "tree"})
      for (const std::string protocol : {"ll", "ll128", "simple"})
        fastest = std::min(fastest, forced(algorithm, protocol, bytes));
    const double automatic = all_reduce(a3_mega({"training.protocol=auto"}), bytes);
    INFO(fmt::format("{} B: auto {:.1f} us, fastest forced {:.1f} us", bytes, automatic * 1e6, fastest * 1e6));
    CHECK(automatic <= 1.10 * fastest);
  }
}
