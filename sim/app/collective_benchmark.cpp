#include "app/collective_benchmark.hpp"

#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"
#include "training/collectives.hpp"

namespace dtsim::app {

namespace {

void run_op(const training::Collectives& collectives, report::CollectiveOp op, double bytes)
{
  switch (op) {
  case report::CollectiveOp::all_reduce:
    return collectives.all_reduce(bytes);
  case report::CollectiveOp::reduce_scatter:
    return collectives.reduce_scatter(bytes);
  case report::CollectiveOp::all_gather:
    return collectives.all_gather(bytes);
  case report::CollectiveOp::broadcast:
    return collectives.broadcast(bytes);
  case report::CollectiveOp::send_recv:
    return collectives.send_recv(bytes);
  }
}

/// "tree/Simple": the algorithm and protocol; "p2p/LL" for send/recv, which has no algorithm.
std::string runs_as(const training::Collectives& collectives, report::CollectiveOp op, double bytes)
{
  using report::CollectiveOp;
  if (op == CollectiveOp::send_recv)
    return "p2p/" + config::to_string(collectives.send_recv_choice(bytes).protocol);
  const auto choice =
      op == CollectiveOp::all_reduce ? collectives.all_reduce_choice(bytes) : collectives.ring_choice(bytes);
  return config::to_string(choice.algorithm) + "/" + config::to_string(choice.protocol);
}

} // namespace

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
      run_op(collectives, op, bytes);
      rows.push_back({bytes, engine::now() - start, runs_as(collectives, op, bytes)});
    }
  });
  simulation.run();
  return rows;
}

} // namespace dtsim::app
