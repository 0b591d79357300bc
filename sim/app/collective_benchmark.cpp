#include "app/collective_benchmark.hpp"

#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"
#include "training/collectives.hpp"

namespace dtsim::app {

std::vector<report::CollectiveRow> benchmark_collective(const config::Scenario& scenario, report::CollectiveOp op,
                                                        const std::vector<double>& sizes)
{
  const platform::ClusterLayout layout = platform::lay_out_cluster(scenario);
  engine::Simulation simulation(layout.root, engine::Options{});
  std::vector<engine::Host> ranks, hosts;
  for (std::size_t r = 0; r < layout.worker_hosts.size(); ++r) {
    ranks.push_back(simulation.host(layout.worker_hosts[r]));
    hosts.push_back(simulation.host(layout.node_cpus[static_cast<std::size_t>(layout.worker_node[r])]));
  }
  const training::Collectives collectives(training::collective_setup(scenario), ranks, layout.worker_node, hosts);
  std::vector<report::CollectiveRow> rows;
  simulation.spawn("benchmark", ranks.front(), [&] {
    for (const double bytes : sizes) {
      const double start = engine::now();
      switch (op) {
      case report::CollectiveOp::all_reduce:
        collectives.all_reduce(bytes);
        break;
      case report::CollectiveOp::reduce_scatter:
        collectives.reduce_scatter(bytes);
        break;
      case report::CollectiveOp::all_gather:
        collectives.all_gather(bytes);
        break;
      case report::CollectiveOp::broadcast:
        collectives.broadcast(bytes);
        break;
      }
      const auto choice = op == report::CollectiveOp::all_reduce ? collectives.all_reduce_choice(bytes)
                                                                 : collectives.ring_choice(bytes);
      rows.push_back({bytes, engine::now() - start,
                      config::to_string(choice.algorithm) + "/" + config::to_string(choice.protocol)});
    }
  });
  simulation.run();
  return rows;
}

} // namespace dtsim::app
