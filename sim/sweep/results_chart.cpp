#include "sweep/results_chart.hpp"

#include "config/config_error.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>

namespace dtsim::sweep {

namespace fs = std::filesystem;

namespace {

/// A row's value of `name`: a swept key first, then a summary metric; null when the row has neither.
nlohmann::json value_of(const nlohmann::json& row, const std::string& name)
{
  if (row.at("settings").contains(name))
    return row.at("settings").at(name);
  return row.at("summary").value(name, nlohmann::json());
}

/// "cluster.nodes, ..., throughput_samples_per_s, ...": what a key can name, for error messages.
std::string names_there_are(const nlohmann::json& row)
{
  std::string names;
  for (const auto& [key, _] : row.at("settings").items())
    names += (names.empty() ? "" : ", ") + key;
  for (const auto& [key, value] : row.at("summary").items())
    if (value.is_number())
      names += ", " + key;
  return names;
}

double number_of(const nlohmann::json& row, const std::string& option, const std::string& name)
{
  const nlohmann::json value = value_of(row, name);
  if (!value.is_number())
    throw config::ConfigError({option + " " + name, 0, 0}, name,
                              fmt::format("expected a swept key or a metric that is a number in every row; point {} "
                                          "has {}. Keys there are: {}",
                                          row.at("id").get<std::string>(), value.is_null() ? "none" : value.dump(),
                                          names_there_are(row)));
  return value.get<double>();
}

nlohmann::json group_value(const nlohmann::json& row, const std::string& group)
{
  const nlohmann::json value = value_of(row, group);
  if (value.is_null())
    throw config::ConfigError({"--group " + group, 0, 0}, group,
                              "expected a swept key or a metric; keys there are: " + names_there_are(row));
  return value;
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

report::LineChart results_chart(const std::vector<nlohmann::json>& rows, const std::string& x, const std::string& y,
                                const std::string& group)
{
  report::LineChart chart{fmt::format("{} against {}", y, x), x, y, {}};
  std::map<nlohmann::json, report::ChartSeries> by_group; // numbers in numeric order, then text
  for (const auto& row : rows) {
    const nlohmann::json key = group.empty() ? nlohmann::json() : group_value(row, group);
    report::ChartSeries& series = by_group[key];
    if (series.name.empty()) // the key's last part: the title names it in full
      series.name = group.empty() ? y
                                  : group.substr(group.rfind('.') + 1) + "=" +
                                        (key.is_string() ? key.get<std::string>() : key.dump());
    series.points.emplace_back(number_of(row, "--x", x), number_of(row, "--y", y));
  }
  for (auto& [_, series] : by_group)
    chart.series.push_back(std::move(series));
  if (!group.empty())
    chart.title += ", by " + group;
  return chart;
}

} // namespace dtsim::sweep
