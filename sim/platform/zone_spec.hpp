#pragma once
/// @brief A platform as plain data: zones of hosts, routers, links and routes, in SI units.
///
/// The topology builders produce it without touching SimGrid; sim/engine turns it into SimGrid
/// zones one to one. Routes are explicit inside full zones and per-member (to the centre) inside
/// star zones, so no zone ever holds a route table that grows as the square of its members.
#include <cstddef>
#include <string>
#include <vector>

namespace dtsim::platform {

/// @brief A full-duplex link and the two points of the physical topology it joins (for analysis only:
/// SimGrid knows links only through the routes that use them).
struct LinkSpec {
  std::string name;
  double bandwidth = 0; ///< B/s, each direction
  double latency = 0;   ///< s
  std::string from;
  std::string to;
};

struct DiskSpec {
  std::string name;
  double read_bandwidth = 0;  ///< B/s
  double write_bandwidth = 0; ///< B/s
};

struct HostSpec {
  std::string name;
  double speed = 1; ///< FLOP/s per core
  int cores = 1;
  std::vector<DiskSpec> disks;
};

/// @brief One link of a route; links are full duplex, and `up` is the direction from src to dst.
struct LinkUse {
  std::string link;
  bool up = true;
};

/// @brief A route between two members of a zone (dst empty: from src to the centre of a star zone).
struct RouteSpec {
  std::string src;
  std::string dst;
  std::string gw_src; ///< set when src is a child zone
  std::string gw_dst;
  std::vector<LinkUse> links;
};

/// full: explicit routes; star: each member's route to the centre; torus: SimGrid's torus zone,
/// which makes its own links (torus_link) and dimension-order routes.
enum class ZoneKind { full, star, torus };

struct ZoneSpec {
  std::string name;
  ZoneKind kind = ZoneKind::full;
  std::vector<HostSpec> hosts;
  std::vector<std::string> routers;
  std::vector<LinkSpec> links;
  std::vector<ZoneSpec> children;
  std::vector<RouteSpec> routes; ///< between hosts, routers and child zones of this zone
  /// Routes between two zones below this one that take precedence over the way through the zone
  /// tree (SimGrid's bypass routes), from gw_src in src to gw_dst in dst; each also holds reversed.
  std::vector<RouteSpec> bypass_routes;
  std::string gateway;               ///< the member through which the parent reaches this zone
  std::vector<int> torus_dimensions; ///< torus: hosts are in torus order, the last coordinate fastest
  LinkSpec torus_link;               ///< torus: every link's bandwidth and latency; `links` then only
                                     ///< lists them (endpoints included) for analysis
};

} // namespace dtsim::platform

namespace dtsim::platform {

/// @brief How much a platform asks SimGrid to hold: what its memory grows with.
struct PlatformSize {
  std::size_t zones = 0;
  std::size_t hosts = 0; ///< routers included
  std::size_t links = 0;
  std::size_t route_hops = 0; ///< links summed over every route, bypass routes included
};

/// The size of the zone tree under `root`, `root` included.
inline PlatformSize size_of(const ZoneSpec& root)
{
  PlatformSize size{1, root.hosts.size() + root.routers.size(), root.links.size(), 0};
  for (const auto* routes : {&root.routes, &root.bypass_routes})
    for (const RouteSpec& r : *routes)
      size.route_hops += r.links.size();
  for (const ZoneSpec& child : root.children) {
    const PlatformSize c = size_of(child);
    size.zones += c.zones;
    size.hosts += c.hosts;
    size.links += c.links;
    size.route_hops += c.route_hops;
  }
  return size;
}

} // namespace dtsim::platform
