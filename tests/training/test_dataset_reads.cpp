// The page cache across epochs: closed forms for the hit rate, and what they do to a storage-bound run.
#include "app/simulate.hpp"
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/dataset_reads.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace {

dtsim::config::Scenario load(const std::vector<std::string>& overrides)
{
  return dtsim::config::load_scenario(std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml", overrides,
                                      DTSIM_SOURCE_DIR);
}

/// 4 nodes, 1 MB samples, a 32 GB dataset: 8 GB shards.
dtsim::training::DatasetReads four_nodes(const std::string& page_cache, const std::string& sharding)
{
  return dtsim::training::DatasetReads(
      load({"cluster.nodes=4", "workload.sample_size=1 MB", "workload.dataset_samples=32000",
            "storage.page_cache=" + page_cache, "storage.sharding=" + sharding}));
}

/// One node of 8 emulated devices wanting 128 GB/s from one 7 GB/s drive, for two epochs of 200 steps.
/// Loaders read up to 32 batches ahead of the devices, so the last steps of epoch 1 already find epoch 2's
/// cached batches: each epoch is timed from its step 20 to its step 150.
struct TwoEpochs {
  dtsim::config::Scenario scenario;
  dtsim::report::RunResult run;
  double epoch_step_time[2] = {0, 0};

  explicit TwoEpochs(const std::string& page_cache)
      : scenario(load({"cluster.accelerators_per_node=8", "workload.sample_size=1 MB", "workload.batch_per_device=16",
                       "workload.dataset_samples=25600", "workload.emulated_batch_time=1 ms", "workload.steps=400",
                       "training.loader_workers=32", "training.prefetch=1", "storage.page_cache=" + page_cache}))
      , run(dtsim::app::simulate(scenario, {}))
  {
    for (int epoch = 0; epoch < 2; ++epoch) {
      const auto& first = run.steps.at(200 * epoch + 20);
      const auto& last = run.steps.at(200 * epoch + 149);
      epoch_step_time[epoch] = (last.end - first.start) / 130;
    }
  }

  double dataset_bytes() const { return 25600 * 1e6; }
  double drive_bandwidth() const { return scenario.storage.local_nvme->drive.read_bandwidth.value; }
};

} // namespace

TEST_CASE("dataset reads: the first epoch finds the page cache empty")
{
  CHECK(four_nodes("8 GB", "fixed").cache_hit_fraction(0) == 0);
  CHECK(four_nodes("8 GB", "reshuffled").cache_hit_fraction(0) == 0);
}

TEST_CASE("dataset reads: fixed shards hit page_cache / shard, and always once the shard fits")
{
  const auto half = four_nodes("4 GB", "fixed");
  CHECK(half.cache_hit_fraction(1) == Approx(0.5));
  CHECK(half.cache_hit_fraction(5) == Approx(0.5));
  CHECK(four_nodes("8 GB", "fixed").cache_hit_fraction(1) == 1);
  CHECK(four_nodes("20 GB", "fixed").cache_hit_fraction(1) == 1);
}

TEST_CASE("dataset reads: reshuffled shards hit only what the node read before, at most page_cache / dataset")
{
  // After e epochs a node has read 1 - (3/4)^e of the dataset; a 16 GB cache holds half of it.
  const auto reads = four_nodes("16 GB", "reshuffled");
  CHECK(reads.cache_hit_fraction(1) == Approx(0.25));
  CHECK(reads.cache_hit_fraction(2) == Approx(1 - 0.75 * 0.75));
  CHECK(reads.cache_hit_fraction(3) == Approx(0.5));
  CHECK(four_nodes("32 GB", "reshuffled").cache_hit_fraction(20) == Approx(1 - std::pow(0.75, 20)));
}

TEST_CASE("dataset reads: the page caches count as warm from the epoch whose share is within the tolerance of "
          "the final one")
{
  CHECK(four_nodes("0 B", "fixed").first_warm_epoch(10, 1e-3) == 0);
  CHECK(four_nodes("4 GB", "fixed").first_warm_epoch(10, 1e-3) == 1);
  // Reshuffled, 16 GB of a 32 GB dataset: 1 - (3/4)^e of it read before epoch e reaches half at e = 3.
  CHECK(four_nodes("16 GB", "reshuffled").first_warm_epoch(10, 1e-3) == 3);
  // 32 GB: the share 1 - (3/4)^e is within 1e-3 of 1 from e = 25 ((3/4)^24 = 1.0e-3, (3/4)^25 = 7.5e-4).
  CHECK(four_nodes("32 GB", "reshuffled").first_warm_epoch(100, 1e-3) == 25);
  CHECK(four_nodes("32 GB", "reshuffled").first_warm_epoch(10, 1e-3) == 10); // not warm within the run
}

TEST_CASE("dataset reads: the mean bytes of a range of batches split by epoch between storage and the caches")
{
  // 4 nodes of 2 devices x 32 samples of 1 MB: 256 MB per micro-step, 125 micro-steps per 32 GB epoch; a fixed
  // 4 GB cache serves half of every epoch after the first.
  const dtsim::training::DatasetReads reads(
      load({"cluster.nodes=4", "workload.sample_size=1 MB", "workload.dataset_samples=32000",
            "workload.batch_per_device=32", "storage.page_cache=4 GB"}));
  const auto first_two = reads.mean_reads(0, 250);
  CHECK(first_two.storage == Approx(1.5 * 32e9));
  CHECK(first_two.cache == Approx(0.5 * 32e9));
  const auto straddling = reads.mean_reads(100, 150); // 25 micro-steps of epoch 0, 25 of epoch 1
  CHECK(straddling.storage == Approx(25 * 256e6 + 0.5 * 25 * 256e6));
  CHECK(straddling.cache == Approx(0.5 * 25 * 256e6));
  CHECK(reads.mean_reads(7, 7).storage == 0);
}

TEST_CASE("dataset reads: epochs follow the global batch through the dataset")
{
  // 32 devices x 256 images per micro-step over ImageNet's 1,281,167 images: 156.4 micro-steps per epoch.
  const dtsim::training::DatasetReads reads(
      load({"cluster.nodes=4", "cluster.accelerators_per_node=8", "workload.batch_per_device=256",
            "workload.dataset_samples=1281167"}));
  CHECK(reads.epoch_of(156) == 0);
  CHECK(reads.epoch_of(157) == 1);
  CHECK(reads.epoch_of(313) == 2);
}

TEST_CASE("training: a dataset that fits the page cache is read from storage once")
{
  const TwoEpochs run("32 GB");
  CHECK(run.run.totals.storage_bytes_read == Approx(run.dataset_bytes()));
  CHECK(run.run.totals.cache_bytes_read == Approx(run.dataset_bytes()));
  // Epoch 1 is drive-bound: 128 MB per step at the drive's bandwidth; epoch 2 runs at the devices' 1 ms.
  CHECK(run.epoch_step_time[0] == Approx(128e6 / run.drive_bandwidth()).epsilon(0.02));
  CHECK(run.epoch_step_time[1] == Approx(1e-3).epsilon(0.02));
}

TEST_CASE("training: a page cache of half the dataset halves the second epoch's reads")
{
  const TwoEpochs run("12.8 GB");
  CHECK(run.run.totals.storage_bytes_read == Approx(1.5 * run.dataset_bytes()));
  CHECK(run.epoch_step_time[0] == Approx(128e6 / run.drive_bandwidth()).epsilon(0.02));
  CHECK(run.epoch_step_time[1] == Approx(64e6 / run.drive_bandwidth()).epsilon(0.02));
}

TEST_CASE("dataset reads: with a sample-size spread, batches have the mean and spread of a sum of batch samples")
{
  // 128 samples of 110 kB +- 50 kB: batches of 14.08 MB +- 566 kB.
  const dtsim::training::DatasetReads reads(
      load({"workload.sample_size=110 kB", "workload.sample_size_spread=50 kB", "workload.batch_per_device=128"}));
  const int draws = 20000;
  double sum = 0, squares = 0;
  for (int i = 0; i < draws; ++i) {
    const double bytes = reads.batch_bytes(i % 2, i / 2);
    sum += bytes;
    squares += bytes * bytes;
  }
  const double mean = sum / draws, sd = std::sqrt(squares / draws - mean * mean);
  CHECK(mean == Approx(128 * 110e3).epsilon(0.001));
  CHECK(sd == Approx(std::sqrt(128.0) * 50e3).epsilon(0.03));
}

TEST_CASE("dataset reads: a batch's size depends on the seed, the worker and the batch only")
{
  const std::vector<std::string> spread{"workload.sample_size_spread=50 kB"};
  const dtsim::training::DatasetReads reads(load(spread));
  CHECK(reads.batch_bytes(1, 7) == dtsim::training::DatasetReads(load(spread)).batch_bytes(1, 7));
  CHECK(reads.batch_bytes(1, 7) != reads.batch_bytes(0, 7));
  CHECK(reads.batch_bytes(1, 7) != reads.batch_bytes(1, 8));
  auto reseeded = spread;
  reseeded.push_back("seed=2");
  CHECK(reads.batch_bytes(1, 7) != dtsim::training::DatasetReads(load(reseeded)).batch_bytes(1, 7));
  CHECK(dtsim::training::DatasetReads(load({})).batch_bytes(1, 7) == Approx(128 * 114660.0).epsilon(0.001));
}

TEST_CASE("training: with a sample-size spread, storage reads are the sum of the batches drawn")
{
  const auto scenario = load({"workload.sample_size_spread=50 kB", "workload.steps=30"});
  const auto run = dtsim::app::simulate(scenario, {});
  const dtsim::training::DatasetReads reads(scenario);
  double expected = 0;
  for (int rank = 0; rank < scenario.cluster.devices(); ++rank)
    for (long long batch = 0; batch < 30; ++batch)
      expected += reads.batch_bytes(rank, batch);
  CHECK(run.totals.storage_bytes_read == Approx(expected).epsilon(1e-9));
  CHECK(run.totals.storage_bytes_read != Approx(2 * 30 * 128 * 114660.0).epsilon(1e-6));
}
