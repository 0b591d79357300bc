#include "sweep/sweep_results.hpp"

#include "config/config_error.hpp"
#include "report/writers.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

namespace dtsim::sweep {

namespace fs = std::filesystem;

namespace {

/// A YAML value as JSON: numbers and booleans stay what they are, lists become arrays, the rest text.
nlohmann::json json_value(const YAML::Node& node)
{
  if (node.IsSequence()) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& item : node)
      list.push_back(json_value(item));
    return list;
  }
  if (node.IsMap()) {
    nlohmann::json map = nlohmann::json::object();
    for (const auto& entry : node)
      map[entry.first.Scalar()] = json_value(entry.second);
    return map;
  }
  const std::string& text = node.Scalar();
  long long integer = 0;
  double number = 0;
  bool flag = false;
  if (YAML::convert<long long>::decode(node, integer))
    return integer;
  if (YAML::convert<double>::decode(node, number) && std::isfinite(number))
    return number;
  if (node.Tag() != "!" && YAML::convert<bool>::decode(node, flag))
    return flag;
  return text;
}

/// A point's settings as a JSON object, each value read as YAML.
nlohmann::json settings_of(const SweepPoint& point)
{
  nlohmann::json settings = nlohmann::json::object();
  for (const auto& [key, value] : point.settings)
    settings[key] = json_value(YAML::Load(value));
  return settings;
}

std::string read_text(const fs::path& path)
{
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string csv_cell(const nlohmann::json& value)
{
  if (value.is_null())
    return "";
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (const char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string join_cells(const std::vector<std::string>& cells)
{
  std::string line;
  for (std::size_t k = 0; k < cells.size(); ++k)
    line += (k ? "," : "") + cells[k];
  return line + "\n";
}

/// A summary value for the CSV; the bottleneck as its kind alone ("compute-bound"), without the reasons.
nlohmann::json metric(const nlohmann::json& summary, const std::string& column)
{
  const nlohmann::json value = summary.value(column, nlohmann::json());
  if (column == "bottleneck" && value.is_string())
    return value.get<std::string>().substr(0, value.get<std::string>().find(':'));
  return value;
}

} // namespace

nlohmann::json manifest(const SweepDefinition& sweep, const std::vector<SweepPoint>& points)
{
  nlohmann::json list = nlohmann::json::array();
  for (const auto& p : points)
    list.push_back({{"id", p.id}, {"settings", settings_of(p)}});
  return {{"base", sweep.base},
          {"base_fingerprint", fingerprint(read_text(sweep.base))},
          {"set", sweep.fixed},
          {"keys", sweep.keys()},
          {"points", list}};
}

void claim_directory(const std::string& dir, const nlohmann::json& manifest)
{
  fs::create_directories(dir);
  const fs::path file = fs::path(dir) / "sweep.json";
  if (fs::exists(file)) {
    const nlohmann::json existing = read_manifest(dir);
    const std::vector<std::pair<std::string, std::string>> parts{
        {"points", "points"}, {"set", "fixed settings"}, {"base_fingerprint", "base scenario's contents"}};
    for (const auto& [part, what] : parts)
      if (existing.value(part, nlohmann::json()) != manifest.at(part))
        throw config::ConfigError({file.string(), 0, 0}, "",
                                  fmt::format("the output directory holds the results of another sweep (its {} "
                                              "differ); expected the same sweep, or a new output directory",
                                              what));
    return;
  }
  report::write_file_atomically(file.string(), manifest.dump(1) + "\n");
}

nlohmann::json read_manifest(const std::string& dir)
{
  const fs::path file = fs::path(dir) / "sweep.json";
  if (!fs::exists(file))
    throw config::ConfigError({file.string(), 0, 0}, "",
                              "no sweep manifest: expected the output directory of dtsim sweep");
  try {
    return nlohmann::json::parse(read_text(file));
  } catch (const nlohmann::json::exception& e) {
    throw config::ConfigError({file.string(), 0, 0}, "", std::string("the manifest is not valid JSON: ") + e.what());
  }
}

nlohmann::json result_row(const SweepPoint& point, const std::optional<nlohmann::json>& summary,
                          const std::string& error)
{
  return {{"id", point.id},
          {"settings", settings_of(point)},
          {"status", summary ? "ok" : "failed"},
          {"error", summary ? nlohmann::json() : nlohmann::json(error)},
          {"summary", summary ? *summary : nlohmann::json()}};
}

RowsFile::RowsFile(const std::string& path)
    : path_(path)
{
  if (fs::exists(path)) {
    const std::string text = read_text(path);
    if (!text.empty() && text.back() != '\n')
      fs::resize_file(path, text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw std::runtime_error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
}

RowsFile::~RowsFile()
{
  if (fd_ >= 0)
    ::close(fd_);
}

void RowsFile::append(const nlohmann::json& row)
{
  const std::string line = row.dump() + "\n";
  // One write of the whole line, so rows of processes sharing the file never interleave.
  if (::write(fd_, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(fd_) != 0)
    throw std::runtime_error(fmt::format("cannot append to {}: {}", path_, std::strerror(errno)));
}

std::string rows_file_name(int index, int count)
{
  return count == 1 ? "rows.jsonl" : fmt::format("rows.shard-{}-of-{}.jsonl", index, count);
}

std::vector<nlohmann::json> read_rows(const std::string& dir)
{
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("rows") && name.ends_with(".jsonl"))
        files.push_back(entry.path());
    }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> rows;
  for (const auto& file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (in.eof())
        break; // no newline after it: a row cut short
      try {
        rows.push_back(nlohmann::json::parse(line));
      } catch (const nlohmann::json::exception&) {
        // A line a crash left half-written is not a result.
      }
    }
  }
  return rows;
}

MergedRows merge_rows(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows)
{
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& point : manifest.at("points"))
    by_id[point.at("id").get<std::string>()] = nullptr;
  for (const auto& row : rows) {
    const auto it = by_id.find(row.value("id", ""));
    if (it != by_id.end() && (it->second.is_null() || it->second.at("status") != "ok"))
      it->second = row;
  }
  MergedRows merged;
  for (const auto& point : manifest.at("points"))
    if (by_id[point.at("id").get<std::string>()].is_null())
      merged.missing.push_back(point.at("id").get<std::string>());
  for (auto& [id, row] : by_id)
    if (!row.is_null()) {
      merged.failed += row.at("status") != "ok";
      merged.rows.push_back(std::move(row));
    }
  return merged;
}

const std::vector<std::string>& csv_metric_columns()
{
  static const std::vector<std::string> columns{"devices",
                                                "steps",
                                                "samples",
                                                "epochs",
                                                "time_to_train_s",
                                                "throughput_samples_per_s",
                                                "overall_throughput_samples_per_s",
                                                "scaling_efficiency",
                                                "step_time_s",
                                                "compute_s",
                                                "exposed_comm_s",
                                                "data_stall_s",
                                                "fetch_stall_s",
                                                "preprocess_stall_s",
                                                "optimizer_s",
                                                "accelerator_utilisation",
                                                "cpu_utilisation",
                                                "drive_utilisation",
                                                "energy_kWh",
                                                "energy_kWh_per_epoch",
                                                "purchase_usd",
                                                "cost_usd",
                                                "cost_usd_per_epoch",
                                                "cost_usd_per_million_samples",
                                                "bottleneck"};
  return columns;
}

std::string results_csv(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows)
{
  std::vector<std::string> header{"id", "status"};
  for (const auto& key : manifest.at("keys"))
    header.push_back(key.get<std::string>());
  header.insert(header.end(), csv_metric_columns().begin(), csv_metric_columns().end());
  header.push_back("error");
  std::string csv = join_cells(header);
  for (const auto& row : rows) {
    std::vector<std::string> cells{csv_cell(row.at("id")), csv_cell(row.at("status"))};
    for (const auto& key : manifest.at("keys"))
      cells.push_back(csv_cell(row.at("settings").value(key.get<std::string>(), nlohmann::json())));
    const nlohmann::json& summary = row.at("summary");
    for (const auto& column : csv_metric_columns())
      cells.push_back(summary.is_object() ? csv_cell(metric(summary, column)) : "");
    cells.push_back(csv_cell(row.at("error")));
    csv += join_cells(cells);
  }
  return csv;
}

void write_results(const std::string& dir, const nlohmann::json& manifest, const MergedRows& merged)
{
  std::string jsonl;
  for (const auto& row : merged.rows)
    jsonl += row.dump() + "\n";
  report::write_file_atomically((fs::path(dir) / "results.jsonl").string(), jsonl);
  report::write_file_atomically((fs::path(dir) / "results.csv").string(), results_csv(manifest, merged.rows));
}

} // namespace dtsim::sweep
