// Sweep definitions: the points of grids and zips, their ids, the command-line form; rows merged into results.
#include "config/config_error.hpp"
#include "config/scenario.hpp"
#include "sweep/results_chart.hpp"
#include "sweep/sweep_definition.hpp"
#include "sweep/sweep_results.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

using namespace dtsim::sweep;
namespace fs = std::filesystem;

namespace {

const std::string kSource = DTSIM_SOURCE_DIR;

std::vector<std::string> values_of(const std::vector<SweepPoint>& points, std::size_t setting)
{
  std::vector<std::string> values;
  for (const auto& p : points)
    values.push_back(p.settings.at(setting).second);
  return values;
}

} // namespace

TEST_CASE("sweep definition: a grid is the cartesian product, the last key varying fastest, and a zip pairs")
{
  const auto grid = sweep_from_options("base.yaml", {"a.x=1,2", "b.y=p,q,r", "c.z=7"}, {}).points();
  REQUIRE(grid.size() == 6);
  CHECK(values_of(grid, 0) == std::vector<std::string>{"1", "1", "1", "2", "2", "2"});
  CHECK(values_of(grid, 1) == std::vector<std::string>{"p", "q", "r", "p", "q", "r"});
  CHECK(grid.front().settings.size() == 2); // c.z=7 is one value: fixed, not swept

  const auto zipped = sweep_from_options("base.yaml", {"a.x=1,2"}, {"m.n=A,B,C", "m.price=10,20,30"}).points();
  REQUIRE(zipped.size() == 6);
  for (const auto& p : zipped) // A goes with 10, B with 20, C with 30
    CHECK(p.settings.at(2).second == std::to_string(10 * (p.settings.at(1).second[0] - 'A' + 1)));
}

TEST_CASE("sweep definition: commas inside brackets or quotes do not split a value")
{
  const auto s = sweep_from_options("base.yaml", {"a.list=[1,2],[3,4]", "b.text='x,y',z", "c.one=[5,6]"}, {});
  REQUIRE(s.grid.size() == 2);
  CHECK(s.grid[0].values == std::vector<std::string>{"[1, 2]", "[3, 4]"});
  CHECK(s.grid[1].values == std::vector<std::string>{"x,y", "z"});
  CHECK(s.fixed == std::vector<std::string>{"c.one=[5, 6]"});
}

TEST_CASE("sweep definition: the id depends on the settings only, not how they were written or ordered")
{
  const std::vector<std::pair<std::string, std::string>> a{{"x.y", "4"}, {"p.q", "[1, 2]"}};
  const std::vector<std::pair<std::string, std::string>> b{{"p.q", "[1,2]"}, {"x.y", " 4"}};
  CHECK(point_id({}, a) == point_id({}, b));
  CHECK(point_id({}, a).size() == 12);
  CHECK(point_id({}, a) != point_id({"w.steps=10"}, a));
  CHECK(point_id({}, a) != point_id({}, {{"x.y", "5"}, {"p.q", "[1, 2]"}}));
}

TEST_CASE("sweep definition: a key swept twice, unequal zips and a repeated value are errors")
{
  CHECK_THROWS_AS(sweep_from_options("b.yaml", {"a.x=1,2", "a.x=3,4"}, {}), dtsim::config::ConfigError);
  CHECK_THROWS_AS(sweep_from_options("b.yaml", {}, {"a.x=1,2", "b.y=1"}), dtsim::config::ConfigError);
  CHECK_THROWS_AS(sweep_from_options("b.yaml", {"a.x=1,"}, {}), dtsim::config::ConfigError);
  CHECK_THROWS_AS(sweep_from_options("b.yaml", {"a.x=1,1"}, {}).points(), dtsim::config::ConfigError);
}

TEST_CASE("sweep definition: every sweep in scenarios/sweeps/ reads, and every one of its points loads")
{
  int sweeps = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/scenarios/sweeps")) {
    INFO(entry.path().string());
    REQUIRE(is_sweep_file(entry.path().string()));
    const SweepDefinition s = load_sweep(entry.path().string());
    ++sweeps;
    for (const auto& point : s.points()) {
      std::vector<std::string> overrides = s.fixed;
      for (const auto& [key, value] : point.settings)
        overrides.push_back(key + "=" + value);
      CHECK_NOTHROW(dtsim::config::load_scenario(s.base, overrides, kSource));
    }
  }
  CHECK(sweeps >= 2);
}

TEST_CASE("sweep definition: a key of set, grid or zip with '=' in it is refused (found by fuzz_sweep)")
{
  // As "key=value" such a key was cut at its '=', and the rest read as a YAML value that was not one.
  const std::string file = kSource + "/tests/data/fuzz-sweep-key-with-equals.yaml";
  try {
    load_sweep(file);
    FAIL("the sweep loaded");
  } catch (const dtsim::config::ConfigError& e) {
    CHECK(e.where().origin == file);
    CHECK(e.where().line == 4);
    CHECK(e.where().column == 3);
    CHECK(e.key() == "set.workload{=[");
    CHECK(e.message() == "expected a dotted key path such as workload.batch_per_device, found a key with '=' in it");
  }
  CHECK_THROWS_WITH(parse_sweep("base: b.yaml\ngrid:\n  a=b: [1, 2]\n", "grid.yaml"),
                    "grid.yaml:3:3: grid.a=b: expected a dotted key path such as workload.batch_per_device, found a "
                    "key with '=' in it");
}

TEST_CASE("sweep definition: a value that needs quotes keeps them and reads back as itself (found by fuzz_sweep)")
{
  // Kept unquoted, "[1" made the point ids throw YAML::ParserException, and "a: b" became a section.
  const SweepDefinition s = load_sweep(kSource + "/tests/data/fuzz-sweep-quoted-values.yaml");
  REQUIRE(s.grid.size() == 1);
  const std::vector<std::string> written{"a: b", "#x", "[1", "'", std::string(1, '\0'), "plain"};
  REQUIRE(s.grid[0].values.size() == written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    INFO(s.grid[0].values[i]);
    const YAML::Node back = YAML::Load(s.grid[0].values[i]);
    REQUIRE(back.IsScalar());
    CHECK(back.Scalar() == written[i]);
  }
  CHECK(s.grid[0].values.back() == "plain"); // a plain scalar stays as written, and so do the ids of its points
  CHECK(s.points().size() == written.size());
}

TEST_CASE("sweep definition: a value yaml-cpp cannot read back once written is refused (found by fuzz_sweep)")
{
  const std::string file = kSource + "/tests/data/fuzz-sweep-long-key.yaml";
  CHECK_THROWS_WITH(load_sweep(file), file + ":6:17: grid.name: expected a value that can be written as YAML and read "
                                             "back, found one that yaml-cpp cannot read back once written (such as a "
                                             "key over 1024 characters)");
  // Written back with 1000 characters, a key is one yaml-cpp reads back.
  const std::string key(1000, 'k');
  const SweepDefinition s = parse_sweep("base: b.yaml\ngrid:\n  name: [{" + key + ": 1}]\n", "short-key.yaml");
  CHECK(YAML::Load(s.grid.at(0).values.at(0))[key].as<int>() == 1);
}

TEST_CASE("sweep definition: sweep files and --set values are bounded like scenarios")
{
  const std::string bomb = kSource + "/tests/data/limit-alias-bomb.yaml";
  CHECK_THROWS_WITH(load_sweep(bomb), Catch::StartsWith(bomb + ":6:1: e: expected at most 100000 values"));
  CHECK_THROWS_WITH(is_sweep_file("/dev/zero"), "/dev/zero: expected a regular file (a YAML document), found a device");
  CHECK_THROWS_WITH(sweep_from_options("b.yaml", {"a.x=1,&y [*y]"}, {}),
                    Catch::Contains("a.x: the value \"&y [*y]\" is not valid: expected an alias (*name) to name a "
                                    "finished value"));
}

TEST_CASE("sweep results: merging keeps one row per point, an ok row over a failed one, and names the missing")
{
  const SweepDefinition s = sweep_from_options("b.yaml", {"a.x=1,2,3"}, {});
  const auto points = s.points();
  const nlohmann::json m{{"keys", s.keys()},
                         {"points", {{{"id", points[0].id}}, {{"id", points[1].id}}, {{"id", points[2].id}}}}};
  const nlohmann::json summary{{"time_to_train_s", 1.5}, {"bottleneck", "compute-bound"}};
  const auto failed = result_row(points[0], std::nullopt, "it broke, \"badly\"");
  const auto ok = result_row(points[0], summary, "");
  const auto other = result_row(points[1], std::nullopt, "no");
  const MergedRows merged = merge_rows(m, {failed, ok, failed, other, ok});
  REQUIRE(merged.rows.size() == 2);
  CHECK(merged.failed == 1);
  CHECK(merged.missing == std::vector<std::string>{points[2].id});
  for (const auto& row : merged.rows)
    CHECK((row.at("id") == points[0].id) == (row.at("status") == "ok"));

  const std::string csv = results_csv(m, {ok, other});
  CHECK(csv.find(fmt::format("{},ok,1,", points[0].id)) != std::string::npos);
  CHECK(csv.find(",1.5,") != std::string::npos);
  CHECK(csv.find(",compute-bound,") != std::string::npos);
  CHECK(csv.find(fmt::format("{},failed,2,", points[1].id)) != std::string::npos);
  const std::string quoted = results_csv(m, {failed});
  CHECK(quoted.ends_with(",\"it broke, \"\"badly\"\"\"\n"));
}

TEST_CASE("sweep results: a chart has a line per group in the group's numeric order, from the rows' values")
{
  const auto row = [](const std::string& id, int nodes, int targets, double throughput) {
    return nlohmann::json{{"id", id},
                          {"status", "ok"},
                          {"settings", {{"cluster.nodes", nodes}, {"storage.targets", targets}}},
                          {"summary", {{"throughput_samples_per_s", throughput}, {"bottleneck", "compute-bound"}}}};
  };
  const std::vector<nlohmann::json> rows{row("a", 2, 16, 20), row("b", 1, 8, 10), row("c", 1, 16, 11),
                                         row("d", 2, 8, 19)};
  const auto chart = results_line_chart(rows, {"cluster.nodes", "throughput_samples_per_s", "storage.targets"});
  REQUIRE(chart.series.size() == 2);
  CHECK(chart.series[0].name == "targets=8"); // 8 before 16: numbers compare as numbers
  CHECK(chart.series[1].name == "targets=16");
  CHECK(chart.series[0].points == std::vector<std::pair<double, double>>{{1, 10}, {2, 19}});
  CHECK(results_line_chart(rows, {"cluster.nodes", "throughput_samples_per_s", "", {"storage.targets=8"}})
            .series.size() == 1);
  CHECK_THROWS_AS(results_line_chart(rows, {"cluster.nodes", "bottleneck", "storage.targets"}),
                  dtsim::config::ConfigError);
  CHECK_THROWS_AS(results_line_chart(rows, {"cluster.nodez", "throughput_samples_per_s", "storage.targets"}),
                  dtsim::config::ConfigError);
}

namespace {

nlohmann::json result(const std::string& id, nlohmann::json settings, nlohmann::json summary)
{
  return {{"id", id}, {"status", "ok"}, {"settings", std::move(settings)}, {"summary", std::move(summary)}};
}

} // namespace

TEST_CASE("sweep results: a chart refuses to join points that differ in another swept key, and --where selects")
{
  std::vector<nlohmann::json> rows;
  for (const int nodes : {1, 2})
    for (const int targets : {8, 16})
      rows.push_back(result(fmt::format("{}-{}", nodes, targets),
                            {{"cluster.nodes", nodes}, {"storage.targets", targets}},
                            {{"throughput_samples_per_s", 10.0 * nodes + targets}, {"devices", 8 * nodes}}));
  CHECK_THROWS_WITH(results_line_chart(rows, {"cluster.nodes", "throughput_samples_per_s"}),
                    Catch::Contains("differ in storage.targets (16, 8)") &&
                        Catch::Contains("--group storage.targets") && Catch::Contains("--where storage.targets="));
  const auto slice =
      results_line_chart(rows, {"cluster.nodes", "throughput_samples_per_s", "", {"storage.targets=16"}});
  REQUIRE(slice.series.size() == 1);
  CHECK(slice.series[0].points == std::vector<std::pair<double, double>>{{1, 26}, {2, 36}});
  CHECK(slice.note == "points where storage.targets=16");
  CHECK_THROWS_WITH(results_line_chart(rows, {"cluster.nodes", "throughput_samples_per_s", "", {"storage.targets=4"}}),
                    Catch::Contains("no point has 4; its values are 16, 8"));
  // Keys that change along x are fine: a zipped sweep (strong scaling) is one line.
  std::vector<nlohmann::json> zipped;
  for (const int nodes : {1, 2, 4})
    zipped.push_back(result(std::to_string(nodes),
                            {{"cluster.nodes", nodes}, {"workload.batch_per_device", 256 / nodes}},
                            {{"throughput_samples_per_s", 100.0 * nodes}}));
  CHECK(results_line_chart(zipped, {"cluster.nodes", "throughput_samples_per_s"}).series[0].points.size() == 3);
  // A metric along x may vary with one swept key (devices with cluster.nodes), not with two.
  CHECK(results_line_chart(rows, {"devices", "throughput_samples_per_s", "storage.targets"}).series.size() == 2);
  CHECK_THROWS_AS(results_line_chart(rows, {"devices", "throughput_samples_per_s"}), dtsim::config::ConfigError);
}

TEST_CASE("sweep results: axes name their units, fractions in percent, and --ideal scales from the first point")
{
  std::vector<nlohmann::json> rows;
  for (const int nodes : {2, 4, 8})
    rows.push_back(result(std::to_string(nodes), {{"cluster.nodes", nodes}},
                          {{"throughput_samples_per_s", 100.0 * nodes - nodes * nodes},
                           {"time_to_train_s", 800.0 / nodes + 10},
                           {"scaling_efficiency", 1 - 0.01 * nodes},
                           {"accelerator_utilisation", 0.9}}));
  const auto throughput = results_line_chart(rows, {"cluster.nodes", "throughput_samples_per_s", "", {}, true});
  CHECK(throughput.y_label == "throughput (samples/s)");
  CHECK(throughput.x_label == "cluster.nodes");
  CHECK(throughput.series[0].ideal == std::vector<std::pair<double, double>>{{2, 196}, {4, 392}, {8, 784}});
  const auto time = results_line_chart(rows, {"cluster.nodes", "time_to_train_s", "", {}, true});
  CHECK(time.y_label == "time to train (s)");
  CHECK(time.series[0].ideal == std::vector<std::pair<double, double>>{{2, 410}, {4, 205}, {8, 102.5}});
  const auto efficiency = results_line_chart(rows, {"cluster.nodes", "scaling_efficiency", "", {}, true});
  CHECK(efficiency.y_label == "scaling efficiency (%)");
  CHECK(efficiency.series[0].points.front().second == Approx(98));
  CHECK(efficiency.series[0].ideal.back().second == 100);
  CHECK_THROWS_WITH(results_line_chart(rows, {"cluster.nodes", "accelerator_utilisation", "", {}, true}),
                    Catch::Contains("perfect scaling of accelerator_utilisation has no meaning"));
}

TEST_CASE("sweep results: a text x gives a bar chart with a bar per value, in the rows' order")
{
  std::vector<nlohmann::json> rows;
  for (const std::string accelerator : {"H100", "A100"})
    for (const int nodes : {1, 2})
      rows.push_back(result(accelerator + std::to_string(nodes),
                            {{"cluster.accelerator", accelerator}, {"cluster.nodes", nodes}},
                            {{"cost_usd_per_million_samples", nodes * (accelerator == "H100" ? 3.0 : 2.0)}}));
  const std::string svg =
      results_chart_svg(rows, {"cluster.accelerator", "cost_usd_per_million_samples", "cluster.nodes"});
  CHECK(svg.find(">H100<") < svg.find(">A100<"));
  CHECK(svg.find(">nodes=1<") != std::string::npos);
  std::size_t bars = 0;
  for (auto at = svg.find("class=\"bar\""); at != std::string::npos; at = svg.find("class=\"bar\"", at + 1))
    ++bars;
  CHECK(bars == 4);
  CHECK_THROWS_WITH(results_chart_svg(rows, {"cluster.accelerator", "cost_usd_per_million_samples", "", {}, false}),
                    Catch::Contains("differ in cluster.nodes"));
  CHECK_THROWS_WITH(
      results_chart_svg(rows, {"cluster.accelerator", "cost_usd_per_million_samples", "cluster.nodes", {}, true}),
      Catch::Contains("expected a numeric x"));
}
