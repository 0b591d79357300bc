#include "platform/cluster_layout.hpp"

#include "config/cluster_resources.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <span>

namespace dtsim::platform {

using config::ClusterResources;
using config::Scenario;

namespace {

std::string node_name(int node)
{
  return fmt::format("node-{}", node);
}
std::string accelerator_name(int node, int k)
{
  return fmt::format("node-{}-acc-{}", node, k);
}

void add_route(ZoneSpec& zone, std::string src, std::string dst, std::vector<LinkUse> links)
{
  zone.routes.push_back({std::move(src), std::move(dst), "", "", std::move(links)});
}

/// @brief Device-to-device links of a node wired pair by pair; pairs not listed have none.
struct LinkPair {
  int a, b, links;
};

/// @brief NVLinks between two GPUs of the DGX-1 with V100, from nvidia-smi topo -m on 8 x V100-SXM2
/// (github.com/Oneflow-Inc/DLPerf, reports/dlperf_benchmark_test_report_v1.md; the same matrix is
/// printed for NERSC's Cori GPU nodes). Each GPU has 6 links.
constexpr LinkPair dgx1_v100_nvlinks[] = {
    {0, 1, 1}, {0, 2, 1}, {0, 3, 2}, {0, 4, 2}, {1, 2, 2}, {1, 3, 1}, {1, 5, 2}, {2, 3, 2},
    {2, 6, 1}, {3, 7, 1}, {4, 5, 1}, {4, 6, 1}, {4, 7, 2}, {5, 6, 2}, {5, 7, 1}, {6, 7, 2},
};
constexpr int dgx1_links_per_gpu = 6;
/// B/s of a disk direction that nothing limits (a file-system client's writes): 1 PB/s, above any simulated traffic.
constexpr double unlimited_bandwidth = 1e15;

/// @brief Infinity Fabric links between the 8 GCDs of a node of 4 MI250X (HPE Cray EX235a: Frontier,
/// LUMI-G), counted from the node diagrams of the OLCF Frontier user guide
/// (olcf/olcf-user-docs@2745903:images/Frontier_Node_Diagram.jpg), AMD lab notes
/// (amd/amd-lab-notes@e031972:gpu-aware-mpi/diagrams/mi250_diag.png) and the LUMI user guide, which agree:
/// 4 links between the two GCDs of a package, 1 or 2 between packages. GCDs with even numbers have 7 links.
constexpr LinkPair mi250x_node_links[] = {
    {0, 1, 4}, {0, 2, 1}, {0, 6, 2}, {1, 3, 1}, {1, 5, 1}, {2, 3, 4},
    {2, 4, 2}, {3, 7, 1}, {4, 5, 4}, {4, 6, 1}, {5, 7, 1}, {6, 7, 4},
};
constexpr int mi250x_links_per_gcd = 7;

/// A node wired by a link map: each link intra_node_bandwidth / links_per_device. A pair without a
/// link goes through the intermediate device with the widest narrower link (the lowest-numbered on a
/// tie), as NCCL's paths do (PATH_NVB, "NVLink using an intermediate GPU": NVIDIA/nccl
/// src/graph/paths.cc, ncclTopoSetPaths keeps the path of most bandwidth, and ncclTopoCheckP2p sends
/// through the intermediate rank); RCCL keeps NCCL's path search.
void wire_link_map(ZoneSpec& zone, const Scenario& s, int node, const std::vector<std::string>& devices,
                   std::span<const LinkPair> pairs, int links_per_device)
{
  const auto& c = s.cluster;
  const std::size_t g = devices.size();
  std::vector<std::vector<int>> count(g, std::vector<int>(g, 0));
  const auto link_name = [&](std::size_t a, std::size_t b) {
    return fmt::format("{}-link-{}-{}", node_name(node), std::min(a, b), std::max(a, b));
  };
  const auto hop = [&](std::size_t from, std::size_t to) { return LinkUse{link_name(from, to), from < to}; };
  for (const auto& [a, b, links] : pairs) {
    if (static_cast<std::size_t>(b) >= g) // the one-device baseline keeps the interconnect
      continue;
    count[a][b] = count[b][a] = links;
    zone.links.push_back({link_name(a, b), links * c.intra_node_bandwidth_of(node) / links_per_device,
                          c.intra_node_latency, devices[a], devices[b]});
    add_route(zone, devices[a], devices[b], {hop(a, b)});
  }
  for (std::size_t a = 0; a < g; ++a)
    for (std::size_t b = a + 1; b < g; ++b) {
      if (count[a][b] > 0)
        continue;
      std::size_t via = g;
      for (std::size_t m = 0; m < g; ++m)
        if (std::min(count[a][m], count[m][b]) > (via == g ? 0 : std::min(count[a][via], count[via][b])))
          via = m;
      if (via < g)
        add_route(zone, devices[a], devices[b], {hop(a, via), hop(via, b)});
    }
}

/// Device-to-device links and routes inside one node.
void wire_devices(ZoneSpec& zone, const Scenario& s, int node, const std::vector<std::string>& devices,
                  const std::vector<std::string>& pcie)
{
  const auto& c = s.cluster;
  const int g = c.accelerators_per_node;
  switch (c.intra_node) {
  case config::IntraNode::nvswitch: {
    std::vector<std::string> ports;
    for (int k = 0; k < g; ++k) {
      ports.push_back(fmt::format("{}-nvlink", devices[k]));
      zone.links.push_back({ports.back(), c.intra_node_bandwidth_of(node), c.intra_node_latency / 2, devices[k],
                            node_name(node) + "-nvswitch"});
    }
    for (int a = 0; a < g; ++a)
      for (int b = a + 1; b < g; ++b)
        add_route(zone, devices[a], devices[b], {{ports[a], true}, {ports[b], false}});
    break;
  }
  case config::IntraNode::nvlink_mesh: {
    const double per_pair = c.intra_node_bandwidth_of(node) / std::max(1, g - 1);
    for (int a = 0; a < g; ++a)
      for (int b = a + 1; b < g; ++b) {
        const std::string link = fmt::format("{}-link-{}-{}", node_name(node), a, b);
        zone.links.push_back({link, per_pair, c.intra_node_latency, devices[a], devices[b]});
        add_route(zone, devices[a], devices[b], {{link, true}});
      }
    break;
  }
  case config::IntraNode::hybrid_cube_mesh:
    wire_link_map(zone, s, node, devices, dgx1_v100_nvlinks, dgx1_links_per_gpu);
    break;
  case config::IntraNode::mi250x_node:
    wire_link_map(zone, s, node, devices, mi250x_node_links, mi250x_links_per_gcd);
    break;
  case config::IntraNode::pcie:
    for (int a = 0; a < g; ++a)
      for (int b = a + 1; b < g; ++b)
        add_route(zone, devices[a], devices[b], {{pcie[a], true}, {pcie[b], false}});
    break;
  }
}

/// @brief A node's hosts and links, and the routes between its CPU and devices, before they are
/// placed in zones. NIC links start at the CPU (the PCIe root); their far end is the fabric's.
struct NodeParts {
  HostSpec cpu;
  std::vector<HostSpec> devices;
  std::vector<LinkSpec> pcie; ///< device k to the PCIe root
  std::vector<LinkSpec> nics;
  ZoneSpec wiring; ///< device-to-device links; routes device-device and CPU-device
};

/// A layout that names the disks the scenario's storage needs.
ClusterLayout named_disks(const Scenario& s)
{
  ClusterLayout layout;
  if (s.storage.local_nvme)
    layout.local_disk = "nvme";
  if (s.storage.remote)
    layout.target_disk = "drives";
  if (s.storage.remote && s.storage.remote->client_read_bandwidth > 0)
    layout.client_mount = "mount";
  return layout;
}

/// A node's CPU host, with its local drives and its file-system client's read limit as disks; recorded in `layout`.
HostSpec node_cpu(const Scenario& s, int node, ClusterLayout& layout)
{
  HostSpec cpu{fmt::format("{}-cpu", node_name(node)), 1.0, s.cluster.input_cores(), {}};
  if (s.storage.local_nvme) {
    const auto& pool = *s.storage.local_nvme;
    cpu.disks.push_back(
        {layout.local_disk, s.storage.read_bandwidth(pool), pool.drives * pool.drive.write_bandwidth.value});
  }
  if (!layout.client_mount.empty())
    cpu.disks.push_back({layout.client_mount, s.storage.remote->client_read_bandwidth, unlimited_bandwidth});
  layout.node_cpus.push_back(cpu.name);
  return cpu;
}

NodeParts node_parts(const Scenario& s, const ClusterResources& r, int node, ClusterLayout& layout)
{
  const auto& c = s.cluster;
  const auto& nics = r.compute_nics;
  NodeParts parts;
  parts.cpu = node_cpu(s, node, layout);
  // Half the switch latency on each NIC: a path between two nodes crosses two NICs and one switch.
  for (int j = 0; j < nics.per_host; ++j)
    parts.nics.push_back({fmt::format("{}-nic-{}", node_name(node), j), nics.port_bandwidth,
                          nics.adapter.latency.value + s.network.switch_latency / 2, parts.cpu.name, ""});
  std::vector<std::string> devices, pcie;
  const auto& accelerator = c.accelerator_of(node);
  const double peak = accelerator.peak_rate.at(s.workload.precision).value;
  for (int k = 0; k < c.accelerators_per_node; ++k) {
    devices.push_back(accelerator_name(node, k));
    pcie.push_back(devices.back() + "-pcie");
    parts.devices.push_back({devices.back(), peak, 1, {}});
    parts.pcie.push_back(
        {pcie.back(), accelerator.host_link_bandwidth.value, c.intra_node_latency / 2, parts.cpu.name, devices[k]});
    layout.worker_hosts.push_back(devices.back());
    layout.worker_node.push_back(node);
    add_route(parts.wiring, parts.cpu.name, devices[k], {{pcie[k], false}});
  }
  wire_devices(parts.wiring, s, node, devices, pcie);
  return parts;
}

/// One zone per node: the NICs lead to the node's gateway, which the fabric wires to a switch.
ZoneSpec node_zone(const Scenario& s, const ClusterResources& r, int node, ClusterLayout& layout)
{
  NodeParts parts = node_parts(s, r, node, layout);
  ZoneSpec zone = std::move(parts.wiring);
  zone.name = node_name(node);
  zone.kind = ZoneKind::full;
  zone.gateway = fmt::format("{}-gw", node_name(node));
  zone.routers.push_back(zone.gateway);
  zone.hosts.push_back(parts.cpu);
  for (auto& nic : parts.nics) {
    nic.to = zone.gateway;
    zone.links.push_back(nic);
  }
  for (std::size_t k = 0; k < parts.devices.size(); ++k) {
    zone.hosts.push_back(parts.devices[k]);
    zone.links.push_back(parts.pcie[k]);
    add_route(zone, parts.devices[k].name, zone.gateway,
              {{parts.pcie[k].name, true}, {parts.nics[k % parts.nics.size()].name, true}});
  }
  add_route(zone, parts.cpu.name, zone.gateway, {{parts.nics[0].name, true}});
  return zone;
}

/// @brief A child zone of a star zone and the links from its gateway to the star's centre.
struct Member {
  ZoneSpec zone;
  std::vector<LinkUse> uplink;
  double capacity = 0; ///< B/s the member can send towards the star's centre
};

/// A star zone (a switch) whose centre each member reaches through its uplink.
ZoneSpec star_of(std::string name, std::vector<Member> members)
{
  ZoneSpec zone{std::move(name), ZoneKind::star};
  // The switch sits in a child zone of its own: SimGrid 3.32 resolves routes wrongly from a router
  // placed directly in a zone that also has child zones (it looks the parent zone's own netpoint
  // up among the children's routes).
  ZoneSpec core{zone.name + "-core", ZoneKind::full};
  core.gateway = zone.name + "-switch";
  core.routers.push_back(core.gateway);
  zone.gateway = core.gateway;
  zone.routes.push_back({core.name, "", core.gateway, "", {}});
  zone.children.push_back(std::move(core));
  for (auto& member : members) {
    zone.routes.push_back({member.zone.name, "", member.zone.gateway, "", std::move(member.uplink)});
    zone.children.push_back(std::move(member.zone));
  }
  return zone;
}

ZoneSpec storage_zone(const Scenario& s, const config::NicGroup& nics, ClusterLayout& layout)
{
  const auto& t = *s.storage.remote;
  ZoneSpec zone{"storage", ZoneKind::star};
  zone.gateway = "storage-switch";
  zone.routers.push_back(zone.gateway);
  zone.routes.push_back({zone.gateway, "", "", "", {}});
  const double nic_latency = nics.adapter.latency.value + s.network.switch_latency / 2;
  for (int i = 0; i < t.targets; ++i) {
    const std::string host = fmt::format("target-{}", i);
    zone.hosts.push_back(
        {host,
         1.0,
         t.target_cores,
         {{layout.target_disk, s.storage.read_bandwidth(t.pool), t.pool.drives * t.pool.drive.write_bandwidth.value}}});
    zone.links.push_back({host + "-nic", nics.host_bandwidth, nic_latency, host, zone.gateway});
    zone.routes.push_back({host, "", "", "", {{host + "-nic", true}}});
    layout.storage_targets.push_back(host);
  }
  return zone;
}

/// A separate storage network: each node's storage NICs lead straight to the storage switch. Adds
/// those links to `storage` and returns the bypass routes, for the cluster zone, that take the nodes'
/// NVMe-oF traffic off the compute fabric.
std::vector<RouteSpec> wire_storage_network(const Scenario& s, const config::NicGroup& nics, ZoneSpec& storage,
                                            bool cpu_has_own_zone)
{
  std::vector<RouteSpec> routes;
  for (int node = 0; node < s.cluster.nodes; ++node) {
    const std::string cpu = fmt::format("{}-cpu", node_name(node));
    const std::string link = node_name(node) + "-storage-nic";
    storage.links.push_back(
        {link, nics.host_bandwidth, nics.adapter.latency.value + s.network.switch_latency / 2, cpu, storage.gateway});
    routes.push_back(
        {cpu_has_own_zone ? cpu + "-zone" : node_name(node), storage.name, cpu, storage.gateway, {{link, true}}});
  }
  return routes;
}

/// A switch zone over `members` whose uplink to `above` carries their capacity divided by the
/// oversubscription.
Member switch_member(std::string name, std::vector<Member> members, double oversubscription, double latency,
                     const std::string& above)
{
  double down_capacity = 0;
  for (const auto& member : members)
    down_capacity += member.capacity;
  ZoneSpec zone = star_of(std::move(name), std::move(members));
  const std::string uplink = zone.name + "-uplink";
  const double capacity = down_capacity / oversubscription;
  zone.links.push_back({uplink, capacity, latency, zone.gateway, above});
  return {std::move(zone), {{uplink, true}}, capacity};
}

/// Groups `members` under switches named <prefix>-<i>, each reaching the switch above through one
/// oversubscribed uplink.
std::vector<Member> group(std::vector<Member> members, std::size_t per_group, const std::string& prefix,
                          double oversubscription, double latency,
                          const std::function<std::string(std::size_t)>& switch_above)
{
  std::vector<Member> result;
  for (std::size_t first = 0; first < members.size(); first += per_group) {
    const std::size_t last = std::min(members.size(), first + per_group);
    std::vector<Member> below(std::make_move_iterator(members.begin() + first),
                              std::make_move_iterator(members.begin() + last));
    const std::size_t index = result.size();
    result.push_back(switch_member(fmt::format("{}-{}", prefix, index), std::move(below), oversubscription, latency,
                                   switch_above(index)));
  }
  return result;
}

/// Leaves (and, for a three-level fat-tree, pods of leaves) between the nodes and the top switch.
std::vector<Member> fabric(const Scenario& s, std::vector<Member> nodes)
{
  const auto& n = s.network;
  if (n.topology == config::Topology::single_switch)
    return nodes;
  const auto top = [](std::size_t) { return std::string("cluster-switch"); };
  const auto per_leaf = static_cast<std::size_t>(n.nodes_per_leaf);
  if (n.topology == config::Topology::leaf_spine)
    return group(std::move(nodes), per_leaf, "leaf", n.oversubscription, n.switch_latency, top);
  const auto per_pod = static_cast<std::size_t>(n.leaves_per_pod);
  auto leaves = group(std::move(nodes), per_leaf, "leaf", n.oversubscription, n.switch_latency,
                      [per_pod](std::size_t leaf) { return fmt::format("pod-{}-switch", leaf / per_pod); });
  return group(std::move(leaves), per_pod, "pod", n.pod_oversubscription, n.switch_latency, top);
}

/// @brief A rail-optimised leaf-spine: NIC k of every node in a group goes to the group's leaf of rail k.
///
/// SimGrid routes through the zone tree, so each device sits in a zone of its own under its rail's
/// leaf (the CPU under rail 0's), and the routes inside a node are bypass routes between those
/// zones, held by the zone where the two rails meet (the leaf, or the spine's cluster zone).
class RailFabric {
public:
  RailFabric(const Scenario& s, const ClusterResources& r, ClusterLayout& layout)
      : s_(s)
      , r_(r)
      , layout_(layout)
      , rails_(r.compute_nics.per_host)
      , groups_((s.cluster.nodes + s.network.nodes_per_leaf - 1) / s.network.nodes_per_leaf)
      , leaf_members_(static_cast<std::size_t>(groups_ * rails_))
      , leaf_bypasses_(leaf_members_.size())
  {
  }

  std::vector<Member> lay_out()
  {
    for (int node = 0; node < s_.cluster.nodes; ++node)
      add_node(node);
    std::vector<Member> leaves;
    for (int group = 0; group < groups_; ++group)
      for (int rail = 0; rail < rails_; ++rail) {
        const std::size_t leaf = index(group, rail);
        leaves.push_back(switch_member(leaf_name(group, rail), std::move(leaf_members_[leaf]),
                                       s_.network.oversubscription, s_.network.switch_latency, "cluster-switch"));
        leaves.back().zone.bypass_routes = std::move(leaf_bypasses_[leaf]);
      }
    return leaves;
  }

  /// Routes inside nodes between devices on different rails, for the cluster zone.
  std::vector<RouteSpec> take_cross_rail_routes() { return std::move(cross_rail_); }

private:
  static std::string leaf_name(int group, int rail) { return fmt::format("leaf-{}-rail-{}", group, rail); }
  static std::string zone_of(const std::string& host) { return host + "-zone"; }
  std::size_t index(int group, int rail) const { return static_cast<std::size_t>(group * rails_ + rail); }

  void add_node(int node)
  {
    const int group = node / s_.network.nodes_per_leaf;
    NodeParts parts = node_parts(s_, r_, node, layout_);
    std::map<std::string, int> rail_of{{parts.cpu.name, 0}};
    std::map<std::string, ZoneSpec> zones;
    zones.emplace(parts.cpu.name, ZoneSpec{zone_of(parts.cpu.name), ZoneKind::star, {parts.cpu}});
    for (std::size_t k = 0; k < parts.devices.size(); ++k) {
      const std::string& device = parts.devices[k].name;
      rail_of[device] = static_cast<int>(k) % rails_;
      ZoneSpec zone{zone_of(device), ZoneKind::star, {parts.devices[k]}};
      zone.links.push_back(parts.pcie[k]);
      if (k < parts.nics.size()) { // NIC k is declared with device k, the first on its rail
        parts.nics[k].to = fmt::format("{}-switch", leaf_name(group, static_cast<int>(k)));
        zone.links.push_back(parts.nics[k]);
      }
      zones.emplace(device, std::move(zone));
    }
    for (const auto& link : parts.wiring.links) // each device-to-device link with the device it starts at
      zones.at(link.from).links.push_back(link);
    for (const auto& route : parts.wiring.routes) {
      RouteSpec bypass{zone_of(route.src), zone_of(route.dst), route.src, route.dst, route.links};
      const int rail = rail_of.at(route.src);
      if (rail == rail_of.at(route.dst))
        leaf_bypasses_[index(group, rail)].push_back(std::move(bypass));
      else
        cross_rail_.push_back(std::move(bypass));
    }
    for (auto& [host, zone] : zones) {
      const int rail = rail_of.at(host);
      const bool cpu = host == parts.cpu.name;
      const std::string& nic = parts.nics[static_cast<std::size_t>(rail)].name;
      std::vector<LinkUse> uplink{{nic, true}};
      if (!cpu)
        uplink.insert(uplink.begin(), {host + "-pcie", true});
      zone.gateway = host;
      // The NIC's capacity counts once per rail, with the device that declares it.
      const bool owns_nic =
          !cpu && std::any_of(zone.links.begin(), zone.links.end(), [&](const LinkSpec& l) { return l.name == nic; });
      leaf_members_[index(group, rail)].push_back(
          {std::move(zone), uplink, owns_nic ? r_.compute_nics.port_bandwidth : 0});
    }
  }

  const Scenario& s_;
  const ClusterResources& r_;
  ClusterLayout& layout_;
  int rails_;
  int groups_;
  std::vector<std::vector<Member>> leaf_members_;
  std::vector<std::vector<RouteSpec>> leaf_bypasses_;
  std::vector<RouteSpec> cross_rail_;
};

/// @brief A dragonfly as zones: a router is a star zone over its nodes, a group a full zone whose
/// routes between routers are its local links, and the cluster a full zone whose routes between
/// groups are the global links, from the router of each group that holds the link. SimGrid's route
/// through that tree is the minimal route: local, global, local.
class Dragonfly {
public:
  Dragonfly(const Scenario& s, const ClusterResources& r, ClusterLayout& layout)
      : s_(s)
      , r_(r)
      , d_(s.network.dragonfly)
      , layout_(layout)
  {
  }

  ZoneSpec lay_out()
  {
    ZoneSpec root{"cluster", ZoneKind::full};
    int node = 0;
    for (int g = 0; g < d_.groups; ++g)
      root.children.push_back(group(g, node));
    for (int i = 0; i < d_.groups; ++i)
      for (int j = i + 1; j < d_.groups; ++j)
        connect(root, fmt::format("group-{}", i), fmt::format("group-{}", j), fmt::format("global-{}-{}", i, j),
                switch_of(i, router_towards(i, j)), switch_of(j, router_towards(j, i)), d_.global_bandwidth);
    return root;
  }

private:
  static std::string router_name(int g, int r) { return fmt::format("group-{}-router-{}", g, r); }
  static std::string switch_of(int g, int r) { return router_name(g, r) + "-switch"; } // as star_of names it

  /// Group g deals its links to the other groups round-robin over its routers, in group order.
  int router_towards(int g, int other) const { return (other < g ? other : other - 1) % d_.routers_per_group; }

  ZoneSpec group(int g, int& node)
  {
    ZoneSpec zone{fmt::format("group-{}", g), ZoneKind::full};
    for (int r = 0; r < d_.routers_per_group; ++r) {
      std::vector<Member> nodes;
      for (int p = 0; p < d_.nodes_per_router && node < s_.cluster.nodes; ++p)
        nodes.push_back({node_zone(s_, r_, node++, layout_), {}, 0});
      zone.children.push_back(star_of(router_name(g, r), std::move(nodes)));
    }
    for (int r = 0; r < d_.routers_per_group; ++r)
      for (int q = r + 1; q < d_.routers_per_group; ++q)
        connect(zone, router_name(g, r), router_name(g, q), fmt::format("group-{}-local-{}-{}", g, r, q),
                switch_of(g, r), switch_of(g, q), d_.local_bandwidth);
    return zone;
  }

  /// A link between two routers, and the route between the child zones that hold them.
  void connect(ZoneSpec& zone, const std::string& a, const std::string& b, const std::string& link,
               const std::string& switch_a, const std::string& switch_b, double bandwidth) const
  {
    zone.links.push_back({link, bandwidth, s_.network.switch_latency, switch_a, switch_b});
    zone.routes.push_back({a, b, switch_a, switch_b, {{link, true}}});
  }

  const Scenario& s_;
  const ClusterResources& r_;
  const config::DragonflySpec& d_;
  ClusterLayout& layout_;
};

/// One slice: a torus zone of the accelerators ranked first_rank onwards.
ZoneSpec torus_slice(const Scenario& s, int slice, int first_rank, ClusterLayout& layout)
{
  const auto& c = s.cluster;
  const auto& dims = s.network.torus_dimensions;
  ZoneSpec torus{s.network.slices > 1 ? fmt::format("ici-{}", slice) : "ici", ZoneKind::torus};
  torus.torus_dimensions = dims;
  // The accelerator's link bandwidth is shared by its 2 x D torus links.
  torus.torus_link = {"ici", c.accelerator.link_bandwidth.value / (2.0 * static_cast<double>(dims.size())),
                      c.intra_node_latency};
  const double peak = c.accelerator.peak_rate.at(s.workload.precision).value;
  int chips = 1;
  for (int d : dims)
    chips *= d;
  for (int r = first_rank; r < first_rank + chips; ++r) {
    const int node = r / c.accelerators_per_node;
    torus.hosts.push_back({accelerator_name(node, r % c.accelerators_per_node), peak, 1, {}});
    layout.worker_hosts.push_back(torus.hosts.back().name);
    layout.worker_node.push_back(node);
  }
  int stride = 1;
  for (int d = static_cast<int>(dims.size()) - 1; d >= 0; stride *= dims[d--]) {
    if (dims[d] < 2)
      continue;
    for (int r = 0; r < chips; ++r) {
      const int coordinate = r / stride % dims[d];
      const int next = r + ((coordinate + 1) % dims[d] - coordinate) * stride;
      if (dims[d] > 2 || coordinate == 0) // a dimension of 2 has one link between its two members
        torus.links.push_back({fmt::format("{}-{}-{}", torus.name, r, next), torus.torus_link.bandwidth,
                               torus.torus_link.latency, torus.hosts[r].name, torus.hosts[next].name});
    }
  }
  return torus;
}

/// Accelerators on tori of direct links (TPU ICI), one per slice; the hosts that feed them in a zone
/// apart, on a data-centre network switch of their own when there are several slices.
ClusterLayout lay_out_torus(const Scenario& s, const ClusterResources& r)
{
  const auto& c = s.cluster;
  ClusterLayout layout = named_disks(s);
  layout.root = ZoneSpec{"cluster", ZoneKind::star};
  const int per_slice = c.devices() / s.network.slices;
  for (int slice = 0; slice < s.network.slices; ++slice)
    layout.root.children.push_back(torus_slice(s, slice, slice * per_slice, layout));
  const bool dcn = s.network.slices > 1;
  ZoneSpec hosts{dcn ? "dcn" : "hosts", dcn ? ZoneKind::star : ZoneKind::full};
  for (int node = 0; node < c.nodes; ++node) {
    HostSpec cpu = node_cpu(s, node, layout);
    if (dcn) { // the host's NICs as one link to the switch
      const std::string nic = fmt::format("{}-dcn", node_name(node));
      hosts.links.push_back({nic, r.compute_nics.host_bandwidth,
                             r.compute_nics.adapter.latency.value + s.network.switch_latency / 2, cpu.name,
                             "dcn-switch"});
      hosts.routes.push_back({cpu.name, "", "", "", {{nic, true}}});
    }
    hosts.hosts.push_back(std::move(cpu));
  }
  layout.root.children.push_back(std::move(hosts));
  return layout;
}

} // namespace

ClusterLayout lay_out_cluster(const Scenario& s)
{
  const ClusterResources r = config::cluster_resources(s);
  if (s.network.topology == config::Topology::torus)
    return lay_out_torus(s, r);
  ClusterLayout layout = named_disks(s);

  if (s.network.topology == config::Topology::dragonfly) {
    layout.root = Dragonfly(s, r, layout).lay_out();
    return layout;
  }
  std::vector<Member> members;
  std::vector<RouteSpec> cross_rail;
  if (s.network.topology == config::Topology::rail_optimized) {
    RailFabric rails(s, r, layout);
    members = rails.lay_out();
    cross_rail = rails.take_cross_rail_routes();
  } else {
    std::vector<Member> nodes;
    for (int node = 0; node < s.cluster.nodes; ++node)
      nodes.push_back({node_zone(s, r, node, layout), {}, r.compute_nics.host_bandwidth});
    members = fabric(s, std::move(nodes));
  }
  std::vector<RouteSpec> bypasses = std::move(cross_rail);
  if (s.storage.remote) {
    ZoneSpec storage = storage_zone(s, *r.target_nics, layout);
    if (!r.storage_path->shares_fabric)
      for (auto& route :
           wire_storage_network(s, *r.storage_nics, storage, s.network.topology == config::Topology::rail_optimized))
        bypasses.push_back(std::move(route));
    members.push_back({std::move(storage), {}});
  }
  layout.root = star_of("cluster", std::move(members));
  layout.root.bypass_routes = std::move(bypasses);
  return layout;
}

} // namespace dtsim::platform
