#include "config/cluster_resources.hpp"

#include <cmath>

namespace dtsim::config {

namespace {

NicGroup nic_group(const Nic& adapter, int per_host, int hosts, double port_bandwidth)
{
  return {adapter, per_host, static_cast<double>(hosts) * per_host, port_bandwidth, per_host * port_bandwidth};
}

/// Ports of the compute fabric: the compute NICs' own and, above them, each of a leaf's uplinks (its node ports
/// over the oversubscription) takes a port on the leaf and one on the switch above, tier by tier.
double fabric_ports(const Scenario& s, const NicGroup& nics)
{
  const NetworkSpec& n = s.network;
  const double node_ports = nics.total;
  switch (n.topology) {
  case Topology::single_switch:
    return node_ports;
  case Topology::leaf_spine:
  case Topology::rail_optimized:
    return node_ports * (1 + 2 / n.oversubscription);
  case Topology::fat_tree:
    return node_ports * (1 + 2 / n.oversubscription + 2 / (n.oversubscription * n.pod_oversubscription));
  case Topology::dragonfly: {
    // Each pair of routers in a group, and each pair of groups, joined by links of the NICs' line rate.
    const DragonflySpec& d = n.dragonfly;
    const double port = nics.port_bandwidth;
    const double local = static_cast<double>(d.groups) * d.routers_per_group * (d.routers_per_group - 1.0) *
                         std::ceil(d.local_bandwidth / port);
    const double global = d.groups * (d.groups - 1.0) * std::ceil(d.global_bandwidth / port);
    return node_ports + local + global;
  }
  case Topology::torus: // chips meet on their own links; only a multislice joins hosts through a switch
    return n.slices > 1 ? node_ports : 0;
  }
  return node_ports;
}

} // namespace

ClusterResources cluster_resources(const Scenario& s)
{
  const ClusterSpec& c = s.cluster;
  const NetworkSpec& n = s.network;
  const auto& remote = s.storage.remote;
  ClusterResources r;
  r.compute_nics = nic_group(c.nic, c.nics_per_node, c.nodes, c.nic_bandwidth);
  if (n.separate_storage)
    r.storage_nics = nic_group(n.storage_nic, n.storage_nics_per_node, c.nodes, n.storage_nic.bandwidth.value);
  if (remote) {
    r.target_nics = nic_group(remote->nic, remote->nics_per_target, remote->targets, remote->nic.bandwidth.value);
    r.target_nics->part_of_appliance = remote->appliance;
    // The platform routes a node's CPU to the storage switch through its storage NICs, or else its first NIC.
    r.storage_path = r.storage_nics ? StoragePath{r.storage_nics->host_bandwidth, false}
                                    : StoragePath{r.compute_nics.port_bandwidth, true};
  }
  r.switch_ports.compute = fabric_ports(s, r.compute_nics);
  r.switch_ports.storage_network = r.storage_nics ? r.storage_nics->total : 0;
  r.switch_ports.targets = r.target_nics ? r.target_nics->total : 0;
  return r;
}

} // namespace dtsim::config
