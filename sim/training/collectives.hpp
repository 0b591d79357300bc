#pragma once
/// @brief Flow-level collectives: one concurrent flow per participant per phase, plus a latency term.
///
/// A ring all-reduce of S bytes over N ranks sends 2(N-1) chunks of S/N around the ring; here each
/// rank sends one flow of 2(N-1)/N x S to its successor (split over C channel rings, each crossing
/// nodes on its own NICs), so the network shares bandwidth exactly as the pipelined ring does, and
/// the latency of a chunk's way along the 2(N-1) hops is added analytically (the flows themselves
/// pay one route latency). Hierarchical all-reduce is three such stages: ring reduce-scatter
/// inside each node, ring all-reduce of the 1/g shard across nodes (g rings in parallel, one per
/// local rank), ring all-gather inside each node. Reduce-scatter and all-gather are one ring stage
/// of (N-1)/N x S each (S: the whole array, as nccl-tests counts it); a pipelined ring broadcast is
/// one flow of S per link along an open chain; a send/recv (nccl-tests' sendrecv_perf) is one flow of S
/// from every rank to the next in rank order, all at once, and one pipeline step of latency. The tree all-reduce sends,
/// for each channel and each of NCCL's two trees, S/2C up and down every edge of a chain inside each node and of the
/// tree across nodes, concurrently (reduction and broadcast pipelined), plus a chunk's way up and
/// down the deepest path. The torus all-reduce splits the data into D parts that reduce-scatter
/// along the D dimensions in turn, part j starting on dimension j, over bidirectional rings (half
/// each way), then all-gather back: every stage keeps all 2D links of every accelerator busy.
///
/// NCCL's protocols (nccl_tuning.hpp) set how many wire bytes carry S and the latency of each
/// pipeline step: a hop costs NCCL's step latency for its link kind, or the route's latency when
/// that is longer. With `automatic`, each all-reduce runs with the algorithm and protocol that
/// NCCL's cost model picks: its latency plus S over the bottleneck bandwidth, computed here from
/// the load each algorithm puts on every link of the real topology.
///
/// Each stage's flows run as one set through engine::TransferStages (host agents, not SimGrid's
/// O(N)-per-finished-flow host-to-host comms); reuse_durations() avoids re-simulating identical
/// collectives on an otherwise idle network.
#include "config/scenario.hpp"
#include "engine/simulation.hpp"
#include "training/nccl_tuning.hpp"

#include <array>
#include <map>
#include <utility>
#include <vector>

namespace dtsim::training {

struct CollectiveSetup {
  config::AllReduceAlgorithm algorithm = config::AllReduceAlgorithm::automatic;
  config::Protocol protocol = config::Protocol::automatic;
  int channels = 1;           ///< rings (and tree pairs) the data is split over
  double launch_overhead = 0; ///< s per collective, before NCCL's own latency
  nccl::Link intra_node_link = nccl::Link::nvlink;
  std::vector<int> torus_dimensions; ///< the ranks' torus (last coordinate fastest), for the torus all-reduce
  int slices = 1; ///< tori of torus_dimensions, ranks numbered slice after slice, joined through their hosts
  bool software_latency = true; ///< NCCL's base and step latencies; false: the network's latency alone
};

/// @brief Transfers other than the collectives' on the network, as whoever runs them counts them.
struct OtherTraffic {
  long long started = 0;
  int in_flight = 0;
};

/// The collective set-up a scenario asks for.
CollectiveSetup collective_setup(const config::Scenario& scenario);

/// @brief An algorithm and protocol, as a collective runs with.
struct CollectiveChoice {
  config::AllReduceAlgorithm algorithm;
  config::Protocol protocol;
};

class Collectives {
public:
  /// `ranks` in ring order; `node_of[i]` is the node of rank i (ranks of a node contiguous). With several
  /// slices, `hosts[i]` is the host through which rank i reaches other slices (its node's CPU and NICs).
  Collectives(CollectiveSetup setup, std::vector<engine::Host> ranks, std::vector<int> node_of,
              std::vector<engine::Host> hosts = {});

  /// Runs one all-reduce of `bytes` per rank; returns when every rank has the result. Call from an actor.
  void all_reduce(double bytes) const;
  /// Ring reduce-scatter of an array of `bytes` in all (each rank ends with bytes/N of it).
  void reduce_scatter(double bytes) const;
  /// Ring all-gather into an array of `bytes` in all (each rank contributes bytes/N).
  void all_gather(double bytes) const;
  /// Pipelined ring broadcast of `bytes` from rank 0.
  void broadcast(double bytes) const;
  /// Every rank sends `bytes` to the next rank in rank order (the last to rank 0) and receives as much
  /// from the one before, all at once; returns when every transfer has finished.
  void send_recv(double bytes) const;
  /// What an all-reduce of `bytes` runs with.
  CollectiveChoice all_reduce_choice(double bytes) const;
  /// What a reduce-scatter, all-gather or broadcast of `bytes` runs with.
  CollectiveChoice ring_choice(double bytes) const;
  /// The protocol a send/recv of `bytes` runs with, chosen as for the collectives (point-to-point has
  /// no algorithm: the ring's figures for one hop stand for it).
  CollectiveChoice send_recv_choice(double bytes) const;
  int size() const { return static_cast<int>(ranks_.size()); }

  /// From now on, an all-reduce of a size already run sleeps for the duration it took then. Valid while no
  /// other traffic shares the network: the duration is then a function of the size. With `other_traffic`,
  /// the network also carries other transfers: a duration is remembered only when none ran from the
  /// all-reduce's start to its end, and reused only when none is in flight as the all-reduce starts (an
  /// approximation: a transfer that starts during a reused all-reduce neither slows it nor is slowed by it).
  void reuse_durations(const OtherTraffic* other_traffic = nullptr)
  {
    reuse_ = true;
    other_traffic_ = other_traffic;
  }

private:
  /// @brief One rank-to-rank flow of `share` x S bytes of data.
  struct Flow {
    int from = 0, to = 0;
    double share = 0;
  };
  /// @brief Flows that run together, then the rest of the pipeline's latency. Arrays are by
  /// protocol, in the order of nccl::protocols.
  struct Stage {
    std::vector<Flow> flows;
    std::array<double, 3> latency{};    ///< s of a chunk's way through the pipeline
    std::array<double, 3> data_share{}; ///< of a link's bandwidth that carries data
    double route_latency = 0;           ///< s: the longest route of the flows, which they pay themselves
    double seconds_per_byte = 0;        ///< at the busiest link, per byte of S at full share, network idle
  };
  using Schedule = std::vector<Stage>;
  using ByProtocol = std::array<double, 3>;

  /// Rings (closed, or open chains) each of whose ranks sends `share` x S to its successor, the
  /// pipeline `steps` hops long.
  Stage ring_stage(const std::vector<std::vector<int>>& rings, double share, int steps, bool closed) const;
  Schedule all_reduce_schedule(config::AllReduceAlgorithm algorithm) const;
  Schedule tree_all_reduce() const;
  Schedule torus_all_reduce() const;
  Schedule hierarchical_all_reduce() const;
  /// Finds the ways rings run through a node (node_rings.hpp).
  void search_node_rings();
  std::vector<int> channel_ring(int channel) const;
  /// Where a transfer from rank `from` to rank `to` starts and ends: the ranks themselves, or their hosts
  /// when the ranks are in different slices (ICI does not join slices; the data-centre network does).
  std::pair<engine::Host, engine::Host> route_ends(int from, int to) const;
  /// Cross-slice stage of the torus all-reduce: each rank all-reduces its `shard` of S with the ranks
  /// of the same place in the other slices, a ring over the slices through the hosts.
  Stage cross_slice_stage(double shard) const;
  /// Latency of one pipeline step from rank `from` to rank `to`, by protocol.
  ByProtocol hop_latency(int from, int to, nccl::Algorithm algorithm) const;
  /// Fills in the stage's route latency and, when a choice is to be made, its bottleneck.
  void measure(Stage& stage) const;
  /// NCCL's estimate of a collective's time: latency plus bytes over the bottleneck bandwidth.
  double estimate(const Schedule& schedule, config::AllReduceAlgorithm algorithm, config::Protocol protocol,
                  double bytes, bool all_reduce) const;
  /// The protocol NCCL's model picks for this schedule (the scenario's, when it names one), and its estimate.
  std::pair<config::Protocol, double> best_protocol(const Schedule& schedule, config::AllReduceAlgorithm algorithm,
                                                    double bytes, bool all_reduce) const;
  void run(const Schedule& schedule, config::Protocol protocol, double bytes) const;

  CollectiveSetup setup_;
  std::vector<engine::Host> ranks_;
  std::vector<int> node_of_;
  std::vector<engine::Host> hosts_;
  int ranks_per_node_ = 1;
  int nodes_ = 1;
  std::vector<std::vector<int>> node_rings_;                  ///< per channel: a node's devices, entry to exit
  std::vector<int> intra_node_ring_;                          ///< a node's devices in the order of a ring inside it
  std::vector<std::vector<int>> channel_rings_;               ///< per channel: all ranks in ring order
  std::map<config::AllReduceAlgorithm, Schedule> all_reduce_; ///< every algorithm this job may run
  Schedule reduce_scatter_, broadcast_, send_recv_;
  bool reuse_ = false;
  const OtherTraffic* other_traffic_ = nullptr;
  mutable std::map<double, double> durations_; ///< bytes -> simulated seconds
  mutable engine::TransferStages transfers_;   ///< runs each stage's flows
};

} // namespace dtsim::training
