#include "engine/simulation.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <simgrid/kernel/routing/NetZoneImpl.hpp>
#include <simgrid/s4u.hpp>
#include <stdexcept>
#include <unordered_map>
#include <xbt/log.h>

namespace dtsim::engine {

namespace s4u = simgrid::s4u;

namespace {

/// Turns a ZoneSpec tree into SimGrid zones; links are looked up by name across the whole tree.
class PlatformBuilder {
public:
  /// The hosts built, by name (SimGrid 3.32 looks a name up zone by zone).
  std::unordered_map<std::string, s4u::Host*> hosts;

  /// Builds the zone `spec` in `parent` (nullptr for the root) and returns it. SimGrid 3.32 checks each new
  /// host and link name against every zone in the tree, so the zones join their parents only once every
  /// zone is filled: the tree stays one zone while the names are checked, not thousands.
  s4u::NetZone* build(const platform::ZoneSpec& spec, s4u::NetZone* parent)
  {
    if (spec.kind == platform::ZoneKind::torus)
      return build_torus(spec, parent);
    s4u::NetZone* zone =
        spec.kind == platform::ZoneKind::star ? s4u::create_star_zone(spec.name) : s4u::create_full_zone(spec.name);
    if (parent)
      inherit_models(*zone, *parent);
    std::vector<s4u::NetZone*> children;
    try {
      fill(*zone, spec, children);
    } catch (...) {
      // SimGrid frees the zones in the tree only: a platform that fails to build joins it all the same.
      adopt(*zone, children);
      if (parent)
        zone->set_parent(parent);
      throw;
    }
    return zone;
  }

private:
  /// Builds what `spec` holds into `zone`; `children` are its child zones built so far.
  void fill(s4u::NetZone& zone, const platform::ZoneSpec& spec, std::vector<s4u::NetZone*>& children)
  {
    for (const auto& host : spec.hosts)
      create_host(zone, host);
    for (const auto& router : spec.routers)
      points_[router] = zone.create_router(router);
    for (const auto& link : spec.links) {
      check_new(links_, link.name);
      s4u::SplitDuplexLink* created = zone.create_split_duplex_link(link.name, link.bandwidth);
      created->set_latency(link.latency)->seal();
      links_[link.name] = created;
    }
    zone_points_[spec.name] = zone.get_netpoint();
    for (const auto& child : spec.children)
      children.push_back(build(child, &zone));
    adopt(zone, children);
    for (const auto& route : spec.routes)
      add_route(zone, route);
    for (const auto& route : spec.bypass_routes)
      add_bypass_route(zone, route);
  }

  static void adopt(s4u::NetZone& zone, const std::vector<s4u::NetZone*>& children)
  {
    for (s4u::NetZone* child : children)
      if (child->get_parent() != &zone) // a torus joins its parent as SimGrid creates it
        child->set_parent(&zone);
  }

  /// SimGrid's torus zone creates the links and routes itself (dimension-order routing).
  s4u::NetZone* build_torus(const platform::ZoneSpec& spec, const s4u::NetZone* parent)
  {
    const std::vector<unsigned long> dimensions(spec.torus_dimensions.begin(), spec.torus_dimensions.end());
    const s4u::ClusterCallbacks callbacks(
        [this, &spec](s4u::NetZone* zone, const std::vector<unsigned long>&, unsigned long id) {
          create_host(*zone, spec.hosts.at(id));
          return std::make_pair(points_.at(spec.hosts.at(id).name),
                                static_cast<simgrid::kernel::routing::NetPoint*>(nullptr));
        });
    s4u::NetZone* zone = s4u::create_torus_zone(spec.name, parent, dimensions, callbacks, spec.torus_link.bandwidth,
                                                spec.torus_link.latency, s4u::Link::SharingPolicy::SPLITDUPLEX);
    zone_points_[spec.name] = zone->get_netpoint();
    return zone;
  }

  /// What set_parent gives `zone`: the models that make its hosts, disks and links.
  static void inherit_models(const s4u::NetZone& zone, const s4u::NetZone& parent)
  {
    simgrid::kernel::routing::NetZoneImpl& child = *zone.get_impl();
    const simgrid::kernel::routing::NetZoneImpl& from = *parent.get_impl();
    child.set_network_model(from.get_network_model());
    child.set_cpu_pm_model(from.get_cpu_pm_model());
    child.set_cpu_vm_model(from.get_cpu_vm_model());
    child.set_disk_model(from.get_disk_model());
    child.set_host_model(from.get_host_model());
  }

  /// SimGrid cannot see the names in a zone not yet in the tree: they are checked here.
  template <typename Map> static void check_new(const Map& built, const std::string& name)
  {
    if (built.contains(name))
      throw std::logic_error("dtsim bug: two hosts or two links named " + name);
  }

  void create_host(s4u::NetZone& zone, const platform::HostSpec& spec)
  {
    check_new(hosts, spec.name);
    s4u::Host* host = zone.create_host(spec.name, spec.speed)->set_core_count(spec.cores);
    for (const auto& disk : spec.disks)
      host->create_disk(disk.name, disk.read_bandwidth, disk.write_bandwidth)->seal();
    host->seal();
    points_[spec.name] = host->get_netpoint();
    hosts[spec.name] = host;
  }

  simgrid::kernel::routing::NetPoint* point(const std::string& name) const
  {
    if (name.empty())
      return nullptr;
    if (const auto it = points_.find(name); it != points_.end())
      return it->second;
    if (const auto it = zone_points_.find(name); it != zone_points_.end())
      return it->second;
    throw std::logic_error("dtsim bug: route names unknown member " + name);
  }

  std::vector<s4u::LinkInRoute> links_of(const std::vector<platform::LinkUse>& uses) const
  {
    std::vector<s4u::LinkInRoute> links;
    for (const auto& use : uses)
      links.emplace_back(links_.at(use.link),
                         use.up ? s4u::LinkInRoute::Direction::UP : s4u::LinkInRoute::Direction::DOWN);
    return links;
  }

  void add_route(s4u::NetZone& zone, const platform::RouteSpec& route)
  {
    zone.add_route(point(route.src), point(route.dst), point(route.gw_src), point(route.gw_dst), links_of(route.links),
                   true);
  }

  /// SimGrid's bypass routes are one-way: the reverse is added with the links reversed.
  void add_bypass_route(s4u::NetZone& zone, const platform::RouteSpec& route)
  {
    zone.add_bypass_route(point(route.src), point(route.dst), point(route.gw_src), point(route.gw_dst),
                          links_of(route.links));
    std::vector<platform::LinkUse> back(route.links.rbegin(), route.links.rend());
    for (auto& use : back)
      use.up = !use.up;
    zone.add_bypass_route(point(route.dst), point(route.src), point(route.gw_dst), point(route.gw_src), links_of(back));
  }

  std::unordered_map<std::string, simgrid::kernel::routing::NetPoint*> points_;
  std::unordered_map<std::string, simgrid::kernel::routing::NetPoint*> zone_points_;
  std::unordered_map<std::string, s4u::SplitDuplexLink*> links_;
};

/// SimGrid moves whole bytes; a positive fraction of a byte (a tiny collective split over many
/// channels) still moves one, since a zero-byte activity fails in SimGrid 3.32.
constexpr double free_loopback_bandwidth = 1e15; ///< B/s: 1 PB/s, above any simulated traffic
constexpr const char* loopback_link = "__loopback__";

uint64_t whole_bytes(double bytes)
{
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(bytes)));
}

} // namespace

Simulation::Simulation(const platform::ZoneSpec& root, const Options& options)
{
  int argc = 1;
  char name[] = "dtsim";
  char* argv[] = {name, nullptr};
  xbt_log_control_set("root.thresh:critical");
  engine_ = std::make_unique<s4u::Engine>(&argc, argv);
  engine_->set_config("network/model:CM02");
  engine_->set_config("network/crosstraffic:0");
  engine_->set_config("network/TCP-gamma:0");
  // A bypass route that leaves a full zone from one of its hosts passes the host's loopback link
  // (platform: the separate storage network): make that link free, not SimGrid's 10 GB/s.
  engine_->set_config("network/loopback-bw:" + std::to_string(free_loopback_bandwidth));
  engine_->set_config("network/loopback-lat:0");
  engine_->set_config("contexts/stack-size:" + std::to_string(options.actor_stack_kib));
  PlatformBuilder builder;
  builder.build(root, nullptr);
  hosts_ = std::move(builder.hosts);
  engine_->seal_platform();
}

Simulation::~Simulation() = default;

Host Simulation::host(const std::string& name) const
{
  const auto host = hosts_.find(name);
  if (host == hosts_.end())
    throw std::logic_error("dtsim bug: no host named " + name);
  return {host->second};
}

Disk Simulation::disk(Host host, const std::string& name) const
{
  for (s4u::Disk* disk : host.impl->get_disks())
    if (disk->get_name() == name)
      return {disk};
  throw std::logic_error("dtsim bug: no disk " + name + " on " + host.impl->get_name());
}

void Simulation::spawn(const std::string& name, Host where, std::function<void()> body)
{
  s4u::Actor::create(name, where.impl, [this, name, body = std::move(body)] {
    try {
      body();
    } catch (const std::exception& e) {
      if (failure_.empty())
        failure_ = name + ": " + e.what();
    }
  });
}

void Simulation::spawn_loop(const std::string& name, Host where, std::function<bool()> iteration)
{
  spawn(name, where, [this, name, where, iteration = std::move(iteration)] {
    for (int k = 0; k < iterations_per_actor; ++k)
      if (!iteration())
        return;
    spawn_loop(name, where, iteration);
  });
}

Inbox Simulation::inbox(Host host)
{
  s4u::ActorPtr& keeper = inbox_keepers_[host.impl];
  if (!keeper) {
    keeper = s4u::Actor::create("inbox-keeper", host.impl, [] { s4u::Semaphore::create(0)->acquire(); });
    keeper->daemonize(); // ends with the simulation
  }
  s4u::Mailbox* mailbox = s4u::Mailbox::by_name("inbox-" + std::to_string(inboxes_++));
  mailbox->set_receiver(keeper); // a put into it starts at once, towards the keeper's host
  return {host, mailbox};
}

void Simulation::make_room_for_actors(std::size_t actors)
{
  std::ifstream limit_file("/proc/sys/vm/max_map_count");
  long long limit = 0;
  if (!(limit_file >> limit))
    return; // not Linux, or no /proc: nothing to count against
  std::ifstream maps("/proc/self/maps");
  long long used = 0;
  for (std::string line; std::getline(maps, line);)
    ++used;
  if (used + 2 * static_cast<long long>(actors) > limit)
    engine_->set_config("contexts/guard-size:0");
}

double Simulation::run()
{
  engine_->run();
  if (!failure_.empty())
    throw std::runtime_error("an actor failed: " + failure_);
  return s4u::Engine::get_clock();
}

double now()
{
  return s4u::Engine::get_clock();
}

void sleep_for(double seconds)
{
  if (seconds > 0)
    s4u::this_actor::sleep_for(seconds);
}

void sleep_until(double time)
{
  if (time > now())
    s4u::this_actor::sleep_until(time);
}

void compute(Host host, double flops)
{
  if (flops > 0)
    s4u::this_actor::exec_init(flops)->set_host(host.impl)->wait();
}

double route_latency(Host from, Host to)
{
  if (from.impl == to.impl)
    return 0;
  std::vector<s4u::Link*> links;
  double latency = 0;
  from.impl->route_to(to.impl, links, &latency);
  return latency;
}

std::vector<RouteLink> route_links(Host from, Host to)
{
  std::vector<s4u::Link*> links;
  double latency = 0;
  if (from.impl != to.impl)
    from.impl->route_to(to.impl, links, &latency);
  std::vector<RouteLink> route;
  for (const s4u::Link* link : links)
    if (link->get_name() != loopback_link) // free, and not part of the physical topology
      route.push_back({link, link->get_name(), link->get_bandwidth(),
                       link->get_sharing_policy() == s4u::Link::SharingPolicy::FATPIPE});
  return route;
}

ActivityGroup::ActivityGroup() = default;
ActivityGroup::~ActivityGroup() = default;

void ActivityGroup::compute(Host host, double flops)
{
  computing_ = computing_ || flops > 0;
  if (flops > 0)
    pending_.push_back(s4u::this_actor::exec_init(flops)->set_host(host.impl)->start());
}

void ActivityGroup::transfer(Host from, Host to, double bytes)
{
  if (bytes > 0 && from.impl != to.impl)
    pending_.push_back(s4u::Comm::sendto_async(from.impl, to.impl, whole_bytes(bytes)));
}

void ActivityGroup::transfer(Host from, Inbox inbox, double bytes)
{
  if (bytes <= 0 || from.impl == inbox.host.impl)
    return;
  if (computing_)
    throw std::logic_error("dtsim bug: a transfer into an inbox after a computation of the same actor");
  static int payload = 0; // a put must carry something; the size is simulated
  s4u::Host* home = s4u::this_actor::get_host();
  s4u::this_actor::set_host(from.impl);
  pending_.push_back(inbox.mailbox->put_async(&payload, whole_bytes(bytes)));
  s4u::this_actor::set_host(home);
  arrivals_.push_back(inbox.mailbox);
}

void ActivityGroup::read(Disk disk, double bytes)
{
  if (bytes > 0)
    pending_.push_back(disk.impl->read_async(whole_bytes(bytes)));
}

void ActivityGroup::write(Disk disk, double bytes)
{
  if (bytes > 0)
    pending_.push_back(disk.impl->write_async(whole_bytes(bytes)));
}

void ActivityGroup::wait()
{
  for (auto& activity : pending_)
    activity->wait();
  pending_.clear();
  for (s4u::Mailbox* inbox : arrivals_)
    inbox->get<int>(); // takes the arrived transfer out of the inbox; no time passes
  arrivals_.clear();
  computing_ = false;
}

/// @brief The actor on one host that sends and receives that host's part of each set of transfers.
struct TransferStages::Agent {
  s4u::Mailbox* inbox = nullptr;
  s4u::SemaphorePtr go = s4u::Semaphore::create(0);
  std::vector<std::pair<s4u::Mailbox*, uint64_t>> outgoing; ///< the receiver's inbox, bytes
  std::size_t incoming = 0;
};

TransferStages::TransferStages()
    : all_done_(s4u::Semaphore::create(0))
{
}
TransferStages::~TransferStages() = default;

TransferStages::Agent& TransferStages::agent(Host host)
{
  if (const auto known = agent_of_host_.find(host.impl); known != agent_of_host_.end())
    return *known->second;
  static long long mailboxes = 0; // names unique in this process, whatever the number of TransferStages
  Agent& agent = *agents_.emplace_back(std::make_unique<Agent>());
  agent.inbox = s4u::Mailbox::by_name("transfers-" + std::to_string(mailboxes++));
  agent_of_host_.emplace(host.impl, &agent);
  s4u::ActorPtr actor = s4u::Actor::create("transfer-agent", host.impl, [this, &agent] {
    static int payload = 0; // a put must carry something; the size is simulated
    while (true) {
      agent.go->acquire();
      std::vector<s4u::CommPtr> comms;
      for (const auto& [inbox, bytes] : agent.outgoing)
        comms.push_back(inbox->put_async(&payload, bytes));
      std::vector<int*> received(agent.incoming);
      for (int*& data : received)
        comms.push_back(agent.inbox->get_async(&data));
      s4u::Comm::wait_all(comms);
      if (--unfinished_ == 0)
        all_done_->release();
    }
  });
  actor->daemonize(); // ends with the simulation
  return agent;
}

/// @brief An actor that starts a share of a set of transfers and waits for them.
struct TransferStages::Issuer {
  s4u::SemaphorePtr go = s4u::Semaphore::create(0);
  std::vector<Transfer> share;
};

void TransferStages::run_through_issuers(const std::vector<Transfer>& transfers)
{
  const std::size_t count = (transfers.size() + flows_per_issuer - 1) / flows_per_issuer;
  while (issuers_.size() < count) {
    Issuer& issuer = *issuers_.emplace_back(std::make_unique<Issuer>());
    s4u::Actor::create("transfer-issuer", s4u::this_actor::get_host(), [this, &issuer] {
      while (true) {
        issuer.go->acquire();
        ActivityGroup flows;
        for (const auto& t : issuer.share)
          flows.transfer(t.from, t.to, t.bytes);
        flows.wait();
        if (--unfinished_ == 0)
          all_done_->release();
      }
    })->daemonize();
  }
  // Contiguous shares, started in issuer order: the flows begin in the order of `transfers`.
  for (std::size_t k = 0; k < count; ++k)
    issuers_[k]->share.assign(transfers.begin() + static_cast<std::ptrdiff_t>(k * flows_per_issuer),
                              transfers.begin() +
                                  static_cast<std::ptrdiff_t>(std::min(transfers.size(), (k + 1) * flows_per_issuer)));
  unfinished_ = static_cast<int>(count);
  for (std::size_t k = 0; k < count; ++k)
    issuers_[k]->go->release();
  all_done_->acquire();
}

void TransferStages::run(const std::vector<Transfer>& transfers)
{
  if (transfers.size() < agents_from) {
    if (transfers.size() > flows_per_issuer) {
      run_through_issuers(transfers);
      return;
    }
    ActivityGroup flows;
    for (const auto& t : transfers)
      flows.transfer(t.from, t.to, t.bytes);
    flows.wait();
    return;
  }
  for (const auto& t : transfers) {
    if (t.bytes <= 0 || t.from.impl == t.to.impl)
      continue;
    Agent& sender = agent(t.from);
    Agent& receiver = agent(t.to);
    for (Agent* a : {&sender, &receiver})
      if (a->outgoing.empty() && a->incoming == 0)
        busy_.push_back(a);
    sender.outgoing.emplace_back(receiver.inbox, whole_bytes(t.bytes));
    ++receiver.incoming;
  }
  if (busy_.empty())
    return;
  unfinished_ = static_cast<int>(busy_.size());
  for (Agent* a : busy_)
    a->go->release();
  all_done_->acquire();
  for (Agent* a : busy_) {
    a->outgoing.clear();
    a->incoming = 0;
  }
  busy_.clear();
}

Semaphore::Semaphore(int initial)
    : available_(initial)
    , impl_(s4u::Semaphore::create(0))
{
}
Semaphore::~Semaphore() = default;
void Semaphore::acquire()
{
  if (available_ > 0) {
    --available_;
    return;
  }
  ++waiting_;
  impl_->acquire();
}
void Semaphore::release()
{
  if (waiting_ == 0) {
    ++available_;
    return;
  }
  --waiting_;
  impl_->release(); // hands the unit to the first waiter
}

} // namespace dtsim::engine
