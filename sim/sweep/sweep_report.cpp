#include "sweep/sweep_report.hpp"

#include "config/config_error.hpp"
#include "report/format.hpp"
#include "report/html_report.hpp"
#include "report/line_chart.hpp"
#include "report/result_metrics.hpp"
#include "sweep/results_chart.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <iterator>
#include <set>

namespace dtsim::sweep {

namespace {

using nlohmann::json;

/// "nodes=4, targets=2": a point by the last part of each swept key.
std::string point_label(const json& row, const std::vector<std::string>& keys)
{
  std::string label;
  for (const auto& key : keys)
    label += fmt::format("{}{}={}", label.empty() ? "" : ", ", key.substr(key.rfind('.') + 1),
                         text_of(row.at("settings").value(key, json())));
  return label;
}

/// An SVG document as an element of the page: without its XML declaration.
std::string inline_svg(const std::string& svg)
{
  return svg.starts_with("<?xml") ? svg.substr(svg.find('\n') + 1) : svg;
}

std::string points_table(const std::vector<std::string>& keys, const std::vector<json>& rows)
{
  std::string out = "<table>\n<tr>";
  for (const auto& key : keys)
    out += "<th>" + report::xml_escaped(key) + "</th>";
  out += "<th>throughput (samples/s)</th><th>scaling efficiency</th><th>step time</th><th>bottleneck</th></tr>\n";
  for (const auto& row : rows) {
    const report::Summary s = report::summary_from_json(row.at("summary"));
    out += "<tr>";
    for (const auto& key : keys)
      out += "<td>" + report::xml_escaped(text_of(row.at("settings").value(key, json()))) + "</td>";
    out += fmt::format("<td>{}</td><td>{}</td><td>{:.4g} ms</td><td>{}</td></tr>\n", report::thousands(s.throughput),
                       s.scaling_efficiency ? fmt::format("{:.1f}%", 100 * *s.scaling_efficiency) : "-",
                       1e3 * s.step_time, report::to_string(s.bottleneck.kind));
  }
  return out + "</table>\n";
}

/// The first swept key whose every value is a number: the scaling axis.
std::optional<std::string> scaling_key(const std::vector<std::string>& keys, const std::vector<json>& rows)
{
  for (const auto& key : keys)
    if (std::all_of(rows.begin(), rows.end(),
                    [&](const json& r) { return r.at("settings").value(key, json()).is_number(); }))
      return key;
  return std::nullopt;
}

/// A chart of `y` against the scaling key with its ideal line, a line per value of the next swept key; or why
/// there is none.
std::string scaling_chart(const std::vector<std::string>& keys, const std::vector<json>& rows, const std::string& y)
{
  const auto x = scaling_key(keys, rows);
  if (!x)
    return "<p>No chart: no swept key is a number in every point.</p>\n";
  const auto other = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) { return k != *x; });
  try {
    return inline_svg(
        report::line_chart_svg(results_line_chart(rows, {*x, y, other == keys.end() ? "" : *other, {}, true})));
  } catch (const config::ConfigError& e) {
    return "<p>No chart: " + report::xml_escaped(e.message()) + "</p>\n";
  }
}

} // namespace

std::vector<config::Assumption> point_assumptions(const std::string& dir, const std::vector<nlohmann::json>& rows)
{
  std::vector<config::Assumption> assumptions;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& row : rows) {
    std::ifstream in(std::filesystem::path(dir) / "points" / row.at("id").get<std::string>() / "results.json");
    const json results = json::parse(in, nullptr, false); // discarded (not an object) when it is not JSON
    if (!results.is_object())
      continue;
    for (const auto& a : results.value("assumptions", json::array()))
      if (seen.emplace(a.value("figure", ""), a.value("value", "")).second)
        assumptions.push_back({a.value("figure", ""), a.value("value", ""), a.value("assumption", "")});
  }
  return assumptions;
}

std::string sweep_report_html(const std::string& title, const std::vector<std::string>& keys,
                              const std::vector<nlohmann::json>& rows,
                              const std::vector<config::Assumption>& assumptions)
{
  std::string out = report::html_page_start(title);
  out += fmt::format("<p>{} points succeeded; swept: {}.</p>\n", rows.size(),
                     report::xml_escaped(fmt::format("{}", fmt::join(keys, ", "))));
  out += "<h2>Points</h2>\n" + points_table(keys, rows);
  out += "<h2>Throughput, with perfect scaling dashed</h2>\n" + scaling_chart(keys, rows, "throughput_samples_per_s");
  const bool efficiency = std::all_of(
      rows.begin(), rows.end(), [](const json& r) { return r.at("summary").at("scaling_efficiency").is_number(); });
  if (efficiency)
    out += "<h2>Scaling efficiency</h2>\n" + scaling_chart(keys, rows, "scaling_efficiency");
  std::vector<std::pair<std::string, report::Summary>> points;
  for (const auto& row : rows)
    points.emplace_back(point_label(row, keys), report::summary_from_json(row.at("summary")));
  out += "<h2>Where a steady-state step goes</h2>\n" + report::point_breakdowns_svg(points);
  return out + report::assumptions_html(assumptions) + report::html_page_end();
}

} // namespace dtsim::sweep
