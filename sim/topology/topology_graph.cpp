#include "topology/topology_graph.hpp"

#include <algorithm>
#include <boost/graph/boykov_kolmogorov_max_flow.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <unordered_map>

namespace dtsim::topology {

namespace {

/// Names of the points each link joins, with gateways merged into the switch their zone hangs from.
class PointNames {
public:
  void merge(const std::string& a, const std::string& b) { parent_[find(a)] = find(b); }
  std::string find(const std::string& name)
  {
    auto it = parent_.find(name);
    if (it == parent_.end() || it->second == name)
      return name;
    return it->second = find(it->second);
  }

private:
  std::unordered_map<std::string, std::string> parent_;
};

void collect(const platform::ZoneSpec& zone, PointNames& points, std::vector<const platform::LinkSpec*>& links)
{
  for (const auto& link : zone.links)
    links.push_back(&link);
  std::map<std::string, const platform::ZoneSpec*> children;
  for (const auto& child : zone.children) {
    children[child.name] = &child;
    collect(child, points, links);
  }
  // A child zone whose route to a star's centre has no link is wired straight into that switch.
  if (zone.kind == platform::ZoneKind::star)
    for (const auto& route : zone.routes)
      if (route.links.empty() && children.contains(route.src))
        points.merge(route.gw_src, zone.gateway);
}

/// The kind of every named device of the layout; any other point is a switch.
std::unordered_map<std::string, VertexKind> device_kinds(const platform::ClusterLayout& layout)
{
  std::unordered_map<std::string, VertexKind> kinds;
  for (const auto& name : layout.worker_hosts)
    kinds.emplace(name, VertexKind::accelerator);
  for (const auto& name : layout.node_cpus)
    kinds.emplace(name, VertexKind::cpu);
  for (const auto& name : layout.storage_targets)
    kinds.emplace(name, VertexKind::storage);
  return kinds;
}

std::vector<Graph::vertex_descriptor> accelerators_of(const Graph& g)
{
  std::vector<Graph::vertex_descriptor> found;
  for (const auto v : boost::make_iterator_range(boost::vertices(g)))
    if (g[v].kind == VertexKind::accelerator)
      found.push_back(v);
  return found;
}

int diameter(const Graph& g, const std::vector<Graph::vertex_descriptor>& accelerators)
{
  int longest = 0;
  std::vector<int> hops(boost::num_vertices(g));
  for (const auto source : accelerators) {
    std::fill(hops.begin(), hops.end(), -1);
    hops[source] = 0;
    boost::breadth_first_search(
        g, source,
        boost::visitor(boost::make_bfs_visitor(boost::record_distances(hops.data(), boost::on_tree_edge()))));
    for (const auto target : accelerators)
      longest = std::max(longest, hops[target]);
  }
  return longest;
}

/// Maximum flow from the first half of the accelerators (in rank order) to the second half.
double bisection(const Graph& g, const std::vector<Graph::vertex_descriptor>& accelerators)
{
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using FlowGraph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS,
      boost::property<
          boost::vertex_index_t, long,
          boost::property<boost::vertex_color_t, boost::default_color_type,
                          boost::property<boost::vertex_distance_t, long,
                                          boost::property<boost::vertex_predecessor_t, Traits::edge_descriptor>>>>,
      boost::property<boost::edge_capacity_t, double,
                      boost::property<boost::edge_residual_capacity_t, double,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  const std::size_t n = boost::num_vertices(g);
  FlowGraph flow(n + 2);
  const auto source = n, sink = n + 1;
  auto capacity = boost::get(boost::edge_capacity, flow);
  auto reverse = boost::get(boost::edge_reverse, flow);
  const auto arc = [&](std::size_t from, std::size_t to, double bandwidth) {
    const auto forward = boost::add_edge(from, to, flow).first;
    const auto backward = boost::add_edge(to, from, flow).first;
    capacity[forward] = bandwidth;
    capacity[backward] = 0;
    reverse[forward] = backward;
    reverse[backward] = forward;
  };
  for (const auto e : boost::make_iterator_range(boost::edges(g))) {
    arc(boost::source(e, g), boost::target(e, g), g[e].bandwidth);
    arc(boost::target(e, g), boost::source(e, g), g[e].bandwidth);
  }
  const double unlimited = std::numeric_limits<double>::max() / 4;
  for (std::size_t i = 0; i < accelerators.size(); ++i) {
    if (i < accelerators.size() / 2)
      arc(source, accelerators[i], unlimited);
    else
      arc(accelerators[i], sink, unlimited);
  }
  return boost::boykov_kolmogorov_max_flow(flow, source, sink);
}

} // namespace

Graph build_graph(const platform::ClusterLayout& layout)
{
  PointNames points;
  std::vector<const platform::LinkSpec*> links;
  collect(layout.root, points, links);
  const auto kinds = device_kinds(layout);
  Graph g;
  std::unordered_map<std::string, Graph::vertex_descriptor> index;
  const auto vertex = [&](const std::string& raw) {
    const std::string name = points.find(raw);
    const auto [it, added] = index.emplace(name, 0);
    if (added)
      it->second = boost::add_vertex({name, kinds.contains(name) ? kinds.at(name) : VertexKind::network_switch}, g);
    return it->second;
  };
  for (const auto& name : layout.worker_hosts) // accelerators first, in rank order
    vertex(name);
  for (const auto& name : layout.node_cpus)
    vertex(name);
  for (const auto& name : layout.storage_targets)
    vertex(name);
  for (const auto* link : links)
    boost::add_edge(vertex(link->from), vertex(link->to), {link->name, link->bandwidth, link->latency}, g);
  return g;
}

TopologySummary summarize(const Graph& g)
{
  TopologySummary s;
  for (const auto v : boost::make_iterator_range(boost::vertices(g))) {
    switch (g[v].kind) {
    case VertexKind::accelerator:
      ++s.accelerators;
      break;
    case VertexKind::cpu:
      ++s.cpus;
      break;
    case VertexKind::storage:
      ++s.storage_targets;
      break;
    case VertexKind::network_switch:
      ++s.switches;
      break;
    }
  }
  s.links = static_cast<int>(boost::num_edges(g));
  const auto accelerators = accelerators_of(g);
  s.diameter_hops = diameter(g, accelerators);
  s.bisection_bandwidth = accelerators.size() < 2 ? 0 : bisection(g, accelerators);
  return s;
}

void write_dot(std::ostream& out, const Graph& g)
{
  const auto shape = [](VertexKind kind) {
    switch (kind) {
    case VertexKind::accelerator:
      return "box";
    case VertexKind::cpu:
      return "ellipse";
    case VertexKind::storage:
      return "cylinder";
    case VertexKind::network_switch:
      return "diamond";
    }
    return "ellipse";
  };
  boost::write_graphviz(
      out, g,
      [&](std::ostream& o, Graph::vertex_descriptor v) {
        o << fmt::format("[label=\"{}\", shape={}]", g[v].name, shape(g[v].kind));
      },
      [&](std::ostream& o, Graph::edge_descriptor e) {
        o << fmt::format("[label=\"{:g} GB/s\"]", g[e].bandwidth / 1e9);
      });
}

} // namespace dtsim::topology
