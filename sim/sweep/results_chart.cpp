#include "sweep/results_chart.hpp"

#include "config/config_error.hpp"
#include "report/result_metrics.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <map>
#include <set>

namespace dtsim::sweep {

namespace fs = std::filesystem;

namespace {

using nlohmann::json;

/// A row's value of `name`: a swept key first, then a summary metric; null when the row has neither.
json value_of(const json& row, const std::string& name)
{
  if (row.at("settings").contains(name))
    return row.at("settings").at(name);
  return row.at("summary").value(name, json());
}

/// "cluster.nodes, ..., throughput_samples_per_s, ...": what a key can name, for error messages.
std::string names_there_are(const json& row)
{
  std::string names;
  for (const auto& [key, _] : row.at("settings").items())
    names += (names.empty() ? "" : ", ") + key;
  for (const auto& metric : report::summary_metrics())
    if (metric.shape == report::MetricShape::number)
      names += ", " + metric.key;
  return names;
}

bool is_fraction(const std::string& name)
{
  const report::Metric* metric = report::find_metric(name);
  return metric && metric->unit == "fraction";
}

/// "throughput (samples/s)", "scaling efficiency (%)", "cluster.nodes": an axis label.
std::string axis_label(const std::string& name)
{
  const report::Metric* metric = report::find_metric(name);
  if (!metric)
    return name;
  static const std::map<std::string, std::string> suffix_of_unit{
      {"s", "_s"}, {"samples/s", "_samples_per_s"}, {"B", "_B"}, {"kWh", "_kWh"}, {"USD", "_usd"}};
  std::string label = name;
  if (const auto suffix = suffix_of_unit.find(metric->unit);
      suffix != suffix_of_unit.end() && label.ends_with(suffix->second))
    label.resize(label.size() - suffix->second.size());
  std::replace(label.begin(), label.end(), '_', ' ');
  if (metric->unit == "fraction")
    return label + " (%)";
  return metric->unit.empty() || metric->unit == "count" ? label : label + " (" + metric->unit + ")";
}

/// The value of a numeric axis, in percent for a fraction.
double number_of(const json& row, const std::string& option, const std::string& name)
{
  const json value = value_of(row, name);
  if (!value.is_number())
    throw config::ConfigError({option + " " + name, 0, 0}, name,
                              fmt::format("expected a swept key or a metric that is a number in every row; point {} "
                                          "has {}. Keys there are: {}",
                                          row.at("id").get<std::string>(), value.is_null() ? "none" : value.dump(),
                                          names_there_are(row)));
  return value.get<double>() * (is_fraction(name) ? 100 : 1);
}

json group_value(const json& row, const std::string& group)
{
  if (group.empty())
    return json();
  const json value = value_of(row, group);
  if (value.is_null())
    throw config::ConfigError({"--group " + group, 0, 0}, group,
                              "expected a swept key or a metric; keys there are: " + names_there_are(row));
  return value;
}

/// Refuses an x, y or group that is neither a swept key nor a metric, before anything else is checked.
void check_names(const json& row, const PlotRequest& request)
{
  for (const auto& [option, name] : {std::pair{"--x", request.x}, {"--y", request.y}, {"--group", request.group}})
    if (!name.empty() && !row.at("settings").contains(name) && !report::find_metric(name))
      throw config::ConfigError({std::string(option) + " " + name, 0, 0}, name,
                                "expected a swept key or a metric. Keys there are: " + names_there_are(row));
}

/// The rows whose swept keys have the values of every --where.
std::vector<json> selected_rows(const std::vector<json>& rows, const PlotRequest& request)
{
  check_names(rows.front(), request);
  std::vector<json> selected = rows;
  for (const auto& condition : request.where) {
    const config::Location at{"--where " + condition, 0, 0};
    const auto eq = condition.find('=');
    const std::string key = condition.substr(0, eq);
    if (eq == std::string::npos || !rows.front().at("settings").contains(key))
      throw config::ConfigError(
          at, key, "expected KEY=VALUE with a swept key; keys there are: " + names_there_are(rows.front()));
    const std::string value = condition.substr(eq + 1);
    std::set<std::string> values;
    std::erase_if(selected, [&](const json& row) {
      values.insert(text_of(row.at("settings").at(key)));
      return text_of(row.at("settings").at(key)) != value;
    });
    if (selected.empty())
      throw config::ConfigError(at, key,
                                fmt::format("no point has {}; its values are {}", value, fmt::join(values, ", ")));
  }
  return selected;
}

/// A swept key besides x and the group whose values differ among `rows`, or "".
std::string differing_key(const std::vector<const json*>& rows, const PlotRequest& request,
                          std::set<std::string>& values)
{
  for (const auto& [key, _] : rows.front()->at("settings").items()) {
    if (key == request.x || key == request.group)
      continue;
    values.clear();
    for (const json* row : rows)
      values.insert(text_of(row->at("settings").at(key)));
    if (values.size() > 1)
      return key;
  }
  return "";
}

/// Refuses two points of one line (or two bars of one group) at the same x: they differ in another swept key,
/// and a line through them would join points of different settings. Keys that change along x (a zipped sweep,
/// or cluster.nodes under a metric x such as devices) are fine.
void check_one_line_per_group(const std::vector<json>& rows, const PlotRequest& request)
{
  std::map<std::pair<json, std::string>, std::vector<const json*>> at_x; // (group, x) -> rows
  for (const auto& row : rows)
    at_x[{group_value(row, request.group), text_of(value_of(row, request.x))}].push_back(&row);
  for (const auto& [where, same_x] : at_x) {
    if (same_x.size() < 2)
      continue;
    std::set<std::string> values;
    const std::string key = differing_key(same_x, request, values);
    if (key.empty())
      throw config::ConfigError({"--x " + request.x, 0, 0}, request.x,
                                fmt::format("points {} and {} have the same settings and {}",
                                            same_x[0]->value("id", ""), same_x[1]->value("id", ""), request.x));
    throw config::ConfigError(
        {"--x " + request.x, 0, 0}, key,
        fmt::format("the points differ in {} ({}) at the same {}, and one line would join them: add --group {} "
                    "for a line per value, or --where {}={} for one of them",
                    key, fmt::join(values, ", "), request.x, key, key, *values.begin()));
  }
}

/// "throughput against cluster.nodes, by storage.nvme_of.targets": the axes' names without their units.
std::string chart_title(const PlotRequest& request)
{
  const std::string y = axis_label(request.y);
  return fmt::format("{} against {}{}", y.substr(0, y.find(" (")), request.x,
                     request.group.empty() ? "" : ", by " + request.group);
}

std::string chart_note(const PlotRequest& request)
{
  return request.where.empty() ? "" : fmt::format("points where {}", fmt::join(request.where, ", "));
}

std::string series_name(const PlotRequest& request, const json& key)
{
  if (request.group.empty())
    return axis_label(request.y);
  return request.group.substr(request.group.rfind('.') + 1) + "=" + text_of(key);
}

/// Perfect scaling of `points` (in x order) from the first: a throughput grows with x, a time shrinks with it,
/// a scaling efficiency stays at 100%.
std::vector<std::pair<double, double>> ideal_line(const std::vector<std::pair<double, double>>& points,
                                                  const PlotRequest& request)
{
  const report::Metric* metric = report::find_metric(request.y);
  const std::string unit = metric ? metric->unit : "";
  const auto [x0, y0] = points.front();
  if (x0 <= 0)
    throw config::ConfigError({"--ideal", 0, 0}, request.x,
                              fmt::format("perfect scaling starts from the smallest x, which is {}", x0));
  std::vector<std::pair<double, double>> ideal;
  for (const auto& [x, _] : points) {
    if (request.y == "scaling_efficiency")
      ideal.emplace_back(x, 100);
    else if (unit == "samples/s" || unit == "B/s")
      ideal.emplace_back(x, y0 * x / x0);
    else if (unit == "s")
      ideal.emplace_back(x, y0 * x0 / x);
    else
      throw config::ConfigError({"--ideal", 0, 0}, request.y,
                                "expected a throughput, a time or scaling_efficiency along y: perfect scaling of " +
                                    request.y + " has no meaning");
  }
  return ideal;
}

bool numeric_x(const std::vector<json>& rows, const std::string& x)
{
  return std::all_of(rows.begin(), rows.end(), [&](const json& row) { return value_of(row, x).is_number(); });
}

report::BarChart bar_chart(const std::vector<json>& rows, const PlotRequest& request)
{
  if (request.ideal)
    throw config::ConfigError({"--ideal", 0, 0}, request.x, "expected a numeric x: perfect scaling needs one");
  report::BarChart chart{chart_title(request), axis_label(request.x), axis_label(request.y), {}, {},
                         chart_note(request)};
  std::map<json, std::map<std::string, double>> by_group;
  std::vector<json> groups;
  for (const auto& row : rows) {
    const json x = value_of(row, request.x);
    if (x.is_null())
      throw config::ConfigError({"--x " + request.x, 0, 0}, request.x,
                                "expected a swept key or a metric; keys there are: " + names_there_are(row));
    const std::string category = text_of(x);
    if (std::find(chart.categories.begin(), chart.categories.end(), category) == chart.categories.end())
      chart.categories.push_back(category);
    const json group = group_value(row, request.group);
    if (!by_group.contains(group))
      groups.push_back(group);
    by_group[group][category] = number_of(row, "--y", request.y);
  }
  std::sort(groups.begin(), groups.end());
  for (const auto& group : groups) {
    report::BarSeries series{series_name(request, group), {}};
    for (const auto& category : chart.categories) {
      const auto& values = by_group.at(group);
      const auto value = values.find(category);
      series.values.push_back(value == values.end() ? std::nullopt : std::optional(value->second));
    }
    chart.series.push_back(std::move(series));
  }
  return chart;
}

} // namespace

std::vector<nlohmann::json> read_result_rows(const std::string& path)
{
  const fs::path file = fs::is_directory(path) ? fs::path(path) / "results.jsonl" : fs::path(path);
  std::ifstream in(file);
  if (!in)
    throw config::ConfigError({file.string(), 0, 0}, "",
                              "cannot open the results: expected a results folder of dtsim sweep or its results.jsonl");
  std::vector<nlohmann::json> rows;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    try {
      nlohmann::json row = nlohmann::json::parse(line);
      if (row.value("status", "") == "ok")
        rows.push_back(std::move(row));
    } catch (const nlohmann::json::exception& e) {
      throw config::ConfigError({file.string(), line_number, 1}, "", std::string("expected a JSON row: ") + e.what());
    }
  }
  if (rows.empty())
    throw config::ConfigError({file.string(), 0, 0}, "", "no point of the sweep succeeded: nothing to plot");
  return rows;
}

report::LineChart results_line_chart(const std::vector<nlohmann::json>& all_rows, const PlotRequest& request)
{
  const std::vector<json> rows = selected_rows(all_rows, request);
  check_one_line_per_group(rows, request);
  report::LineChart chart{chart_title(request), axis_label(request.x), axis_label(request.y), {}, chart_note(request)};
  std::map<json, report::ChartSeries> by_group; // numbers in numeric order, then text
  for (const auto& row : rows) {
    const json key = group_value(row, request.group);
    report::ChartSeries& series = by_group[key];
    series.name = series_name(request, key);
    series.points.emplace_back(number_of(row, "--x", request.x), number_of(row, "--y", request.y));
  }
  for (auto& [_, series] : by_group) {
    std::stable_sort(series.points.begin(), series.points.end());
    if (request.ideal)
      series.ideal = ideal_line(series.points, request);
    chart.series.push_back(std::move(series));
  }
  return chart;
}

std::string results_chart_svg(const std::vector<nlohmann::json>& rows, const PlotRequest& request)
{
  const std::vector<json> selected = selected_rows(rows, request);
  if (numeric_x(selected, request.x))
    return report::line_chart_svg(results_line_chart(rows, request));
  check_one_line_per_group(selected, request);
  return report::bar_chart_svg(bar_chart(selected, request));
}

std::string text_of(const nlohmann::json& value)
{
  return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace dtsim::sweep
