#include "training/collectives.hpp"

#include "training/double_binary_tree.hpp"
#include "training/node_rings.hpp"

#include <algorithm>
#include <iterator>
#include <limits>
#include <numeric>
#include <unordered_map>

namespace dtsim::training {

using config::AllReduceAlgorithm;
using config::Protocol;

namespace {

std::size_t index_of(Protocol protocol)
{
  return static_cast<std::size_t>(std::find(nccl::protocols.begin(), nccl::protocols.end(), protocol) -
                                  nccl::protocols.begin());
}

std::array<double, 3> data_shares(nccl::Algorithm algorithm)
{
  std::array<double, 3> shares{};
  for (std::size_t p = 0; p < shares.size(); ++p)
    shares[p] = nccl::data_share(algorithm, nccl::protocols[p]);
  return shares;
}

/// The longest run of `steps` consecutive hops of a ring (of an open chain: from its start), in
/// protocol p: the way of the chunk that finishes last.
double slowest_path(const std::vector<std::array<double, 3>>& hops, std::size_t p, int steps, bool closed)
{
  const std::size_t k = hops.size();
  std::vector<double> prefix{0}; // over the ring laid out three times, enough for steps <= 2k
  for (std::size_t i = 0; i < 3 * k; ++i)
    prefix.push_back(prefix.back() + hops[i % k][p]);
  double slowest = 0;
  for (std::size_t start = 0; start < (closed ? k : 1); ++start)
    slowest = std::max(slowest, prefix[start + steps] - prefix[start]);
  return slowest;
}

} // namespace

CollectiveSetup collective_setup(const config::Scenario& scenario)
{
  CollectiveSetup setup;
  setup.algorithm = scenario.training.allreduce;
  setup.protocol = scenario.training.protocol;
  setup.channels = scenario.training.channels;
  setup.launch_overhead = scenario.training.collective_overhead;
  setup.intra_node_link = scenario.cluster.intra_node == config::IntraNode::pcie ? nccl::Link::pci : nccl::Link::nvlink;
  setup.torus_dimensions = scenario.network.torus_dimensions;
  setup.slices = scenario.network.slices;
  return setup;
}

Collectives::Collectives(CollectiveSetup setup, std::vector<engine::Host> ranks, std::vector<int> node_of,
                         std::vector<engine::Host> hosts)
    : setup_(std::move(setup))
    , ranks_(std::move(ranks))
    , node_of_(std::move(node_of))
    , hosts_(std::move(hosts))
{
  setup_.channels = std::max(1, setup_.channels);
  const int n = size();
  if (n <= 1)
    return;
  nodes_ = node_of_.back() + 1;
  ranks_per_node_ = n / nodes_;
  search_node_rings();
  for (int c = 0; c < setup_.channels; ++c)
    channel_rings_.push_back(channel_ring(c));

  std::vector<AllReduceAlgorithm> algorithms{setup_.algorithm};
  if (setup_.algorithm == AllReduceAlgorithm::automatic)
    algorithms = setup_.torus_dimensions.empty()
                     ? std::vector<AllReduceAlgorithm>{AllReduceAlgorithm::ring, AllReduceAlgorithm::tree}
                     : std::vector<AllReduceAlgorithm>{AllReduceAlgorithm::torus};
  for (const auto algorithm : algorithms)
    all_reduce_.emplace(algorithm, all_reduce_schedule(algorithm));
  const double c = setup_.channels;
  reduce_scatter_ = {ring_stage(channel_rings_, (n - 1.0) / n / c, n - 1, true)};
  broadcast_ = {ring_stage(channel_rings_, 1.0 / c, n - 1, false)};
  std::vector<int> rank_order(n);
  std::iota(rank_order.begin(), rank_order.end(), 0);
  send_recv_ = {ring_stage({rank_order}, 1.0, 1, true)};
}

Collectives::Schedule Collectives::all_reduce_schedule(AllReduceAlgorithm algorithm) const
{
  const int n = size();
  switch (algorithm) {
  case AllReduceAlgorithm::tree:
    return tree_all_reduce();
  case AllReduceAlgorithm::torus:
    return torus_all_reduce();
  case AllReduceAlgorithm::hierarchical:
    return hierarchical_all_reduce();
  default:
    return {ring_stage(channel_rings_, 2.0 * (n - 1) / n / setup_.channels, 2 * (n - 1), true)};
  }
}

std::pair<engine::Host, engine::Host> Collectives::route_ends(int from, int to) const
{
  const int per_slice = size() / setup_.slices;
  if (setup_.slices > 1 && from / per_slice != to / per_slice)
    return {hosts_.at(static_cast<std::size_t>(from)), hosts_.at(static_cast<std::size_t>(to))};
  return {ranks_[from], ranks_[to]};
}

Collectives::ByProtocol Collectives::hop_latency(int from, int to, nccl::Algorithm algorithm) const
{
  const auto [src, dst] = route_ends(from, to);
  const double route = engine::route_latency(src, dst);
  const nccl::Link link = node_of_[from] == node_of_[to] ? setup_.intra_node_link : nccl::Link::net;
  ByProtocol latency{};
  for (std::size_t p = 0; p < latency.size(); ++p)
    latency[p] = std::max(route, setup_.software_latency ? nccl::step_latency(link, algorithm, nccl::protocols[p]) : 0);
  return latency;
}

Collectives::Stage Collectives::ring_stage(const std::vector<std::vector<int>>& rings, double share, int steps,
                                           bool closed) const
{
  Stage stage;
  if (steps <= 0)
    return stage;
  stage.data_share = data_shares(nccl::Algorithm::ring);
  for (const auto& ring : rings) {
    const std::size_t k = ring.size();
    std::vector<ByProtocol> hops;
    for (std::size_t i = 0; i < k; ++i)
      hops.push_back(hop_latency(ring[i], ring[(i + 1) % k], nccl::Algorithm::ring));
    for (std::size_t i = 0; i + (closed ? 0 : 1) < k; ++i)
      stage.flows.push_back({ring[i], ring[(i + 1) % k], share});
    for (std::size_t p = 0; p < stage.latency.size(); ++p)
      stage.latency[p] = std::max(stage.latency[p], slowest_path(hops, p, steps, closed));
  }
  if (setup_.software_latency)
    for (std::size_t p = 0; p < stage.latency.size(); ++p)
      stage.latency[p] += nccl::base_latency(nccl::Algorithm::ring, nccl::protocols[p]);
  measure(stage);
  return stage;
}

Collectives::Schedule Collectives::hierarchical_all_reduce() const
{
  const int g = ranks_per_node_;
  const int m = nodes_;
  std::vector<std::vector<int>> per_node(m), per_local_rank(g);
  for (int node = 0; node < m; ++node)
    for (const int device : intra_node_ring_)
      per_node[node].push_back(node * g + device);
  for (int r = 0; r < size(); ++r)
    per_local_rank[r % g].push_back(r);
  Schedule schedule{ring_stage(per_node, (g - 1.0) / g, g - 1, true),                     // reduce-scatter
                    ring_stage(per_local_rank, 2.0 * (m - 1) / m / g, 2 * (m - 1), true), // all-reduce of a shard
                    ring_stage(per_node, (g - 1.0) / g, g - 1, true)};                    // all-gather
  std::erase_if(schedule, [](const Stage& stage) { return stage.flows.empty(); });
  return schedule;
}

Collectives::Schedule Collectives::tree_all_reduce() const
{
  Stage stage;
  stage.data_share = data_shares(nccl::Algorithm::tree);
  const int g = ranks_per_node_;
  const auto parents = double_binary_tree(nodes_);
  ByProtocol intra{}, inter{};
  const auto link = [&](int from, int to, ByProtocol& latency) {
    const double share = 1.0 / (2.0 * setup_.channels);
    stage.flows.push_back({from, to, share});
    stage.flows.push_back({to, from, share});
    const ByProtocol hop = hop_latency(from, to, nccl::Algorithm::tree);
    for (std::size_t p = 0; p < hop.size(); ++p)
      latency[p] = std::max(latency[p], hop[p]);
  };
  for (int c = 0; c < setup_.channels; ++c)
    for (int t = 0; t < 2; ++t) {
      // The channel's ring path through each node, from the device it enters by for tree 0 and
      // from the one it leaves by for tree 1: the two trees cross nodes on the ring's NICs.
      const auto& path = node_rings_[c];
      const auto rank = [&](int node, int step) { return node * g + path[t == 0 ? step : g - 1 - step]; };
      for (int node = 0; node < nodes_; ++node) {
        for (int step = 1; step < g; ++step)
          link(rank(node, step), rank(node, step - 1), intra);
        if (parents[t][node] >= 0)
          link(rank(node, 0), rank(parents[t][node], 0), inter);
      }
    }
  const int depth = std::max(tree_depth(parents[0]), tree_depth(parents[1]));
  for (std::size_t p = 0; p < stage.latency.size(); ++p)
    stage.latency[p] = 2 * (depth * inter[p] + (g - 1) * intra[p]) +
                       (setup_.software_latency ? nccl::base_latency(nccl::Algorithm::tree, nccl::protocols[p]) : 0);
  measure(stage);
  return {stage};
}

Collectives::Schedule Collectives::torus_all_reduce() const
{
  // D parts of the data run at once, part j starting on dimension j, so every stage keeps all
  // 2 x D links of each accelerator busy; each stage sends half of a part's share each way.
  const auto& dims = setup_.torus_dimensions;
  const int dimensions = static_cast<int>(dims.size());
  std::vector<std::vector<std::vector<int>>> lines(dimensions); // per dimension, every line both ways
  std::vector<double> line_latency(dimensions, 0);
  int stride = 1;
  for (int d = dimensions - 1; d >= 0; stride *= dims[d--])
    for (int r = 0; r < size(); ++r) {
      if (r / stride % dims[d] != 0)
        continue;
      std::vector<int> line;
      for (int i = 0; i < dims[d]; ++i)
        line.push_back(r + i * stride);
      for (int i = 0; i < dims[d]; ++i)
        line_latency[d] =
            std::max(line_latency[d], engine::route_latency(ranks_[line[i]], ranks_[line[(i + 1) % dims[d]]]));
      lines[d].push_back(line);
      lines[d].emplace_back(line.rbegin(), line.rend());
    }
  std::vector<double> shares(dimensions, 1.0 / dimensions);
  const auto stage = [&](int offset) {
    Stage s;
    s.data_share = {1, 1, 1};
    int rounds = 0;
    double latency = 0;
    for (int part = 0; part < dimensions; ++part) {
      const int d = (part + offset) % dimensions;
      for (const auto& line : lines[d])
        for (int i = 0; i < dims[d]; ++i)
          s.flows.push_back({line[i], line[(i + 1) % dims[d]], (dims[d] - 1.0) / dims[d] * shares[part] / 2});
      rounds = std::max(rounds, dims[d] - 1);
      latency = std::max(latency, line_latency[d]);
    }
    s.latency.fill(rounds * latency);
    measure(s);
    return s;
  };
  Schedule schedule;
  for (int offset = 0; offset < dimensions; ++offset) { // reduce-scatter
    schedule.push_back(stage(offset));
    for (int part = 0; part < dimensions; ++part)
      shares[part] /= dims[(part + offset) % dimensions];
  }
  if (setup_.slices > 1) {
    double shard = 0;
    for (const double share : shares)
      shard += share;
    schedule.push_back(cross_slice_stage(shard));
  }
  for (int offset = dimensions - 1; offset >= 0; --offset) { // all-gather
    for (int part = 0; part < dimensions; ++part)
      shares[part] *= dims[(part + offset) % dimensions];
    schedule.push_back(stage(offset));
  }
  return schedule;
}

Collectives::Stage Collectives::cross_slice_stage(double shard) const
{
  const int slices = setup_.slices;
  const int per_slice = size() / slices;
  Stage s;
  s.data_share = {1, 1, 1};
  for (int r = 0; r < size(); ++r)
    s.flows.push_back({r, (r + per_slice) % size(), 2.0 * (slices - 1) / slices * shard});
  s.latency.fill(2 * (slices - 1) *
                 engine::route_latency(hosts_.at(0), hosts_.at(static_cast<std::size_t>(per_slice))));
  measure(s);
  return s;
}

void Collectives::measure(Stage& stage) const
{
  // Channels repeat rank pairs inside a node (every channel's chain uses the same NVSwitch pairs):
  // one flow per such pair carries the same bytes over the same links with far fewer flows. Pairs
  // across nodes stay apart, as they share NICs and switches with flows of other sizes.
  std::stable_sort(stage.flows.begin(), stage.flows.end(),
                   [](const Flow& a, const Flow& b) { return std::pair(a.from, a.to) < std::pair(b.from, b.to); });
  std::vector<Flow> merged;
  for (const auto& flow : stage.flows)
    if (!merged.empty() && merged.back().from == flow.from && merged.back().to == flow.to &&
        node_of_[flow.from] == node_of_[flow.to])
      merged.back().share += flow.share;
    else
      merged.push_back(flow);
  stage.flows = std::move(merged);

  const bool choosing = setup_.algorithm == AllReduceAlgorithm::automatic || setup_.protocol == Protocol::automatic;
  std::unordered_map<const void*, double> busy; // s per byte of S, per link
  for (const auto& flow : stage.flows) {
    const auto [src, dst] = route_ends(flow.from, flow.to);
    stage.route_latency = std::max(stage.route_latency, engine::route_latency(src, dst));
    if (choosing)
      for (const auto& link : engine::route_links(src, dst))
        if (!link.fat_pipe)
          stage.seconds_per_byte = std::max(stage.seconds_per_byte, busy[link.id] += flow.share / link.bandwidth);
  }
}

void Collectives::search_node_rings()
{
  // Every node is wired alike: node 0's routes, and those to node 1, stand for all.
  const int g = ranks_per_node_;
  const auto shared_links = [&](int from, int to) {
    std::vector<engine::RouteLink> links;
    const auto [src, dst] = route_ends(from, to);
    std::ranges::remove_copy_if(engine::route_links(src, dst), std::back_inserter(links),
                                [](const engine::RouteLink& link) { return link.fat_pipe; });
    return links;
  };
  NodeRoutes routes(g, std::vector<std::vector<engine::RouteLink>>(g));
  for (int a = 0; a < g; ++a)
    for (int b = 0; b < g; ++b)
      routes[a][b] = shared_links(a, b);
  intra_node_ring_ = node_rings(routes, {}, 1).front();
  NodeCrossings crossings;
  for (int device = 0; device < g && nodes_ > 1; ++device) {
    crossings.leave.push_back(shared_links(device, g + device));
    crossings.come_back.push_back(shared_links(g + device, device));
  }
  node_rings_ = node_rings(routes, crossings, setup_.channels);
}

std::vector<int> Collectives::channel_ring(int channel) const
{
  // Forward through even nodes, backward through odd ones, so each node is entered at the device
  // the one before left by and every hop stays on one NIC rail, as NCCL's rings do. With an odd
  // node count the hop back to node 0 changes rail (NCCL avoids that by sending through a peer's
  // NIC, PXN).
  const int g = ranks_per_node_;
  const auto& path = node_rings_[channel];
  std::vector<int> ring;
  for (int node = 0; node < nodes_; ++node)
    for (int j = 0; j < g; ++j)
      ring.push_back(node * g + path[node % 2 == 0 ? j : g - 1 - j]);
  std::rotate(ring.begin(), std::find(ring.begin(), ring.end(), 0), ring.end());
  return ring;
}

double Collectives::estimate(const Schedule& schedule, AllReduceAlgorithm algorithm, Protocol protocol, double bytes,
                             bool all_reduce) const
{
  const std::size_t p = index_of(protocol);
  const double latency_factor = all_reduce && algorithm == AllReduceAlgorithm::ring && nodes_ > 1
                                    ? nccl::ring_latency_correction(protocol, bytes, size(), setup_.channels)
                                    : 1.0;
  const double bandwidth_factor =
      algorithm == AllReduceAlgorithm::tree ? nccl::tree_bandwidth_correction(protocol, bytes) : 1.0;
  double seconds = 0;
  for (const auto& stage : schedule)
    seconds +=
        stage.latency[p] * latency_factor + bytes * stage.seconds_per_byte / (stage.data_share[p] * bandwidth_factor);
  return seconds;
}

std::pair<Protocol, double> Collectives::best_protocol(const Schedule& schedule, AllReduceAlgorithm algorithm,
                                                       double bytes, bool all_reduce) const
{
  if (algorithm == AllReduceAlgorithm::torus) // not NCCL: no protocols
    return {Protocol::simple, estimate(schedule, algorithm, Protocol::simple, bytes, all_reduce)};
  std::pair<Protocol, double> best{setup_.protocol, std::numeric_limits<double>::infinity()};
  for (const Protocol protocol : nccl::protocols) {
    const bool allowed = setup_.protocol == Protocol::automatic
                             ? protocol != Protocol::ll128 || setup_.intra_node_link == nccl::Link::nvlink
                             : protocol == setup_.protocol;
    const double seconds = allowed ? estimate(schedule, algorithm, protocol, bytes, all_reduce) : best.second;
    if (seconds < best.second)
      best = {protocol, seconds};
  }
  return best;
}

CollectiveChoice Collectives::all_reduce_choice(double bytes) const
{
  CollectiveChoice best{setup_.algorithm, setup_.protocol};
  double fastest = std::numeric_limits<double>::infinity();
  for (const auto& [algorithm, schedule] : all_reduce_) {
    const auto [protocol, seconds] = best_protocol(schedule, algorithm, bytes, true);
    if (seconds < fastest) {
      fastest = seconds;
      best = {algorithm, protocol};
    }
  }
  return best;
}

CollectiveChoice Collectives::ring_choice(double bytes) const
{
  return {AllReduceAlgorithm::ring, best_protocol(reduce_scatter_, AllReduceAlgorithm::ring, bytes, false).first};
}

CollectiveChoice Collectives::send_recv_choice(double bytes) const
{
  return {AllReduceAlgorithm::ring, best_protocol(send_recv_, AllReduceAlgorithm::ring, bytes, false).first};
}

void Collectives::run(const Schedule& schedule, Protocol protocol, double bytes) const
{
  const std::size_t p = index_of(protocol);
  for (const auto& stage : schedule) {
    std::vector<engine::Transfer> flows;
    flows.reserve(stage.flows.size());
    for (const auto& flow : stage.flows) {
      const auto [src, dst] = route_ends(flow.from, flow.to);
      flows.push_back({src, dst, flow.share * bytes / stage.data_share[p]});
    }
    transfers_.run(flows);
    engine::sleep_for(std::max(0.0, stage.latency[p] - stage.route_latency));
  }
}

void Collectives::all_reduce(double bytes) const
{
  if (size() <= 1 || bytes <= 0)
    return;
  const bool quiet = other_traffic_ == nullptr || other_traffic_->in_flight == 0;
  if (reuse_ && quiet) {
    if (const auto known = durations_.find(bytes); known != durations_.end()) {
      engine::sleep_for(known->second);
      return;
    }
  }
  const auto others_started = [this] { return other_traffic_ ? other_traffic_->started : 0; };
  const long long started_before = others_started();
  const double start = engine::now();
  const CollectiveChoice choice = all_reduce_choice(bytes);
  engine::sleep_for(setup_.launch_overhead);
  run(all_reduce_.at(choice.algorithm), choice.protocol, bytes);
  if (reuse_ && quiet && others_started() == started_before)
    durations_.emplace(bytes, engine::now() - start);
}

void Collectives::reduce_scatter(double bytes) const
{
  if (size() <= 1)
    return;
  engine::sleep_for(setup_.launch_overhead);
  run(reduce_scatter_, ring_choice(bytes).protocol, bytes);
}

void Collectives::all_gather(double bytes) const
{
  reduce_scatter(bytes); // the same ring traffic, in the other sense of the data
}

void Collectives::broadcast(double bytes) const
{
  if (size() <= 1)
    return;
  engine::sleep_for(setup_.launch_overhead);
  run(broadcast_, ring_choice(bytes).protocol, bytes);
}

void Collectives::send_recv(double bytes) const
{
  if (size() <= 1)
    return;
  engine::sleep_for(setup_.launch_overhead);
  run(send_recv_, send_recv_choice(bytes).protocol, bytes);
}

} // namespace dtsim::training
