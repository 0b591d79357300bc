#include "training/collectives.hpp"

#include "training/double_binary_tree.hpp"

#include <algorithm>
#include <numeric>

namespace dtsim::training {

Collectives::Collectives(config::AllReduceAlgorithm algorithm, std::vector<engine::Host> ranks,
                         std::vector<int> node_of, int channels, double launch_overhead,
                         std::vector<int> torus_dimensions)
    : algorithm_(algorithm)
    , ranks_(std::move(ranks))
    , launch_overhead_(launch_overhead)
    , channels_(std::max(1, channels))
    , torus_dimensions_(std::move(torus_dimensions))
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
  if (algorithm_ == config::AllReduceAlgorithm::tree)
    tree_ = make_tree();
  int stride = 1;
  for (int d = static_cast<int>(torus_dimensions_.size()) - 1; d >= 0; stride *= torus_dimensions_[d--]) {
    const int k = torus_dimensions_[d];
    std::vector<std::vector<int>> lines;
    for (int r = 0; r < n; ++r) {
      if (r / stride % k != 0)
        continue;
      std::vector<int> line;
      for (int i = 0; i < k; ++i)
        line.push_back(r + i * stride);
      lines.push_back(line);
      lines.emplace_back(line.rbegin(), line.rend());
    }
    torus_lines_.insert(torus_lines_.begin(), make_phase(std::move(lines)));
  }
}

void Collectives::run_torus(double bytes) const
{
  // D parts of the data run at once, part j starting on dimension j, so every step keeps all
  // 2 x D links of each accelerator busy; each step sends half of a part's share each way.
  const int dimensions = static_cast<int>(torus_dimensions_.size());
  std::vector<double> shares(dimensions, bytes / dimensions);
  const auto step = [&](int offset) {
    engine::ActivityGroup flows;
    double rounds_latency = 0;
    int rounds = 0;
    for (int part = 0; part < dimensions; ++part) {
      const int d = (part + offset) % dimensions;
      const int k = torus_dimensions_[d];
      add_flows(flows, torus_lines_[d], (k - 1.0) / k * shares[part] / 2);
      rounds = std::max(rounds, k - 1);
      rounds_latency = std::max(rounds_latency, torus_lines_[d].rounds_latency);
    }
    flows.wait();
    engine::sleep_for((rounds - 1) * rounds_latency);
  };
  for (int offset = 0; offset < dimensions; ++offset) { // reduce-scatter
    step(offset);
    for (int part = 0; part < dimensions; ++part)
      shares[part] /= torus_dimensions_[(part + offset) % dimensions];
  }
  for (int offset = dimensions - 1; offset >= 0; --offset) { // all-gather
    for (int part = 0; part < dimensions; ++part)
      shares[part] *= torus_dimensions_[(part + offset) % dimensions];
    step(offset);
  }
}

Collectives::TreePlan Collectives::make_tree() const
{
  TreePlan plan;
  const int g = ranks_per_node_;
  const auto parents = double_binary_tree(nodes_);
  double intra_latency = 0, inter_latency = 0;
  const auto link = [&](int from, int to, double& latency) {
    plan.edges.emplace_back(from, to);
    plan.edges.emplace_back(to, from);
    latency = std::max(latency, engine::route_latency(ranks_[from], ranks_[to]));
  };
  for (int c = 0; c < channels_; ++c)
    for (int t = 0; t < 2; ++t) {
      // Each tree of each channel enters a node at its own local rank, hence through its own NIC.
      const int head = (c + t * g / 2) % g;
      const auto rank = [&](int node, int step) { return node * g + (head + step) % g; };
      for (int node = 0; node < nodes_; ++node) {
        for (int step = 1; step < g; ++step)
          link(rank(node, step), rank(node, step - 1), intra_latency);
        if (parents[t][node] >= 0)
          link(rank(node, 0), rank(parents[t][node], 0), inter_latency);
      }
    }
  const int depth = std::max(tree_depth(parents[0]), tree_depth(parents[1]));
  // The flows pay one route latency each; the rest of a chunk's way up and down comes on top.
  const double pipeline = 2 * (depth * inter_latency + (g - 1) * intra_latency);
  plan.latency = std::max(0.0, pipeline - std::max(inter_latency, intra_latency));
  return plan;
}

void Collectives::run_tree(double bytes) const
{
  engine::ActivityGroup flows;
  for (const auto& [from, to] : tree_.edges)
    flows.transfer(ranks_[from], ranks_[to], bytes / (2.0 * channels_));
  flows.wait();
  engine::sleep_for(tree_.latency);
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

void Collectives::add_flows(engine::ActivityGroup& flows, const Phase& phase, double bytes_per_rank, bool closed) const
{
  for (const auto& ring : phase.rings)
    for (std::size_t i = 0; i + (closed ? 0 : 1) < ring.size(); ++i)
      flows.transfer(ranks_[ring[i]], ranks_[ring[(i + 1) % ring.size()]], bytes_per_rank);
}

void Collectives::run_phase(const Phase& phase, double bytes_per_rank, int rounds, bool closed) const
{
  if (rounds <= 0 || bytes_per_rank <= 0)
    return;
  engine::ActivityGroup flows;
  add_flows(flows, phase, bytes_per_rank, closed);
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
  if (algorithm_ == config::AllReduceAlgorithm::tree) {
    run_tree(bytes);
    return;
  }
  if (algorithm_ == config::AllReduceAlgorithm::torus) {
    run_torus(bytes);
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
