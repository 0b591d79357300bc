#pragma once
/// @brief The way each channel's ring runs through the accelerators of a node.
///
/// NCCL searches its rings over the node's links: each new ring is one that leaves the most
/// bandwidth on its busiest link given the rings found before it, preferring direct links to paths
/// through a peer (NVIDIA/nccl src/graph/search.cc). So on a DGX-1's hybrid cube-mesh the rings
/// follow NVLinks and successive rings take other links, across nodes the rings spread over the
/// NICs, and on an NVSwitch or a PCIe tree, where every order is as good, rank order stays.
#include "engine/simulation.hpp"

#include <vector>

namespace dtsim::training {

/// routes[a][b]: the links from device a to device b of one node (fat pipes may be left out).
using NodeRoutes = std::vector<std::vector<std::vector<engine::RouteLink>>>;

/// @brief Where rings cross between nodes. A ring leaves a node from device x to device x of the
/// next node (`leave[x]`), which it walks the other way round, leaving it from the device e it
/// entered the first by, back to device e (`come_back[e]`); so each hop stays on one NIC rail.
struct NodeCrossings {
  std::vector<std::vector<engine::RouteLink>> leave, come_back;
};

/// One path through all devices of a node per channel, from the device the ring enters by to the
/// one it leaves by. Inside a single node (`crossings` empty) the ring closes from the last device
/// to the first, and every path starts at device 0. Among equally good paths the first found
/// going up from each device (rank order, wrapping round); the search stops improving after a
/// fixed number of steps, so the result is deterministic at any node size.
std::vector<std::vector<int>> node_rings(const NodeRoutes& routes, const NodeCrossings& crossings, int channels);

} // namespace dtsim::training
