// Bad scenarios, overrides and data files: every error says where (file, line, column or the --set
// option), which key, and what was expected. The invalid example files live in tests/data/; each is
// the same small valid scenario (kValidBase below, after a one-line comment) with one defect.
#include "config/cluster_resources.hpp"
#include "config/config_error.hpp"
#include "config/document.hpp"
#include "config/parameters.hpp"
#include "config/scenario.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using dtsim::config::ConfigError;
using dtsim::config::load_scenario;

namespace {

/// The scenario every invalid example starts from; line 1 of an example is a comment, so line n here
/// is line n+1 there.
constexpr const char* kValidBase = R"(version: 1
cluster:
  nodes: 1
  accelerator: A100-SXM4-80GB
  accelerators_per_node: 2
storage:
  dataset_on: memory
workload:
  model: resnet50
  batch_per_device: 64
  steps: 10
)";

std::string data_file(const std::string& name)
{
  return std::string(DTSIM_SOURCE_DIR) + "/tests/data/" + name;
}

/// A fresh folder of this process for files written by a test.
fs::path scratch_dir()
{
  static const TempDir dir("dtsim-test-config");
  return dir.path();
}

fs::path write_file(const fs::path& path, const std::string& text)
{
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
  return path;
}

std::string read_text(const fs::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The ConfigError loading `path` throws; fails the test when it loads.
ConfigError load_error(const std::string& path, const std::vector<std::string>& overrides = {},
                       const std::string& data_dir = DTSIM_SOURCE_DIR)
{
  try {
    load_scenario(path, overrides, data_dir);
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError loading " << path);
  throw std::logic_error("unreachable");
}

ConfigError example_error(const std::string& name)
{
  const std::string path = data_file(name);
  REQUIRE(fs::exists(path));
  return load_error(path);
}

/// Checks the error points at `line`:`column` of `file` for `key`, and its message contains `fragment`.
void check_error(const ConfigError& e, const std::string& file, int line, int column, const std::string& key,
                 const std::string& fragment)
{
  INFO(e.what());
  CHECK(e.where().origin == file);
  CHECK(e.where().line == line);
  CHECK(e.where().column == column);
  CHECK(e.key() == key);
  CHECK_THAT(e.message(), Catch::Contains(fragment));
  // what() is "file:line:col: key: message".
  const std::string prefix = key.empty() ? fmt::format("{}:{}:{}: ", file, line, column)
                                         : fmt::format("{}:{}:{}: {}: ", file, line, column, key);
  CHECK(std::string(e.what()) == prefix + e.message());
}

void check_example(const std::string& name, int line, int column, const std::string& key, const std::string& fragment)
{
  check_error(example_error(name), data_file(name), line, column, key, fragment);
}

} // namespace

// --- The invalid example files in tests/data/ ---------------------------------------------------

TEST_CASE("config: the base of the invalid examples is itself valid")
{
  const auto path = write_file(scratch_dir() / "valid-base.yaml", std::string("# valid\n") + kValidBase);
  const auto s = load_scenario(path.string(), {}, DTSIM_SOURCE_DIR);
  CHECK(s.cluster.devices() == 2);
  CHECK(s.workload.batch_per_device == 64);
  CHECK(s.workload.steps == 10);
}

TEST_CASE("config: every invalid example in tests/data fails to load")
{
  int examples = 0;
  for (const auto& entry : fs::directory_iterator(data_file(""))) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("invalid-") || !name.ends_with(".yaml"))
      continue;
    ++examples;
    INFO(name);
    CHECK_THROWS_AS(load_scenario(entry.path().string(), {}, DTSIM_SOURCE_DIR), ConfigError);
  }
  CHECK(examples >= 17);
}

TEST_CASE("config: unknown key suggests the closest one")
{
  const ConfigError e = example_error("invalid-unknown-key.yaml");
  check_error(e, data_file("invalid-unknown-key.yaml"), 11, 3, "workload.batch_per_devic",
              "unknown key (did you mean \"batch_per_device\"?)");
  CHECK_THAT(
      e.message(),
      Catch::Contains("expected one of: model, dataset_samples, sample_size, sample_size_spread, batch_per_device"));
}

TEST_CASE("config: unknown top-level section suggests the closest one")
{
  const ConfigError e = example_error("invalid-unknown-section.yaml");
  check_error(e, data_file("invalid-unknown-section.yaml"), 13, 1, "trainig",
              "unknown key (did you mean \"training\"?)");
  CHECK_THAT(
      e.message(),
      Catch::Contains("version, name, catalog, seed, cluster, network, storage, workload, training, checkpoint, failures, cost"));
}

TEST_CASE("config: missing required key points into its section")
{
  // cluster.nodes is absent: the error points at the cluster section's first key (line 4, column 3),
  // the position yaml-cpp gives the section's mapping.
  const ConfigError e = example_error("invalid-missing-key.yaml");
  check_error(e, data_file("invalid-missing-key.yaml"), 4, 3, "cluster.nodes",
              "missing key: expected a whole number >= 1");
  CHECK_THAT(e.message(), Catch::Contains("Number of compute nodes"));
}

TEST_CASE("config: a list where a whole number is expected")
{
  check_example("invalid-wrong-type-list.yaml", 11, 21, "workload.batch_per_device",
                "expected a whole number >= 1 and <= 1000000, found a list");
}

TEST_CASE("config: text where a whole number is expected")
{
  check_example("invalid-wrong-type-text.yaml", 6, 26, "cluster.accelerators_per_node",
                "expected a whole number, found \"two\"");
}

TEST_CASE("config: unknown unit lists the known ones")
{
  const ConfigError e = example_error("invalid-bad-unit.yaml");
  check_error(e, data_file("invalid-bad-unit.yaml"), 7, 18, "cluster.nic_bandwidth", "unknown unit \"Gbs\"");
  CHECK_THAT(e.message(), Catch::Contains("known units: b/s, kb/s, Mb/s, Gb/s"));
  CHECK_THAT(e.message(), Catch::Contains("expected a bandwidth such as \"200 Gb/s\""));
}

TEST_CASE("config: a bandwidth without its unit")
{
  check_example("invalid-bare-number.yaml", 7, 18, "cluster.nic_bandwidth",
                "(the unit is part of the value), found the bare number \"200\"");
}

TEST_CASE("config: zero nodes is out of range")
{
  check_example("invalid-zero-nodes.yaml", 4, 10, "cluster.nodes",
                "expected a whole number >= 1 and <= 1000000, found \"0\"");
}

TEST_CASE("config: a negative bandwidth is out of range")
{
  check_example("invalid-negative-bandwidth.yaml", 7, 18, "cluster.nic_bandwidth",
                ">= 1 B/s and <= 1 EB/s, found \"-5 Gb/s\"");
}

TEST_CASE("config: a batch that does not fit in device memory says what it needs and what fits")
{
  // ResNet-50: 25,557,032 parameters x 16 B of model state = 390 MiB; 44.5 MB of activations per
  // sample in fp16; A100-SXM4-80GB has 80 GB = 74.51 GiB. 4096 samples need 170.1 GiB; at most
  // floor((80e9 - 408,912,512) / 44.5e6) = 1788 fit.
  const ConfigError e = example_error("invalid-batch-too-large.yaml");
  check_error(e, data_file("invalid-batch-too-large.yaml"), 11, 21, "workload.batch_per_device",
              "expected a batch that fits in the 74.51 GiB memory of A100-SXM4-80GB, found 4096");
  CHECK_THAT(e.message(), Catch::Contains("which needs 170.1 GiB"));
  CHECK_THAT(e.message(), Catch::Contains("model state 390 MiB"));
  CHECK_THAT(e.message(), Catch::Contains("4096 x 42.44 MiB"));
  CHECK_THAT(e.message(), Catch::Contains("at most 1788 fit"));
}

TEST_CASE("config: the largest batch the memory check allows does load")
{
  const auto dir = scratch_dir();
  std::string text = kValidBase;
  text.replace(text.find("batch_per_device: 64"), 20, "batch_per_device: 1788");
  CHECK(load_scenario(write_file(dir / "fits.yaml", text).string(), {}, DTSIM_SOURCE_DIR).workload.batch_per_device ==
        1788);
  text.replace(text.find("batch_per_device: 1788"), 22, "batch_per_device: 1789");
  const auto path = write_file(dir / "does-not-fit.yaml", text);
  check_error(load_error(path.string()), path.string(), 10, 21, "workload.batch_per_device", "at most 1788 fit");
}

TEST_CASE("config: an accelerator not in the catalog suggests a near name")
{
  const ConfigError e = example_error("invalid-unknown-accelerator.yaml");
  check_error(e, data_file("invalid-unknown-accelerator.yaml"), 5, 16, "cluster.accelerator",
              "expected a name from catalog/accelerators.yaml");
  CHECK_THAT(e.message(), Catch::Contains("found \"A100-SXM4-90GB\""));
  CHECK_THAT(e.message(), Catch::Contains("A100-SXM4-80GB, Alveo-U280, H100-SXM5-80GB"));
  // 90GB is one edit away from both 40GB and 80GB; either is a fair suggestion.
  CHECK_THAT(e.message(), Catch::Contains("(did you mean \"A100-SXM4-40GB\"?)") ||
                              Catch::Contains("(did you mean \"A100-SXM4-80GB\"?)"));
}

TEST_CASE("config: a workload that does not exist")
{
  const ConfigError e = example_error("invalid-unknown-workload.yaml");
  check_error(e, data_file("invalid-unknown-workload.yaml"), 10, 10, "workload.model",
              "expected a workload in workloads/ or a workload file path, found \"resnet5\"");
  CHECK_THAT(e.message(), Catch::Contains("workloads/resnet5.yaml"));
}

TEST_CASE("config: a choice not in the list suggests the closest one")
{
  check_example("invalid-bad-choice.yaml", 14, 14, "training.allreduce",
                "expected one of auto, ring, tree, hierarchical, torus, found \"rings\" (did you mean \"ring\"?)");
}

TEST_CASE("config: steps and epochs both given")
{
  check_example("invalid-steps-and-epochs.yaml", 13, 11, "workload.epochs",
                "expected exactly one of workload.steps or workload.epochs, found both");
}

TEST_CASE("config: neither steps nor epochs given")
{
  std::string text = kValidBase;
  text.erase(text.find("  steps: 10\n"));
  const auto path = write_file(scratch_dir() / "no-steps.yaml", text);
  // There is no value to point at, so the error points at the start of the file.
  check_error(load_error(path.string()), path.string(), 1, 1, "workload",
              "expected exactly one of workload.steps or workload.epochs, found neither");
}

TEST_CASE("config: nvme-of storage without targets")
{
  // The key is missing, so there is no value to point at: the error points at the first line of the
  // scenario (line 2, after the comment), not at the storage section.
  check_example("invalid-nvme-of-without-targets.yaml", 2, 1, "storage.nvme_of.targets",
                "missing key: expected a whole number >= 1 and <= 1000000, since storage.dataset_on is nvme-of");
}

TEST_CASE("config: local-nvme storage without a drive")
{
  std::string text = kValidBase;
  text.replace(text.find("dataset_on: memory"), 18, "dataset_on: local-nvme");
  const auto path = write_file(scratch_dir() / "no-drive.yaml", text);
  const ConfigError e = load_error(path.string());
  CHECK(e.key() == "storage.local_nvme.drive");
  CHECK_THAT(e.message(),
             Catch::Contains("missing key: expected a text value, since storage.dataset_on is local-nvme"));
}

TEST_CASE("config: scenario format version 2 is refused")
{
  check_example("invalid-version.yaml", 2, 10, "version",
                "expected 1, the only scenario format this dtsim reads, found \"2\"");
}

TEST_CASE("config: invalid YAML reports the parser's line and column")
{
  check_example("invalid-yaml-syntax.yaml", 7, 8, "", "invalid YAML: end of sequence flow not found");
}

TEST_CASE("config: more errors written from strings")
{
  const auto dir = scratch_dir();
  struct Case {
    std::string name, from, to;
    int line, column;
    std::string key, fragment;
  };
  // Lines are those of kValidBase (no comment line).
  const std::vector<Case> cases{
      {"precision", "  steps: 10\n", "  steps: 10\n  precision: fp8\n", 12, 14, "workload.precision",
       "expected a precision that A100-SXM4-80GB has a peak rate for (bf16, fp16, fp32, tf32), found \"fp8\""},
      {"section-scalar", "storage:\n  dataset_on: memory\n", "storage: memory\n", 6, 10, "storage",
       "expected a section (a mapping of keys), found \"memory\""},
      {"boolean", "  steps: 10\n", "  steps: 10\ntraining:\n  overlap: yes\n", 13, 12, "training.overlap",
       "expected true or false, found \"yes\""},
      {"fraction", "  nodes: 1\n", "  nodes: 1.5\n", 3, 10, "cluster.nodes", "expected a whole number, found \"1.5\""},
      {"section-for-value", "  nodes: 1\n", "  nodes:\n    count: 1\n", 4, 5, "cluster.nodes",
       "expected a whole number >= 1 and <= 1000000, found a section"},
      {"oversubscription", "  steps: 10\n", "  steps: 10\nnetwork:\n  oversubscription: 0.5\n", 13, 21,
       "network.oversubscription", "expected a number >= 1 and <= 1000, found \"0.5\""},
      {"epochs-zero", "  steps: 10\n", "  epochs: 0\n", 11, 11, "workload.epochs",
       "expected a number > 0 and <= 1000000, found \"0\""},
      {"unknown-nic", "  accelerators_per_node: 2\n", "  accelerators_per_node: 2\n  nic: ConnectX-6-HDR-100G\n", 6, 8,
       "cluster.nic", "(did you mean \"ConnectX-6-HDR-200G\"?)"},
      {"version-text", "version: 1\n", "version: one\n", 1, 10, "version", "expected a whole number, found \"one\""},
      {"rails-without-gpus", "  accelerators_per_node: 2\n",
       "  accelerators_per_node: 2\n  nics_per_node: 4\nnetwork:\n  topology: rail-optimized\n", 6, 18,
       "cluster.nics_per_node", "expected at most one rail per accelerator on a rail-optimized network"},
      {"cube-mesh-of-2", "  accelerators_per_node: 2\n", "  accelerators_per_node: 2\n  intra_node: hybrid-cube-mesh\n",
       5, 26, "cluster.accelerators_per_node",
       "expected 8 accelerators per node for the hybrid-cube-mesh (cluster.intra_node), found 2"},
      {"dragonfly-without-groups", "  steps: 10\n",
       "  steps: 10\nnetwork:\n  topology: dragonfly\n  dragonfly:\n    routers_per_group: 2\n", 1, 1,
       "network.dragonfly.groups",
       "missing key: expected a whole number >= 1 and <= 1000000, since network.topology is dragonfly"},
      {"dragonfly-too-small", "  steps: 10\n",
       "  steps: 10\nnetwork:\n  topology: dragonfly\n  dragonfly: {groups: 1, routers_per_group: 1, "
       "nodes_per_router: 0}\n",
       14, 66, "network.dragonfly.nodes_per_router", "expected a whole number >= 1 and <= 1000000, found \"0\""},
      {"dragonfly-more-nodes", "  nodes: 1\n  accelerator: A100-SXM4-80GB\n  accelerators_per_node: 2\n",
       "  nodes: 3\n  accelerator: A100-SXM4-80GB\n  accelerators_per_node: 2\nnetwork:\n  topology: dragonfly\n"
       "  dragonfly: {groups: 1, routers_per_group: 2, nodes_per_router: 1}\n",
       3, 10, "cluster.nodes",
       "expected at most the 2 nodes a dragonfly of 1 groups x 2 routers x 1 nodes holds, found 3"},
      {"subnormal-bandwidth", "  accelerators_per_node: 2\n",
       "  accelerators_per_node: 2\n  nic_bandwidth: 1e-310 GB/s\n", 6, 18, "cluster.nic_bandwidth",
       "expected a bandwidth such as \"200 Gb/s\" or \"25 GB/s\" of magnitude between 2.22507e-308 and "
       "1.79769e+308 B/s (or 0), found \"1e-310 GB/s\""},
      {"infinite-size", "  dataset_on: memory\n", "  dataset_on: memory\n  max_request: 1e300 PB\n", 8, 16,
       "storage.max_request", "of magnitude between 2.22507e-308 and 1.79769e+308 B (or 0), found \"1e300 PB\""},
      {"too-large-to-read", "  dataset_on: memory\n", "  dataset_on: memory\n  max_request: 1e400 MiB\n", 8, 16,
       "storage.max_request", "found \"1e400 MiB\""},
      {"subnormal-once-scaled", "  steps: 10\n", "  steps: 10\ntraining:\n  step_overhead: 1e-300 ns\n", 13, 18,
       "training.step_overhead", "of magnitude between 2.22507e-308 and 1.79769e+308 s (or 0), found \"1e-300 ns\""},
      {"whole-number-past-2-to-the-53", "  steps: 10\n", "  steps: 9007199254740993\n", 11, 10, "workload.steps",
       "expected a whole number of at most 9007199254740992 (2^53), found \"9007199254740993\""},
      {"dragonfly-keys-elsewhere", "  steps: 10\n",
       "  steps: 10\nnetwork:\n  topology: leaf-spine\n  dragonfly:\n    global_links: 2\n", 15, 19,
       "network.dragonfly.global_links",
       "expected no network.dragonfly.global_links, since network.topology is leaf-spine (it applies when "
       "network.topology is dragonfly)"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    std::string text = kValidBase;
    const auto at = text.find(c.from);
    REQUIRE(at != std::string::npos);
    text.replace(at, c.from.size(), c.to);
    const auto path = write_file(dir / (c.name + ".yaml"), text);
    check_error(load_error(path.string()), path.string(), c.line, c.column, c.key, c.fragment);
  }
}

TEST_CASE("config: a file that does not exist")
{
  const std::string path = data_file("no-such-scenario.yaml");
  const ConfigError e = load_error(path);
  CHECK(e.where().origin == path);
  CHECK(e.where().line == 0);
  CHECK(e.message() == "cannot open the file");
}

// --- --set overrides --------------------------------------------------------------------------

TEST_CASE("config: --set with text for a whole number names the option")
{
  const ConfigError e = load_error("scenarios/quickstart.yaml", {"workload.batch_per_device=abc"});
  CHECK(e.where().origin == "--set workload.batch_per_device=abc");
  CHECK(e.where().line == 0);
  CHECK(e.where().column == 0);
  CHECK(e.key() == "workload.batch_per_device");
  CHECK(e.message() == "expected a whole number, found \"abc\"");
  CHECK(std::string(e.what()) ==
        "--set workload.batch_per_device=abc: workload.batch_per_device: expected a whole number, found \"abc\"");
}

TEST_CASE("config: --set of an unknown key names the option")
{
  const ConfigError e = load_error("scenarios/quickstart.yaml", {"workload.batch_per_devce=3"});
  CHECK(e.where().origin == "--set workload.batch_per_devce=3");
  CHECK(e.where().line == 0);
  CHECK(e.key() == "workload.batch_per_devce");
  CHECK_THAT(e.message(), Catch::Contains("unknown key (did you mean \"batch_per_device\"?)"));
}

TEST_CASE("config: --set of a list for a whole number")
{
  const ConfigError e = load_error("scenarios/quickstart.yaml", {"cluster.nodes=[1,2]"});
  CHECK(e.where().origin == "--set cluster.nodes=[1,2]");
  CHECK(e.where().line == 0);
  CHECK(e.key() == "cluster.nodes");
  CHECK(e.message() == "expected a whole number >= 1 and <= 1000000, found a list");
}

TEST_CASE("config: malformed --set options")
{
  const std::string quickstart = "scenarios/quickstart.yaml";
  {
    const ConfigError e = load_error(quickstart, {"workload.batch_per_device"});
    CHECK(e.where().origin == "--set workload.batch_per_device");
    CHECK_THAT(e.message(), Catch::Contains("found no '='"));
  }
  {
    const ConfigError e = load_error(quickstart, {"workload..steps=3"});
    CHECK(e.key() == "workload..steps");
    CHECK_THAT(e.message(), Catch::Contains("expected a dotted key path"));
  }
  {
    const ConfigError e = load_error(quickstart, {"cluster.nodes.count=3"});
    CHECK(e.where().origin == "--set cluster.nodes.count=3");
    CHECK(e.key() == "cluster.nodes");
    CHECK_THAT(e.message(), Catch::Contains("expected a section to set a key inside, found a value"));
  }
  {
    const ConfigError e = load_error(quickstart, {"workload.steps=["});
    CHECK(e.where().origin == "--set workload.steps=[");
    CHECK(e.key() == "workload.steps");
    CHECK_THAT(e.message(), Catch::Contains("the value is not valid: invalid YAML"));
  }
}

TEST_CASE("config: --set errors found after validation also name the option")
{
  {
    const ConfigError e = load_error("scenarios/quickstart.yaml", {"workload.batch_per_device=100000"});
    CHECK(e.where().origin == "--set workload.batch_per_device=100000");
    CHECK(e.key() == "workload.batch_per_device");
    CHECK_THAT(e.message(), Catch::Contains("expected a batch that fits"));
  }
  {
    const ConfigError e = load_error("scenarios/quickstart.yaml", {"version=2"});
    CHECK(e.where().origin == "--set version=2");
    CHECK(e.key() == "version");
  }
  {
    // The last of two overrides of the same key wins, and is the one named.
    const ConfigError e = load_error("scenarios/quickstart.yaml", {"cluster.nodes=2", "cluster.nodes=0"});
    CHECK(e.where().origin == "--set cluster.nodes=0");
    CHECK(e.message() == "expected a whole number >= 1 and <= 1000000, found \"0\"");
  }
}

TEST_CASE("config: a valid --set changes the scenario")
{
  const auto plain = load_scenario("scenarios/quickstart.yaml", {}, DTSIM_SOURCE_DIR);
  REQUIRE(plain.workload.batch_per_device == 128);
  const auto changed = load_scenario("scenarios/quickstart.yaml",
                                     {"workload.batch_per_device=64", "network.topology=leaf-spine"}, DTSIM_SOURCE_DIR);
  CHECK(changed.workload.batch_per_device == 64);
  CHECK(changed.network.topology == dtsim::config::Topology::leaf_spine);
  CHECK(changed.workload.steps == plain.workload.steps);
  const auto setting = std::find_if(changed.settings.begin(), changed.settings.end(),
                                    [](const auto& s) { return s.path == "workload.batch_per_device"; });
  REQUIRE(setting != changed.settings.end());
  CHECK(setting->text == "64");
  CHECK(setting->number == 64);
  CHECK_FALSE(setting->from_default);
}

TEST_CASE("config: --set of a key in a new unknown section names the option")
{
  const ConfigError e = load_error("scenarios/quickstart.yaml", {"trainig.allreduce=ring"});
  CHECK(e.key() == "trainig");
  CHECK_THAT(e.message(), Catch::Contains("did you mean \"training\""));
  CHECK(e.where().origin == "--set trainig.allreduce=ring");
  CHECK(e.where().line == 0);
}

TEST_CASE("config: a key given twice in one section is refused")
{
  const auto path = write_file(scratch_dir() / "duplicate-key.yaml", std::string(kValidBase) + "  steps: 20\n");
  const ConfigError e = load_error(path.string());
  CHECK(e.key() == "workload.steps");
  CHECK(e.where().line == 12);
}

TEST_CASE("config: --set of a value written as a YAML alias changes only that key")
{
  std::string text = kValidBase;
  text.replace(text.find("nodes: 1"), 8, "nodes: &n 2");
  text.replace(text.find("accelerators_per_node: 2"), 24, "accelerators_per_node: *n");
  const auto path = write_file(scratch_dir() / "alias.yaml", text);
  const auto plain = load_scenario(path.string(), {}, DTSIM_SOURCE_DIR);
  REQUIRE(plain.cluster.nodes == 2);
  REQUIRE(plain.cluster.accelerators_per_node == 2);
  const auto changed = load_scenario(path.string(), {"cluster.nodes=1"}, DTSIM_SOURCE_DIR);
  CHECK(changed.cluster.nodes == 1);
  CHECK(changed.cluster.accelerators_per_node == 2);
}

// --- Broken data files --------------------------------------------------------------------------

namespace {

/// A copy of the data dir (catalog/ and workloads/) in which `file` has `from` replaced by `to`.
fs::path data_dir_with(const std::string& file, const std::string& from, const std::string& to)
{
  const fs::path dir = scratch_dir() / fmt::format("data-{}", std::hash<std::string>{}(file + from + to));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(fs::path(DTSIM_SOURCE_DIR) / "catalog", dir / "catalog", fs::copy_options::recursive);
  fs::copy(fs::path(DTSIM_SOURCE_DIR) / "workloads", dir / "workloads", fs::copy_options::recursive);
  std::string text = read_text(dir / file);
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  write_file(dir / file, text);
  return dir;
}

/// The 1-based line of `dir/file` on which `needle` first occurs.
int line_of(const fs::path& path, const std::string& needle)
{
  std::ifstream in(path);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (line.find(needle) != std::string::npos)
      return number;
  }
  return 0;
}

} // namespace

TEST_CASE("config: the copied data dir loads like the original")
{
  const fs::path dir = data_dir_with("catalog/nics.yaml", "nics:", "nics:");
  const auto s = load_scenario("scenarios/quickstart.yaml", {}, dir.string());
  CHECK(s.cluster.accelerator.peak_rate.at("fp16").value == Approx(312e12));
  CHECK(s.workload.model_file == (dir / "workloads" / "resnet50.yaml").string());
}

TEST_CASE("config: a catalog figure without source or assumption names its file")
{
  const std::string nic_latency =
      R"(latency: {value: "600 ns", source: "docs.nvidia.com/networking/display/ConnectX6EN)";
  const fs::path dir =
      data_dir_with("catalog/nics.yaml", nic_latency,
                    R"(latency: {value: "600 ns", note: "docs.nvidia.com/networking/display/ConnectX6EN)");
  const fs::path nics = dir / "catalog" / "nics.yaml";
  const int line = line_of(nics, "latency: {value: \"600 ns\", note:");
  REQUIRE(line > 0);
  const ConfigError e = load_error("scenarios/quickstart.yaml", {}, dir.string());
  INFO(e.what());
  CHECK(e.where().origin == nics.string());
  CHECK(e.where().line == line);
  CHECK(e.where().column == 14); // the figure's mapping, after "    latency: "
  CHECK(e.key() == "nics.ConnectX-6-HDR-200G.latency");
  CHECK(e.message() == "expected exactly one of \"source\" or \"assumption\" next to the value");
}

TEST_CASE("config: a catalog figure with both source and assumption names its file")
{
  const fs::path dir = data_dir_with("catalog/drives.yaml", R"(read_bandwidth: {value: "7000 MB/s", source:)",
                                     R"(read_bandwidth: {value: "7000 MB/s", assumption: "x", source:)");
  const ConfigError e = load_error("scenarios/quickstart.yaml", {}, dir.string());
  CHECK(e.where().origin == (dir / "catalog" / "drives.yaml").string());
  CHECK(e.key() == "drives.Micron-9400-7.68TB.read_bandwidth");
  CHECK_THAT(e.message(), Catch::Contains("exactly one of \"source\" or \"assumption\""));
}

TEST_CASE("config: a catalog figure with a bad unit names its file")
{
  const fs::path dir =
      data_dir_with("catalog/accelerators.yaml",
                    R"(memory: {value: "80 GB", source: "glennklockwood.com/garden/processors/A100: 80 GB HBM2e"})",
                    R"(memory: {value: "80 GBs", source: "glennklockwood.com/garden/processors/A100: 80 GB HBM2e"})");
  const fs::path file = dir / "catalog" / "accelerators.yaml";
  const ConfigError e = load_error("scenarios/quickstart.yaml", {}, dir.string());
  CHECK(e.where().origin == file.string());
  CHECK(e.where().line == line_of(file, "80 GBs"));
  CHECK(e.key() == "accelerators.A100-SXM4-80GB.memory.value");
  CHECK_THAT(e.message(), Catch::Contains("unknown unit \"GBs\""));
}

TEST_CASE("config: an unknown key in a workload file names its file")
{
  const fs::path dir =
      data_dir_with("workloads/resnet50.yaml", "sample_unit: images", "sample_unit: images\nsample_units: images");
  const fs::path file = dir / "workloads" / "resnet50.yaml";
  const ConfigError e = load_error("scenarios/quickstart.yaml", {}, dir.string());
  CHECK(e.where().origin == file.string());
  CHECK(e.where().line == line_of(file, "sample_units:"));
  CHECK(e.where().column == 1);
  CHECK(e.key() == "sample_units");
  CHECK_THAT(e.message(), Catch::Contains("unknown key"));
}

TEST_CASE("config: samples_per_record without the records layout")
{
  std::string text = kValidBase;
  text.replace(text.find("dataset_on: memory"), 18, "dataset_on: memory\n  samples_per_record: 64");
  const auto path = write_file(scratch_dir() / "records-without-layout.yaml", text);
  check_error(load_error(path.string()), path.string(), 8, 23, "storage.samples_per_record",
              "expected no storage.samples_per_record, since storage.layout is file-per-sample (it applies when "
              "storage.layout is records)");
}

TEST_CASE("config: checkpoint keys without checkpoint.every_steps")
{
  const auto path = write_file(scratch_dir() / "checkpoint-without-interval.yaml",
                               std::string(kValidBase) + "checkpoint:\n  to: local-nvme\n");
  check_error(load_error(path.string()), path.string(), 13, 7, "checkpoint.to",
              "expected no checkpoint.to, since checkpoint.every_steps is not set (it applies when "
              "checkpoint.every_steps is set)");
}

TEST_CASE("config: checkpoints to local NVMe need its drive")
{
  const auto path = write_file(scratch_dir() / "checkpoint-without-drive.yaml",
                               std::string(kValidBase) + "checkpoint:\n  every_steps: 5\n  to: local-nvme\n");
  // The key is missing: the error points at the first line of the scenario.
  check_error(load_error(path.string()), path.string(), 1, 1, "storage.local_nvme.drive",
              "missing key: expected a text value, since checkpoint.to is local-nvme");
}

TEST_CASE("config: a catalog file of one's own cannot redefine a name the catalog has")
{
  const auto catalog = write_file(scratch_dir() / "own-catalog.yaml",
                                  "nics:\n  ConnectX-6-HDR-200G:\n    bandwidth: {value: \"100 Gb/s\", source: x}\n"
                                  "    latency: {value: \"1 us\", source: x}\n");
  const auto path =
      write_file(scratch_dir() / "own-catalog-scenario.yaml", std::string(kValidBase) + "catalog: own-catalog.yaml\n");
  // The position yaml-cpp gives the entry is that of its mapping, the first key inside it.
  check_error(load_error(path.string()), catalog.string(), 3, 5, "nics.ConnectX-6-HDR-200G",
              "expected a name not already in catalog/nics.yaml, found \"ConnectX-6-HDR-200G\"");
}

TEST_CASE("config: a catalog file of one's own is checked like the catalog: unknown sections are errors")
{
  const auto catalog = write_file(scratch_dir() / "own-catalog-typo.yaml", "acelerators: {}\n");
  const auto path = write_file(scratch_dir() / "own-catalog-typo-scenario.yaml",
                               std::string(kValidBase) + "catalog: own-catalog-typo.yaml\n");
  const ConfigError e = load_error(path.string());
  CHECK(e.where().origin == catalog.string());
  CHECK_THAT(e.message(), Catch::Contains("unknown key"));
}

TEST_CASE("config: a catalog file that does not exist is an error at the catalog key")
{
  const auto path =
      write_file(scratch_dir() / "missing-catalog.yaml", std::string(kValidBase) + "catalog: nope.yaml\n");
  check_error(load_error(path.string()), path.string(), 12, 10, "catalog", "expected a catalog file, found no file at");
}

TEST_CASE("config: input-pipeline, framework and appliance keys say what they expected")
{
  const auto message = [](const std::string& file) {
    try {
      load_scenario(data_file(file), {}, DTSIM_SOURCE_DIR);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("loaded");
  };
  CHECK_THAT(message("invalid-unknown-cpu.yaml"),
             Catch::Contains("invalid-unknown-cpu.yaml:7:8: cluster.cpu: expected a name from catalog/cpus.yaml") &&
                 Catch::Contains("did you mean \"EPYC-7742\"?"));
  CHECK_THAT(
      message("invalid-smt-yield.yaml"),
      Catch::Contains("invalid-smt-yield.yaml:7:14: cluster.smt_yield: expected a number >= 0 and <= 1, found \"2\""));
  CHECK_THAT(message("invalid-appliance-without-figures.yaml"),
             Catch::Contains("storage.appliance.write_bandwidth: missing key") &&
                 Catch::Contains("storage.appliance.model is not given"));
  const std::string base = data_file("invalid-smt-yield.yaml");
  CHECK_THROWS_WITH(load_scenario(base, {"cluster.smt_yield=0.5", "training.framework=tensorflow"}, DTSIM_SOURCE_DIR),
                    Catch::Contains("training.framework: expected one of"));
  CHECK_THROWS_WITH(load_scenario(base, {"cluster.smt_yield=0.5", "training.loader=webdataset"}, DTSIM_SOURCE_DIR),
                    Catch::Contains("training.loader: expected one of"));
}

// --- Bounds: no file or option can make loading take long, exhaust memory or overflow the stack ----------

namespace {

using dtsim::config::Document;
using dtsim::config::max_document_bytes;
using dtsim::config::max_expanded_values;
using dtsim::config::max_nesting_depth;

/// "a: {a: {a: 1}}" for depth 3: the top-level mapping and depth - 1 more inside it.
std::string nested_sections(std::size_t depth)
{
  std::string text = "a: ";
  for (std::size_t i = 1; i < depth; ++i)
    text += "{a: ";
  text += "1";
  return text + std::string(depth - 1, '}') + "\n";
}

/// "a.a.a" for 3.
std::string repeated_key(std::size_t times)
{
  std::string path = "a";
  for (std::size_t i = 1; i < times; ++i)
    path += ".a";
  return path;
}

/// A flow list of nine anchored lists, each holding ten of the one before: 10^9 values once expanded.
std::string alias_bomb_value()
{
  std::string text = "[&l0 [x, x, x, x, x, x, x, x, x, x]";
  for (int level = 1; level < 9; ++level) {
    text += fmt::format(", &l{} [*l{}", level, level - 1);
    for (int i = 1; i < 10; ++i)
      text += fmt::format(", *l{}", level - 1);
    text += "]";
  }
  return text + "]";
}

std::string line_of_file(const std::string& path, int number)
{
  std::ifstream in(path);
  std::string line;
  for (int i = 0; i < number; ++i)
    std::getline(in, line);
  return line;
}

} // namespace

TEST_CASE("config: an alias bomb is refused at the top-level key whose aliases expand past the bound")
{
  // a holds 10 values, b ten a's, c ten b's ...: walking the file counts 1 + 11 + 111 + 1,111 + 11,111 values
  // up to d, and e's 111,111 pass the bound (a walk of every value would visit 10^9).
  REQUIRE(max_expanded_values == 100'000);
  check_example("limit-alias-bomb.yaml", 6, 1, "e",
                "expected at most 100000 values with every alias (*name) expanded where it is used, found more");
}

TEST_CASE("config: an alias bomb in a --set value is refused and names the option")
{
  const std::string assignment = "workload.model=" + alias_bomb_value();
  const ConfigError e = load_error("scenarios/quickstart.yaml", {assignment});
  CHECK(e.where().origin == "--set " + assignment);
  CHECK(e.where().line == 0);
  CHECK(e.key() == "workload.model");
  CHECK_THAT(e.message(), Catch::StartsWith("the value is not valid: expected at most 100000 values"));
}

TEST_CASE("config: an alias inside the value it names is refused, not followed forever")
{
  // The position is the anchor's: an alias is the node its anchor names.
  check_example("limit-alias-cycle.yaml", 3, 10, "cluster.again",
                "expected an alias (*name) to name a finished value, found one inside the value it names");
  const ConfigError e = load_error("scenarios/quickstart.yaml", {"workload.model=&x [*x]"});
  CHECK(e.key() == "workload.model");
  CHECK_THAT(e.message(), Catch::Contains("the value would contain itself"));
}

TEST_CASE("config: sections nested past the bound are refused, and at the bound they parse")
{
  const std::string path = data_file("limit-deep-nesting.yaml");
  const std::string line = line_of_file(path, 2);
  REQUIRE(line == nested_sections(max_nesting_depth + 1).substr(0, line.size()));
  // The first section past the bound is the last '{' of the line, max_nesting_depth keys down.
  check_error(example_error("limit-deep-nesting.yaml"), path, 2, static_cast<int>(line.rfind('{')) + 1,
              repeated_key(max_nesting_depth), "expected sections and lists nested at most 64 deep, found deeper");
  CHECK_NOTHROW(Document::parse(nested_sections(max_nesting_depth), "at-the-bound.yaml"));
  // yaml-cpp's parser refuses nesting far deeper than the bound on its own ("bad file"), with the same error.
  CHECK_THROWS_WITH(Document::parse("a: " + std::string(100'000, '['), "deeper.yaml"),
                    Catch::StartsWith("deeper.yaml:1:") &&
                        Catch::Contains(": expected sections and lists nested at most 64 deep, found "));
}

TEST_CASE("config: a document of as many values as the bound parses, one more value is refused")
{
  // The top-level mapping, the list and its items.
  const auto list_of = [](std::size_t items) {
    std::string text = "a: [";
    for (std::size_t i = 0; i < items; ++i)
      text += "1,";
    return text + "]\n";
  };
  CHECK_NOTHROW(Document::parse(list_of(max_expanded_values - 2), "at-the-bound.yaml"));
  try {
    Document::parse(list_of(max_expanded_values - 1), "past-the-bound.yaml");
    FAIL("a document past the bound parsed");
  } catch (const ConfigError& e) {
    check_error(e, "past-the-bound.yaml", 1, 1, "a", "expected at most 100000 values");
  }
}

TEST_CASE("config: a key given twice is found in a section of many keys")
{
  std::string text;
  const int keys = 20'000;
  for (int i = 0; i < keys; ++i)
    text += fmt::format("key{}: {}\n", i, i);
  text += "key0: again\n";
  try {
    Document::parse(text, "many-keys.yaml");
    FAIL("a duplicate key was not found");
  } catch (const ConfigError& e) {
    check_error(e, "many-keys.yaml", keys + 1, 1, "key0", "key given twice in the same section; expected it once");
  }
}

TEST_CASE("config: a key that is a list, a section or nothing is refused")
{
  for (const std::string text : {"? [a, b]\n: 1\n", "? {a: 1}\n: 1\n", ": 1\n"}) {
    INFO(text);
    CHECK_THROWS_WITH(Document::parse(text, "odd-key.yaml"), Catch::Contains("expected a key name, found"));
  }
}

TEST_CASE("config: a file over the size bound is refused before it is parsed, naming its size and the bound")
{
  REQUIRE(max_document_bytes == 1024 * 1024);
  const auto dir = scratch_dir();
  // A comment is valid YAML of any length: only the size can refuse it.
  const auto large = write_file(dir / "large.yaml", "#" + std::string(max_document_bytes, 'x'));
  const ConfigError e = load_error(large.string());
  CHECK(e.where().origin == large.string());
  CHECK(e.where().line == 0);
  CHECK(e.message() == "expected a document of at most 1048576 bytes (1 MiB), found 1048577 bytes");
  const auto at_bound = write_file(dir / "at-bound.yaml", "#" + std::string(max_document_bytes - 1, 'x'));
  CHECK_THAT(load_error(at_bound.string()).message(), Catch::StartsWith("missing key"));
  CHECK_THROWS_WITH(Document::parse(std::string(max_document_bytes + 1, '#'), "text"),
                    "text: expected a document of at most 1048576 bytes (1 MiB), found 1048577 bytes");
}

TEST_CASE("config: a directory, a named pipe or a device given as a file is refused without reading it")
{
  const auto dir = scratch_dir();
  const fs::path pipe = dir / "pipe.yaml";
  fs::remove(pipe);
  REQUIRE(mkfifo(pipe.c_str(), 0600) == 0);
  // Opening the pipe to read it would wait for a writer forever; reading /dev/zero would never end.
  for (const auto& [path, found] : {std::pair<std::string, std::string>{pipe.string(), "a named pipe (FIFO)"},
                                    {"/dev/zero", "a device"},
                                    {dir.string(), "a directory"}}) {
    INFO(path);
    const ConfigError e = load_error(path);
    CHECK(e.where().origin == path);
    CHECK(e.where().line == 0);
    CHECK(e.message() == "expected a regular file (a YAML document), found " + found);
  }
  // A file of /proc has the size 0 and yet text to read.
  const ConfigError proc = load_error("/proc/self/status");
  CHECK(proc.where().origin == "/proc/self/status");
  CHECK_THAT(proc.message(), Catch::StartsWith("expected 0 bytes, the file's size, found more reading it"));
  // The node building block and the workload a scenario names are refused at the key that names them.
  std::string text = kValidBase;
  text.replace(text.find("  nodes: 1\n"), 11, "  nodes: 1\n  node: /dev/zero\n");
  const ConfigError node = load_error(write_file(dir / "node-is-a-device.yaml", text).string());
  CHECK(node.key() == "cluster.node");
  CHECK(node.where().line > 0);
  CHECK_THAT(node.message(), Catch::EndsWith("(a device at /dev/zero)"));
  text = kValidBase;
  text.replace(text.find("model: resnet50"), 15, "model: " + pipe.string());
  const ConfigError workload = load_error(write_file(dir / "workload-is-a-pipe.yaml", text).string());
  CHECK(workload.key() == "workload.model");
  CHECK(workload.where().line > 0);
  CHECK_THAT(workload.message(), Catch::EndsWith("(a named pipe (FIFO) at " + pipe.string() + ")"));
}

// --- Inputs the fuzz targets (tests/fuzz) found ---------------------------------------------------

TEST_CASE("config: an empty scenario file is missing its keys")
{
  // yaml-cpp's const lookup of a missing section gave a node whose type could not be asked (YAML::InvalidNode).
  check_example("fuzz-empty.yaml", 1, 1, "version", "missing key: expected a whole number >= 1");
}

TEST_CASE("config: a node building block without a cluster section says so")
{
  const auto dir = scratch_dir();
  const auto block = write_file(dir / "node-without-cluster.yaml", "about: a node file without its cluster section\n");
  std::string text = kValidBase;
  text.replace(text.find("  nodes: 1\n"), 11, "  nodes: 1\n  node: node-without-cluster.yaml\n");
  const auto path = write_file(dir / "scenario-with-bad-node.yaml", text);
  check_error(load_error(path.string()), block.string(), 1, 1, "cluster",
              "expected a section of cluster keys, found nothing");
}

TEST_CASE("config: a node, workload or catalog name too long for a file name is not found, not a crash")
{
  // std::filesystem::exists threw filesystem_error (ENAMETOOLONG) for a name past 255 bytes.
  check_example("fuzz-name-too-long.yaml", 5, 9, "cluster.node", "expected a node in topologies/");
  const std::string name(300, 'a');
  std::string text = kValidBase;
  text.replace(text.find("model: resnet50"), 15, "model: " + name);
  const auto workload = write_file(scratch_dir() / "workload-name-too-long.yaml", text);
  check_error(load_error(workload.string()), workload.string(), 9, 10, "workload.model",
              "expected a workload in workloads/ or a workload file path");
  const auto catalog =
      write_file(scratch_dir() / "catalog-name-too-long.yaml", std::string(kValidBase) + "catalog: " + name + "\n");
  check_error(load_error(catalog.string()), catalog.string(), 12, 10, "catalog",
              "expected a catalog file, found no file");
}

TEST_CASE("config: a whole number past 2^53 is refused, not rounded or cast back out of range")
{
  check_example("fuzz-integer-overflow.yaml", 11, 21, "workload.batch_per_device",
                "expected a whole number of at most 9007199254740992 (2^53), found \"9223372036854775807\"");
}

TEST_CASE("config: a torus of 10^18 accelerators per slice is compared with the cluster without overflow")
{
  // The fuzzer's 2,000,000 slices are past the bound; at the bound the product is still compared by division.
  check_example("fuzz-torus-overflow.yaml", 16, 11, "network.slices",
                "expected a whole number >= 1 and <= 1000000, found \"2000000\"");
  const ConfigError e = load_error(data_file("fuzz-torus-overflow.yaml"), {"network.slices=1000000"});
  CHECK(e.key() == "network.torus");
  CHECK(e.message() == "expected dimensions whose product is the 0 accelerators of each of the 1000000 slices, found "
                       "\"999999x999999x999999\" = 999997000002999999");
}

TEST_CASE("config: a dragonfly of 10^18 ports loads and counts its links in floating point")
{
  // The fuzzer's 2^31 - 1 groups, routers and nodes per router are past the bound of a million each.
  check_example("fuzz-dragonfly-overflow.yaml", 15, 23, "network.dragonfly.groups",
                "expected a whole number >= 1 and <= 1000000, found \"2147483647\"");
  const auto s = load_scenario(data_file("fuzz-dragonfly-overflow.yaml"),
                               {"network.dragonfly.groups=1000000", "network.dragonfly.routers_per_group=1000000",
                                "network.dragonfly.nodes_per_router=1000000"},
                               DTSIM_SOURCE_DIR);
  const double groups = s.network.dragonfly.groups;
  const double routers = s.network.dragonfly.routers_per_group;
  REQUIRE(groups == 1e6);
  // At least one local link between each pair of routers of each group.
  CHECK(dtsim::config::cluster_resources(s).switch_ports.compute >= groups * routers * (routers - 1));
}

// --- Physical bounds: every number has a finite range, printed in the error and the reference ------------

TEST_CASE("config: a value just past a physical bound is refused with its range, and one just inside loads")
{
  struct Case {
    std::string section, key, past, inside, range;
  };
  const std::vector<Case> cases{
      {"cluster", "nic_bandwidth", "0.9 B/s", "1 B/s", ">= 1 B/s and <= 1 EB/s"},
      {"cluster", "nic_bandwidth", "1.001 EB/s", "1 EB/s", ">= 1 B/s and <= 1 EB/s"},
      {"network", "switch_latency", "3601 s", "1 h", ">= 0 s and <= 1 h"},
      {"network", "switch_latency", "-1 ns", "0 s", ">= 0 s and <= 1 h"},
      {"training", "startup", "169 h", "168 h", ">= 0 s and <= 168 h"},
      {"training", "bucket_size", "1.001 EB", "1 EB", ">= 1 B and <= 1 EB"},
      {"training", "bucket_size", "0.9 B", "1 B", ">= 1 B and <= 1 EB"},
      {"training", "prefetch", "1025", "1024", "a whole number >= 1 and <= 1024"},
      {"cluster", "cpu_cores_per_node", "1000001", "1000000", "a whole number >= 1 and <= 1000000"},
      {"training", "gradient_bytes_per_param", "1024.5", "1024", "a number > 0 and <= 1024"},
      {"cost", "pue", "0.99", "1", "a number >= 1 and <= 10"},
  };
  const auto dir = scratch_dir();
  for (const auto& c : cases) {
    const std::string path = c.section + "." + c.key;
    INFO(path << " = " << c.past);
    // cluster: is line 2 of kValidBase; another section is appended after its last line, 11.
    const bool in_cluster = c.section == "cluster";
    const auto scenario = [&](const std::string& value) {
      std::string text = kValidBase;
      const std::string line = fmt::format("  {}: {}\n", c.key, value);
      if (in_cluster)
        text.insert(text.find("storage:"), line);
      else
        text += c.section + ":\n" + line;
      return text;
    };
    const auto past = write_file(dir / "past-bound.yaml", scenario(c.past));
    check_error(load_error(past.string()), past.string(), in_cluster ? 6 : 13, static_cast<int>(c.key.size()) + 5, path,
                fmt::format("{}, found \"{}\"", c.range, c.past));
    const auto inside = write_file(dir / "inside-bound.yaml", scenario(c.inside));
    CHECK_NOTHROW(load_scenario(inside.string(), {}, DTSIM_SOURCE_DIR));
  }
}

TEST_CASE("config: every number, count and quantity of the table has a finite range the reference prints")
{
  for (const auto& p : dtsim::config::scenario_parameters()) {
    using dtsim::config::ValueKind;
    if (p.kind != ValueKind::integer && p.kind != ValueKind::number && p.kind != ValueKind::quantity)
      continue;
    INFO(p.path);
    CHECK(std::isfinite(p.minimum));
    CHECK(std::isfinite(p.maximum));
    CHECK(p.minimum < p.maximum);
    CHECK_THAT(p.expected(), Catch::Contains(" <= " + p.maximum_text));
  }
}

// --- When a key applies: a key set where its declared condition does not hold is refused, saying why ----------

namespace {

/// kValidBase with `section:` and its `lines` appended (line 12 on), loaded; the ConfigError it throws.
ConfigError appended_error(const std::string& name, const std::string& lines,
                           const std::vector<std::string>& overrides = {})
{
  const auto path = write_file(scratch_dir() / (name + ".yaml"), std::string(kValidBase) + lines);
  return load_error(path.string(), overrides);
}

} // namespace

TEST_CASE("config: a key for another value of a choice is refused, naming the value it applies for")
{
  const ConfigError e = appended_error("torus-on-switch", "network:\n  torus: 4x4\n");
  check_error(e, (scratch_dir() / "torus-on-switch.yaml").string(), 13, 10, "network.torus",
              "expected no network.torus, since network.topology is single-switch (it applies when network.topology "
              "is torus)");
  const ConfigError leaf = appended_error("leaf-on-dragonfly", "network:\n  topology: torus\n  nodes_per_leaf: 4\n");
  CHECK(leaf.message() == "expected no network.nodes_per_leaf, since network.topology is torus (it applies when "
                          "network.topology is leaf-spine, rail-optimized or fat-tree)");
}

TEST_CASE("config: a storage key applies when either the dataset or the checkpoints are on that storage")
{
  std::string text = kValidBase;
  text.replace(text.find("dataset_on: memory"), 18,
               "dataset_on: local-nvme\n  local_nvme: {drive: Micron-9400-7.68TB}\n  nvme_of:\n    targets: 2");
  const auto path = write_file(scratch_dir() / "targets-on-local.yaml", text);
  check_error(
      load_error(path.string()), path.string(), 10, 14, "storage.nvme_of.targets",
      "expected no storage.nvme_of.targets, since storage.dataset_on is local-nvme and checkpoint.to is not set "
      "(it applies when storage.dataset_on is nvme-of or checkpoint.to is nvme-of)");
  // Checkpoints written to NVMe-oF make the targets apply, the dataset staying on local NVMe.
  const auto s = load_scenario(
      path.string(), {"checkpoint.every_steps=5", "checkpoint.to=nvme-of", "storage.nvme_of.drive=Micron-9400-7.68TB"},
      DTSIM_SOURCE_DIR);
  REQUIRE(s.storage.remote);
  CHECK(s.storage.remote->targets == 2);
}

TEST_CASE("config: a key that needs two conditions is refused when either fails")
{
  const auto scenario = [](const std::string& name, const std::string& target) {
    std::string text = kValidBase;
    text.replace(text.find("dataset_on: memory"), 18,
                 "dataset_on: nvme-of\n  nvme_of: {targets: 1, drive: Micron-9400-7.68TB, " + target +
                     "tcp_cpu_cost: 1}");
    return write_file(scratch_dir() / (name + ".yaml"), text).string();
  };
  const std::string rule = "(it applies when storage.nvme_of.transport is tcp and storage.nvme_of.offload is none)";
  CHECK(load_error(scenario("tcp-cost-on-rdma", "")).message() ==
        "expected no storage.nvme_of.tcp_cpu_cost, since storage.nvme_of.transport is rdma and "
        "storage.nvme_of.offload does not apply " +
            rule);
  CHECK(load_error(scenario("tcp-cost-behind-dpu", "transport: tcp, offload: dpu, ")).message() ==
        "expected no storage.nvme_of.tcp_cpu_cost, since storage.nvme_of.transport is tcp and "
        "storage.nvme_of.offload is dpu " +
            rule);
  CHECK_NOTHROW(load_scenario(scenario("tcp-cost-on-tcp", "transport: tcp, "), {}, DTSIM_SOURCE_DIR));
}

TEST_CASE("config: a key that depends on a key that does not apply is refused, saying so")
{
  const ConfigError e = appended_error("offload-without-target", "", {"storage.nvme_of.offload=dpu"});
  CHECK(e.where().origin == "--set storage.nvme_of.offload=dpu");
  CHECK(e.message() == "expected no storage.nvme_of.offload, since storage.nvme_of.transport does not apply (it "
                       "applies when storage.nvme_of.transport is tcp)");
}

TEST_CASE("config: a key that applies when another is set is refused without it")
{
  const ConfigError e = appended_error("batch-split-unmixed", "training:\n  batch_split: by-speed\n");
  CHECK(e.key() == "training.batch_split");
  CHECK(e.message() == "expected no training.batch_split, since cluster.mixed.nodes is not set (it applies when "
                       "cluster.mixed.nodes is set)");
}

TEST_CASE("config: a --set of the key a condition names replaces the file's keys that no longer apply")
{
  // The file's dragonfly keys give way to a --set of another topology, as a --set of steps replaces epochs...
  const auto path =
      write_file(scratch_dir() / "dragonfly-file.yaml",
                 std::string(kValidBase) + "network:\n  topology: dragonfly\n  dragonfly: {groups: 2, "
                                           "routers_per_group: 2, nodes_per_router: 1, local_links: 2}\n");
  const auto s = load_scenario(path.string(), {"network.topology=leaf-spine"}, DTSIM_SOURCE_DIR);
  CHECK(s.network.topology == dtsim::config::Topology::leaf_spine);
  for (const auto& setting : s.settings)
    if (setting.path.starts_with("network.dragonfly."))
      CHECK(setting.from_default);
  // ...but a key the options set themselves where it does not apply is still refused.
  const ConfigError e = load_error(path.string(), {"network.topology=leaf-spine", "network.dragonfly.groups=3"});
  CHECK(e.key() == "network.dragonfly.groups");
  CHECK(e.where().origin == "--set network.dragonfly.groups=3");
}

TEST_CASE("config: a key that applies only while another is not set is refused beside it")
{
  const auto path =
      write_file(scratch_dir() / "emulated-with-buckets.yaml",
                 std::string(kValidBase) + "  emulated_batch_time: 10 ms\ntraining:\n  bucket_size: 50 MiB\n");
  check_error(load_error(path.string()), path.string(), 14, 16, "training.bucket_size",
              "expected no training.bucket_size, since workload.emulated_batch_time is 10 ms (it applies when "
              "workload.emulated_batch_time is not set)");
  // Decoding on the device applies to a dataset that is read, on a device that computes.
  const ConfigError synthetic = load_error(
      data_file("../../scenarios/quickstart.yaml"),
      {"storage.dataset_on=synthetic", "training.loader=dali-gpu", "training.accelerator_preprocess_time=100 us"});
  CHECK(synthetic.key() == "training.accelerator_preprocess_time");
  CHECK_THAT(synthetic.message(),
             Catch::Contains("since training.loader is dali-gpu and storage.dataset_on is synthetic"));
}

// --- Every error at once ---------------------------------------------------------------------------

TEST_CASE("config: one load lists every key's error, each with its line and column, up to a limit")
{
  const fs::path file = write_file(scratch_dir() / "three-mistakes.yaml", R"(version: 1
cluster:
  nodes: 1
  accelerator: A100-SXM4-80GB
  accelerators_per_node: 2
  nic_bandwidth: 200 Gb/h
storage:
  dataset_on: tape
workload:
  model: resnet50
  batch_per_devic: 64
  steps: 10
)");
  std::string listed;
  try {
    load_scenario(file.string(), {}, DTSIM_SOURCE_DIR);
  } catch (const dtsim::config::ConfigErrors& e) {
    listed = e.what();
    CHECK(e.where().line == 11); // the first error found: the structure's, then the values' in table order
  }
  const std::string f = file.string();
  CHECK_THAT(listed, Catch::Contains(f + ":11:3: workload.batch_per_devic: unknown key (did you mean "
                                         "\"batch_per_device\"?)") &&
                         Catch::Contains(f + ":6:18: cluster.nic_bandwidth: expected a bandwidth") &&
                         Catch::Contains(f + ":8:15: storage.dataset_on: expected one of synthetic") &&
                         Catch::Contains("workload.batch_per_device: missing key"));
  CHECK(std::count(listed.begin(), listed.end(), '\n') == 3); // four errors, one per line

  // Past the limit, the rest are counted.
  std::string many = kValidBase;
  for (int k = 0; k < 25; ++k)
    many += fmt::format("  unknown_{}: 1\n", k);
  const fs::path crowded = write_file(scratch_dir() / "many-mistakes.yaml", many);
  try {
    load_scenario(crowded.string(), {}, DTSIM_SOURCE_DIR);
    FAIL("expected errors");
  } catch (const dtsim::config::ConfigErrors& e) {
    const std::string text = e.what();
    CHECK(std::count(text.begin(), text.end(), '\n') == 20);
    CHECK_THAT(text, Catch::EndsWith("... and 5 more errors"));
  }
}
