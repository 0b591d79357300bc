// Checkpoints against closed forms: write time = size / write bandwidth, what blocking and background
// modes cost a step, restore time.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

/// Two A100s training ResNet-50 (25.6 M parameters: a 409 MB checkpoint at 16 B each) from memory, with
/// a Micron 9400 (7 GB/s write) in the node for checkpoints.
struct Run {
  dtsim::config::Scenario scenario;
  dtsim::report::RunResult result;

  explicit Run(const std::vector<std::string>& checkpoint, const std::string& file = "scenarios/quickstart.yaml")
      : scenario(load(file, checkpoint))
      , result(dtsim::app::simulate(scenario, {}))
  {
  }

  static dtsim::config::Scenario load(const std::string& file, std::vector<std::string> overrides)
  {
    overrides.insert(overrides.begin(), {"storage.dataset_on=memory", "workload.steps=40"}); // the test's own win
    return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/" + file, overrides, DTSIM_SOURCE_DIR);
  }

  double bytes() const { return scenario.checkpoint.bytes; }
  double copy_to_host() const { return bytes() / scenario.cluster.accelerator.host_link_bandwidth.value; }
  double write_each() const { return result.totals.checkpoint_write_seconds / result.totals.checkpoints; }
  const dtsim::training::StepRecord& step(int i) const { return result.steps.at(i); }
};

double local_write_bandwidth(const dtsim::config::Scenario& s)
{
  return s.storage.local_nvme->drives * s.storage.local_nvme->drive.write_bandwidth.value;
}

} // namespace

TEST_CASE("checkpoints: size = parameters x bytes per parameter, and a blocking write takes size / write bandwidth")
{
  const Run run({"checkpoint.every_steps=10", "checkpoint.to=local-nvme"});
  CHECK(run.bytes() == Approx(25557032 * 16.0));
  CHECK(run.result.totals.checkpoints == 4);
  const double write = run.bytes() / local_write_bandwidth(run.scenario);
  CHECK(run.write_each() == Approx(write).epsilon(0.01));
  // The steps that end in a checkpoint wait for the copy to host memory and the write; the others do not.
  CHECK(run.step(19).checkpoint == Approx(run.copy_to_host() + write).epsilon(0.01));
  CHECK(run.step(18).checkpoint == 0);
  CHECK(run.step(20).checkpoint == 0);
}

TEST_CASE("checkpoints: a background write costs the step only the copy to host memory")
{
  const Run run({"checkpoint.every_steps=10", "checkpoint.to=local-nvme", "checkpoint.mode=background"});
  REQUIRE(run.write_each() < 9 * (run.step(15).end - run.step(15).start)); // done before the next is due
  CHECK(run.step(29).checkpoint == Approx(run.copy_to_host()).epsilon(0.01));
}

TEST_CASE("checkpoints: in the background at every step, the write sets the pace: step = write + copy")
{
  const Run run({"checkpoint.every_steps=1", "checkpoint.to=local-nvme", "checkpoint.mode=background"});
  const double write = run.bytes() / local_write_bandwidth(run.scenario);
  const auto& s = run.step(20);
  REQUIRE(write > s.compute);
  CHECK(run.step(21).start - s.start == Approx(write + run.copy_to_host()).epsilon(0.02));
}

TEST_CASE("checkpoints: restore reads the checkpoint back and copies it to the device")
{
  const Run run({"checkpoint.every_steps=10", "checkpoint.to=local-nvme"});
  // The drive reads at its rate for the dataset's requests: each holds it 1 / IOPS plus its bytes at full speed.
  const double read = run.bytes() / run.scenario.storage.read_bandwidth(*run.scenario.storage.local_nvme);
  CHECK(run.result.totals.restore_seconds == Approx(read + run.copy_to_host()).epsilon(0.01));
}

TEST_CASE(
    "checkpoints: sharded over 4 nodes to an NVMe-oF target, the slower of its drives and its NICs bounds the write")
{
  // BERT-Large: 340 M parameters, a 5.44 GB checkpoint. One target of 8 Micron 9400s (56 GB/s of writes)
  // behind two 200 Gb/s NICs (50 GB/s).
  const Run run({"workload.model=bert-large", "workload.batch_per_device=32", "storage.nvme_of.drives_per_target=8",
                 "checkpoint.every_steps=20", "checkpoint.to=nvme-of", "checkpoint.sharded=true"},
                "scenarios/cluster-4node-a100-storage-bound.yaml");
  const auto& t = *run.scenario.storage.remote;
  const double drives = t.targets * t.pool.drives * t.pool.drive.write_bandwidth.value;
  const double nics = t.targets * t.nics_per_target * t.nic.bandwidth.value;
  REQUIRE(nics < drives);
  INFO(fmt::format("write {:.4g} s, closed form {:.4g} s", run.write_each(), run.bytes() / nics));
  CHECK(run.write_each() == Approx(run.bytes() / nics).epsilon(0.02));
}

TEST_CASE("checkpoints: to NVMe-oF while the dataset is on local drives, drive utilisation is the local drives'")
{
  const Run run({"storage.dataset_on=local-nvme", "checkpoint.every_steps=10", "checkpoint.to=nvme-of",
                 "storage.nvme_of.targets=1", "storage.nvme_of.drive=Micron-9550-7.68TB",
                 "storage.nvme_of.drives_per_target=4"});
  const auto summary = dtsim::report::summarize(run.scenario, run.result, std::nullopt);
  REQUIRE(summary.storage_reads.has_value());
  CHECK(summary.storage_reads->unit == "node");
  REQUIRE(summary.utilisation.drives.has_value());
  const auto& local = *run.scenario.storage.local_nvme;
  REQUIRE(local.drive.read_bandwidth.value == 7e9);
  CHECK(*summary.utilisation.drives ==
        Approx(summary.storage_reads->bandwidth / run.scenario.storage.read_bandwidth(local)));
  CHECK_FALSE(summary.utilisation.target_nics.has_value());
  CHECK(run.result.totals.checkpoints == 4);
}
