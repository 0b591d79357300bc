// The command line as a user runs it: exit codes, error messages, output files, determinism.
#include "cli.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>

namespace {

bool same_up_to_rounding(const nlohmann::json& a, const nlohmann::json& b)
{
  if (a.is_number() && b.is_number())
    return a.get<double>() == Approx(b.get<double>()).epsilon(1e-9).margin(1e-12);
  if (a.type() != b.type() || a.size() != b.size())
    return false;
  if (a.is_object()) {
    for (const auto& [key, value] : a.items())
      if (!b.contains(key) || !same_up_to_rounding(value, b[key]))
        return false;
    return true;
  }
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_up_to_rounding(a[i], b[i]))
        return false;
    return true;
  }
  return a == b;
}

std::filesystem::path scratch(const std::string& name)
{
  static const TempDir dir("dtsim-test");
  return dir / name;
}

} // namespace

TEST_CASE("app: --version prints the version")
{
  const Outcome out = dtsim("--version");
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("dtsim 0.1.0") != std::string::npos);
}

TEST_CASE("app: the same scenario and seed give byte-identical JSON")
{
  const auto first = scratch("first.json"), second = scratch("second.json");
  const std::string args = "run scenarios/cluster-4node-a100.yaml --set workload.steps=30 --json ";
  REQUIRE(dtsim(args + first.string()).exit_code == 0);
  REQUIRE(dtsim(args + second.string()).exit_code == 0);
  const std::string a = read_file(first);
  CHECK(a.size() > 1000);
  CHECK(a == read_file(second));
}

TEST_CASE("app: run with --set, --json and --trace writes both files")
{
  const auto json = scratch("out.json"), trace = scratch("timeline.json");
  const Outcome out = dtsim(fmt::format("run scenarios/cluster-4node-a100.yaml --set workload.batch_per_device=128 "
                                        "--set workload.steps=20 --json {} --trace {} --trace-steps 1:2",
                                        json.string(), trace.string()));
  REQUIRE(out.exit_code == 0);
  CHECK(out.output.find("bottleneck") != std::string::npos);
  const std::string results = read_file(json);
  CHECK(results.find("\"workload.batch_per_device\"") != std::string::npos);
  CHECK(results.find("\"as_written\": \"128\"") != std::string::npos);
  const std::string timeline = read_file(trace);
  for (const char* stream : {"\"compute\"", "\"comm\"", "\"input\"", "\"loader-0\""})
    CHECK(timeline.find(stream) != std::string::npos);
}

TEST_CASE("app: run --csv writes the summary's metrics as one CSV line, the same figures as --json")
{
  const auto json = scratch("one.json"), csv = scratch("one.csv");
  REQUIRE(dtsim("run scenarios/quickstart.yaml --json " + json.string() + " --csv " + csv.string()).exit_code == 0);
  const auto summary = nlohmann::json::parse(read_file(json))["summary"];
  const std::string table = read_file(csv);
  const std::string header = table.substr(0, table.find('\n'));
  const std::string line = table.substr(header.size() + 1);
  CHECK(header.starts_with("scenario,devices,steps,simulated_steps,samples,"));
  CHECK(line.starts_with(
      fmt::format("scenarios/quickstart.yaml,{},{},", summary["devices"].dump(), summary["steps"].dump())));
  CHECK_THAT(line, Catch::Contains("," + summary["time_to_train_s"].dump() + ","));
  CHECK_THAT(line, Catch::Contains(",compute-bound,"));
  CHECK(std::count(table.begin(), table.end(), '\n') == 2);
}

TEST_CASE("app: run --html writes one page with the summary it printed, the step, the utilisation and a timeline")
{
  const auto html = scratch("report.html");
  const Outcome out = dtsim("run scenarios/cluster-4node-a100.yaml --set workload.steps=40 --html " + html.string());
  REQUIRE(out.exit_code == 0);
  const std::string page = read_file(html);
  CHECK(page.starts_with("<!DOCTYPE html>"));
  CHECK(std::count(page.begin(), page.end(), '\n') > 50);
  for (const char* part : {"<h2>Where a steady-state step goes</h2>", "<h2>Utilisation</h2>", "<h2>Timeline</h2>",
                           "data-phase=\"compute\"", "data-resource=\"accelerators\"", "class=\"span\""})
    CHECK_THAT(page, Catch::Contains(part));
  const std::string first_line = out.output.substr(0, out.output.find('\n'));
  CHECK_THAT(page, Catch::Contains("<pre>" + first_line));
  CHECK(page.find("<script") == std::string::npos);
}

TEST_CASE("app: validate reports a bad file with file:line:column and exit code 2")
{
  const Outcome out = dtsim("validate tests/data/broken.yaml");
  CHECK(out.exit_code == 2);
  CHECK(out.output.find("tests/data/broken.yaml:12:3: workload.batch_per_devic: unknown key (did you mean "
                        "\"batch_per_device\"?)") != std::string::npos);
}

TEST_CASE("app: files refused for their size, aliases or kind, and bad sweep keys, exit with code 2")
{
  for (const std::string file : {"tests/data/limit-alias-bomb.yaml", "tests/data/limit-alias-cycle.yaml",
                                 "tests/data/limit-deep-nesting.yaml", "/dev/zero", "tests/data"}) {
    const Outcome out = dtsim("validate " + file);
    INFO(out.output);
    CHECK(out.exit_code == 2);
    CHECK(out.output.starts_with(file + ":"));
  }
  const Outcome sweep = dtsim("sweep tests/data/fuzz-sweep-key-with-equals.yaml --list");
  CHECK(sweep.exit_code == 2);
  CHECK(sweep.output.find("found a key with '=' in it") != std::string::npos);
}

TEST_CASE("app: a failed run leaves results written by an earlier run intact")
{
  const auto json = scratch("kept.json");
  REQUIRE(dtsim(fmt::format("run scenarios/quickstart.yaml --json {}", json.string())).exit_code == 0);
  const std::string before = read_file(json);
  const Outcome failed =
      dtsim(fmt::format("run scenarios/quickstart.yaml --set cluster.nodes=0 --json {}", json.string()));
  CHECK(failed.exit_code == 2);
  CHECK(failed.output.find("--set cluster.nodes=0: cluster.nodes: expected a whole number >= 1") != std::string::npos);
  CHECK(read_file(json) == before);
}

TEST_CASE("app: a run with more actors than the kernel's memory mappings allow runs, its stacks without guard pages")
{
  std::ifstream limit_file("/proc/sys/vm/max_map_count");
  long long limit = 0;
  REQUIRE(limit_file >> limit);
  // 32 devices, each with a trainer and two actors per loader worker: with guard pages, two mappings each
  // would pass the limit.
  const long long loaders = limit / 128 + 1;
  if (loaders > 600) { // a raised limit: reaching it would take gigabytes of stacks
    WARN("vm.max_map_count is " << limit << ": too high to reach in a test");
    return;
  }
  const auto json = scratch("many-actors.json");
  const Outcome outcome = dtsim(fmt::format("run scenarios/cluster-4node-a100.yaml --set training.loader_workers={} "
                                            "--set workload.steps=2 --no-baseline --json {}",
                                            loaders, json.string()));
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.output.find("Failed to protect stack") == std::string::npos); // SimGrid's abort, avoided
  CHECK(nlohmann::json::parse(read_file(json))["summary"]["steps"] == 2);
}

TEST_CASE("app: reusing collective durations on an otherwise idle network changes no result")
{
  const auto reused = scratch("reused.json"), simulated = scratch("simulated.json");
  const std::string args = "run scenarios/node-8xa100.yaml --set workload.model=bert-large "
                           "--set workload.batch_per_device=16 --set workload.steps=12 --no-baseline --json ";
  REQUIRE(dtsim(args + reused.string()).exit_code == 0);
  REQUIRE(dtsim(args + simulated.string() + " --set simulation.reuse_collectives=false").exit_code == 0);
  const auto a = nlohmann::json::parse(read_file(reused)), b = nlohmann::json::parse(read_file(simulated));
  CHECK(a["summary"]["exposed_comm_s"].get<double>() > 0);
  // Equal up to floating-point rounding of absolute simulated times (a sleep instead of flows).
  CHECK(same_up_to_rounding(a["summary"], b["summary"]));
  CHECK(same_up_to_rounding(a["steps"], b["steps"]));
}

TEST_CASE("app: collective prints nccl-tests columns that match the ring closed form")
{
  // quickstart: 2 A100 on NVSwitch at 300 GB/s per direction; NCCL's Simple ring costs 8.4 us plus
  // 3.4 us per NVLink step (nccl_tuning.hpp), more than the 1 us hop of the platform.
  const Outcome out = dtsim("collective scenarios/quickstart.yaml --op all_reduce --sizes 1GiB:1GiB "
                            "--set training.allreduce=ring --set training.protocol=simple");
  REQUIRE(out.exit_code == 0);
  std::istringstream table(out.output);
  std::string line;
  std::getline(table, line);
  CHECK(line.find("all_reduce over 2 ranks") != std::string::npos);
  std::getline(table, line);
  CHECK(line.find("busbw(GB/s)") != std::string::npos);
  double size = 0, count = 0, time_us = 0, algbw = 0, busbw = 0;
  std::string type;
  table >> size >> count >> type >> time_us >> algbw >> busbw;
  const double expected_us = (2.0 * 1 / 2 * size / 300e9 + 8.4e-6 + 2 * 3.4e-6) * 1e6;
  CHECK(size == 1073741824);
  CHECK(time_us == Approx(expected_us).epsilon(0.001));
  CHECK(algbw == Approx(size / (time_us * 1e-6) / 1e9).epsilon(0.001));
  CHECK(busbw == Approx(algbw * 2 * (2 - 1) / 2.0).epsilon(0.001));
}

namespace {
/// Time in microseconds of the last row of a `dtsim collective` table.
double last_row_time_us(const std::string& table)
{
  std::istringstream lines(table);
  std::string line, last;
  while (std::getline(lines, line))
    if (!line.empty() && line[0] != '#')
      last = line;
  std::istringstream row(last);
  double size = 0, count = 0, time_us = 0;
  std::string type;
  row >> size >> count >> type >> time_us;
  return time_us;
}
} // namespace

TEST_CASE("app: collective send_recv: S / 300 GB/s + one NVLink step, busbw = algbw")
{
  // quickstart's 2 A100 on NVSwitch: each sends 1 GiB to the other at 300 GB/s per direction; NCCL's
  // Simple ring costs 8.4 us plus one 3.4 us NVLink step (nccl_tuning.hpp).
  const Outcome out =
      dtsim("collective scenarios/quickstart.yaml --op send_recv --sizes 1GiB:1GiB --set training.protocol=simple");
  REQUIRE(out.exit_code == 0);
  CHECK(out.output.find("send_recv over 2 ranks (simulated); busbw = algbw x 1") != std::string::npos);
  CHECK(out.output.find("p2p/Simple") != std::string::npos);
  const double size = 1073741824.0;
  CHECK(last_row_time_us(out.output) == Approx((size / 300e9 + 8.4e-6 + 3.4e-6) * 1e6).epsilon(0.001));
}

TEST_CASE("app: collective rejects an unknown operation and a bad size range with exit code 2")
{
  const Outcome op = dtsim("collective scenarios/quickstart.yaml --op allreduce");
  CHECK(op.exit_code == 2);
  CHECK(op.output.find("--op allreduce: expected all_reduce") != std::string::npos);
  const Outcome sizes = dtsim("collective scenarios/quickstart.yaml --sizes 8GiB:8B");
  CHECK(sizes.exit_code == 2);
  CHECK(sizes.output.find("--sizes 8GiB:8B") != std::string::npos);
}

TEST_CASE("app: topology prints counts, diameter and bisection and writes a .dot file")
{
  const auto dot = scratch("cluster.dot");
  const Outcome out = dtsim("topology scenarios/cluster-4node-a100.yaml --dot " + dot.string());
  REQUIRE(out.exit_code == 0);
  CHECK(out.output.find("accelerators        32") != std::string::npos);
  CHECK(out.output.find("diameter            4 links") != std::string::npos);
  CHECK(out.output.find("bisection bandwidth 400 GB/s") != std::string::npos);
  CHECK(read_file(dot).find("graph G {") == 0);
}

TEST_CASE("app: collective and topology write their figures as JSON and CSV, the same as the text")
{
  const auto json = scratch("collective.json"), csv = scratch("collective.csv");
  const Outcome out = dtsim("collective scenarios/quickstart.yaml --sizes 1GiB:2GiB --json " + json.string() +
                            " --csv " + csv.string());
  REQUIRE(out.exit_code == 0);
  const auto rows = nlohmann::json::parse(read_file(json));
  REQUIRE(rows.size() == 2);
  CHECK(rows[1]["size_B"] == 2147483648.0);
  CHECK(rows[1]["time_s"].get<double>() * 1e6 == Approx(last_row_time_us(out.output)).epsilon(1e-3));
  CHECK(rows[1]["algbw_B_per_s"].get<double>() ==
        Approx(rows[1]["size_B"].get<double>() / rows[1]["time_s"].get<double>()));
  const std::string table = read_file(csv);
  CHECK(table.starts_with("op,ranks,size_B,time_s,algbw_B_per_s,busbw_B_per_s,algorithm\nall_reduce,2,1073741824.0,"));
  CHECK(std::count(table.begin(), table.end(), '\n') == 3);

  const auto topology = scratch("topology.json");
  REQUIRE(dtsim("topology scenarios/cluster-4node-a100.yaml --json " + topology.string()).exit_code == 0);
  const auto figures = nlohmann::json::parse(read_file(topology));
  CHECK(figures["accelerators"] == 32);
  CHECK(figures["diameter_hops"] == 4);
  CHECK(figures["bisection_bandwidth_B_per_s"] == 400e9);
}

TEST_CASE("app: ring channels spread inter-node traffic over the NICs (one ring per rail)")
{
  // 2 nodes x 2 A100, 2 HDR NICs (25 GB/s) each: a ring all-reduce of S moves 2(N-1)/N x S per rank,
  // which C channels split over C NIC pairs.
  const std::string base = "collective scenarios/quickstart.yaml --set cluster.nodes=2 --set cluster.nics_per_node=2 "
                           "--set storage.dataset_on=memory --set training.allreduce=ring --sizes 1GiB:1GiB";
  const double bytes = 1073741824.0, nic = 25e9;
  const double two_channels = last_row_time_us(dtsim(base).output);
  const double one_channel = last_row_time_us(dtsim(base + " --set training.channels=1").output);
  CHECK(two_channels == Approx(2 * 3 / 4.0 * bytes / 2 / nic * 1e6).epsilon(0.01));
  CHECK(one_channel == Approx(2 * 3 / 4.0 * bytes / nic * 1e6).epsilon(0.01));
}

TEST_CASE("app: calibrate turns a measured step time into a workload row that reproduces it")
{
  // One H100 (no ResNet-50 row in the workload file) measured at 50 ms per step of 128 images.
  const std::string device = "--set cluster.accelerators_per_node=1 --set cluster.accelerator=H100-SXM5-80GB "
                             "--set storage.dataset_on=memory --set training.loader_workers=32";
  const Outcome out = dtsim("calibrate scenarios/quickstart.yaml " + device + " --step-time 50ms --source \"lab run\"");
  REQUIRE(out.exit_code == 0);
  const auto row_start = out.output.find("  - accelerator: H100-SXM5-80GB");
  REQUIRE(row_start != std::string::npos);
  CHECK(out.output.find("source: \"lab run\"") != std::string::npos);
  // The built-in workload is left alone: the row goes into a copy, which the run below then names.
  CHECK(out.output.find("in a copy of") != std::string::npos);
  CHECK(out.output.find("point workload.model at the copy") != std::string::npos);

  std::string workload = read_file(std::string(DTSIM_SOURCE_DIR) + "/workloads/resnet50.yaml");
  const std::string list = "measured_throughput:\n";
  workload.insert(workload.find(list) + list.size(), out.output.substr(row_start));
  const auto file = scratch("calibrated-resnet50.yaml");
  std::ofstream(file) << workload;
  const auto json = scratch("calibrated.json");
  const Outcome run =
      dtsim(fmt::format("run scenarios/quickstart.yaml {} --set workload.model={} --set workload.steps=40 "
                        "--json {}",
                        device, file.string(), json.string()));
  REQUIRE(run.exit_code == 0);
  const auto summary = nlohmann::json::parse(read_file(json))["summary"];
  CHECK(summary["step_time_s"].get<double>() == Approx(0.050).epsilon(0.005));
  CHECK(summary["compute_efficiency_basis"].get<std::string>().find("calibrated") != std::string::npos);
}

TEST_CASE("app: calibrate rejects a step time shorter than the optimizer step and a bad duration with exit code 2")
{
  const Outcome too_short = dtsim("calibrate scenarios/quickstart.yaml --step-time 0.1ms");
  CHECK(too_short.exit_code == 2);
  CHECK(too_short.output.find("--step-time 0.1ms: expected a step time longer than") != std::string::npos);
  const Outcome not_a_time = dtsim("calibrate scenarios/quickstart.yaml --step-time fast");
  CHECK(not_a_time.exit_code == 2);
  CHECK(not_a_time.output.find("expected a duration") != std::string::npos);
}

TEST_CASE("app: compare prints one row per scenario with the figures dtsim run gives, for any -j")
{
  const std::string files = "scenarios/quickstart.yaml scenarios/node-8xa100.yaml";
  const Outcome one_job = dtsim("compare " + files + " -j 1");
  REQUIRE(one_job.exit_code == 0);
  CHECK(dtsim("compare " + files + " -j 4").output == one_job.output);
  // One unit for the whole time column, the longest time's, stated in the header.
  double longest = 0;
  std::vector<nlohmann::json> summaries;
  for (const std::string file : {"scenarios/quickstart.yaml", "scenarios/node-8xa100.yaml"}) {
    const auto json = scratch("compare-run.json");
    REQUIRE(dtsim("run " + file + " --json " + json.string()).exit_code == 0);
    summaries.push_back(nlohmann::json::parse(read_file(json))["summary"]);
    longest = std::max(longest, summaries.back()["time_to_train_s"].get<double>());
  }
  REQUIRE(longest >= 1);
  REQUIRE(longest < 60); // these two runs take seconds
  CHECK(one_job.output.find("| scenario | devices | samples | time to train (s) |") != std::string::npos);
  for (const auto& summary : summaries) {
    const double time = summary["time_to_train_s"].get<double>();
    CHECK(one_job.output.find(fmt::format("| {:.4g} |", time)) != std::string::npos);
  }
  for (const std::string file : {"scenarios/quickstart.yaml", "scenarios/node-8xa100.yaml"}) {
    const auto json = scratch("compare-run.json");
    REQUIRE(dtsim("run " + file + " --json " + json.string()).exit_code == 0);
    const auto summary = nlohmann::json::parse(read_file(json))["summary"];
    const auto row_start = one_job.output.find("| " + file + " |");
    REQUIRE(row_start != std::string::npos);
    const std::string row = one_job.output.substr(row_start, one_job.output.find('\n', row_start) - row_start);
    INFO(row);
    CHECK(row.find(fmt::format("| {} |", summary["devices"].get<int>())) != std::string::npos);
    std::string throughput = fmt::format("{:.0f}", summary["throughput_samples_per_s"].get<double>());
    for (auto at = static_cast<long>(throughput.size()) - 3; at > 0; at -= 3)
      throughput.insert(static_cast<std::size_t>(at), ",");
    CHECK(row.find("| " + throughput + " |") != std::string::npos);
    CHECK(row.find(fmt::format("{:.1f}%", 100 * summary["scaling_efficiency"].get<double>())) != std::string::npos);
    CHECK(row.find("compute-bound") != std::string::npos);
  }
  // --json holds each scenario's summary as dtsim run writes it; --csv the same figures, a line each.
  const auto json = scratch("compare.json"), csv = scratch("compare.csv");
  REQUIRE(dtsim("compare " + files + " --json " + json.string() + " --csv " + csv.string()).exit_code == 0);
  const auto records = nlohmann::json::parse(read_file(json));
  REQUIRE(records.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(records[k]["status"] == "ok");
    CHECK(same_up_to_rounding(records[k]["summary"], summaries[k]));
  }
  const std::string table = read_file(csv);
  CHECK(table.starts_with("scenario,status,devices,steps,"));
  CHECK_THAT(table, Catch::Contains("\nscenarios/node-8xa100.yaml,ok,8,"));
}

TEST_CASE("app: compare stops at bad input with exit code 2 before simulating anything")
{
  const Outcome out = dtsim("compare scenarios/quickstart.yaml tests/data/invalid-unknown-key.yaml");
  CHECK(out.exit_code == 2);
  CHECK(out.output.find("invalid-unknown-key.yaml:") != std::string::npos);
  CHECK(out.output.find("| scenario |") == std::string::npos);
}

TEST_CASE("app: compare --option runs variants of one scenario, each as --set would")
{
  const Outcome out = dtsim("compare scenarios/cluster-4node-a100-storage-bound.yaml --option "
                            "\"2 drives:storage.nvme_of.drives_per_target=2\" --option \"one node:cluster.nodes=1,"
                            "workload.steps=20\"");
  REQUIRE(out.exit_code == 0);
  CHECK(out.output.find("| scenarios/cluster-4node-a100-storage-bound.yaml | 32 |") != std::string::npos);
  CHECK(out.output.find("| 2 drives | 32 |") != std::string::npos);
  CHECK(out.output.find("| one node | 8 |") != std::string::npos);
  // The storage-bound base is input-bound; a second drive per target makes it compute-bound.
  const auto row = [&](const std::string& name) {
    const auto start = out.output.find("| " + name + " |");
    return out.output.substr(start, out.output.find('\n', start) - start);
  };
  CHECK(row("scenarios/cluster-4node-a100-storage-bound.yaml").find("input-bound") != std::string::npos);
  CHECK(row("2 drives").find("compute-bound") != std::string::npos);

  const Outcome bad = dtsim("compare scenarios/quickstart.yaml --option nocolon");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--option nocolon: expected NAME:key=value") != std::string::npos);
  const Outcome two_bases = dtsim("compare scenarios/quickstart.yaml scenarios/node-8xa100.yaml --option \"a:seed=2\"");
  CHECK(two_bases.exit_code == 2);
  CHECK(two_bases.output.find("expected one base scenario with --option, found 2") != std::string::npos);
}

TEST_CASE("app: cost and energy per epoch and per million samples follow from the run's totals")
{
  // quickstart: 2 A100s at 1.844 USD per device-hour (cost.model hourly).
  const auto json = scratch("per-epoch.json");
  REQUIRE(dtsim("run scenarios/quickstart.yaml --no-baseline --json " + json.string()).exit_code == 0);
  const auto s = nlohmann::json::parse(read_file(json))["summary"];
  const double time = s["time_to_train_s"].get<double>(), samples = s["samples"].get<double>();
  const double cost = s["cost_usd"].get<double>(), energy = s["energy_kWh"].get<double>();
  CHECK(cost == Approx(2 * 1.844 * time / 3600));
  CHECK(s["epochs"].get<double>() == Approx(samples / 1281167));
  CHECK(s["cost_usd_per_epoch"].get<double>() == Approx(cost * 1281167 / samples));
  CHECK(s["cost_usd_per_million_samples"].get<double>() == Approx(cost / samples * 1e6));
  CHECK(s["energy_kWh_per_epoch"].get<double>() == Approx(energy * 1281167 / samples));
  CHECK(s["energy_kWh_per_million_samples"].get<double>() == Approx(energy / samples * 1e6));
}

namespace {

/// The line of `output` that holds `text`.
std::string line_with(const std::string& output, const std::string& text)
{
  const auto at = output.find(text);
  REQUIRE(at != std::string::npos);
  const auto start = output.rfind('\n', at) + 1;
  return output.substr(start, output.find('\n', at) - start);
}

/// The kind column of `advise`'s rank-1 row.
std::string first_choice(const std::string& output)
{
  const std::string line = line_with(output, "\n| 1 | ");
  std::vector<std::string> cells;
  std::stringstream cellstream(line);
  for (std::string cell; std::getline(cellstream, cell, '|');)
    cells.push_back(cell);
  REQUIRE(cells.size() > 3);
  return cells[3].substr(1, cells[3].size() - 2);
}

} // namespace

TEST_CASE(
    "app: advise tells a storage-bound run to buy storage, marks the budget and deadline, and writes both as data")
{
  const auto json = scratch("advice.json"), csv = scratch("advice.csv");
  const Outcome out = dtsim("advise scenarios/cluster-4node-a100-storage-bound.yaml --set workload.steps=100 "
                            "--budget 5000 --deadline 13.3s -j 2 --json " +
                            json.string() + " --csv " + csv.string());
  INFO(out.output);
  REQUIRE(out.exit_code == 0);
  CHECK(first_choice(out.output) == "storage");
  CHECK(out.output.find("So buy faster storage first.") != std::string::npos);
  // A second drive (1,200 USD) makes the run compute-bound, fits the budget and meets the deadline; twice the
  // nodes, still storage-bound, does neither.
  const std::string drives = line_with(out.output, "| 2x drives per target |");
  CHECK(drives.find("| $1,200 |") != std::string::npos);
  CHECK(drives.ends_with("| compute-bound | yes | yes |"));
  CHECK(line_with(out.output, "| 2x nodes |").ends_with("| input-bound | no | no |"));

  // --json holds the base and the upgrades in the table's order, each with its summary; --csv the same rows.
  const auto records = nlohmann::json::parse(read_file(json));
  REQUIRE(records.size() >= 3);
  CHECK(records[0]["kind"] == "base");
  CHECK(records[0]["summary"]["bottleneck"] == "input-bound");
  CHECK(records[1]["rank"] == 1);
  CHECK(line_with(out.output, "| 1 | ").starts_with("| 1 | " + records[1]["upgrade"].get<std::string>() + " |"));
  for (std::size_t k = 1; k < records.size(); ++k) {
    const auto& r = records[k];
    // Judged on the base's samples: its own time scaled by base samples over its samples.
    CHECK(r["time_for_base_samples_s"].get<double>() ==
          Approx(r["summary"]["time_to_train_s"].get<double>() * records[0]["summary"]["samples"].get<double>() /
                 r["summary"]["samples"].get<double>()));
    CHECK(r["within_budget"] == (r["added_purchase_usd"].get<double>() <= 5000));
    CHECK(r["meets_deadline"] == (r["time_for_base_samples_s"].get<double>() <= 13.3));
  }
  const std::string table = read_file(csv);
  CHECK(table.starts_with("rank,upgrade,kind,time_for_base_samples_s,saved_s,added_purchase_usd,"
                          "saved_s_per_1000_usd,within_budget,meets_deadline,devices,"));
  CHECK(static_cast<std::size_t>(std::count(table.begin(), table.end(), '\n')) == records.size() + 1);
}

TEST_CASE("app: advise tells a compute-bound run to buy accelerators and a CPU-bound one to buy cores")
{
  const Outcome compute = dtsim("advise scenarios/cluster-4node-a100.yaml --set workload.steps=40 -j 2");
  INFO(compute.output);
  REQUIRE(compute.exit_code == 0);
  CHECK(first_choice(compute.output) == "compute");
  CHECK(compute.output.find("No faster storage upgrade shortens the run.") != std::string::npos);
  const Outcome cpu = dtsim("advise scenarios/tutorial-gpu-waiting-cpu.yaml --set workload.steps=60 -j 2");
  INFO(cpu.output);
  REQUIRE(cpu.exit_code == 0);
  CHECK(first_choice(cpu.output) == "CPU");
  CHECK(cpu.output.find("| 1 | 2x CPU cores |") != std::string::npos);
  CHECK(cpu.output.find("So buy more CPU cores first.") != std::string::npos);
}

TEST_CASE("app: advise refuses a bad budget or deadline and an unpriced part before simulating")
{
  const Outcome budget = dtsim("advise scenarios/quickstart.yaml --budget lots");
  CHECK(budget.exit_code == 2);
  CHECK(budget.output.find("--budget lots") != std::string::npos);
  const Outcome deadline = dtsim("advise scenarios/quickstart.yaml --deadline 5parsecs");
  CHECK(deadline.exit_code == 2);
  CHECK(deadline.output.find("--deadline 5parsecs") != std::string::npos);
  const Outcome unpriced = dtsim("advise scenarios/quickstart.yaml --set cluster.nic=GPUDirect-TCPXO-200G");
  CHECK(unpriced.exit_code == 2);
  CHECK(unpriced.output.find("cost.nic_usd: missing key: advise prices upgrades at their purchase price") !=
        std::string::npos);
}

TEST_CASE("app: an empty file, a sweep definition or a list of cases given to run is bad input with exit code 2")
{
  const Outcome empty = dtsim("run tests/data/invalid-empty.yaml");
  CHECK(empty.exit_code == 2);
  CHECK(empty.output.find("tests/data/invalid-empty.yaml:1:1: version: missing key") != std::string::npos);
  const Outcome sweep = dtsim("run scenarios/sweeps/scaling-4node-a100.yaml");
  CHECK(sweep.exit_code == 2);
  CHECK(sweep.output.find("scenarios/sweeps/scaling-4node-a100.yaml:5:1: expected a scenario") != std::string::npos);
  CHECK(sweep.output.find("a sweep definition (run it with dtsim sweep)") != std::string::npos);
  const Outcome cases = dtsim("run scenarios/validation/cases.yaml");
  CHECK(cases.exit_code == 2);
  CHECK(cases.output.find("a list of validation cases (run it with dtsim check)") != std::string::npos);
}

TEST_CASE("app: a node, workload or catalog that is not a regular file is bad input naming its key, exit code 2")
{
  const Outcome device = dtsim("validate scenarios/quickstart.yaml --set cluster.node=/dev/zero");
  CHECK(device.exit_code == 2);
  CHECK(device.output.find("--set cluster.node=/dev/zero: cluster.node: expected a node in topologies/ or a node "
                           "file, found \"/dev/zero\" (a device at /dev/zero)") != std::string::npos);
  const Outcome folder = dtsim("validate scenarios/quickstart.yaml --set workload.model=/tmp");
  CHECK(folder.exit_code == 2);
  CHECK(folder.output.find("--set workload.model=/tmp: workload.model: expected a workload in workloads/ or a "
                           "workload file path, found \"/tmp\" (a directory at /tmp)") != std::string::npos);
  const Outcome too_long = dtsim("validate scenarios/quickstart.yaml --set workload.model=" + std::string(5000, 'x'));
  CHECK(too_long.exit_code == 2);
  CHECK(too_long.output.find("workload.model: expected a workload") != std::string::npos);
  const Outcome catalog = dtsim("validate scenarios/quickstart.yaml --set catalog=/dev/zero");
  CHECK(catalog.exit_code == 2);
  CHECK(catalog.output.find("--set catalog=/dev/zero: catalog: expected a catalog file, found a device at /dev/zero") !=
        std::string::npos);
}

TEST_CASE("app: an output file that cannot be written fails before anything is simulated, with exit code 5")
{
  for (const auto* option : {"--json", "--trace"}) {
    const Outcome out =
        dtsim(fmt::format("run scenarios/quickstart.yaml {} /nonexistent-dtsim-folder/out.json", option));
    INFO(out.output);
    CHECK(out.exit_code == 5);
    CHECK(out.output.find("dtsim: cannot write /nonexistent-dtsim-folder/out.json: No such file or directory") !=
          std::string::npos);
    CHECK(out.output.find("time to train") == std::string::npos); // no summary: nothing was simulated
  }
  const Outcome folder = dtsim("run scenarios/quickstart.yaml --json tests");
  CHECK(folder.exit_code == 5);
  CHECK(folder.output.find("dtsim: cannot write tests: Is a directory") != std::string::npos);
  const Outcome check = dtsim("check scenarios/validation/cases.yaml --json /nonexistent-dtsim-folder/c.json");
  CHECK(check.exit_code == 5);
  CHECK(check.output.find("| case | measured |") == std::string::npos); // no case was run
}

TEST_CASE("app: a cluster too large for this machine is refused by validate with exit code 2, not built for minutes")
{
  const Outcome out = dtsim("validate scenarios/cluster-512node-a100.yaml --set cluster.nodes=100000");
  CHECK(out.exit_code == 2);
  CHECK(out.output.find("--set cluster.nodes=100000: cluster.nodes: expected a cluster this machine can simulate, "
                        "found 100000 nodes") != std::string::npos);
  const Outcome fits = dtsim("validate scenarios/quickstart.yaml");
  CHECK(fits.exit_code == 0);
  CHECK(fits.output.find("actors, their stacks at most") != std::string::npos);
  CHECK(fits.output.find("a platform of 3 zones, 5 hosts") != std::string::npos);
}

TEST_CASE("app: dtsim finds its data beside its own binary, from any folder, unless --data-dir or DTSIM_DATA_DIR "
          "say otherwise")
{
  const std::string scenario = std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml";
  const Outcome elsewhere = shell(fmt::format("cd / && env -u DTSIM_DATA_DIR {} validate {}", dtsim_binary, scenario));
  CHECK(elsewhere.exit_code == 0);
  // --data-dir is taken before or after the subcommand.
  for (const std::string& order :
       {"--data-dir /tmp validate " + scenario, "validate " + scenario + " --data-dir /tmp"}) {
    const Outcome wrong = dtsim(order);
    CHECK(wrong.exit_code == 2);
    CHECK_THAT(wrong.output, Catch::Contains("--data-dir /tmp: expected a data folder holding catalog/, workloads/ "
                                             "and topologies/, found /tmp without catalog/"));
  }
  const Outcome from_environment = shell(fmt::format("DTSIM_DATA_DIR=/tmp {} validate {}", dtsim_binary, scenario));
  CHECK(from_environment.exit_code == 2);
  CHECK_THAT(from_environment.output, Catch::Contains("DTSIM_DATA_DIR=/tmp: expected a data folder"));
  const Outcome given =
      shell(fmt::format("DTSIM_DATA_DIR=/tmp {} validate {} --data-dir {}", dtsim_binary, scenario, DTSIM_SOURCE_DIR));
  CHECK(given.exit_code == 0); // --data-dir wins over the environment
  // Commands that read no scenario need no data folder.
  CHECK(shell(fmt::format("DTSIM_DATA_DIR=/tmp {} reference", dtsim_binary)).exit_code == 0);
}

TEST_CASE("app: on a terminal run and compare show their progress on stderr, in a pipe none")
{
  // script(1) gives dtsim a terminal.
  const std::string run = fmt::format("{} run scenarios/cluster-4node-a100.yaml --set workload.steps=600 "
                                      "--set simulation.exact=true --no-baseline",
                                      dtsim_binary);
  const Outcome on_terminal = shell(fmt::format("script -qec '{}' /dev/null", run));
  CHECK(on_terminal.exit_code == 0);
  CHECK_THAT(on_terminal.output, Catch::Contains("\rdtsim run: step ") && Catch::Contains(" of 600 simulated, "));
  const Outcome compare_on_terminal =
      shell(fmt::format("script -qec '{} compare scenarios/compare/*.yaml' /dev/null", dtsim_binary));
  CHECK_THAT(compare_on_terminal.output, Catch::Contains("\rdtsim compare: 5/5 done, 0 failed"));
  CHECK_THAT(shell(run).output, !Catch::Contains("dtsim run: step"));
}
