// The metric table: the one source of the summary's JSON keys, the CSV columns, the plot keys and
// docs/results-reference.md, and the way a Summary travels between processes.
#include "app/simulate.hpp"
#include "report/csv.hpp"
#include "report/result_metrics.hpp"
#include "report/writers.hpp"
#include "training/runnable_scenario.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

const std::string kSource = DTSIM_SOURCE_DIR;

dtsim::report::Summary summary_of(const std::string& file, const std::vector<std::string>& overrides)
{
  const auto scenario = dtsim::training::load_runnable_scenario(kSource + "/" + file, overrides, kSource);
  return dtsim::report::summarize(scenario, dtsim::app::simulate(scenario, {}), 1234.5);
}

} // namespace

TEST_CASE("result metrics: a summary read back from its JSON writes the same JSON, storage and costs included")
{
  // Reads from NVMe-oF targets and checkpoints, so that the optional figures are there.
  const auto summary = summary_of("scenarios/cluster-4node-a100-storage-bound.yaml", {"workload.steps=30"});
  REQUIRE(summary.storage_reads.has_value());
  REQUIRE(summary.cost_usd.has_value());
  const nlohmann::json json = dtsim::report::summary_json(summary);
  const dtsim::report::Summary back = dtsim::report::summary_from_json(json);
  CHECK(dtsim::report::summary_json(back) == json);
  CHECK(back.bottleneck.kind == summary.bottleneck.kind);
  CHECK(back.bottleneck.reason == summary.bottleneck.reason);
  CHECK(back.time_to_train == summary.time_to_train);
  CHECK(json.at("bottleneck") == dtsim::report::to_string(summary.bottleneck.kind));
}

TEST_CASE("result metrics: reading a summary names a missing key and a value of the wrong type")
{
  const nlohmann::json json = dtsim::report::summary_json(summary_of("scenarios/quickstart.yaml", {}));
  nlohmann::json missing = json;
  missing.erase("step_time_s");
  CHECK_THROWS_WITH(dtsim::report::summary_from_json(missing), Catch::Contains("\"step_time_s\""));
  nlohmann::json wrong = json;
  wrong["bottleneck"] = "slow";
  CHECK_THROWS_WITH(dtsim::report::summary_from_json(wrong), Catch::Contains("\"bottleneck\""));
  wrong = json;
  wrong["devices"] = "two";
  CHECK_THROWS_WITH(dtsim::report::summary_from_json(wrong), Catch::Contains("\"devices\" is not number"));
}

TEST_CASE("result metrics: every key is unique, has a description, and a number has a unit")
{
  std::set<std::string> keys;
  for (const auto& m : dtsim::report::summary_metrics()) {
    INFO(m.key);
    CHECK(keys.insert(m.key).second);
    CHECK(!m.description.empty());
    CHECK((m.shape != dtsim::report::MetricShape::number || !m.unit.empty()));
    CHECK(dtsim::report::find_metric(m.key) == &m);
  }
  CHECK(dtsim::report::find_metric("no_such_metric") == nullptr);
}

TEST_CASE("result metrics: the CSV has every metric but lists and objects, a failed row's cells empty")
{
  const auto columns = dtsim::report::metric_columns();
  const auto has = [&](const std::string& key) {
    return std::find(columns.begin(), columns.end(), key) != columns.end();
  };
  CHECK(has("throughput_samples_per_s"));
  CHECK(has("bottleneck"));
  CHECK(has("steady_settled"));
  CHECK(!has("device_groups"));
  CHECK(!has("storage_reads"));
  const std::string csv = dtsim::report::summary_records_csv(
      {"scenario"}, nlohmann::json::array({{{"scenario", "a, b"}, {"summary", nullptr}}}));
  const std::string header = csv.substr(0, csv.find('\n'));
  CHECK(header == "scenario," + [&] {
    std::string joined;
    for (const auto& c : columns)
      joined += (joined.empty() ? "" : ",") + c;
    return joined;
  }());
  CHECK(csv.substr(csv.find('\n') + 1) == "\"a, b\"" + std::string(columns.size(), ',') + "\n");
}

TEST_CASE("result metrics: docs/results-reference.md is the reference generated from the table")
{
  std::ifstream in(std::filesystem::path(kSource) / "docs" / "results-reference.md");
  std::stringstream text;
  text << in.rdbuf();
  // On failure, regenerate with: build/sim/app/dtsim reference --results > docs/results-reference.md
  CHECK(text.str() == dtsim::report::results_reference_markdown());
  for (const auto& m : dtsim::report::summary_metrics())
    CHECK_THAT(text.str(), Catch::Contains("| `" + m.key + "` |"));
}

TEST_CASE("result metrics: every key of a run's JSON document is in the results reference")
{
  const auto scenario = dtsim::training::load_runnable_scenario(kSource + "/scenarios/quickstart.yaml", {}, kSource);
  const auto run = dtsim::app::simulate(scenario, {});
  const auto json = dtsim::report::results_json(scenario, run, dtsim::report::summarize(scenario, run, 1.0), "");
  const std::string reference = dtsim::report::results_reference_markdown();
  for (const char* part : {"summary", "steps", "epochs"}) {
    const nlohmann::json& record = json.at(part).is_array() ? json.at(part).front() : json.at(part);
    for (const auto& [key, _] : record.items()) {
      INFO(part << ": " << key);
      CHECK_THAT(reference, Catch::Contains("| `" + key + "` |"));
    }
  }
}
