// Torus networks (TPU ICI): the all-reduce against its closed form, the topology against Google's
// published bisection, and the scenario checks that go with a torus.
#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "platform/cluster_layout.hpp"
#include "topology/topology_graph.hpp"
#include "training/collectives.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

dtsim::config::Scenario slice(const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/tpu-v4-slice.yaml", overrides,
                                      DTSIM_SOURCE_DIR);
}

double simulated_torus_allreduce(const dtsim::config::Scenario& s, double bytes)
{
  const auto layout = dtsim::platform::lay_out_cluster(s);
  dtsim::engine::Simulation simulation(layout.root, {});
  std::vector<dtsim::engine::Host> ranks, hosts;
  for (std::size_t r = 0; r < layout.worker_hosts.size(); ++r) {
    ranks.push_back(simulation.host(layout.worker_hosts[r]));
    hosts.push_back(simulation.host(layout.node_cpus[static_cast<std::size_t>(layout.worker_node[r])]));
  }
  auto setup = dtsim::training::collective_setup(s);
  setup.algorithm = dtsim::config::AllReduceAlgorithm::torus;
  setup.channels = 1;
  setup.launch_overhead = 0;
  const dtsim::training::Collectives collectives(setup, ranks, layout.worker_node, hosts);
  double finished = 0;
  simulation.spawn("driver", ranks[0], [&] {
    collectives.all_reduce(bytes);
    finished = dtsim::engine::now();
  });
  simulation.run();
  return finished;
}

} // namespace

TEST_CASE("torus: a 4x4x4 all-reduce keeps all six links busy: 2 S/b (1/8 + 1/32 + 1/128) + 18 hops")
{
  const auto s = slice({});
  const double link = s.cluster.accelerator.link_bandwidth.value / 6, hop = s.cluster.intra_node_latency;
  const double bytes = 1 << 30;
  const double expected = 2 * bytes / link * (1.0 / 8 + 1.0 / 32 + 1.0 / 128) + 18 * hop;
  CHECK(simulated_torus_allreduce(s, bytes) == Approx(expected).epsilon(0.01));
}

TEST_CASE("torus: an 8x8 all-reduce: 2 S/b (7/32 + 7/256) + 28 hops")
{
  const auto s = slice({"network.torus=8x8"});
  const double link = s.cluster.accelerator.link_bandwidth.value / 4, hop = s.cluster.intra_node_latency;
  const double bytes = 1 << 30;
  const double expected = 2 * bytes / link * (7.0 / 32 + 7.0 / 256) + 28 * hop;
  CHECK(simulated_torus_allreduce(s, bytes) == Approx(expected).epsilon(0.01));
}

TEST_CASE("torus: two 4x4x4 slices add a ring over the data-centre network: each host's 4 chips send S/64 each")
{
  // 128 chips on 32 hosts, one 200 Gb/s NIC per host. Between the slices' reduce-scatter and all-gather,
  // each chip all-reduces its 1/64 shard with its twin in the other slice: 2(K-1)/K x S/64 per chip, so
  // S/16 per host through its NIC, plus 2(K-1) host-to-host latencies.
  const auto s = slice({"cluster.nodes=32", "network.slices=2"});
  const double link = s.cluster.accelerator.link_bandwidth.value / 6, hop = s.cluster.intra_node_latency;
  const double bytes = 1 << 30;
  const double in_slice = 2 * bytes / link * (1.0 / 8 + 1.0 / 32 + 1.0 / 128) + 18 * hop;
  const double host_latency = 2 * (s.cluster.nic.latency.value + s.network.switch_latency / 2);
  const double across = 4 * bytes / 64 / s.cluster.nic_bandwidth + 2 * host_latency;
  CHECK(simulated_torus_allreduce(s, bytes) == Approx(in_slice + across).epsilon(0.01));
}

TEST_CASE("torus: slices must tile the cluster by whole hosts and need a torus")
{
  CHECK_THROWS_WITH(
      slice({"network.slices=2"}),
      Catch::Contains("expected dimensions whose product is the 32 accelerators of each of the 2 slices"));
  CHECK_THROWS_WITH(slice({"network.torus=2x3", "network.slices=2", "cluster.nodes=3"}),
                    Catch::Contains("expected a slice of whole hosts: 6 accelerators per slice"));
  CHECK_THROWS_WITH(
      dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml", {"network.slices=2"},
                                   DTSIM_SOURCE_DIR),
      Catch::Contains("network.slices: expected no network.slices, since network.topology is single-switch "
                      "(it applies when network.topology is torus)"));
}

TEST_CASE("torus: a v5e pod's hosts give the data-centre network Google's 6.4 Tb/s per pod")
{
  const auto s = dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/tpu-v5e-multislice.yaml", {},
                                              DTSIM_SOURCE_DIR);
  const auto layout = dtsim::platform::lay_out_cluster(s);
  const auto& dcn = layout.root.children.back();
  REQUIRE(dcn.name == "dcn");
  REQUIRE(dcn.links.size() == 128); // one per host, 4 slices of 32 hosts
  double per_pod = 0;
  for (std::size_t host = 0; host < 32; ++host)
    per_pod += dcn.links[host].bandwidth;
  CHECK(per_pod * 8 ==
        Approx(6.4e12)); // cloud.google.com/tpu/docs/v5e: "Data center network bandwidth per Pod | 6.4 Tbps"
}

TEST_CASE("torus: the 16x16x16 pod's bisection is the 24 TB/s its link figure was derived from")
{
  const auto s =
      dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/tpu-v4-pod.yaml", {}, DTSIM_SOURCE_DIR);
  const auto summary = dtsim::topology::summarize(dtsim::topology::build_graph(dtsim::platform::lay_out_cluster(s)));
  CHECK(summary.accelerators == 4096);
  CHECK(summary.links == 3 * 4096);
  CHECK(summary.diameter_hops == 3 * 8);
  CHECK(summary.bisection_bandwidth == Approx(24e12).epsilon(0.01));
}

TEST_CASE("torus: dimensions that do not multiply to the accelerators, and mismatched choices, are errors")
{
  CHECK_THROWS_WITH(slice({"network.torus=4x4x8"}),
                    Catch::Contains("network.torus: expected dimensions whose product is the 64 accelerators"));
  CHECK_THROWS_WITH(slice({"network.torus=4by4"}), Catch::Contains("expected dimensions such as"));
  CHECK_THROWS_WITH(slice({"network.topology=single-switch"}),
                    Catch::Contains("training.allreduce: expected an algorithm for this network"));
  CHECK_THROWS_WITH(
      slice({"storage.dataset_on=nvme-of", "storage.nvme_of.targets=1", "storage.nvme_of.drive=Micron-9400-7.68TB"}),
      Catch::Contains("storage.dataset_on: expected storage other than NVMe-oF with a torus"));
}

TEST_CASE("torus: a TPU v5e pod's all-reduce bandwidth is Google's 51.2 TB/s, read as chips x busbw")
{
  const auto s =
      dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/tpu-v5e-pod.yaml", {}, DTSIM_SOURCE_DIR);
  const double bytes = 1 << 30;
  const double seconds = simulated_torus_allreduce(s, bytes);
  const int chips = s.cluster.devices();
  const double per_pod = chips * (bytes / seconds) * 2.0 * (chips - 1) / chips;
  INFO("per pod: " << per_pod / 1e12 << " TB/s");
  CHECK(per_pod == Approx(51.2e12).epsilon(0.05));
}
