// Valid scenarios resolve to the expected SI values; defaults, epochs, assumptions; the parameter
// table and the reference document generated from it.
#include "config/catalog.hpp"
#include "config/config_error.hpp"
#include "config/document.hpp"
#include "config/parameters.hpp"
#include "config/scenario.hpp"
#include "temp_dir.hpp"
#include "training/compute_model.hpp"
#include "units/units.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace dtsim::config;

namespace {

const std::string kSource = DTSIM_SOURCE_DIR;

Scenario load(const std::string& path, const std::vector<std::string>& overrides = {})
{
  return load_scenario(path, overrides, kSource);
}

fs::path scratch_dir()
{
  static const TempDir dir("dtsim-test-scenario");
  return dir.path();
}

std::string write_scenario(const std::string& name, const std::string& text)
{
  const fs::path path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
  return path.string();
}

std::string read_text(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A small scenario on 1 node x 2 A100s training ResNet-50 from memory; `workload_extra` are lines
/// appended to the workload section.
std::string small_scenario(const std::string& workload_extra)
{
  return "version: 1\n"
         "cluster:\n"
         "  nodes: 1\n"
         "  accelerator: A100-SXM4-80GB\n"
         "  accelerators_per_node: 2\n"
         "storage:\n"
         "  dataset_on: memory\n"
         "workload:\n"
         "  model: resnet50\n"
         "  batch_per_device: 64\n" +
         workload_extra;
}

const Setting* find_setting(const Scenario& s, const std::string& path)
{
  const auto it = std::find_if(s.settings.begin(), s.settings.end(), [&](const Setting& x) { return x.path == path; });
  return it == s.settings.end() ? nullptr : &*it;
}

const Assumption* find_assumption(const Scenario& s, const std::string& where)
{
  const auto it =
      std::find_if(s.assumptions.begin(), s.assumptions.end(), [&](const Assumption& a) { return a.where == where; });
  return it == s.assumptions.end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("config: quickstart resolves to SI values from the file, the catalog and the defaults")
{
  const Scenario s = load("scenarios/quickstart.yaml");
  CHECK(s.file == "scenarios/quickstart.yaml");
  CHECK(s.version == 1);
  CHECK(s.name == "quickstart");
  CHECK(s.seed == 1);

  // cluster
  CHECK(s.cluster.nodes == 1);
  CHECK(s.cluster.accelerators_per_node == 2);
  CHECK(s.cluster.devices() == 2);
  CHECK(s.cluster.accelerator.name == "A100-SXM4-80GB");
  CHECK(s.cluster.accelerator.kind == "gpu");
  CHECK(s.cluster.accelerator.peak_rate.at("fp16").value == Approx(312e12));
  CHECK(s.cluster.accelerator.peak_rate.at("fp32").value == Approx(19.5e12));
  CHECK(s.cluster.accelerator.memory.value == Approx(80e9));
  CHECK(s.cluster.accelerator.memory_bandwidth.value == Approx(2039e9));
  CHECK(s.cluster.accelerator.max_power.value == Approx(400));
  REQUIRE(s.cluster.accelerator.price_usd.has_value());
  CHECK(s.cluster.accelerator.price_usd->value == Approx(15000));
  CHECK(s.cluster.cpu_cores_per_node == 64);
  CHECK(s.cluster.intra_node == IntraNode::nvswitch);
  CHECK(s.cluster.intra_node_bandwidth == Approx(300e9)); // default: the catalog's link_bandwidth
  CHECK(s.cluster.intra_node_latency == Approx(1e-6));    // default "1 us"
  CHECK(s.cluster.nic.name == "ConnectX-6-HDR-200G");     // default NIC
  CHECK(s.cluster.nic_bandwidth == Approx(25e9));         // its 200 Gb/s
  CHECK(s.cluster.nic.latency.value == Approx(600e-9));
  CHECK(s.cluster.nics_per_node == 1);

  // network: all defaults
  CHECK(s.network.topology == Topology::single_switch);
  CHECK(s.network.nodes_per_leaf == 8);
  CHECK(s.network.oversubscription == Approx(1));
  CHECK(s.network.switch_latency == Approx(1e-6));

  // storage
  CHECK(s.storage.dataset_on == DatasetLocation::local_nvme);
  REQUIRE(s.storage.local_nvme.has_value());
  CHECK_FALSE(s.storage.remote.has_value());
  CHECK(s.storage.local_nvme->drive.name == "Micron-9400-7.68TB");
  CHECK(s.storage.local_nvme->drive.read_bandwidth.value == Approx(7e9));
  CHECK(s.storage.local_nvme->drive.read_iops.value == Approx(1.6e6));
  CHECK(s.storage.local_nvme->drive.read_latency.value == Approx(80e-6));
  CHECK(s.storage.local_nvme->drive.capacity.value == Approx(7.68e12));
  CHECK(s.storage.local_nvme->drives == 1);

  // workload
  CHECK(s.workload.model_file == kSource + "/workloads/resnet50.yaml");
  CHECK(s.workload.model.name == "ResNet-50 v1.5");
  CHECK(s.workload.model.parameters.value == Approx(25557032));
  CHECK(s.workload.model.forward_flops_per_sample.value == Approx(8.18e9));
  REQUIRE(s.workload.model.jpeg.has_value());
  CHECK(s.workload.model.jpeg->decoded_pixels.value == Approx(469.0 * 387));
  CHECK_FALSE(s.workload.model.cpu_cost_per_sample.has_value());
  CHECK(s.workload.model.sample_bytes.value == Approx(114660));
  CHECK(s.workload.model.measured_throughput.size() == 4);
  CHECK(s.workload.dataset_samples == 1281167);
  CHECK(s.workload.batch_per_device == 128);
  CHECK(s.workload.precision == "fp16");
  CHECK(s.workload.gradient_accumulation == 1);
  CHECK(s.workload.steps == 20);
  CHECK_FALSE(s.workload.epochs.has_value());

  // training: loader_workers from the file, the rest defaults
  CHECK(s.training.bucket_bytes == 26214400.0); // 25 MiB
  CHECK(s.training.overlap);
  CHECK(s.training.allreduce == AllReduceAlgorithm::automatic);
  CHECK(s.training.protocol == dtsim::config::Protocol::automatic);
  CHECK(s.training.loader_workers == 16);
  CHECK(s.training.prefetch == 2);
  CHECK(s.training.gradient_bytes_per_param == Approx(4));
  CHECK(s.training.model_state_bytes_per_param == Approx(16));
  CHECK(s.training.optimizer_traffic_per_param == Approx(32));
  CHECK(s.training.step_overhead == 0);
  CHECK(s.training.collective_overhead == 0);

  // cost
  CHECK(s.cost.model == CostModel::hourly);
  CHECK(s.cost.device_hour_usd == Approx(1.844));
}

TEST_CASE("config: the 4-node NVMe-oF cluster resolves its storage targets")
{
  const Scenario s = load("scenarios/cluster-4node-a100.yaml");
  CHECK(s.name == "4-node A100 cluster on NVMe-oF");
  CHECK(s.cluster.devices() == 32);
  CHECK(s.cluster.cpu_cores_per_node == 128);
  CHECK(s.cluster.nics_per_node == 8);
  CHECK(s.storage.dataset_on == DatasetLocation::nvme_of);
  CHECK_FALSE(s.storage.local_nvme.has_value());
  REQUIRE(s.storage.remote.has_value());
  CHECK(s.storage.remote->targets == 2);
  CHECK(s.storage.remote->pool.drive.name == "Micron-9400-7.68TB");
  CHECK(s.storage.remote->pool.drives == 8);
  CHECK(s.storage.remote->nic.name == "ConnectX-6-HDR-200G");
  CHECK(s.storage.remote->nic.bandwidth.value == Approx(25e9));
  CHECK(s.storage.remote->nics_per_target == 2);
  CHECK(s.storage.remote->transport == Transport::rdma);
  CHECK(s.storage.remote->transport_latency == Approx(20e-6));
  CHECK(s.workload.batch_per_device == 256);
  CHECK(s.workload.steps == 100);

  const Scenario tcp = load("scenarios/cluster-4node-a100.yaml", {"storage.nvme_of.transport=tcp"});
  CHECK(tcp.storage.remote->transport == Transport::tcp);
  CHECK(tcp.storage.remote->transport_latency == Approx(110e-6));
}

TEST_CASE("config: every scenario in scenarios/ loads")
{
  int scenarios = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kSource + "/scenarios")) {
    if (entry.path().extension() != ".yaml" || entry.path().filename().string().ends_with("cases.yaml") ||
        entry.path().parent_path().filename() == "sweeps")
      continue;
    ++scenarios;
    INFO(entry.path().string());
    CHECK_NOTHROW(load(entry.path().string()));
  }
  CHECK(scenarios >= 4);
}

TEST_CASE("config: settings list every present key in table order and mark the defaults")
{
  const Scenario s = load("scenarios/quickstart.yaml");

  const Setting* bucket = find_setting(s, "training.bucket_size");
  REQUIRE(bucket != nullptr);
  CHECK(bucket->from_default);
  CHECK(bucket->text == "25 MiB");
  CHECK(bucket->numeric);
  CHECK(bucket->number == 26214400.0);

  const Setting* overlap = find_setting(s, "training.overlap");
  REQUIRE(overlap != nullptr);
  CHECK(overlap->from_default);
  CHECK(overlap->boolean);
  CHECK_FALSE(overlap->numeric);
  CHECK(overlap->number == 1);

  const Setting* nic = find_setting(s, "cluster.nic");
  REQUIRE(nic != nullptr);
  CHECK(nic->from_default);
  CHECK(nic->text == "ConnectX-6-HDR-200G");
  CHECK_FALSE(nic->numeric);

  const Setting* workers = find_setting(s, "training.loader_workers");
  REQUIRE(workers != nullptr);
  CHECK_FALSE(workers->from_default);
  CHECK(workers->number == 16);

  const Setting* steps = find_setting(s, "workload.steps");
  REQUIRE(steps != nullptr);
  CHECK_FALSE(steps->from_default);
  CHECK(steps->text == "20");

  const Setting* price = find_setting(s, "cost.device_hour_usd");
  REQUIRE(price != nullptr);
  CHECK(price->text == "1.844");
  CHECK(price->number == Approx(1.844));

  // Optional keys that are absent (no default) are not listed.
  CHECK(find_setting(s, "cluster.nic_bandwidth") == nullptr);
  CHECK(find_setting(s, "cluster.intra_node_bandwidth") == nullptr);
  CHECK(find_setting(s, "workload.epochs") == nullptr);
  CHECK(find_setting(s, "storage.nvme_of.targets") == nullptr);

  // Every key is listed once, in the order of the parameter table.
  const auto& table = scenario_parameters();
  std::size_t previous = 0;
  std::set<std::string> seen;
  for (const Setting& setting : s.settings) {
    INFO(setting.path);
    CHECK(seen.insert(setting.path).second);
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const Parameter& p) { return p.path == setting.path; });
    REQUIRE(it != table.end());
    const auto index = static_cast<std::size_t>(it - table.begin());
    CHECK(index >= previous);
    previous = index;
    if (it->presence == Presence::required)
      CHECK_FALSE(setting.from_default);
  }
  const auto defaulted =
      std::count_if(table.begin(), table.end(), [](const Parameter& p) { return p.presence == Presence::defaulted; });
  const auto required =
      std::count_if(table.begin(), table.end(), [](const Parameter& p) { return p.presence == Presence::required; });
  // quickstart gives these optional keys: storage.local_nvme.drive, workload.steps, training.loader_workers,
  // cost.device_hour_usd.
  CHECK(static_cast<long>(s.settings.size()) == defaulted + required + 4);
}

TEST_CASE("config: a value given explicitly equal to its default is not marked as a default")
{
  const Scenario s =
      load(write_scenario("explicit-default.yaml", small_scenario("  steps: 1\ntraining:\n  bucket_size: 25MiB\n")));
  const Setting* bucket = find_setting(s, "training.bucket_size");
  REQUIRE(bucket != nullptr);
  CHECK_FALSE(bucket->from_default);
  CHECK(bucket->text == "25MiB");
  CHECK(bucket->number == 26214400.0);
  CHECK(s.training.bucket_bytes == 26214400.0);
}

TEST_CASE("config: epochs become steps = ceil(epochs x dataset / global batch)")
{
  struct Case {
    std::string name, extra;
    long long steps;
    double epochs;
  };
  // 2 devices x 64 samples per micro-batch = a global batch of 128 (x gradient_accumulation).
  const std::vector<Case> cases{
      {"exact", "  dataset_samples: 1024\n  epochs: 1\n", 8, 1},                                    // 1024 / 128 = 8
      {"round-up", "  dataset_samples: 1000\n  epochs: 1\n", 8, 1},                                 // 7.8125 -> 8
      {"accumulation", "  dataset_samples: 1000\n  gradient_accumulation: 2\n  epochs: 1\n", 4, 1}, // 3.9 -> 4
      {"several", "  dataset_samples: 1000\n  epochs: 3\n", 24, 3},                                 // 23.4 -> 24
      {"imagenet-half", "  epochs: 0.5\n", 5005, 0.5},    // 640583.5 / 128 = 5004.6 -> 5005
      {"imagenet-tiny", "  epochs: 0.0001\n", 2, 0.0001}, // 128.1167 / 128 -> 2
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const Scenario s = load(write_scenario("epochs-" + c.name + ".yaml", small_scenario(c.extra)));
    REQUIRE(s.workload.epochs.has_value());
    CHECK(*s.workload.epochs == Approx(c.epochs));
    CHECK(s.workload.steps == c.steps);
    const double global_batch = 64.0 * s.cluster.devices() * s.workload.gradient_accumulation;
    CHECK(s.workload.steps ==
          static_cast<long long>(std::ceil(c.epochs * static_cast<double>(s.workload.dataset_samples) / global_batch)));
  }
  // The default dataset is the workload's.
  const Scenario imagenet = load(write_scenario("epochs-default-dataset.yaml", small_scenario("  epochs: 1\n")));
  CHECK(imagenet.workload.dataset_samples == 1281167);
  CHECK(imagenet.workload.steps == 10010); // ceil(1281167 / 128) = ceil(10009.1)
}

TEST_CASE("config: --set of the run's length in epochs or steps replaces the file's, the last one given winning")
{
  const std::string file = std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml"; // steps: 20
  const Scenario in_epochs = dtsim::config::load_scenario(file, {"workload.epochs=2"}, DTSIM_SOURCE_DIR);
  REQUIRE(in_epochs.workload.epochs);
  CHECK(in_epochs.workload.steps == 10010); // ceil(2 x 1281167 / (2 devices x 128)) = ceil(10009.1)
  const Scenario back = dtsim::config::load_scenario(file, {"workload.epochs=2", "workload.steps=7"}, DTSIM_SOURCE_DIR);
  CHECK_FALSE(back.workload.epochs);
  CHECK(back.workload.steps == 7);
}

TEST_CASE("config: assumptions list the assumed figures the scenario uses, once each")
{
  const Scenario s = load("scenarios/quickstart.yaml");
  const Assumption* pixels = find_assumption(s, "resnet50.yaml: jpeg.decoded_pixels");
  REQUIRE(pixels != nullptr);
  CHECK(pixels->value == "181503");
  CHECK_THAT(pixels->reason, Catch::Contains("469 x 387"));
  // The scenario names no CPU: the reference core stands in, and says so; its measured rates are sourced.
  CHECK(find_assumption(s, "scenario default: cluster.cpu") != nullptr);
  CHECK(find_assumption(s, "cpus.yaml: cpus.Xeon-Platinum-8124M.jpeg_decode_rate") == nullptr);
  CHECK(find_assumption(s, "loaders.yaml: loaders.pytorch.per_sample_overhead") == nullptr);
  CHECK(find_assumption(s, "resnet50.yaml: activation_bytes_per_sample") != nullptr);
  // A100 fp16 has a measured throughput in resnet50.yaml, which calibrates the efficiency: the
  // assumed efficiency figure is not used.
  CHECK(find_assumption(s, "resnet50.yaml: efficiency") == nullptr);
  CHECK(find_assumption(s, "accelerators.yaml: accelerators.A100-SXM4-80GB.idle_power") != nullptr);
  CHECK(find_assumption(s, "accelerators.yaml: accelerators.A100-SXM4-80GB.host_link_bandwidth") != nullptr);
  CHECK(find_assumption(s, "drives.yaml: drives.Micron-9400-7.68TB.read_latency") != nullptr);

  // Sourced figures are not assumptions; catalog entries the scenario does not use are not listed.
  CHECK(find_assumption(s, "resnet50.yaml: parameters") == nullptr);
  CHECK(find_assumption(s, "accelerators.yaml: accelerators.A100-SXM4-80GB.memory") == nullptr);
  CHECK(find_assumption(s, "accelerators.yaml: accelerators.A100-SXM4-40GB.idle_power") == nullptr);
  CHECK(find_assumption(s, "drives.yaml: drives.Micron-9550-7.68TB.read_latency") == nullptr);
  CHECK(find_assumption(s, "nics.yaml: nics.ConnectX-7-NDR-400G.latency") == nullptr);

  for (std::size_t i = 0; i < s.assumptions.size(); ++i) {
    INFO(s.assumptions[i].where);
    CHECK_FALSE(s.assumptions[i].value.empty());
    CHECK_FALSE(s.assumptions[i].reason.empty());
    if (i > 0)
      CHECK(s.assumptions[i - 1].where < s.assumptions[i].where); // sorted, no duplicates
  }

  // Defaults that rest on an assumption are listed when used, not when the file gives the value.
  const Assumption* switch_latency = find_assumption(s, "scenario default: network.switch_latency");
  REQUIRE(switch_latency != nullptr);
  CHECK(switch_latency->value == "1 us");
  CHECK_FALSE(switch_latency->reason.empty());
  CHECK(find_assumption(s, "scenario default: training.loader_workers") == nullptr); // 16 in the file
  CHECK(find_assumption(load("scenarios/quickstart.yaml", {"network.switch_latency=2 us"}),
                        "scenario default: network.switch_latency") == nullptr);
  const Scenario defaults = load(write_scenario("assumed-defaults.yaml", small_scenario("  steps: 1\n")));
  REQUIRE(find_assumption(defaults, "scenario default: training.loader_workers") != nullptr);
  CHECK(find_assumption(defaults, "scenario default: training.loader_workers")->value == "4");
  // Defaults with a source are not assumptions.
  CHECK(find_assumption(defaults, "scenario default: training.bucket_size") == nullptr);
  for (const auto& p : scenario_parameters()) {
    if (p.presence != Presence::defaulted)
      continue;
    INFO(p.path);
    CHECK((find_assumption(defaults, "scenario default: " + p.path) != nullptr) == !p.assumption.empty());
  }

  // Without a measurement for the accelerator and precision, the assumed efficiency is used and listed.
  const Scenario h100 = load("scenarios/quickstart.yaml", {"cluster.accelerator=H100-SXM5-80GB"});
  CHECK(find_assumption(h100, "resnet50.yaml: efficiency") != nullptr);
  CHECK(find_assumption(h100, "accelerators.yaml: accelerators.H100-SXM5-80GB.idle_power") != nullptr);
  CHECK(find_assumption(h100, "accelerators.yaml: accelerators.A100-SXM4-80GB.idle_power") == nullptr);

  // Choosing a NIC whose latency is assumed adds it.
  const Scenario cx7 = load("scenarios/quickstart.yaml", {"cluster.nic=ConnectX-7-NDR-400G"});
  CHECK(cx7.cluster.nic_bandwidth == Approx(50e9));
  CHECK(find_assumption(cx7, "nics.yaml: nics.ConnectX-7-NDR-400G.latency") != nullptr);
}

TEST_CASE("config: intra-node bandwidth defaults follow the interconnect")
{
  CHECK(load("scenarios/quickstart.yaml", {"cluster.intra_node=pcie"}).cluster.intra_node_bandwidth == Approx(31.5e9));
  CHECK(load("scenarios/quickstart.yaml", {"cluster.intra_node=nvlink-mesh"}).cluster.intra_node_bandwidth ==
        Approx(300e9));
  const Scenario given =
      load("scenarios/quickstart.yaml",
           {"cluster.intra_node=pcie", "cluster.intra_node_bandwidth=16 GB/s", "cluster.nic_bandwidth=100 Gb/s"});
  CHECK(given.cluster.intra_node == IntraNode::pcie);
  CHECK(given.cluster.intra_node_bandwidth == Approx(16e9));
  CHECK(given.cluster.nic_bandwidth == Approx(12.5e9));
}

TEST_CASE("config: purchase cost defaults to the catalog price")
{
  const Scenario s = load("scenarios/quickstart.yaml", {"cost.model=purchase"});
  CHECK(s.cost.model == CostModel::purchase);
  CHECK(s.cost.prices.accelerator == Approx(15000));
  CHECK(s.cost.service_life_years == Approx(4));
  CHECK(s.cost.energy_usd_per_kwh == Approx(0.12));
  CHECK(s.cost.pue == Approx(1.3));
  CHECK(*load("scenarios/quickstart.yaml", {"cost.model=purchase", "cost.accelerator_usd=24875"})
             .cost.prices.accelerator == Approx(24875));
  CHECK(load("scenarios/quickstart.yaml", {"cost.model=none"}).cost.model == CostModel::none);
}

TEST_CASE("config: a workload file given as a path is read relative to the scenario")
{
  const fs::path dir = scratch_dir() / "own-workload";
  fs::create_directories(dir);
  std::string workload = read_text(kSource + "/workloads/resnet50.yaml");
  workload.replace(workload.find("name: ResNet-50 v1.5"), 20, "name: my model");
  std::ofstream(dir / "mine.yaml") << workload;
  std::string text = small_scenario("  steps: 3\n");
  text.replace(text.find("model: resnet50"), 15, "model: mine.yaml");
  std::ofstream(dir / "scenario.yaml") << text;
  const Scenario s = load((dir / "scenario.yaml").string());
  CHECK(s.workload.model_file == (dir / "mine.yaml").string());
  CHECK(s.workload.model.name == "my model");
  CHECK(find_assumption(s, "mine.yaml: jpeg.decoded_pixels") != nullptr);
}

TEST_CASE("config: docs/scenario-reference.md is the reference generated from the table")
{
  const fs::path file = fs::path(kSource) / "docs" / "scenario-reference.md";
  REQUIRE(fs::exists(file));
  const std::string generated = reference_markdown(scenario_parameters());
  // On failure, regenerate with: build/sim/app/dtsim reference > docs/scenario-reference.md
  CHECK(read_text(file) == generated);
}

TEST_CASE("config: the reference has a row for every parameter")
{
  const std::string markdown = reference_markdown(scenario_parameters());
  CHECK(markdown.starts_with("# Scenario reference (format version 1)\n"));
  for (const auto& p : scenario_parameters()) {
    INFO(p.path);
    CHECK_THAT(markdown, Catch::Contains(fmt::format("| `{}` | {} |", p.path, p.expected())));
  }
  CHECK_THAT(markdown,
             Catch::Contains("| `training.bucket_size` | a size such as \"25 MiB\", >= 1 B and <= 1 EB | `25 MiB` |"));
  CHECK_THAT(markdown, Catch::Contains("| `cluster.nodes` | a whole number >= 1 and <= 1000000 | required |"));
  CHECK_THAT(markdown,
             Catch::Contains("| `training.allreduce` | one of auto, ring, tree, hierarchical, torus | `auto` |"));
  CHECK_THAT(markdown, Catch::Contains("\n## `storage.nvme_of`\n"));
  // Each key says when it applies.
  CHECK_THAT(markdown, Catch::Contains("| `storage.nvme_of.targets` | a whole number >= 1 and <= 1000000 | — | "
                                       "storage.dataset_on is nvme-of or checkpoint.to is nvme-of |"));
  CHECK_THAT(markdown, Catch::Contains("| `cluster.nodes` | a whole number >= 1 and <= 1000000 | required | always |"));
}

TEST_CASE("config: every parameter has help, a unique path and a default that resolves")
{
  const auto& table = scenario_parameters();
  REQUIRE(table.size() > 40);
  std::set<std::string> paths;
  for (const auto& p : table) {
    INFO(p.path);
    CHECK(paths.insert(p.path).second);
    CHECK_FALSE(p.help.empty());
    // The help and the expected form go into one Markdown table row.
    CHECK(p.help.find('|') == std::string::npos);
    CHECK(p.help.find('\n') == std::string::npos);
    CHECK(p.expected().find('|') == std::string::npos);
    CHECK(p.assumption.find('|') == std::string::npos);
    // Only a default can rest on an assumption.
    if (!p.assumption.empty())
      CHECK(p.presence == Presence::defaulted);
    CHECK((p.kind == ValueKind::choice) == !p.choices.empty());

    // Resolving a document without the key: a default is read through the same checks as a value.
    const Document empty = Document::parse("", "empty.yaml");
    const std::vector<Parameter> one{p};
    switch (p.presence) {
    case Presence::required: {
      CHECK(p.default_value.empty());
      try {
        ResolvedParameters::resolve(empty, one);
        FAIL("a required key without a value resolved");
      } catch (const ConfigError& e) {
        CHECK(e.key() == p.path);
        CHECK_THAT(e.message(), Catch::StartsWith("missing key"));
      }
      break;
    }
    case Presence::optional: {
      CHECK(p.default_value.empty());
      const ResolvedParameters values = ResolvedParameters::resolve(empty, one);
      CHECK_FALSE(values.has(p.path));
      break;
    }
    case Presence::defaulted: {
      CHECK_FALSE(p.default_value.empty());
      ResolvedParameters values;
      REQUIRE_NOTHROW(values = ResolvedParameters::resolve(empty, one));
      REQUIRE(values.has(p.path));
      const auto entries = values.entries();
      REQUIRE(entries.size() == 1);
      CHECK(entries[0].second->from_default);
      CHECK(values.location(p.path).origin == "default");
      if (p.kind == ValueKind::quantity)
        CHECK(values.number(p.path) == Approx(dtsim::units::parse(p.default_value, p.dimension)));
      if (p.kind == ValueKind::choice)
        CHECK(std::find(p.choices.begin(), p.choices.end(), values.text(p.path)) != p.choices.end());
      break;
    }
    }
  }
}

TEST_CASE("config: catalog names used as defaults exist in the catalog")
{
  const Catalog catalog = Catalog::load(kSource);
  for (const auto& p : scenario_parameters()) {
    if (p.presence != Presence::defaulted || !p.path.ends_with(".nic"))
      continue;
    INFO(p.path);
    CHECK(catalog.nics().contains(p.default_value));
  }
}

TEST_CASE("config: the catalog has the devices the product promises, NICs of 100, 200 and 400 Gb/s, two drives")
{
  const Catalog catalog = Catalog::load(kSource);
  for (const char* name :
       {"V100-SXM2-16GB", "A100-SXM4-40GB", "A100-SXM4-80GB", "H100-SXM5-80GB", "MI250X", "TPU-v4", "Alveo-U280"}) {
    INFO(name);
    CHECK(catalog.accelerators().contains(name));
  }
  for (const double gbps : {100.0, 200.0, 400.0}) {
    INFO(gbps);
    CHECK(std::any_of(catalog.nics().begin(), catalog.nics().end(),
                      [&](const auto& nic) { return nic.second.bandwidth.value == gbps * 1e9 / 8; }));
  }
  CHECK(catalog.drives().size() >= 2);
}

TEST_CASE("config: every catalog figure has a source or an assumption and a positive value")
{
  const Catalog catalog = Catalog::load(kSource);
  const auto check = [](const Figure* f, bool zero_allowed = false) {
    INFO(f->where);
    CHECK_FALSE(f->provenance.empty());
    CHECK_FALSE(f->text.empty());
    CHECK(f->value >= 0);
    if (!zero_allowed)
      CHECK(f->value > 0);
  };
  for (const auto& [name, a] : catalog.accelerators()) {
    CHECK_FALSE(a.peak_rate.empty());
    for (const Figure* f : a.figures())
      check(f);
  }
  for (const auto& [name, n] : catalog.nics())
    for (const Figure* f : n.figures())
      check(f);
  for (const auto& [name, d] : catalog.drives())
    for (const Figure* f : d.figures())
      check(f);
  for (const auto& [name, c] : catalog.cpus())
    for (const Figure* f : c.figures())
      check(f);
  for (const auto& [name, l] : catalog.loaders()) // C++ pipelines add nothing per sample
    for (const Figure* f : l.figures())
      check(f, true);
  for (const auto& [name, f] : catalog.frameworks()) // some frameworks add no fixed cost
    for (const Figure* figure : f.figures())
      check(figure, true);
  for (const auto& [name, a] : catalog.appliances()) {
    CHECK(catalog.nics().contains(a.port));
    for (const Figure* f : a.figures())
      check(f);
  }
  for (const auto& entry : fs::directory_iterator(kSource + "/workloads")) {
    if (entry.path().extension() != ".yaml")
      continue;
    const Workload w = load_workload(entry.path().string());
    for (const Figure* f : w.figures()) // pre-tokenised text needs no CPU work per sample
      check(f, w.cpu_cost_per_sample && f == &*w.cpu_cost_per_sample);
    CHECK(w.parameters.value > 0);
  }
}

TEST_CASE("config: a device count that overflows is refused")
{
  const std::string path = write_scenario("overflow.yaml", small_scenario("  epochs: 1\n"));
  CHECK_THROWS_AS(load(path, {"cluster.nodes=65536", "cluster.accelerators_per_node=65536"}), ConfigError);
}

TEST_CASE("config: a step count that does not fit is refused")
{
  const std::string path = write_scenario("huge-epochs.yaml", small_scenario("  epochs: 1e30\n"));
  try {
    load(path);
    FAIL("a scenario of 1e30 epochs loaded");
  } catch (const ConfigError& e) {
    CHECK(e.key() == "workload.epochs");
    CHECK(e.message() == "expected a number > 0 and <= 1000000, found \"1e30\"");
  }
}

TEST_CASE("config: a catalog file of one's own adds accelerators and drives, with their sources and assumptions")
{
  const Scenario s = load("docs/examples/own-hardware/scenario.yaml", {});
  CHECK(s.cluster.accelerator.name == "L40S-48GB");
  CHECK(s.cluster.accelerator.peak_rate.at("fp16").value == Approx(362e12));
  CHECK(s.storage.local_nvme->drive.read_bandwidth.value == Approx(6.8e9));
  const auto assumed = std::find_if(s.assumptions.begin(), s.assumptions.end(), [](const auto& a) {
    return a.where == "my-catalog.yaml: accelerators.L40S-48GB.idle_power";
  });
  CHECK(assumed != s.assumptions.end());
}

TEST_CASE("config: a measured throughput in a workload file of one's own calibrates the compute rate")
{
  // A copy of resnet50.yaml with one more row: 1,900 images/s on the example's L40S at batch 128.
  std::ifstream original(kSource + "/workloads/resnet50.yaml");
  std::stringstream text;
  text << original.rdbuf();
  std::string workload = text.str();
  const std::string row = "measured_throughput:\n  - accelerator: L40S-48GB\n    precision: fp16\n"
                          "    batch_per_device: 128\n    samples_per_second: 1900\n    source: \"our run\"\n";
  workload.replace(workload.find("measured_throughput:\n"), std::string("measured_throughput:\n").size(), row);
  const fs::path file = scratch_dir() / "my-resnet50.yaml";
  std::ofstream(file) << workload;
  const Scenario s = load(kSource + "/docs/examples/own-hardware/scenario.yaml", {"workload.model=" + file.string()});
  const auto plan = dtsim::training::plan_compute(s);
  // 3 x forward FLOPs per image x 1,900 images/s over the L40S's 362 TFLOPS fp16 peak.
  CHECK(plan.efficiency == Approx(3 * s.workload.model.forward_flops_per_sample.value * 1900 / 362e12));
  CHECK_THAT(plan.efficiency_basis, Catch::Contains("calibrated: 1900 images/s measured on L40S-48GB fp16"));
}

TEST_CASE("config: keys bound to their fields copy their values there")
{
  const auto s = load(std::string(kSource) + "/scenarios/quickstart.yaml",
                      {"cluster.intra_node_latency=3 us", "network.switch_latency=2 us", "storage.page_cache=2 GB",
                       "training.prefetch=5", "training.overlap=false", "simulation.exact=true", "cost.pue=1.1"});
  CHECK(s.cluster.intra_node_latency == Approx(3e-6));
  CHECK(s.network.switch_latency == Approx(2e-6));
  CHECK(s.storage.page_cache_bytes == Approx(2e9));
  CHECK(s.training.prefetch == 5);
  CHECK_FALSE(s.training.overlap);
  CHECK(s.training.exact);
  CHECK(s.cost.pue == Approx(1.1));
}

TEST_CASE("config: choice and text keys bound to their fields copy their values there, read through their tables")
{
  const auto s =
      load(std::string(kSource) + "/scenarios/quickstart.yaml",
           {"cluster.intra_node=pcie", "network.topology=leaf-spine", "storage.sharding=reshuffled",
            "workload.precision=bf16", "training.protocol=simple", "checkpoint.every_steps=7",
            "checkpoint.to=local-nvme", "storage.local_nvme.drive=Micron-9400-7.68TB", "checkpoint.mode=background",
            "checkpoint.sharded=true", "cost.model=hourly", "cost.device_hour_usd=2.5"});
  CHECK(s.cluster.intra_node == IntraNode::pcie);
  CHECK(s.network.topology == Topology::leaf_spine);
  CHECK(s.storage.sharding == Sharding::reshuffled);
  CHECK(s.workload.precision == "bf16");
  CHECK(s.training.protocol == Protocol::simple);
  CHECK(s.checkpoint.every_steps == 7);
  CHECK(s.checkpoint.mode == CheckpointMode::background);
  CHECK(s.checkpoint.sharded);
  CHECK(s.cost.model == CostModel::hourly);
  CHECK(s.cost.device_hour_usd == Approx(2.5));
}

TEST_CASE("config: --set key=null removes the key, so the default or the other of a pair takes its place")
{
  const std::string quickstart = kSource + "/scenarios/quickstart.yaml";
  const Scenario s = load(quickstart, {"cluster.cpu_cores_per_node=null", "training.loader_workers=~",
                                       "workload.steps=null", "workload.epochs=0.001"});
  CHECK(s.cluster.cpu_cores_per_node == 64); // the key's default, as if the file did not set it
  CHECK(s.training.loader_workers == 4);
  CHECK_FALSE(s.workload.epochs == std::nullopt);
  CHECK(s.workload.steps == 6); // ceil(0.001 x 1,281,167 images / (2 x 128))
  // A whole section, and a key the file does not set, are removed too.
  CHECK(load(quickstart, {"cost=null"}).cost.model == CostModel::none);
  CHECK(load(quickstart, {"training.prefetch=null"}).training.prefetch == 2);

  CHECK_THROWS_WITH(load(quickstart, {"workload.stepz=null"}),
                    "--set workload.stepz=null: workload.stepz: unknown key (did you mean \"workload.steps\"?): "
                    "expected a key of the scenario (dtsim reference lists them)");
  CHECK_THROWS_WITH(load(quickstart, {"workload.steps="}),
                    Catch::Contains("expected a value after '=' (or null, to remove the key), found nothing"));
  CHECK_THROWS_WITH(load(quickstart, {"cluster.nodes=null"}), Catch::Contains("cluster.nodes: missing key"));
}

TEST_CASE("config: docs/scenario.schema.json is the schema generated from the table")
{
  const fs::path file = fs::path(kSource) / "docs" / "scenario.schema.json";
  REQUIRE(fs::exists(file));
  // On failure, regenerate with: build/sim/app/dtsim schema > docs/scenario.schema.json
  CHECK(read_text(file) == schema_json(scenario_parameters()));
}

TEST_CASE("config: failures.model parts takes each part's MTBF from the catalog or the scenario, over the scale")
{
  const std::string quickstart = kSource + "/scenarios/quickstart.yaml";
  const Scenario s = load(quickstart, {"failures.model=parts", "cluster.nodes=4", "failures.scale=2",
                                       "failures.host_mtbf=1000 h"});
  REQUIRE(s.failures.enabled());
  REQUIRE(s.failures.parts.size() == 6);
  const auto part = [&](const std::string& name) {
    const auto p = std::find_if(s.failures.parts.begin(), s.failures.parts.end(),
                                [&](const FailurePart& q) { return q.part == name; });
    REQUIRE(p != s.failures.parts.end());
    return *p;
  };
  // 4 nodes of 2 accelerators: a unit per accelerator, per NIC or per node; catalog/reliability.yaml's MTBFs halved.
  CHECK(part("accelerator").units == 8);
  CHECK(part("accelerator").mtbf == Approx(108335.0 * 3600 / 2));
  CHECK(part("accelerator_memory").units == 8);
  CHECK(part("nic").units == 4 * s.cluster.nics_per_node);
  CHECK(part("host").units == 4);
  CHECK(part("host").mtbf == Approx(1000.0 * 3600 / 2)); // the scenario's, scaled too
  CHECK(part("software").mtbf == Approx(42130.0 * 3600 / 2));
  CHECK(s.failures.restart == Approx(300)); // the catalog's 5 min
  CHECK(s.failures.trials == 1000);
  // The catalog's NIC figure rests on an assumption, and is listed when used.
  CHECK(find_assumption(s, "reliability.yaml: reliability.nic.mtbf") != nullptr);
}

TEST_CASE("config: failures.model nodes fails every node at one rate, which it must be given")
{
  const std::string quickstart = kSource + "/scenarios/quickstart.yaml";
  const Scenario s = load(quickstart, {"failures.model=nodes", "failures.node_mtbf=3692 h", "failures.restart=10 min",
                                       "failures.trials=50"});
  REQUIRE(s.failures.parts.size() == 1);
  CHECK(s.failures.parts[0].units == s.cluster.nodes);
  CHECK(s.failures.parts[0].mtbf == Approx(3692.0 * 3600));
  CHECK(s.failures.restart == Approx(600));
  CHECK(s.failures.trials == 50);
  CHECK_THROWS_WITH(load(quickstart, {"failures.model=nodes"}), Catch::Contains("failures.node_mtbf"));
  // A key of the other model, or any failures key without a model, is refused.
  CHECK_THROWS_AS(load(quickstart, {"failures.model=nodes", "failures.node_mtbf=3692 h", "failures.scale=2"}),
                  ConfigError);
  CHECK_THROWS_AS(load(quickstart, {"failures.restart=5 min"}), ConfigError);
  CHECK_FALSE(load(quickstart, {}).failures.enabled());
}
