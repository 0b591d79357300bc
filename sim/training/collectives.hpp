#pragma once
/// @brief Flow-level collectives: one concurrent flow per participant per phase, plus a latency term.
///
/// A ring all-reduce of S bytes over N ranks sends 2(N-1) chunks of S/N around the ring; here each
/// rank sends one flow of 2(N-1)/N x S to its successor (split over C channel rings, each crossing
/// nodes on its own NICs), so the network shares bandwidth exactly as
/// the pipelined ring does, and the 2(N-1) rounds of per-hop latency are added analytically (the
/// flows themselves pay one). Hierarchical all-reduce is three such phases: ring reduce-scatter
/// inside each node, ring all-reduce of the 1/g shard across nodes (g rings in parallel, one per
/// local rank), ring all-gather inside each node. Cost per collective: O(N) flows, not O(N^2)
/// messages. Reduce-scatter and all-gather are one ring phase of (N-1)/N x S each (S: the whole
/// array, as nccl-tests counts it); a pipelined ring broadcast is one flow of S per link with N-1
/// hops of latency. The tree all-reduce sends, for each channel and each of NCCL's two trees, S/2C
/// up and down every edge of a chain inside each node and of the tree across nodes, concurrently
/// (reduction and broadcast pipelined), plus the latency of one chunk up and down the deepest
/// path. The torus all-reduce splits the data into D parts that reduce-scatter along the D
/// dimensions in turn, part j starting on dimension j, over bidirectional rings (half each way),
/// then all-gather back: every step keeps all 2D links of every accelerator busy. Chunk pipelining start-up and
/// NCCL protocol choices are not modelled yet.
/// SimGrid 3.32 spends O(N) per finished flow, so one all-reduce over N ranks costs O(N^2) of wall
/// time; reuse_durations() avoids re-simulating identical collectives on an otherwise idle network.
#include "config/scenario.hpp"
#include "engine/simulation.hpp"

#include <map>
#include <vector>

namespace dtsim::training {

class Collectives {
public:
  /// `ranks` in ring order; `node_of[i]` is the node of rank i (ranks of a node contiguous).
  /// Ring collectives split the data over `channels` rings, each leaving every node on its own NIC.
  /// `torus_dimensions`: the ranks' torus (last coordinate fastest), for the torus all-reduce; else empty.
  Collectives(config::AllReduceAlgorithm algorithm, std::vector<engine::Host> ranks, std::vector<int> node_of,
              int channels, double launch_overhead, std::vector<int> torus_dimensions = {});

  /// Runs one all-reduce of `bytes` per rank; returns when every rank has the result. Call from an actor.
  void all_reduce(double bytes) const;
  /// Ring reduce-scatter of an array of `bytes` in all (each rank ends with bytes/N of it).
  void reduce_scatter(double bytes) const;
  /// Ring all-gather into an array of `bytes` in all (each rank contributes bytes/N).
  void all_gather(double bytes) const;
  /// Pipelined ring broadcast of `bytes` from rank 0.
  void broadcast(double bytes) const;
  int size() const { return static_cast<int>(ranks_.size()); }

  /// From now on, an all-reduce of a size already run sleeps for the duration it took then. Only
  /// valid while no other traffic shares the network: the duration is then a function of the size.
  void reuse_durations() { reuse_ = true; }

private:
  /// @brief Rings that run concurrently in one phase, each a list of ranks.
  struct Phase {
    std::vector<std::vector<int>> rings;
    double rounds_latency = 0; ///< s of per-hop latency for one round (slowest hop of any ring)
  };
  /// @brief Directed rank-to-rank edges of the tree all-reduce; each carries S / (2 x channels).
  struct TreePlan {
    std::vector<std::pair<int, int>> edges;
    double latency = 0; ///< s after the flows: a chunk's way up and down the deepest path, less one hop
  };
  Phase make_phase(std::vector<std::vector<int>> rings) const;
  TreePlan make_tree() const;
  void run_tree(double bytes) const;
  void run_torus(double bytes) const;
  std::vector<int> channel_ring(int channel) const;
  void simulate_all_reduce(double bytes) const;
  /// Each rank of each ring sends `bytes_per_rank` to its successor (the last rank of an open chain
  /// sends nothing); then the latency of the remaining rounds.
  void run_phase(const Phase& phase, double bytes_per_rank, int rounds, bool closed = true) const;
  void add_flows(engine::ActivityGroup& flows, const Phase& phase, double bytes_per_rank, bool closed = true) const;

  config::AllReduceAlgorithm algorithm_;
  std::vector<engine::Host> ranks_;
  double launch_overhead_;
  int channels_ = 1;
  Phase global_ring_, intra_node_, inter_node_;
  TreePlan tree_;
  std::vector<int> torus_dimensions_;
  std::vector<Phase> torus_lines_; ///< per dimension: every line of the torus along it, both ways
  int ranks_per_node_ = 1;
  int nodes_ = 1;
  bool reuse_ = false;
  mutable std::map<double, double> durations_; ///< bytes -> simulated seconds
};

} // namespace dtsim::training
