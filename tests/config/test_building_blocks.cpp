// Named node building blocks (topologies/*.yaml): inherited keys, overrides, and errors that point
// into the block's file.
#include "config/config_error.hpp"
#include "config/scenario.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace {

std::string write(const std::string& name, const std::string& text)
{
  static const TempDir dir("dtsim-blocks");
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

const std::string scenario = "version: 1\n"
                             "cluster:\n"
                             "  nodes: 2\n"
                             "  node: dgx-h100\n"
                             "  nics_per_node: 4\n"
                             "storage:\n"
                             "  dataset_on: synthetic\n"
                             "workload:\n"
                             "  model: bert-large\n"
                             "  batch_per_device: 32\n"
                             "  steps: 4\n";

dtsim::config::Scenario load(const std::string& path, const std::vector<std::string>& overrides = {})
{
  return dtsim::config::load_scenario(path, overrides, DTSIM_SOURCE_DIR);
}

} // namespace

TEST_CASE("config: a named node sets the cluster keys the scenario leaves out, and its own keys win")
{
  const auto s = load(write("dgx.yaml", scenario));
  CHECK(s.cluster.accelerator.name == "H100-SXM5-80GB");
  CHECK(s.cluster.accelerators_per_node == 8);
  CHECK(s.cluster.cpu_cores_per_node == 112);
  CHECK(s.cluster.nic.name == "ConnectX-7-NDR-400G");
  CHECK(s.cluster.nics_per_node == 4); // set by the scenario, not the block's 8
  CHECK(s.cluster.devices() == 16);
}

TEST_CASE("config: an override beats both the scenario and the named node")
{
  const auto s = load(write("dgx.yaml", scenario), {"cluster.accelerators_per_node=4"});
  CHECK(s.cluster.accelerators_per_node == 4);
}

TEST_CASE("config: an unknown named node suggests the closest one")
{
  try {
    load(write("dgx.yaml", scenario), {"cluster.node=dgx-h10"});
    FAIL("loaded an unknown node");
  } catch (const dtsim::config::ConfigError& e) {
    CHECK(e.key() == "cluster.node");
    CHECK_THAT(e.message(), Catch::Contains("did you mean \"dgx-h100\""));
  }
}

TEST_CASE("config: a bad value inside a node file is reported at its line in that file")
{
  const std::string block = write("my-node.yaml", "about: test\n"
                                                  "cluster:\n"
                                                  "  accelerator: A100-SXM4-80GB\n"
                                                  "  accelerators_per_node: many\n");
  try {
    load(write("mine.yaml", scenario), {"cluster.node=" + block});
    FAIL("loaded a bad node file");
  } catch (const dtsim::config::ConfigError& e) {
    CHECK(e.where().origin == block);
    CHECK(e.where().line == 4);
    CHECK(e.key() == "cluster.accelerators_per_node");
  }
}

TEST_CASE("config: a node file may only set cluster keys")
{
  const std::string block = write("wide-node.yaml", "cluster:\n  nodes: 4\n");
  CHECK_THROWS_WITH(load(write("mine.yaml", scenario), {"cluster.node=" + block}),
                    Catch::Contains("cluster.nodes: unknown key"));
}
