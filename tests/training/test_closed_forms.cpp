// Closed-form cross-checks of the training model: ring all-reduce and send/recv time, compute-bound step time,
// communication exposed without overlap (the input pipeline's are in test_input_pipeline.cpp). Each
// TEST_CASE runs in its own process (one SimGrid engine each).
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "report/summary.hpp"
#include "training/collectives.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

using dtsim::config::AllReduceAlgorithm;

/// N hosts on one switch, each through its own full-duplex link of bandwidth B and latency alpha/2,
/// so every host-to-host route has bandwidth B and latency alpha.
dtsim::platform::ZoneSpec star_of_hosts(int n, double bandwidth, double alpha)
{
  dtsim::platform::ZoneSpec zone{"switch", dtsim::platform::ZoneKind::star};
  for (int i = 0; i < n; ++i) {
    const std::string host = fmt::format("h{}", i);
    zone.hosts.push_back({host, 1e12, 1, {}});
    zone.links.push_back({host + "-link", bandwidth, alpha / 2});
    zone.routes.push_back({host, "", "", "", {{host + "-link", true}}});
  }
  return zone;
}

/// Simulated duration of one flow-level all-reduce of `bytes` over `n` ranks on star_of_hosts,
/// ranks grouped `per_node` to a node.
double simulated_allreduce(AllReduceAlgorithm algorithm, int n, int per_node, double bytes, double bandwidth,
                           double alpha)
{
  dtsim::engine::Simulation simulation(star_of_hosts(n, bandwidth, alpha), {});
  std::vector<dtsim::engine::Host> ranks;
  std::vector<int> node_of;
  for (int i = 0; i < n; ++i) {
    ranks.push_back(simulation.host(fmt::format("h{}", i)));
    node_of.push_back(i / per_node);
  }
  dtsim::training::CollectiveSetup setup;
  setup.algorithm = algorithm;
  setup.protocol = dtsim::config::Protocol::simple;
  setup.software_latency = false; // the network's latency alone, as the closed forms count it
  const dtsim::training::Collectives allreduce(setup, ranks, node_of);
  double duration = -1;
  simulation.spawn("driver", ranks[0], [&] {
    const double start = dtsim::engine::now();
    allreduce.all_reduce(bytes);
    duration = dtsim::engine::now() - start;
  });
  simulation.run();
  return duration;
}

/// Simulated duration of one send/recv of `bytes` (every rank to the next) over `n` ranks on
/// star_of_hosts, one rank per node, with the Simple protocol.
double simulated_send_recv(int n, double bytes, double bandwidth, double alpha, bool software_latency)
{
  dtsim::engine::Simulation simulation(star_of_hosts(n, bandwidth, alpha), {});
  std::vector<dtsim::engine::Host> ranks;
  std::vector<int> node_of;
  for (int i = 0; i < n; ++i) {
    ranks.push_back(simulation.host(fmt::format("h{}", i)));
    node_of.push_back(i);
  }
  dtsim::training::CollectiveSetup setup;
  setup.protocol = dtsim::config::Protocol::simple;
  setup.software_latency = software_latency;
  const dtsim::training::Collectives collectives(setup, ranks, node_of);
  double duration = -1;
  simulation.spawn("driver", ranks[0], [&] {
    const double start = dtsim::engine::now();
    collectives.send_recv(bytes);
    duration = dtsim::engine::now() - start;
  });
  simulation.run();
  return duration;
}

double ring_closed_form(int n, double bytes, double bandwidth, double alpha)
{
  return 2.0 * (n - 1) / n * bytes / bandwidth + 2.0 * (n - 1) * alpha;
}

void check_ring(int n, double bytes)
{
  const double bandwidth = 25e9, alpha = 5e-6;
  const double expected = ring_closed_form(n, bytes, bandwidth, alpha);
  const double simulated = simulated_allreduce(AllReduceAlgorithm::ring, n, n, bytes, bandwidth, alpha);
  INFO(fmt::format("N={} S={} B: simulated {:.6e} s, closed form {:.6e} s", n, bytes, simulated, expected));
  CHECK(simulated == Approx(expected).epsilon(0.02));
}

dtsim::config::Scenario load(const std::string& file, const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
}

} // namespace

TEST_CASE("training: ring all-reduce of 64 MiB on 2 ranks matches 2(N-1)/N S/B + 2(N-1) alpha")
{
  check_ring(2, 64.0 * (1 << 20));
}

TEST_CASE("training: ring all-reduce of 64 MiB on 8 ranks matches 2(N-1)/N S/B + 2(N-1) alpha")
{
  check_ring(8, 64.0 * (1 << 20));
}

TEST_CASE("training: ring all-reduce of 64 MiB on 64 ranks matches 2(N-1)/N S/B + 2(N-1) alpha")
{
  check_ring(64, 64.0 * (1 << 20));
}

TEST_CASE("training: latency-bound ring all-reduce of 8 KiB on 64 ranks matches the closed form")
{
  check_ring(64, 8192);
}

TEST_CASE("training: send/recv of S between 2 nodes over NICs of bandwidth B takes S/B + alpha")
{
  // Each rank sends S to the other and receives S from it: full-duplex links carry both at B.
  const double bytes = 64.0 * (1 << 20), bandwidth = 25e9, alpha = 5e-6;
  CHECK(simulated_send_recv(2, bytes, bandwidth, alpha, false) == Approx(bytes / bandwidth + alpha).epsilon(0.01));
}

TEST_CASE("training: send/recv on 8 ranks runs every pair at once: still S/B + alpha, not 8 x")
{
  const double bytes = 64.0 * (1 << 20), bandwidth = 25e9, alpha = 5e-6;
  CHECK(simulated_send_recv(8, bytes, bandwidth, alpha, false) == Approx(bytes / bandwidth + alpha).epsilon(0.01));
}

TEST_CASE("training: send/recv pays NCCL's per-message latency: S/B + base + one network step (Simple ring)")
{
  // NCCL's network step (14 us) is longer than the route's 5 us, so it stands for the hop.
  namespace nccl = dtsim::training::nccl;
  const auto simple = dtsim::config::Protocol::simple;
  const double bytes = 8192, bandwidth = 25e9, alpha = 5e-6;
  const double latency = nccl::base_latency(nccl::Algorithm::ring, simple) +
                         std::max(alpha, nccl::step_latency(nccl::Link::net, nccl::Algorithm::ring, simple));
  CHECK(simulated_send_recv(2, bytes, bandwidth, alpha, true) == Approx(bytes / bandwidth + latency).epsilon(0.01));
}

TEST_CASE("training: hierarchical all-reduce on 2 nodes of 4 matches its three ring phases")
{
  // Reduce-scatter and all-gather inside each node of g ranks, all-reduce of an S/g shard across m nodes.
  const int g = 4, m = 2;
  const double bytes = 64.0 * (1 << 20), bandwidth = 25e9, alpha = 5e-6;
  const double expected = 2 * ((g - 1.0) / g * bytes / bandwidth + (g - 1) * alpha) +
                          2.0 * (m - 1) / m * bytes / g / bandwidth + 2.0 * (m - 1) * alpha;
  const double simulated = simulated_allreduce(AllReduceAlgorithm::hierarchical, g * m, g, bytes, bandwidth, alpha);
  CHECK(simulated == Approx(expected).epsilon(0.02));
}

TEST_CASE("training: tree all-reduce on 8 ranks, bandwidth-bound: the busiest rank sends 2S")
{
  // One rank per node, so the trees alone: a rank interior in one tree (up to its parent, down to
  // two children) and a leaf in the other sends 4 x S/2; with the pipeline 2 x depth hops deep.
  // NCCL's trees carry data at 0.92 of the link bandwidth (nccl_tuning.hpp).
  const double bytes = 64.0 * (1 << 20), bandwidth = 25e9, alpha = 5e-6;
  const double expected = 2 * bytes / (0.92 * bandwidth) + 2 * 3 * alpha;
  CHECK(simulated_allreduce(AllReduceAlgorithm::tree, 8, 1, bytes, bandwidth, alpha) == Approx(expected).epsilon(0.02));
}

TEST_CASE("training: tree all-reduce on 64 ranks, latency-bound: 2 x depth hops instead of the ring's 2(N-1)")
{
  const double bytes = 8192, bandwidth = 25e9, alpha = 5e-6;
  const double expected = 2 * bytes / (0.92 * bandwidth) + 2 * 6 * alpha;
  const double tree = simulated_allreduce(AllReduceAlgorithm::tree, 64, 1, bytes, bandwidth, alpha);
  CHECK(tree == Approx(expected).epsilon(0.02));
  CHECK(tree < ring_closed_form(64, bytes, bandwidth, alpha) / 5);
}

TEST_CASE("training: one worker with free storage and no optimizer runs at the calibrated compute rate")
{
  // ResNet-50 on an A100 in fp16 is calibrated on 2470 images/s at batch 256 (workloads/resnet50.yaml),
  // so forward + backward of a 256-image batch must take 256 / 2470 s.
  const auto scenario = load("scenarios/quickstart.yaml",
                             {"cluster.accelerators_per_node=1", "storage.dataset_on=memory",
                              "workload.batch_per_device=256", "workload.steps=40", "training.loader_workers=32",
                              "training.optimizer_traffic_per_param=0 B", "training.step_overhead=0 s"});
  const auto run = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, run, std::nullopt);
  const double expected = 256.0 / 2470.0;
  CHECK(summary.step_time == Approx(expected).epsilon(0.01));
  CHECK(summary.breakdown.compute == Approx(expected).epsilon(0.01));
  CHECK(summary.breakdown.data_stall < 0.01 * expected);
  CHECK(summary.throughput == Approx(2470).epsilon(0.01));
}

TEST_CASE("training: without storage limits the 4-node cluster is compute-bound and exposes little communication")
{
  const auto scenario = load("scenarios/cluster-4node-a100.yaml", {"workload.steps=40"});
  const auto run = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, run, std::nullopt);
  CHECK(summary.bottleneck.kind == dtsim::report::BottleneckKind::compute);
  // Breakdown components are means over workers that add up to the step.
  const auto& b = summary.breakdown;
  CHECK(b.data_stall + b.compute + b.exposed_comm + b.optimizer + b.overhead ==
        Approx(summary.step_time).epsilon(0.01));
}

TEST_CASE("training: overlap off exposes the whole all-reduce after backward")
{
  const std::vector<std::string> common{"workload.model=bert-large", "workload.batch_per_device=32",
                                        "storage.dataset_on=memory", "workload.steps=8", "cluster.nics_per_node=1"};
  auto without_overlap = common;
  without_overlap.push_back("training.overlap=false");
  const auto scenario = load("scenarios/cluster-4node-a100.yaml", without_overlap);
  const auto run = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, run, std::nullopt);
  // With overlap off, exposed communication is every bucket's all-reduce back to back.
  const double allreduce_per_step = run.totals.allreduce_seconds / static_cast<double>(scenario.workload.steps);
  CHECK(summary.breakdown.exposed_comm == Approx(allreduce_per_step).epsilon(0.02));
  CHECK(summary.breakdown.exposed_comm > 0.05 * summary.step_time);
}

TEST_CASE("training: emulated accelerators (DLIO) take emulated_batch_time per batch and exchange nothing")
{
  // 4-node cluster, data in memory: 32 emulated devices of 256 images each per 0.5 s.
  const auto scenario =
      load("scenarios/cluster-4node-a100.yaml", {"storage.dataset_on=memory", "workload.emulated_batch_time=0.5 s",
                                                 "workload.steps=20", "training.loader_workers=32"});
  const auto run = dtsim::app::simulate(scenario, {});
  const auto summary = dtsim::report::summarize(scenario, run, std::nullopt);
  CHECK(summary.step_time == Approx(0.5).epsilon(0.001));
  CHECK(summary.throughput == Approx(32 * 256 / 0.5).epsilon(0.001));
  CHECK(run.totals.allreduce_seconds == 0);
  CHECK(run.totals.cpu_core_seconds == 0);
}
