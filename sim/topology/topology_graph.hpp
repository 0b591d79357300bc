#pragma once
/// @brief The cluster's physical topology as a Boost graph, for analysis: counts, diameter,
/// bisection bandwidth, Graphviz.
///
/// Built from the same ClusterLayout that becomes the SimGrid platform, so the two never
/// disagree. Vertices are accelerators, CPUs (each node's PCIe root), storage targets and switches
/// (NVSwitch, leaf, spine); edges are the layout's full-duplex links. Zone gateways that SimGrid
/// needs but that are not devices are merged into the switch they attach to.
#include "platform/cluster_layout.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <ostream>
#include <string>

namespace dtsim::topology {

enum class VertexKind { accelerator, cpu, storage, network_switch };

struct Vertex {
  std::string name;
  VertexKind kind = VertexKind::network_switch;
};

struct Edge {
  std::string link;
  double bandwidth = 0; ///< B/s each direction
  double latency = 0;   ///< s
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, Vertex, Edge>;

struct TopologySummary {
  int accelerators = 0;
  int cpus = 0;
  int storage_targets = 0;
  int switches = 0;
  int links = 0;
  int diameter_hops = 0;          ///< most links on the shortest path between two accelerators
  double bisection_bandwidth = 0; ///< B/s one way between the first and second half of the accelerators
};

Graph build_graph(const platform::ClusterLayout& layout);
TopologySummary summarize(const Graph& graph);
void write_dot(std::ostream& out, const Graph& graph);

} // namespace dtsim::topology
