// The upgrade moves advise builds for a scenario, without simulating any of them.
#include "app/advise.hpp"
#include "config/catalog.hpp"
#include "config/scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using dtsim::app::UpgradeMove;

namespace {

const std::string kSource = DTSIM_SOURCE_DIR;

std::vector<UpgradeMove> moves_for(const std::string& scenario, const std::vector<std::string>& overrides = {})
{
  const auto s = dtsim::config::load_scenario(kSource + "/" + scenario, overrides, kSource);
  return dtsim::app::upgrade_moves(s, dtsim::config::Catalog::load(kSource));
}

UpgradeMove move_of_kind(const std::vector<UpgradeMove>& moves, const std::string& kind)
{
  const auto it = std::find_if(moves.begin(), moves.end(), [&](const UpgradeMove& m) { return m.kind == kind; });
  REQUIRE(it != moves.end());
  return *it;
}

} // namespace

TEST_CASE("advise moves: more cores come with enough loader workers to use them")
{
  // 256 cores with Hyper-Threading at the assumed yield of 0.25 are 320 cores' worth, less 8 x 0.625 for
  // the threads the GPUs' processes spin on: 315, which needs 40 workers per GPU.
  const auto filled = move_of_kind(moves_for("scenarios/cluster-4node-a100.yaml"), "CPU");
  CHECK(filled.name == "2x CPU cores (40 loader workers per device)");
  CHECK(filled.overrides == std::vector<std::string>{"cluster.cpu_cores_per_node=256", "training.loader_workers=40"});
  // 8 workers x 8 GPUs already keep 32 cores (35 cores' worth) busy: only the cores change.
  const auto spare = move_of_kind(moves_for("scenarios/tutorial-gpu-waiting-cpu.yaml"), "CPU");
  CHECK(spare.name == "2x CPU cores");
  CHECK(spare.overrides == std::vector<std::string>{"cluster.cpu_cores_per_node=32"});
}

TEST_CASE("advise moves: storage moves follow where the dataset lives")
{
  const auto remote = moves_for("scenarios/cluster-4node-a100.yaml");
  const auto named = [](const std::vector<UpgradeMove>& moves, const std::string& name) {
    return std::any_of(moves.begin(), moves.end(), [&](const UpgradeMove& m) { return m.name == name; });
  };
  CHECK(named(remote, "2x NVMe-oF targets"));
  CHECK(named(remote, "2x drives per target"));
  CHECK_FALSE(named(remote, "2x local drives"));
  const auto synthetic = moves_for("scenarios/cluster-4node-a100.yaml", {"storage.dataset_on=synthetic"});
  CHECK(std::none_of(synthetic.begin(), synthetic.end(), [](const UpgradeMove& m) { return m.kind == "storage"; }));
}
