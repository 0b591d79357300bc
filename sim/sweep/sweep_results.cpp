#include "sweep/sweep_results.hpp"

#include "config/config_error.hpp"
#include "report/csv.hpp"
#include "report/result_metrics.hpp"
#include "report/writers.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

namespace dtsim::sweep {

namespace fs = std::filesystem;

namespace {

constexpr const char* rejected_rows_file = "rejected-rows.jsonl";

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
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A row as one line of JSON; text that is not UTF-8 (in an error message) is replaced rather than thrown on.
std::string one_line(const nlohmann::json& row)
{
  return row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// Why `row` does not have the fields of result_row, of their types, or "".
std::string shape_problem(const nlohmann::json& row)
{
  if (!row.is_object())
    return "not a row: not a JSON object";
  static const std::set<std::string> required{"id", "settings", "status", "error", "summary"};
  for (const auto& [key, value] : row.items())
    if (!required.contains(key) && key != "checksum")
      return fmt::format("not a row: unexpected field \"{}\"", key);
  for (const auto& key : required)
    if (!row.contains(key))
      return fmt::format("not a row: no \"{}\" field", key);
  if (!row.at("id").is_string() || !row.at("settings").is_object())
    return "not a row: its id is not text or its settings not an object";
  const nlohmann::json& status = row.at("status");
  if (status == "ok" && row.at("summary").is_object() && row.at("error").is_null())
    return "";
  if (status == "failed" && row.at("summary").is_null() && row.at("error").is_string())
    return "";
  return "not a row: expected status ok with a summary, or failed with an error";
}

/// Whether the file open at `fd` is empty or ends with a newline.
bool ends_a_line(int fd, const std::string& path)
{
  struct stat info {};
  char last = '\n';
  if (::fstat(fd, &info) != 0 || (info.st_size > 0 && ::pread(fd, &last, 1, info.st_size - 1) != 1))
    throw std::runtime_error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  return last == '\n';
}

/// The rows files in `dir`, sorted by name.
std::vector<fs::path> rows_files(const std::string& dir)
{
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("rows") && name.ends_with(".jsonl"))
        files.push_back(entry.path());
    }
  std::sort(files.begin(), files.end());
  return files;
}

/// @brief A line of a rows file that is not a row of the sweep.
struct RejectedLine {
  std::size_t number = 0; ///< from 1
  std::string text;
  std::string problem;
};

/// @brief A rows file's lines: its rows (parsed, and as the text they had) and the rest.
struct SortedLines {
  std::vector<nlohmann::json> rows;
  std::string rows_text;
  std::vector<RejectedLine> rejected;
};

SortedLines sort_lines(const std::string& text, const RowChecker& checker)
{
  SortedLines sorted;
  std::size_t number = 0;
  for (std::size_t start = 0; start < text.size(); ++number) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    CheckedLine checked =
        end == std::string::npos ? CheckedLine{std::nullopt, "cut short: no newline at its end"} : checker.check(line);
    if (checked.row) {
      sorted.rows.push_back(std::move(*checked.row));
      sorted.rows_text += line + "\n";
    } else {
      sorted.rejected.push_back({number + 1, line, checked.problem});
    }
  }
  return sorted;
}

/// Appends `text` to the rejected rows file, which the shards of a sweep share: under a lock, so that cutting
/// back a failed append cannot cut another process's.
void append_rejected(const fs::path& file, const std::string& text)
{
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0)
    throw std::runtime_error(fmt::format("cannot open {}: {}", file.string(), std::strerror(errno)));
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  int locked = 0;
  while ((locked = ::fcntl(fd, F_SETLKW, &lock)) != 0 && errno == EINTR) {
  }
  try {
    if (locked != 0)
      throw std::runtime_error(fmt::format("cannot lock {}: {}", file.string(), std::strerror(errno)));
    report::append_durably(fd, file.string(), text);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

/// Moves the rejected lines of `file` to the rejected rows file: appended there first, then the rows file
/// rewritten without them, so that a crash between the two loses nothing.
void set_aside(const fs::path& file, const SortedLines& lines)
{
  std::string text;
  for (const auto& line : lines.rejected)
    text += line.text + "\n";
  append_rejected(file.parent_path() / rejected_rows_file, text);
  report::write_file_atomically(file.string(), lines.rows_text);
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
  if (report::create_file_atomically(file.string(), manifest.dump(1) + "\n"))
    return;
  const nlohmann::json existing = read_manifest(dir);
  const std::vector<std::pair<std::string, std::string>> parts{
      {"points", "points"}, {"set", "fixed settings"}, {"base_fingerprint", "base scenario's contents"}};
  for (const auto& [part, what] : parts)
    if (!existing.is_object() || existing.value(part, nlohmann::json()) != manifest.at(part))
      throw config::ConfigError({file.string(), 0, 0}, "",
                                fmt::format("the output directory holds the results of another sweep (its {} "
                                            "differ); expected the same sweep, or a new output directory",
                                            what));
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
  nlohmann::json row{{"id", point.id},
                     {"settings", settings_of(point)},
                     {"status", summary ? "ok" : "failed"},
                     {"error", summary ? nlohmann::json() : nlohmann::json(error)},
                     {"summary", summary ? *summary : nlohmann::json()}};
  row["checksum"] = row_checksum(row);
  return row;
}

std::string row_checksum(const nlohmann::json& row)
{
  nlohmann::json content = row;
  content.erase("checksum");
  return fingerprint(one_line(content));
}

RowChecker::RowChecker(const nlohmann::json& manifest)
{
  for (const auto& point : manifest.at("points"))
    settings_by_id_[point.at("id").get<std::string>()] = point.value("settings", nlohmann::json::object());
}

CheckedLine RowChecker::check(const std::string& line) const
{
  nlohmann::json row;
  try {
    row = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception&) {
    return {std::nullopt, "not a row: not valid JSON"};
  }
  std::string problem = shape_problem(row);
  if (problem.empty() && row.contains("checksum") && row.at("checksum") != row_checksum(row))
    problem = "its checksum does not match its content";
  if (problem.empty())
    problem = point_problem(row);
  if (!problem.empty())
    return {std::nullopt, problem};
  return {std::move(row), ""};
}

std::string RowChecker::point_problem(const nlohmann::json& row) const
{
  const std::string id = row.at("id").get<std::string>();
  const auto point = settings_by_id_.find(id);
  if (point == settings_by_id_.end())
    return fmt::format("point {} is not in this sweep", id);
  if (row.at("settings") != point->second)
    return fmt::format("its settings are not those of point {}", id);
  return "";
}

RowsFile::RowsFile(const std::string& path)
    : path_(path)
{
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd_ < 0)
    throw std::runtime_error(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  if (!ends_a_line(fd_, path))
    report::append_durably(fd_, path, "\n");
}

RowsFile::~RowsFile()
{
  if (fd_ >= 0)
    ::close(fd_);
}

void RowsFile::append(const nlohmann::json& row)
{
  report::append_durably(fd_, path_, one_line(row) + "\n");
}

std::string rows_file_name(int index, int count)
{
  return count == 1 ? "rows.jsonl" : fmt::format("rows.shard-{}-of-{}.jsonl", index, count);
}

std::vector<nlohmann::json> read_rows(const std::string& dir, const nlohmann::json& manifest,
                                      const std::optional<std::string>& own_file)
{
  const RowChecker checker(manifest);
  std::vector<nlohmann::json> rows;
  for (const auto& file : rows_files(dir)) {
    SortedLines lines = sort_lines(read_text(file), checker);
    const bool owned = !own_file || file.filename() == *own_file;
    if (!lines.rejected.empty() && owned)
      set_aside(file, lines);
    for (const auto& line : lines.rejected)
      fmt::print(stderr, "dtsim: {}:{}: {}; {}\n", file.string(), line.number, line.problem,
                 owned ? "moved to " + (file.parent_path() / rejected_rows_file).string()
                       : "left in place for the shard that writes the file, or dtsim merge, to move");
    std::move(lines.rows.begin(), lines.rows.end(), std::back_inserter(rows));
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
  MergedRows merged; // in the grid's order, the manifest's
  for (const auto& point : manifest.at("points")) {
    const std::string id = point.at("id").get<std::string>();
    nlohmann::json& row = by_id.at(id);
    if (row.is_null()) {
      merged.missing.push_back(id);
    } else {
      merged.failed += row.at("status") != "ok";
      merged.rows.push_back(std::move(row));
    }
  }
  return merged;
}

std::string results_csv(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows)
{
  std::vector<std::string> columns{"id", "status"};
  for (const auto& key : manifest.at("keys"))
    columns.push_back(key.get<std::string>());
  for (const auto& column : report::metric_columns())
    columns.push_back(column);
  columns.push_back("error");
  nlohmann::json records = nlohmann::json::array();
  for (const auto& row : rows) {
    nlohmann::json record{{"id", row.at("id")}, {"status", row.at("status")}, {"error", row.at("error")}};
    for (const auto& key : manifest.at("keys"))
      record[key.get<std::string>()] = row.at("settings").value(key.get<std::string>(), nlohmann::json());
    records.push_back(report::with_metric_columns(std::move(record), row.at("summary")));
  }
  return report::records_csv(columns, records);
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
