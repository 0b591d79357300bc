// The HTML page of a sweep: a table row and a step bar per point, the scaling charts with their ideal lines,
// and an explanation instead of a chart that would join points of different settings.
#include "report/result_metrics.hpp"
#include "sweep/sweep_report.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

std::size_t count(const std::string& text, const std::string& what)
{
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

nlohmann::json row(int nodes, const std::string& drive, double throughput)
{
  dtsim::report::Summary s;
  s.throughput = throughput;
  s.scaling_efficiency = throughput / (1000.0 * nodes);
  s.step_time = 0.1;
  s.breakdown.compute = 0.08;
  s.breakdown.exposed_comm = 0.02;
  return {{"id", drive + std::to_string(nodes)},
          {"status", "ok"},
          {"settings", {{"cluster.nodes", nodes}, {"storage.drive", drive}}},
          {"summary", dtsim::report::summary_json(s)}};
}

} // namespace

TEST_CASE("sweep report: a row and a step bar per point, throughput and efficiency with ideal lines")
{
  const std::vector<nlohmann::json> rows{row(1, "a", 1000), row(2, "a", 1900), row(4, "a", 3600)};
  const std::string html =
      dtsim::sweep::sweep_report_html("Sweep of x.yaml", {"cluster.nodes"}, rows, {{"a.b", "1 W", "a guess"}});
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<?xml") == std::string::npos);                         // the charts are inline elements
  CHECK(count(html.substr(0, html.find("<h2>Throughput")), "<tr>") == 4); // a header and a row per point
  CHECK_THAT(html, Catch::Contains("<td>4</td><td>3,600</td><td>90.0%</td><td>100 ms</td><td>compute-bound</td>"));
  CHECK(count(html, "<svg") == 3);
  CHECK(count(html, "stroke-dasharray") == 2 * 2); // the ideal line and its legend entry in each chart
  CHECK(count(html, "data-phase=\"compute\"") == 3);
  CHECK(count(html, "data-phase=\"exposed communication\"") == 3);
  CHECK_THAT(html, Catch::Contains(">nodes=2<"));
  CHECK_THAT(html, Catch::Contains("<h2>Assumptions used</h2>") && Catch::Contains("<td>a.b</td><td>1 W</td>"));
}

TEST_CASE("sweep report: points that differ in two keys get a line per value of the second")
{
  const std::vector<nlohmann::json> rows{row(1, "a", 1000), row(2, "a", 1900), row(1, "b", 900), row(2, "b", 1500)};
  const std::string by_drive =
      dtsim::sweep::sweep_report_html("two keys", {"cluster.nodes", "storage.drive"}, rows, {});
  CHECK_THAT(by_drive, Catch::Contains(">drive=a<") && Catch::Contains(">drive=b<"));
  CHECK(count(by_drive, "data-phase=\"compute\"") == 4);
  // Three keys: each line would have two points at every x, so the page says why there is no chart.
  std::vector<nlohmann::json> three;
  for (const int bucket : {25, 50})
    for (auto r : rows) {
      r["settings"]["training.bucket_size"] = bucket;
      three.push_back(r);
    }
  const std::string refused = dtsim::sweep::sweep_report_html(
      "three keys", {"cluster.nodes", "storage.drive", "training.bucket_size"}, three, {});
  CHECK_THAT(refused, Catch::Contains("<p>No chart: the points differ in training.bucket_size"));
}
