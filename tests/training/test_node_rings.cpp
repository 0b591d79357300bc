// How rings run through nodes: NCCL-like ring search over a node's links, rings that keep to one
// NIC rail between nodes, and the bandwidth that follows on DGX-1 and rail-optimised fabrics.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "platform/cluster_layout.hpp"
#include "training/collectives.hpp"
#include "training/node_rings.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <array>
#include <map>
#include <set>

namespace {

using dtsim::engine::RouteLink;
using dtsim::training::NodeRoutes;

/// Four devices whose only direct links (one per direction) form the cycle 0-2-1-3; any other
/// pair goes through a common neighbour, over two links.
struct FourCycle {
  std::map<std::pair<int, int>, char> link; // one object per directed link; its address is the id
  NodeRoutes routes = NodeRoutes(4, std::vector<std::vector<RouteLink>>(4));

  FourCycle()
  {
    const std::array<std::pair<int, int>, 4> edges{{{0, 2}, {2, 1}, {1, 3}, {3, 0}}};
    for (const auto& [a, b] : edges) {
      routes[a][b] = {direct(a, b)};
      routes[b][a] = {direct(b, a)};
    }
    routes[0][1] = {direct(0, 2), direct(2, 1)};
    routes[1][0] = {direct(1, 2), direct(2, 0)};
    routes[2][3] = {direct(2, 0), direct(0, 3)};
    routes[3][2] = {direct(3, 0), direct(0, 2)};
  }
  RouteLink direct(int from, int to) { return {&link[{from, to}], fmt::format("{}-{}", from, to), 10e9, false}; }
};

dtsim::config::Scenario load(const std::string& file, const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
}

/// Simulated time of one all-reduce of `bytes` on the scenario's cluster, without NCCL's software
/// latencies, in a child process (one SimGrid engine each).
double all_reduce(const dtsim::config::Scenario& scenario, double bytes)
{
  const auto seconds = dtsim::app::ChildComputation([&] {
                         const auto layout = dtsim::platform::lay_out_cluster(scenario);
                         dtsim::engine::Simulation simulation(layout.root, {});
                         std::vector<dtsim::engine::Host> ranks;
                         for (const auto& name : layout.worker_hosts)
                           ranks.push_back(simulation.host(name));
                         auto setup = dtsim::training::collective_setup(scenario);
                         setup.software_latency = false;
                         const dtsim::training::Collectives collectives(setup, ranks, layout.worker_node);
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

/// Ring all-reduce bus bandwidth (nccl-tests: S/t x 2(n-1)/n) of 1 GiB, Simple protocol.
double ring_busbw(const std::string& file, std::vector<std::string> overrides)
{
  overrides.insert(overrides.end(), {"training.allreduce=ring", "training.protocol=simple"});
  const auto scenario = load(file, overrides);
  const double n = scenario.cluster.nodes * scenario.cluster.accelerators_per_node;
  const double bytes = 1 << 30;
  return bytes / all_reduce(scenario, bytes) * 2 * (n - 1) / n;
}

} // namespace

TEST_CASE("training: a node ring follows the direct links, and the next channel runs it the other way")
{
  const FourCycle node;
  const auto rings = dtsim::training::node_rings(node.routes, {}, 3);
  CHECK(rings[0] == std::vector<int>{0, 2, 1, 3});
  CHECK(rings[1] == std::vector<int>{0, 3, 1, 2}); // the links' other direction is still free
  CHECK(rings[2] == std::vector<int>{0, 2, 1, 3}); // every direction carries one ring: back to the first
}

TEST_CASE("training: on a node where every order is as good, rings keep rank order")
{
  std::vector<char> ports(8);
  NodeRoutes routes(4, std::vector<std::vector<RouteLink>>(4));
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b)
      if (a != b)
        routes[a][b] = {{&ports[a], "up", 10e9, false}, {&ports[4 + b], "down", 10e9, false}};
  for (const auto& ring : dtsim::training::node_rings(routes, {}, 4))
    CHECK(ring == std::vector<int>{0, 1, 2, 3});
}

TEST_CASE("training: rings across nodes enter and leave by NICs no other ring uses that way")
{
  std::vector<char> ports(8), nics(16); // per device: port up, port down; NIC up, NIC down, both nodes
  NodeRoutes routes(4, std::vector<std::vector<RouteLink>>(4));
  for (int a = 0; a < 4; ++a)
    for (int b = 0; b < 4; ++b)
      if (a != b)
        routes[a][b] = {{&ports[a], "up", 100e9, false}, {&ports[4 + b], "down", 100e9, false}};
  dtsim::training::NodeCrossings crossings;
  const auto nic = [&](int node, int device, bool up) {
    return RouteLink{&nics[node * 8 + device * 2 + up], "", 10e9, false};
  };
  for (int d = 0; d < 4; ++d) {
    crossings.leave.push_back({nic(0, d, true), nic(1, d, false)});
    crossings.come_back.push_back({nic(1, d, true), nic(0, d, false)});
  }
  std::set<int> entries, exits;
  for (const auto& ring : dtsim::training::node_rings(routes, crossings, 4)) {
    CHECK(ring.size() == 4);
    entries.insert(ring.front());
    exits.insert(ring.back());
  }
  CHECK(entries == std::set<int>{0, 1, 2, 3});
  CHECK(exits == std::set<int>{0, 1, 2, 3});
}

TEST_CASE("training: on one DGX-1 the ring runs over double NVLinks only: busbw = 2 links")
{
  const auto scenario = load("scenarios/dgx1-v100-4node.yaml", {"cluster.nodes=1"});
  const double double_link = 2 * scenario.cluster.intra_node_bandwidth / 6;
  CHECK(ring_busbw("scenarios/dgx1-v100-4node.yaml", {"cluster.nodes=1"}) == Approx(double_link).epsilon(0.01));
}

TEST_CASE("training: on 4 DGX-1 the channels' rings spread over the 4 NICs: busbw = a node's NIC bandwidth")
{
  const auto scenario = load("scenarios/dgx1-v100-4node.yaml", {});
  const double nics = scenario.cluster.nics_per_node * scenario.cluster.nic_bandwidth;
  CHECK(ring_busbw("scenarios/dgx1-v100-4node.yaml", {}) == Approx(nics).epsilon(0.02));
}

TEST_CASE("training: on a rail-optimised fabric rings stay on their rail: spine oversubscription costs nothing")
{
  const std::vector<std::string> one_group{"cluster.nodes=4", "network.nodes_per_leaf=4"};
  auto oversubscribed = one_group;
  oversubscribed.push_back("network.oversubscription=4");
  const auto scenario = load("scenarios/rail-16node-h100.yaml", one_group);
  const double nics = scenario.cluster.nics_per_node * scenario.cluster.nic_bandwidth;
  const double full = ring_busbw("scenarios/rail-16node-h100.yaml", one_group);
  CHECK(full == Approx(nics).epsilon(0.02));
  CHECK(ring_busbw("scenarios/rail-16node-h100.yaml", oversubscribed) == Approx(full).epsilon(0.001));
}
