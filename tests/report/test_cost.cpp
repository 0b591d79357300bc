// Cost and energy against hand-computed cases: the cluster's purchase price part by part, switch ports per
// fabric, amortisation, rented device-hours and remote storage, and energy as utilisation x power x time.
#include "app/simulate.hpp"
#include "config/cluster_resources.hpp"
#include "config/inventory.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"

#include <catch2/catch.hpp>

namespace {

using dtsim::config::Scenario;

Scenario load(const std::string& file, std::vector<std::string> overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
}

/// Round prices for every part of a node and the network, so the totals below can be worked out by hand.
std::vector<std::string> round_prices(std::vector<std::string> more)
{
  std::vector<std::string> prices{
      "cost.model=purchase",      "cost.accelerator_usd=10000", "cost.server_usd=5000",
      "cost.cpu_core_usd=100",    "cost.nic_usd=1000",          "cost.switch_port_usd=500",
      "cost.memory_usd_per_gb=4", "cost.service_life_years=4",  "cost.energy_usd_per_kwh=0.1"};
  prices.insert(prices.end(), more.begin(), more.end());
  return prices;
}

/// Round prices for a cluster whose dataset is on local NVMe drives.
std::vector<std::string> round_local_prices(std::vector<std::string> more = {})
{
  more.push_back("cost.drive_usd=2000");
  return round_prices(more);
}

/// Round prices for a cluster whose dataset is on NVMe-oF targets.
std::vector<std::string> round_remote_prices()
{
  return round_prices({"cost.target_nic_usd=1500", "cost.target_drive_usd=3000", "cost.storage_server_usd=8000"});
}

double energy_of(const dtsim::report::Summary& summary, const std::string& part)
{
  for (const auto& p : summary.energy_parts)
    if (p.part == part)
      return p.kwh * 3.6e6;
  FAIL("no energy part " << part);
  return 0;
}

double cost_of(const dtsim::report::Summary& summary, const std::string& part)
{
  for (const auto& p : summary.cost_parts)
    if (p.part == part)
      return p.usd;
  FAIL("no cost part " << part);
  return 0;
}

} // namespace

TEST_CASE("cost: the purchase price of a one-node cluster adds its parts at their prices")
{
  // quickstart: 1 node, 2 A100, 64 cores, 1 NIC, 1 local drive, on a single switch (1 port).
  const Scenario s = load("scenarios/quickstart.yaml", round_local_prices());
  CHECK(dtsim::config::cluster_resources(s).switch_ports.total() == 1);
  CHECK(*dtsim::config::purchase_price(s) == Approx(2 * 10000 + 5000 + 64 * 100 + 1000 + 2000 + 500));
  // 40 GB of page cache is 40 x 4 USD more.
  const Scenario cached = load("scenarios/quickstart.yaml", round_local_prices({"storage.page_cache=40 GB"}));
  CHECK(*dtsim::config::purchase_price(cached) - *dtsim::config::purchase_price(s) == Approx(160));
}

TEST_CASE("cost: NVMe-oF targets add their servers, drives and NICs, and their NICs' switch ports")
{
  // 4 nodes x (8 A100, 128 cores, 8 NICs), 1 target with 1 drive and 2 NICs, single switch: 34 ports.
  const Scenario s = load("scenarios/cluster-4node-a100-storage-bound.yaml", round_remote_prices());
  CHECK(dtsim::config::cluster_resources(s).switch_ports.total() == 4 * 8 + 2);
  const double nodes = 4 * (8 * 10000 + 5000 + 128 * 100 + 8 * 1000);
  const double target = 8000 + 3000 + 2 * 1500;
  CHECK(*dtsim::config::purchase_price(s) == Approx(nodes + target + 34 * 500));
}

TEST_CASE("cost: switch ports grow with the fabric's tiers and fall with oversubscription")
{
  const auto ports = [](std::vector<std::string> overrides) {
    return dtsim::config::cluster_resources(load("scenarios/cluster-4node-a100.yaml", overrides)).switch_ports.total();
  };
  const Scenario s = load("scenarios/cluster-4node-a100.yaml", {});
  const double node_ports = 4.0 * s.cluster.nics_per_node;
  const double target_ports = s.storage.remote ? s.storage.remote->targets * s.storage.remote->nics_per_target : 0;
  // Each leaf uplink takes a leaf port and a spine port: down ports x 2 / oversubscription more.
  CHECK(ports({"network.topology=leaf-spine", "network.nodes_per_leaf=2", "network.oversubscription=1"}) ==
        Approx(node_ports * 3 + target_ports));
  CHECK(ports({"network.topology=leaf-spine", "network.nodes_per_leaf=2", "network.oversubscription=2"}) ==
        Approx(node_ports * 2 + target_ports));
}

TEST_CASE("cost: bought, a run costs its share of the purchase over the service life plus its energy")
{
  const Scenario s = load("scenarios/quickstart.yaml", round_local_prices());
  const auto summary = dtsim::report::summarize(s, dtsim::app::simulate(s, {}), std::nullopt);
  const double purchase = 2 * 10000 + 5000 + 64 * 100 + 1000 + 2000 + 500;
  const double amortisation = purchase * summary.time_to_train / (4 * 365.25 * 24 * 3600);
  CHECK(*summary.purchase_usd == Approx(purchase));
  CHECK(cost_of(summary, "amortisation") == Approx(amortisation));
  CHECK(cost_of(summary, "energy") == Approx(summary.energy_kwh * 0.1));
  CHECK(*summary.cost_usd == Approx(amortisation + summary.energy_kwh * 0.1));
}

TEST_CASE("cost: rented, a run costs its device-hours plus the remote dataset's GB-months")
{
  const Scenario s = load("scenarios/cluster-4node-a100-storage-bound.yaml",
                          {"workload.steps=40", "cost.storage_usd_per_gb_month=0.2"});
  const auto summary = dtsim::report::summarize(s, dtsim::app::simulate(s, {}), std::nullopt);
  const double t = summary.time_to_train;
  const double dataset_gb = s.workload.dataset_samples * s.workload.model.sample_bytes.value / 1e9;
  CHECK(cost_of(summary, "device-hours") == Approx(32 * t / 3600 * 1.844));
  CHECK(cost_of(summary, "remote storage") == Approx(dataset_gb * 0.2 * t / (365.25 / 12 * 24 * 3600)));
  // A dataset on local NVMe is the instance's own storage: no storage line.
  const auto local = dtsim::report::run_cost(load("scenarios/quickstart.yaml", {}), 2, 3600, 0);
  REQUIRE(local.size() == 1);
  CHECK(local.front().part == "device-hours");
  CHECK(local.front().usd == Approx(2 * 1.844));
}

TEST_CASE("cost: energy is each part's idle power plus its busy share up to its maximum, times the PUE")
{
  const Scenario s = load("scenarios/cluster-4node-a100-storage-bound.yaml", {"workload.steps=60", "cost.pue=1.5"});
  const auto summary = dtsim::report::summarize(s, dtsim::app::simulate(s, {}), std::nullopt);
  const double t = summary.time_to_train;
  const auto& parts = s.infrastructure;
  const double cores = 4 * 128;
  CHECK(energy_of(summary, "CPU cores") ==
        Approx(cores * t *
               (parts.cpu_core_idle_power.value +
                summary.utilisation.cpu_cores * (parts.cpu_core_max_power.value - parts.cpu_core_idle_power.value))));
  const auto& drive = s.storage.remote->pool.drive;
  REQUIRE(summary.utilisation.drives.has_value());
  CHECK(*summary.utilisation.drives > 0.5); // storage-bound: the one drive is busy most of the run
  CHECK(energy_of(summary, "drives") ==
        Approx(t * (drive.idle_power.value +
                    *summary.utilisation.drives * (drive.active_power.value - drive.idle_power.value))));
  CHECK(energy_of(summary, "servers") == Approx(4 * 8 * parts.server_idle_power.value * t));
  CHECK(energy_of(summary, "NICs") == Approx((4 * 8 + 2) * s.cluster.nic.power.value * t));
  CHECK(energy_of(summary, "NVMe-oF target servers") == Approx(parts.storage_server_power.value * t));
  CHECK(energy_of(summary, "switch ports") == Approx(34 * parts.switch_port_power.value * t));
  double it_kwh = 0;
  for (const auto& p : summary.energy_parts)
    it_kwh += p.kwh;
  CHECK(summary.energy_kwh == Approx(1.5 * it_kwh));
}

TEST_CASE("cost: a purchase with a part the catalog has no price for names the key that sets it")
{
  // The A3 Mega GPU NICs are sold only inside cloud instances.
  try {
    load("scenarios/quickstart.yaml", {"cost.model=purchase", "cluster.nic=GPUDirect-TCPXO-200G"});
    FAIL("expected a ConfigError");
  } catch (const dtsim::config::ConfigError& e) {
    const std::string message = e.what();
    CHECK(message.find("cost.nic_usd: missing key") != std::string::npos);
    CHECK(message.find("no price for GPUDirect-TCPXO-200G") != std::string::npos);
  }
  CHECK_NOTHROW(load("scenarios/quickstart.yaml",
                     {"cost.model=purchase", "cluster.nic=GPUDirect-TCPXO-200G", "cost.nic_usd=900"}));
}
