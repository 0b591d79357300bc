// dtsim check: the published cases, the table docs/validation.md shows, the cases file's errors,
// baselines, calibration cases and the JSON outcomes.
#include "cli.hpp"
#include "temp_dir.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

namespace {

std::filesystem::path scratch(const std::string& name)
{
  static const TempDir dir("dtsim-check-test");
  return dir / name;
}

/// The lines between `<!-- dtsim check CASES -->` and the next `<!-- end -->` of a Markdown file.
std::string marked_block(const std::string& markdown, const std::string& cases)
{
  const std::string start = "<!-- dtsim check " + cases + " -->\n";
  const auto from = markdown.find(start);
  if (from == std::string::npos)
    return "(no block marked " + start + ")";
  const auto begin = from + start.size();
  return markdown.substr(begin, markdown.find("<!-- end -->", begin) - begin);
}

/// Runs `dtsim check` on a cases file of `entries` (YAML list items) and returns its outcome.
Outcome check_cases(const std::string& name, const std::string& entries, const std::string& options = "")
{
  const auto file = scratch(name);
  std::ofstream(file) << "cases:\n" << entries;
  return dtsim("check " + file.string() + " " + options);
}

const std::string quickstart = std::string(DTSIM_SOURCE_DIR) + "/scenarios/quickstart.yaml";

} // namespace

TEST_CASE(
    "app: every published case in scenarios/validation is predicted within its bound, as docs/validation.md shows")
{
  // One run of the whole file (a few seconds): its exit code, and its table against the docs' copy
  // (tools/update-validation-docs.sh rewrites the copy).
  const Outcome out = dtsim("check scenarios/validation/cases.yaml");
  INFO(out.output);
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("| NO |") == std::string::npos);
  CHECK(out.output.find("dle-pyt-bert-a100-mn-s128-amp-32n") != std::string::npos);
  const std::string docs = read_file(std::string(DTSIM_SOURCE_DIR) + "/docs/validation.md");
  INFO("docs/validation.md is out of date: run tools/update-validation-docs.sh");
  CHECK(marked_block(docs, "scenarios/validation/cases.yaml") == out.output);
}

TEST_CASE("app: check reports a malformed cases file with its position")
{
  const Outcome out = check_cases("unknown-metric.yaml", "  - id: x\n    scenario: a.yaml\n    metric: latency\n");
  CHECK(out.exit_code == 2);
  CHECK(out.output.find(":4:13: cases[0].metric: expected throughput, scaling_efficiency, time_to_train, step_time, "
                        "allreduce_time, collective_time, algbw, busbw or pod_busbw, found \"latency\"") !=
        std::string::npos);
}

TEST_CASE("app: check refuses keys that do not apply to the metric, a missing op and a unit of the wrong kind")
{
  const std::string head = "  - id: x\n    scenario: a.yaml\n";
  const Outcome size = check_cases("size.yaml", head + "    metric: throughput\n    size: 1 GiB\n");
  CHECK(size.exit_code == 2);
  CHECK(size.output.find(":5:11: cases[0].size: does not apply to metric throughput") != std::string::npos);
  const Outcome baseline =
      check_cases("baseline.yaml", head + "    metric: busbw\n    baseline_set: [cluster.nodes=1]\n");
  CHECK(baseline.exit_code == 2);
  CHECK(baseline.output.find(":5:19: cases[0].baseline_set: does not apply to metric busbw") != std::string::npos);
  const Outcome op = check_cases("op.yaml", head + "    metric: algbw\n    size: 1 GiB\n    op: allreduce\n");
  CHECK(op.exit_code == 2);
  CHECK(op.output.find(":6:9: cases[0].op: expected all_reduce, reduce_scatter") != std::string::npos);
  const Outcome unit = check_cases(
      "unit.yaml", head + "    metric: step_time\n    measured: 1\n    unit: images/s\n    tolerance: 0.1\n");
  CHECK(unit.exit_code == 2);
  CHECK(unit.output.find(":6:11: cases[0].unit: expected the unit of a duration") != std::string::npos);
}

TEST_CASE("app: check's baseline_set, calibration cases, units and JSON outcomes")
{
  // quickstart (2 A100 per node) on 2 nodes against 1: efficiency = T2 / (2 x T1) by definition; step
  // time = global batch (2 x 2 x 128) / throughput. The throughput cases are far off but marked
  // calibration, so they do not fail the check.
  const std::string common = fmt::format("    scenario: {}\n    source: test\n", quickstart);
  const std::string entries =
      "  - id: two-nodes\n" + common +
      "    set: [cluster.nodes=2]\n    metric: throughput\n    measured: 1\n    unit: images/s\n"
      "    tolerance: 0.1\n    calibration: true\n"
      "  - id: one-node\n" +
      common +
      "    metric: throughput\n    measured: 1\n    unit: images/s\n    tolerance: 0.1\n    calibration: true\n"
      "  - id: efficiency\n" +
      common +
      "    set: [cluster.nodes=2]\n    baseline_set: [cluster.nodes=1]\n    metric: scaling_efficiency\n"
      "    measured: 100\n    tolerance: 1000\n"
      "  - id: step\n" +
      common +
      "    set: [cluster.nodes=2]\n    metric: step_time\n    measured: 1\n    unit: ms\n    tolerance: 1000\n";
  const auto json = scratch("outcomes.json");
  const auto csv = scratch("outcomes.csv");
  const Outcome out = check_cases("baseline.yaml", entries, "--json " + json.string() + " --csv " + csv.string());
  INFO(out.output);
  CHECK(out.exit_code == 0);
  CHECK(out.output.find("| two-nodes | images/s | 1.0 |") != std::string::npos);
  CHECK(out.output.find("| calibration |") != std::string::npos);
  const auto outcomes = nlohmann::json::parse(read_file(json));
  REQUIRE(outcomes.size() == 4);
  const double two = outcomes[0]["predicted"], one = outcomes[1]["predicted"];
  CHECK(outcomes[0]["calibration"] == true);
  CHECK(outcomes[0]["within"] == false);
  CHECK(outcomes[2]["metric"] == "scaling_efficiency");
  CHECK(outcomes[2]["error_in"] == "points");
  CHECK(outcomes[2]["predicted"].get<double>() == Approx(100 * two / (2 * one)).epsilon(1e-9));
  CHECK(outcomes[3]["unit"] == "ms");
  CHECK(outcomes[3]["predicted"].get<double>() == Approx(1000 * 2 * 2 * 128 / two).epsilon(1e-9));
  CHECK(outcomes[3]["error"].get<double>() == Approx(outcomes[3]["predicted"].get<double>() - 1).epsilon(1e-9));
  // The CSV holds the same outcomes, a line each.
  const std::string table = read_file(csv);
  CHECK(table.starts_with("id,metric,op,size_bytes,unit,measured,predicted,error,error_in,bound,within,"));
  CHECK(std::count(table.begin(), table.end(), '\n') == 5);
  CHECK_THAT(table, Catch::Contains(fmt::format("\nstep,step_time,,,ms,1.0,{},", outcomes[3]["predicted"].dump())));
}
