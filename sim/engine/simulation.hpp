#pragma once
/// @brief The one door to SimGrid: builds a platform from plain zone specs and runs actors on it.
///
/// Model code uses the handles and operations declared here and never includes SimGrid headers,
/// so that a SimGrid upgrade touches this folder only. Network model: CM02 (max-min sharing,
/// latency taken as given, no TCP-window bound) with cross-traffic off, so a flow of S bytes over
/// a route of latency L and bottleneck B takes L + S/B, as the closed forms in the tests assume.
/// SimGrid's default LV08 would scale latency by ~13 and bandwidth by 0.97 and add 5% reverse
/// traffic, factors fitted to TCP over wide-area links rather than to data-centre fabrics.
#include "platform/zone_spec.hpp"

#include <functional>
#include <memory>
#include <simgrid/forward.h>
#include <string>
#include <unordered_map>
#include <vector>

namespace dtsim::engine {

/// @brief A host (accelerator, CPU, storage server) of the running platform.
struct Host {
  simgrid::s4u::Host* impl = nullptr;
};

/// @brief A disk attached to a host.
struct Disk {
  simgrid::s4u::Disk* impl = nullptr;
};

/// @brief Where transfers to a host land as they start, with no actor there to receive them
/// (ActivityGroup::transfer). Each actor that takes transfers this way has its own.
struct Inbox {
  /// Below this many possible transfers in flight at once, plain host-to-host ones cost less: one into an
  /// inbox takes four switches to SimGrid's kernel instead of one. Measured at 4,096 loaders: a storage-bound
  /// point of 256 A100s with 16 loaders each runs in 6.0 s with inboxes and 13.6 s without; 4,096 A100s
  /// with one loader each, reading over a separate network, 30 steps in 35-41 s with and 30-35 s without.
  static constexpr std::size_t worth_from = 4096;
  Host host;
  simgrid::s4u::Mailbox* mailbox = nullptr;
};

struct Options {
  int actor_stack_kib = 64;
};

/// @brief The simulation of one platform; only one may exist per process (SimGrid's engine is a singleton).
class Simulation {
public:
  Simulation(const platform::ZoneSpec& root, const Options& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Host host(const std::string& name) const;
  Disk disk(Host host, const std::string& name) const;
  void spawn(const std::string& name, Host where, std::function<void()> body);
  /// Spawns an actor that runs `iteration` until it returns false, handing over to a fresh actor every
  /// `iterations_per_actor` iterations: SimGrid 3.32 keeps every disk I/O an actor has started, and its
  /// memory, in that actor's list of activities until the actor ends, and scans the list each time one of
  /// the actor's comms ends, so an actor that reads thousands of times slows down and grows.
  void spawn_loop(const std::string& name, Host where, std::function<bool()> iteration);
  static constexpr int iterations_per_actor = 32;
  /// A new inbox on `host`. The first on a host adds one actor there: the receiver its transfers name.
  Inbox inbox(Host host);
  /// Makes room for `actors` more actors. Each actor's stack with its guard page takes two of the memory
  /// mappings the kernel allows this process (vm.max_map_count), and past the limit SimGrid aborts; when
  /// they would not fit, stacks go without guard pages, from the heap, and take none. (A guard page turns a
  /// stack overflow into a crash instead of corrupted memory: it stays wherever there is room for it.)
  void make_room_for_actors(std::size_t actors);
  /// Runs until every actor is done; returns the simulated time at the end. Throws
  /// std::runtime_error naming the first actor that failed, if one did.
  double run();

private:
  std::unique_ptr<simgrid::s4u::Engine> engine_;
  std::unordered_map<std::string, simgrid::s4u::Host*> hosts_; ///< by name
  std::unordered_map<const simgrid::s4u::Host*, simgrid::s4u::ActorPtr> inbox_keepers_;
  long long inboxes_ = 0;
  std::string failure_;
};

// Operations for actor bodies.

double now();
void sleep_for(double seconds);
void sleep_until(double time);
/// Runs `flops` on `host` and returns when done.
void compute(Host host, double flops);
/// Latency of the route between two hosts (0 for a host to itself).
double route_latency(Host from, Host to);
/// @brief A link of a route.
struct RouteLink {
  const void* id = nullptr; ///< the same for every route through this link
  std::string name;         ///< a full-duplex link appears as its direction, `<name>_UP` or `<name>_DOWN`
  double bandwidth = 0;     ///< B/s
  bool fat_pipe = false;    ///< every flow gets the whole bandwidth
};
/// Links of the route between two hosts, in order (none for a host to itself).
std::vector<RouteLink> route_links(Host from, Host to);

/// @brief Activities started together and awaited together.
class ActivityGroup {
public:
  ActivityGroup();
  ~ActivityGroup();
  void compute(Host host, double flops);
  void transfer(Host from, Host to, double bytes);
  /// A transfer into the calling actor's `inbox`, with the same flow on the same route as transfer(from,
  /// inbox.host): SimGrid 3.32 keeps every host-to-host comm in one list and scans it whole each time one
  /// ends, which costs O(N^2) of wall time with N storage reads in flight. The caller stands on `from` while
  /// it starts the transfer, and SimGrid moves an actor's running computations with it: call this before
  /// compute().
  void transfer(Host from, Inbox inbox, double bytes);
  void read(Disk disk, double bytes);
  void write(Disk disk, double bytes);
  /// Waits for every activity started since the last wait.
  void wait();

private:
  std::vector<simgrid::s4u::ActivityPtr> pending_;
  std::vector<simgrid::s4u::Mailbox*> arrivals_; ///< an inbox per transfer into one, to empty after wait()
  bool computing_ = false;
};

/// @brief A transfer of `bytes` from one host to another.
struct Transfer {
  Host from, to;
  double bytes = 0;
};

/// @brief Runs sets of concurrent transfers, one set at a time, through an agent actor on each host
/// involved: its puts and gets make the same flows on the same routes as Comm::sendto would.
///
/// SimGrid 3.32 keeps every host-to-host comm (Comm::sendto) in one list and scans it whole each time
/// one ends, so a set of N transfers costs O(N^2) of wall time: 19 s for one all-reduce over a 4,096-chip
/// torus. An agent waits only on its own few comms. Below `agents_from` transfers, waking the agents costs
/// as much as the list (measured on 512 A100s): such a set runs as plain host-to-host comms.
/// Create it before the simulation runs and keep it until the run is over: its agents wait on it until then.
class TransferStages {
public:
  static constexpr std::size_t agents_from = 4096;
  TransferStages();
  ~TransferStages();
  TransferStages(const TransferStages&) = delete;
  TransferStages& operator=(const TransferStages&) = delete;
  /// Starts every transfer at once and returns when the last has arrived. Call from an actor, and from
  /// one actor at a time.
  void run(const std::vector<Transfer>& transfers);

  /// Below agents_from, a set of more than this many transfers is started by several issuing actors, each
  /// with its share: SimGrid 3.32 drops each finished comm from lists it scans whole, and one actor waiting
  /// on them all measured slower (docs/architecture.md, Simulator speed).
  static constexpr std::size_t flows_per_issuer = 32;

private:
  struct Agent;
  struct Issuer;
  Agent& agent(Host host);
  void run_through_issuers(const std::vector<Transfer>& transfers);

  std::vector<std::unique_ptr<Agent>> agents_;
  std::unordered_map<const simgrid::s4u::Host*, Agent*> agent_of_host_;
  std::vector<std::unique_ptr<Issuer>> issuers_;
  std::vector<Agent*> busy_; ///< the agents of the running set
  int unfinished_ = 0;       ///< of busy_
  simgrid::s4u::SemaphorePtr all_done_;
};

/// @brief A counting semaphore between actors. SimGrid runs one actor at a time, so the count is kept
/// here and SimGrid's semaphore only puts actors to sleep and wakes them: an acquire that need not wait
/// and a release that wakes no one cost no simcall (a switch to SimGrid's kernel and back).
class Semaphore {
public:
  explicit Semaphore(int initial);
  ~Semaphore();
  void acquire();
  void release();

private:
  int available_ = 0;
  int waiting_ = 0;
  simgrid::s4u::SemaphorePtr impl_;
};

} // namespace dtsim::engine
