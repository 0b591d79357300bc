// dtsim's network model choice (CM02, no cross-traffic, no TCP window bound), checked on two hosts.
#include "engine/simulation.hpp"

#include <catch2/catch.hpp>

namespace {

/// Two hosts through one switch: each has a full-duplex link of `bandwidth` and latency `latency / 2`.
dtsim::platform::ZoneSpec two_hosts(double bandwidth, double latency)
{
  dtsim::platform::ZoneSpec zone{"switch", dtsim::platform::ZoneKind::star};
  for (const std::string host : {"a", "b"}) {
    zone.hosts.push_back({host, 1e9, 1, {}});
    zone.links.push_back({host + "-link", bandwidth, latency / 2, host, "switch"});
    zone.routes.push_back({host, "", "", "", {{host + "-link", true}}});
  }
  return zone;
}

/// Simulated time until every flow between the named hosts of two_hosts() has arrived.
double time_of_flows(double bandwidth, const std::vector<std::pair<std::string, std::string>>& flows, double bytes)
{
  dtsim::engine::Simulation simulation(two_hosts(bandwidth, 0), {});
  double duration = 0;
  simulation.spawn("flows", simulation.host("a"), [&] {
    dtsim::engine::ActivityGroup group;
    for (const auto& [from, to] : flows)
      group.transfer(simulation.host(from), simulation.host(to), bytes);
    group.wait();
    duration = dtsim::engine::now();
  });
  simulation.run();
  return duration;
}

} // namespace

TEST_CASE("engine: a flow of S bytes takes exactly L + S/B (LV08 would scale L by 13.01 and B by 0.97)")
{
  // SimGrid's default TCP-gamma (4 MiB) would cap this flow at 4 MiB / (2 L) = 21 GB/s.
  const double bandwidth = 25e9, latency = 100e-6, bytes = 1e9;
  dtsim::engine::Simulation simulation(two_hosts(bandwidth, latency), {});
  const auto a = simulation.host("a"), b = simulation.host("b");
  double duration = 0;
  simulation.spawn("sender", a, [&] {
    dtsim::engine::ActivityGroup flow;
    flow.transfer(a, b, bytes);
    flow.wait();
    duration = dtsim::engine::now();
  });
  simulation.run();
  CHECK(duration == Approx(latency + bytes / bandwidth).epsilon(1e-9));
  CHECK(dtsim::engine::route_latency(a, b) == Approx(latency));
}

TEST_CASE("engine: opposite flows on full-duplex links do not slow each other (no cross-traffic)")
{
  CHECK(time_of_flows(10e9, {{"a", "b"}, {"b", "a"}}, 1e9) == Approx(1e9 / 10e9).epsilon(1e-9));
}

TEST_CASE("engine: two flows in the same direction share the link equally (max-min fairness)")
{
  CHECK(time_of_flows(10e9, {{"a", "b"}, {"a", "b"}}, 1e9) == Approx(2 * 1e9 / 10e9).epsilon(1e-9));
}

TEST_CASE("engine: a failing actor makes run() throw, naming the actor")
{
  dtsim::engine::Simulation simulation(two_hosts(1e9, 0), {});
  simulation.spawn("doomed", simulation.host("a"), [] { throw std::runtime_error("bad model state"); });
  CHECK_THROWS_WITH(simulation.run(), Catch::Contains("doomed: bad model state"));
}

TEST_CASE("engine: a transfer of a fraction of a byte still completes")
{
  dtsim::engine::Simulation simulation(two_hosts(1e9, 1e-6), {});
  const auto a = simulation.host("a"), b = simulation.host("b");
  double duration = -1;
  simulation.spawn("tiny", a, [&] {
    dtsim::engine::ActivityGroup flow;
    flow.transfer(a, b, 0.5);
    flow.wait();
    duration = dtsim::engine::now();
  });
  simulation.run();
  CHECK(duration == Approx(1e-6 + 1 / 1e9));
}

namespace {

/// `hosts` hosts on one switch, each with a full-duplex link of `bandwidth` and latency `latency / 2`.
dtsim::platform::ZoneSpec star_of_hosts(int hosts, double bandwidth, double latency)
{
  dtsim::platform::ZoneSpec zone{"switch", dtsim::platform::ZoneKind::star};
  for (int h = 0; h < hosts; ++h) {
    const std::string host = "h" + std::to_string(h);
    zone.hosts.push_back({host, 1e9, 1, {}});
    zone.links.push_back({host + "-link", bandwidth, latency / 2, host, "switch"});
    zone.routes.push_back({host, "", "", "", {{host + "-link", true}}});
  }
  return zone;
}

} // namespace

TEST_CASE("engine: sets of transfers run by host agents (thousands at once) take their closed-form time")
{
  constexpr int hosts = 128, flows_per_host = 32; // 4,096 transfers per set: the agents' path
  static_assert(hosts * flows_per_host >= dtsim::engine::TransferStages::agents_from);
  const double bandwidth = 10e9, latency = 2e-6, bytes = 1e6;
  dtsim::engine::Simulation simulation(star_of_hosts(hosts, bandwidth, latency), {});
  const auto host = [&](int h) { return simulation.host("h" + std::to_string(h % hosts)); };
  std::vector<double> durations;
  dtsim::engine::TransferStages stages;
  simulation.spawn("coordinator", host(0), [&] {
    const auto timed = [&](const std::vector<dtsim::engine::Transfer>& transfers) {
      const double start = dtsim::engine::now();
      stages.run(transfers);
      durations.push_back(dtsim::engine::now() - start);
    };
    std::vector<dtsim::engine::Transfer> ring, incast, few;
    for (int h = 0; h < hosts; ++h)
      for (int k = 0; k < flows_per_host; ++k) {
        ring.push_back({host(h), host(h + 1), bytes});
        incast.push_back({host(h), host(0), bytes}); // h0's own 32 stay on the host
      }
    few.push_back({host(1), host(2), bytes});
    timed(ring);   // every link carries 32 flows each way
    timed(incast); // h0's link carries the 127 x 32 flows of the others
    timed(ring);   // the agents start clean after a set
    timed(few);    // a small set: plain comms
  });
  simulation.run();
  REQUIRE(durations.size() == 4);
  CHECK(durations[0] == Approx(latency + flows_per_host * bytes / bandwidth).epsilon(1e-9));
  CHECK(durations[1] == Approx(latency + (hosts - 1) * flows_per_host * bytes / bandwidth).epsilon(1e-9));
  CHECK(durations[2] == Approx(durations[0]).epsilon(1e-12));
  CHECK(durations[3] == Approx(latency + bytes / bandwidth).epsilon(1e-9));
}

TEST_CASE("engine: a looping actor runs every iteration in order across its hand-overs to fresh actors")
{
  dtsim::engine::Simulation simulation(two_hosts(1e9, 0), {});
  const int iterations = 5 * dtsim::engine::Simulation::iterations_per_actor + 3;
  std::vector<double> started;
  simulation.spawn_loop("loop", simulation.host("a"), [&] {
    if (static_cast<int>(started.size()) == iterations)
      return false;
    started.push_back(dtsim::engine::now());
    dtsim::engine::sleep_for(1);
    return true;
  });
  CHECK(simulation.run() == Approx(iterations));
  REQUIRE(started.size() == static_cast<std::size_t>(iterations));
  for (int k = 0; k < iterations; ++k)
    CHECK(started[static_cast<std::size_t>(k)] == Approx(k));
}

TEST_CASE("engine: transfers into inboxes share links as host-to-host flows do, and each inbox is reused")
{
  const double bandwidth = 10e9, latency = 4e-6, bytes = 1e8;
  constexpr int rounds = 3;
  dtsim::engine::Simulation simulation(star_of_hosts(3, bandwidth, latency), {});
  const auto server = simulation.host("h2");
  std::vector<double> finished;
  for (const std::string name : {"h0", "h1"}) {
    const auto home = simulation.host(name);
    const dtsim::engine::Inbox inbox = simulation.inbox(home);
    simulation.spawn("reader-" + name, home, [&, inbox] {
      for (int k = 0; k < rounds; ++k) {
        dtsim::engine::ActivityGroup read;
        read.transfer(server, inbox, bytes);
        read.wait();
      }
      finished.push_back(dtsim::engine::now());
    });
  }
  simulation.run();
  REQUIRE(finished.size() == 2);
  // Both readers' flows leave through h2's link at once: each round takes L + 2 S / B.
  for (double end : finished)
    CHECK(end == Approx(rounds * (latency + 2 * bytes / bandwidth)).epsilon(1e-9));
}

TEST_CASE("engine: a transfer into an inbox after a computation in the same group is refused")
{
  dtsim::engine::Simulation simulation(star_of_hosts(2, 1e9, 0), {});
  const auto a = simulation.host("h0"), b = simulation.host("h1");
  const dtsim::engine::Inbox inbox = simulation.inbox(a);
  simulation.spawn("misordered", a, [&] {
    dtsim::engine::ActivityGroup group;
    group.compute(b, 1e6);
    group.transfer(b, inbox, 1e6);
  });
  CHECK_THROWS_WITH(simulation.run(), Catch::Contains("after a computation"));
}

TEST_CASE("engine: two links of one name in different zones are refused, though SimGrid sees one zone at a time")
{
  dtsim::platform::ZoneSpec root{"root", dtsim::platform::ZoneKind::star};
  root.children = {star_of_hosts(1, 1e9, 0), star_of_hosts(1, 1e9, 0)};
  root.children[0].name = "left";
  root.children[1].name = "right";
  root.children[1].hosts[0].name = "other-host";
  CHECK_THROWS_WITH(dtsim::engine::Simulation(root, {}), Catch::Contains("two hosts or two links named h0-link"));
}

TEST_CASE("engine: a semaphore lets through as many as it holds, then wakes its waiters in order at each release")
{
  dtsim::engine::Simulation simulation(two_hosts(1e9, 0), {});
  dtsim::engine::Semaphore slots(1);
  std::vector<std::pair<std::string, double>> entered;
  for (const std::string name : {"first", "second", "third"})
    simulation.spawn(name, simulation.host("a"), [&, name] {
      slots.acquire();
      entered.emplace_back(name, dtsim::engine::now());
      dtsim::engine::sleep_for(1);
      slots.release();
    });
  simulation.spawn("late", simulation.host("b"), [&] {
    dtsim::engine::sleep_for(10); // every unit is back by now: no wait
    slots.acquire();
    entered.emplace_back("late", dtsim::engine::now());
  });
  simulation.run();
  using Entry = std::pair<std::string, double>;
  CHECK(entered == std::vector<Entry>{{"first", 0}, {"second", 1}, {"third", 2}, {"late", 10}});
}
