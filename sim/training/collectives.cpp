#include "training/collectives.hpp"

#include <algorithm>
#include <numeric>

namespace dtsim::training {

Collectives::Collectives(config::AllReduceAlgorithm algorithm, std::vector<engine::Host> ranks,
                         std::vector<int> node_of, int channels, double launch_overhead)
    : algorithm_(algorithm)
    , ranks_(std::move(ranks))
    , launch_overhead_(launch_overhead)
    , channels_(std::max(1, channels))
{
  const int n = static_cast<int>(ranks_.size());
  nodes_ = n == 0 ? 0 : node_of.back() + 1;
  ranks_per_node_ = nodes_ == 0 ? 1 : n / nodes_;
  std::vector<std::vector<int>> channel_rings;
  for (int c = 0; c < channels_; ++c)
    channel_rings.push_back(channel_ring(c));
  global_ring_ = make_phase(std::move(channel_rings));

  std::vector<std::vector<int>> per_node(nodes_), per_local_rank(ranks_per_node_);
  for (int r = 0; r < n; ++r) {
    per_node[node_of[r]].push_back(r);
    per_local_rank[r % ranks_per_node_].push_back(r);
  }
  intra_node_ = make_phase(per_node);
  inter_node_ = make_phase(per_local_rank);
}

std::vector<int> Collectives::channel_ring(int channel) const
{
  // Inside each node the ring starts at local rank `channel`, so it leaves the node from local
  // rank channel-1 and enters the next at local rank channel: each channel crosses nodes on its
  // own pair of NICs, as NCCL's rings do on rail-optimised nodes. Rotated to start at rank 0.
  const int g = ranks_per_node_;
  std::vector<int> ring;
  for (int node = 0; node < nodes_; ++node)
    for (int j = 0; j < g; ++j)
      ring.push_back(node * g + (channel + j) % g);
  std::rotate(ring.begin(), std::find(ring.begin(), ring.end(), 0), ring.end());
  return ring;
}

Collectives::Phase Collectives::make_phase(std::vector<std::vector<int>> rings) const
{
  Phase phase{std::move(rings), 0};
  for (const auto& ring : phase.rings)
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const int next = ring[(i + 1) % ring.size()];
      phase.rounds_latency = std::max(phase.rounds_latency, engine::route_latency(ranks_[ring[i]], ranks_[next]));
    }
  return phase;
}

void Collectives::run_phase(const Phase& phase, double bytes_per_rank, int rounds, bool closed) const
{
  if (rounds <= 0 || bytes_per_rank <= 0)
    return;
  engine::ActivityGroup flows;
  for (const auto& ring : phase.rings)
    for (std::size_t i = 0; i + (closed ? 0 : 1) < ring.size(); ++i)
      flows.transfer(ranks_[ring[i]], ranks_[ring[(i + 1) % ring.size()]], bytes_per_rank);
  flows.wait();
  engine::sleep_for((rounds - 1) * phase.rounds_latency);
}

void Collectives::all_reduce(double bytes) const
{
  const int n = static_cast<int>(ranks_.size());
  if (n <= 1 || bytes <= 0)
    return;
  if (reuse_) {
    if (const auto known = durations_.find(bytes); known != durations_.end()) {
      engine::sleep_for(known->second);
      return;
    }
  }
  const double start = engine::now();
  simulate_all_reduce(bytes);
  if (reuse_)
    durations_.emplace(bytes, engine::now() - start);
}

void Collectives::simulate_all_reduce(double bytes) const
{
  const int n = static_cast<int>(ranks_.size());
  engine::sleep_for(launch_overhead_);
  if (algorithm_ == config::AllReduceAlgorithm::ring) {
    run_phase(global_ring_, 2.0 * (n - 1) / n * bytes / channels_, 2 * (n - 1));
    return;
  }
  const int g = ranks_per_node_;
  const int m = nodes_;
  run_phase(intra_node_, (g - 1.0) / g * bytes, g - 1);               // reduce-scatter
  run_phase(inter_node_, 2.0 * (m - 1) / m * bytes / g, 2 * (m - 1)); // all-reduce of one shard
  run_phase(intra_node_, (g - 1.0) / g * bytes, g - 1);               // all-gather
}

void Collectives::reduce_scatter(double bytes) const
{
  const int n = size();
  if (n <= 1)
    return;
  engine::sleep_for(launch_overhead_);
  run_phase(global_ring_, (n - 1.0) / n * bytes / channels_, n - 1);
}

void Collectives::all_gather(double bytes) const
{
  reduce_scatter(bytes); // the same ring traffic, in the other sense of the data
}

void Collectives::broadcast(double bytes) const
{
  const int n = size();
  if (n <= 1)
    return;
  engine::sleep_for(launch_overhead_);
  run_phase(global_ring_, bytes / channels_, n - 1, false);
}

} // namespace dtsim::training
