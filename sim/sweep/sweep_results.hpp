#pragma once
/// @brief Sweep results on disk: the rows files points append to, the manifest of a sweep, and the sorted
/// JSON Lines and CSV files made from them.
///
/// An output directory holds `sweep.json` (the manifest: every point's id and settings), one rows file per
/// process that ran points (`rows.jsonl`, or `rows.shard-I-of-N.jsonl`), a folder per point under `points/`,
/// and, once merged, `results.jsonl` and `results.csv` sorted by point id. A row is appended and flushed as its
/// point finishes. A line that is not a row of the sweep (cut short by a kill, corrupted, another sweep's) is
/// moved to `rejected-rows.jsonl` on reading, and its point has no row until it runs again.
#include "sweep/sweep_definition.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dtsim::sweep {

/// The manifest of a sweep: its base scenario and its points, in sweep order.
nlohmann::json manifest(const SweepDefinition& sweep, const std::vector<SweepPoint>& points);

/// Writes the manifest into `dir`, or checks that the one already there lists the same points; throws
/// ConfigError when `dir` holds another sweep's results. Of sweeps claiming an empty folder at once, one wins.
void claim_directory(const std::string& dir, const nlohmann::json& manifest);

/// Reads `dir`'s manifest; throws ConfigError when there is none.
nlohmann::json read_manifest(const std::string& dir);

/// One row: the point's id, its settings (values read as YAML: numbers stay numbers), "ok" or "failed", the
/// error (null when ok), the run's summary (null when failed) and the checksum of all that (row_checksum).
nlohmann::json result_row(const SweepPoint& point, const std::optional<nlohmann::json>& summary,
                          const std::string& error);

/// The checksum a row carries: the fingerprint of the row without its checksum, as one line of JSON.
std::string row_checksum(const nlohmann::json& row);

/// @brief A line of a rows file read as a row of a sweep: the row, or why it is not one.
struct CheckedLine {
  std::optional<nlohmann::json> row;
  std::string problem;
};

/// @brief Tells the rows of a sweep from other lines.
class RowChecker {
public:
  explicit RowChecker(const nlohmann::json& manifest);

  /// A row of the sweep is a JSON object with the fields of result_row (status, error and summary agreeing),
  /// names a point of the manifest with that point's settings, and carries the checksum of its content. Rows
  /// without a checksum (written before rows had one) are taken on the rest.
  CheckedLine check(const std::string& line) const;

private:
  std::string point_problem(const nlohmann::json& row) const;

  std::map<std::string, nlohmann::json> settings_by_id_;
};

/// @brief A rows file that rows are appended to, each flushed to disk at once.
class RowsFile {
public:
  /// Opens (creating) `path`. A last line cut short by a kill is ended first, so that the next row starts a
  /// line of its own.
  explicit RowsFile(const std::string& path);
  ~RowsFile();
  RowsFile(const RowsFile&) = delete;
  RowsFile& operator=(const RowsFile&) = delete;

  void append(const nlohmann::json& row);

private:
  int fd_ = -1;
  std::string path_;
};

/// Every row of the sweep of `manifest` (RowChecker) in the rows files of `dir` (rows.jsonl and every
/// shard's), in file order. The other lines, a last line without its newline included, are each named on stderr
/// with their problem and moved to rejected-rows.jsonl when this process may rewrite their file: any file, or
/// `own_file` alone when given (a shard's); otherwise left in place.
std::vector<nlohmann::json> read_rows(const std::string& dir, const nlohmann::json& manifest,
                                      const std::optional<std::string>& own_file = std::nullopt);

/// The rows file of shard `index` of `count` (count 1: the unsharded rows.jsonl).
std::string rows_file_name(int index, int count);

/// @brief The rows of a sweep's points: one per point, an ok row preferred to a failed one, sorted by id.
struct MergedRows {
  std::vector<nlohmann::json> rows; ///< one per point that has one, in sweep (grid) order
  std::vector<std::string> missing; ///< ids of the manifest's points without a row, in sweep order
  std::size_t failed = 0;
};

MergedRows merge_rows(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows);

/// Writes results.jsonl and results.csv into `dir`, each atomically.
void write_results(const std::string& dir, const nlohmann::json& manifest, const MergedRows& merged);

/// The CSV: id, status, the swept keys, the metric columns (report::metric_columns) and error.
std::string results_csv(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows);

} // namespace dtsim::sweep
