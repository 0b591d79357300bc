// dtsim sweep and dtsim merge as a batch script runs them: results files, resuming, shards, failures, bad input.
#include "cli.hpp"
#include "sweep_files.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

const std::string kSweep = "sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2 "
                           "--set workload.batch_per_device=128,256 --set workload.steps=10";

std::map<std::string, int> ok_rows_per_id(const fs::path& file)
{
  std::map<std::string, int> count;
  for (const auto& row : rows_of(file))
    count[row.at("id").get<std::string>()] += row.at("status") == "ok";
  return count;
}

} // namespace

TEST_CASE("sweep: every point of a grid gets a row, a folder and a CSV line, the same for any -j and sharding")
{
  const fs::path serial = fresh_dir("serial"), parallel = fresh_dir("parallel"), sharded = fresh_dir("sharded");
  const Outcome one = dtsim(fmt::format("{} -o {} -j 1", kSweep, serial.string()));
  INFO(one.output);
  REQUIRE(one.exit_code == 0);
  REQUIRE(dtsim(fmt::format("{} -o {} -j 2", kSweep, parallel.string())).exit_code == 0);
  REQUIRE(dtsim(fmt::format("{} -o {} --shard 0/2", kSweep, sharded.string())).exit_code == 0);
  REQUIRE(dtsim(fmt::format("{} -o {} --shard 1/2", kSweep, sharded.string())).exit_code == 0);
  const Outcome merged = dtsim("merge " + sharded.string());
  INFO(merged.output);
  REQUIRE(merged.exit_code == 0);

  const auto rows = rows_of(serial / "results.jsonl");
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) {
    CHECK(row.at("status") == "ok");
    CHECK(row.at("error").is_null());
    const auto& s = row.at("summary");
    // The swept keys took effect: devices = 8 per node x nodes, samples = devices x batch x steps.
    CHECK(s.at("devices") == 8 * row.at("settings").at("cluster.nodes").get<int>());
    CHECK(s.at("samples").get<double>() ==
          s.at("devices").get<double>() * row.at("settings").at("workload.batch_per_device").get<double>() * 10);
    CHECK(fs::exists(serial / "points" / row.at("id").get<std::string>() / "scenario.json"));
    CHECK(fs::exists(serial / "points" / row.at("id").get<std::string>() / "summary.txt"));
  }
  // In the grid's order, the last key fastest, as the sweep lists its points.
  std::vector<std::pair<int, int>> order;
  for (const auto& row : rows)
    order.emplace_back(row.at("settings").at("cluster.nodes").get<int>(),
                       row.at("settings").at("workload.batch_per_device").get<int>());
  CHECK(order == std::vector<std::pair<int, int>>{{1, 128}, {1, 256}, {2, 128}, {2, 256}});
  CHECK(read_file(serial / "results.jsonl") == read_file(parallel / "results.jsonl"));
  CHECK(read_file(serial / "results.jsonl") == read_file(sharded / "results.jsonl"));
  CHECK(read_file(serial / "results.csv") == read_file(sharded / "results.csv"));
  const std::string csv = read_file(serial / "results.csv");
  CHECK(csv.starts_with("id,status,cluster.nodes,workload.batch_per_device,devices,steps,simulated_steps,samples,"
                        "epochs,time_to_train_s,"));
  CHECK(csv.substr(0, csv.find('\n')).ends_with(",cost_usd_per_million_samples,error"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
}

TEST_CASE("sweep: a sweep killed at any moment and run again repeats no finished point and loses none")
{
  const fs::path dir = fresh_dir("killed");
  const std::string sweep = "sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2,3,4,5,6 "
                            "--set workload.steps=400 -j 2 -o " +
                            dir.string();
  // Killed mid-run (or after it ended: the checks hold either way).
  shell("timeout -s KILL 0.4 " + dtsim_binary + " " + sweep);
  // A row cut short by the kill is what a kill during a write leaves.
  if (fs::exists(dir / "rows.jsonl"))
    std::ofstream(dir / "rows.jsonl", std::ios::app) << R"({"id":"cut short","sta)";
  const Outcome again = dtsim(sweep);
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  const auto ok = ok_rows_per_id(dir / "rows.jsonl");
  CHECK(ok.size() == 6);
  for (const auto& [id, count] : ok)
    CHECK(count == 1);
  CHECK(rows_of(dir / "results.jsonl").size() == 6);
  const Outcome third = dtsim(sweep);
  CHECK(third.output.find("0 points run, 0 failed, 6 already done") != std::string::npos);
}

TEST_CASE("sweep: a failing point records its error and the others run, merge names missing points, exit 4")
{
  const fs::path dir = fresh_dir("failing");
  const Outcome out = dtsim(
      "sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=0,1 --set workload.steps=10 -o " + dir.string());
  INFO(out.output);
  CHECK(out.exit_code == 4);
  const auto rows = rows_of(dir / "results.jsonl");
  REQUIRE(rows.size() == 2);
  const auto& failed = rows[0].at("status") == "failed" ? rows[0] : rows[1];
  const auto& ok = rows[0].at("status") == "failed" ? rows[1] : rows[0];
  CHECK(failed.at("settings").at("cluster.nodes") == 0);
  CHECK(failed.at("error").get<std::string>().find("cluster.nodes: expected a whole number >= 1") != std::string::npos);
  CHECK(failed.at("summary").is_null());
  CHECK(ok.at("status") == "ok");

  const fs::path half = fresh_dir("half");
  REQUIRE(dtsim(fmt::format("{} -o {} --shard 1/2", kSweep, half.string())).exit_code == 0);
  const Outcome merged = dtsim("merge " + half.string());
  CHECK(merged.exit_code == 4);
  CHECK(merged.output.find("2 of 4 points have rows, 0 failed, 2 missing") != std::string::npos);
}

TEST_CASE("sweep: a sweep file's grid and zip give the product of their points, with the ids of --set")
{
  const Outcome file = dtsim("sweep scenarios/sweeps/accelerators-and-prices.yaml --list");
  INFO(file.output);
  REQUIRE(file.exit_code == 0);
  CHECK(std::count(file.output.begin(), file.output.end(), '\n') == 6);
  CHECK(file.output.find("cluster.nodes=2 cluster.accelerator=H100-SXM5-80GB cost.accelerator_usd=27500\n") !=
        std::string::npos);
  const Outcome options = dtsim("sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2,4 "
                                "--zip cluster.accelerator=A100-SXM4-80GB,H100-SXM5-80GB "
                                "--zip cost.accelerator_usd=15000,27500 --list");
  CHECK(options.output == file.output);
  const Outcome shard = dtsim("sweep scenarios/sweeps/accelerators-and-prices.yaml --list --shard 1/4");
  CHECK(std::count(shard.output.begin(), shard.output.end(), '\n') == 2);
  CHECK(file.output.find(shard.output.substr(0, shard.output.find('\n'))) != std::string::npos);
}

TEST_CASE("sweep: bad input stops the sweep with exit 2 and says where")
{
  const fs::path dir = fresh_dir("bad");
  fs::create_directories(dir);
  std::ofstream(dir / "typo.yaml") << "base: " DTSIM_SOURCE_DIR "/scenarios/quickstart.yaml\ngrid:\n"
                                      "  cluster.nodes: [1, 2]\ngird:\n  x: [1]\n";
  const Outcome typo = dtsim("sweep " + (dir / "typo.yaml").string() + " --list");
  CHECK(typo.exit_code == 2);
  CHECK(typo.output.find("typo.yaml:4:1") != std::string::npos);
  CHECK(typo.output.find("did you mean grid?") != std::string::npos);

  std::ofstream(dir / "zip.yaml") << "base: x.yaml\nzip:\n  a.b: [1, 2]\n  c.d: [1]\n";
  const Outcome zip = dtsim("sweep " + (dir / "zip.yaml").string() + " --list");
  CHECK(zip.exit_code == 2);
  CHECK(zip.output.find("zip.c.d: expected 2 values") != std::string::npos);

  const Outcome unknown = dtsim("sweep scenarios/quickstart.yaml --set cluster.nodez=1,2 -o " + dir.string());
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("did you mean \"nodes\"?") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "sweep.json"));

  CHECK(dtsim("sweep scenarios/quickstart.yaml --set cluster.nodes=1,2").exit_code == 2);
  const Outcome shard = dtsim("sweep scenarios/quickstart.yaml --set cluster.nodes=1,2 --list --shard 2/2");
  CHECK(shard.exit_code == 2);
  CHECK(shard.output.find("expected I/N with 0 <= I < N") != std::string::npos);
  // A Slurm array task picks its shard from the environment.
  const std::string env = "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 ";
  const std::string list = "sweep scenarios/quickstart.yaml --set cluster.nodes=1,2,3 --list";
  const Outcome task = shell(env + dtsim_binary + " " + list);
  CHECK(task.exit_code == 0);
  CHECK(std::count(task.output.begin(), task.output.end(), '\n') == 1);
  CHECK(task.output.find("cluster.nodes=2\n") != std::string::npos);

  const fs::path other = fresh_dir("other");
  REQUIRE(dtsim("sweep scenarios/quickstart.yaml --set cluster.nodes=1,2 --set workload.steps=5 --no-baseline -o " +
                other.string())
              .exit_code == 0);
  const std::string results = read_file(other / "results.jsonl");
  const Outcome clash =
      dtsim("sweep scenarios/quickstart.yaml --set cluster.nodes=1,4 --set workload.steps=5 -o " + other.string());
  CHECK(clash.exit_code == 2);
  CHECK(clash.output.find("holds the results of another sweep") != std::string::npos);
  CHECK(read_file(other / "results.jsonl") == results);
}

TEST_CASE("plot: a sweep's metric against a swept key, a line per group, as an SVG file")
{
  const fs::path dir = fresh_dir("plot");
  REQUIRE(dtsim(fmt::format("{} --no-baseline -o {}", kSweep, dir.string())).exit_code == 0);
  const Outcome out = dtsim(fmt::format(
      "plot {} --x cluster.nodes --y throughput_samples_per_s --group workload.batch_per_device", dir.string()));
  INFO(out.output);
  REQUIRE(out.exit_code == 0);
  const std::string svg =
      read_file(dir / "plot-throughput_samples_per_s-vs-cluster.nodes-by-workload.batch_per_device.svg");
  CHECK(svg.starts_with("<?xml"));
  CHECK(svg.find("<script") == std::string::npos);
  auto count = [&svg](const std::string& what) {
    std::size_t n = 0;
    for (auto at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1))
      ++n;
    return n;
  };
  CHECK(count("<polyline") == 2);
  CHECK(count("batch_per_device=128") == 1);
  CHECK(count("batch_per_device=256") == 1);

  // dtsim report writes the folder's page next to its results.
  REQUIRE(dtsim("report " + dir.string()).exit_code == 0);
  const std::string page = read_file(dir / "report.html");
  CHECK(page.starts_with("<!DOCTYPE html>"));
  CHECK(page.find("<h2>Throughput, with perfect scaling dashed</h2>\n<svg") != std::string::npos);
  CHECK(page.find("<h2>Assumptions used</h2>\n<table>") != std::string::npos); // the points' own, from their folders

  const Outcome bad = dtsim(fmt::format("plot {} --x cluster.nodes --y speed", dir.string()));
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("Keys there are: cluster.nodes, workload.batch_per_device,") != std::string::npos);
  CHECK(dtsim("plot /nonexistent --x a --y b").exit_code == 2);
}
