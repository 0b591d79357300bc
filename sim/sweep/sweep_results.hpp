#pragma once
/// @brief Sweep results on disk: the rows files points append to, the manifest of a sweep, and the sorted
/// JSON Lines and CSV files made from them.
///
/// An output directory holds `sweep.json` (the manifest: every point's id and settings), one rows file per
/// process that ran points (`rows.jsonl`, or `rows.shard-I-of-N.jsonl`), a folder per point under `points/`,
/// and, once merged, `results.jsonl` and `results.csv` sorted by point id. A row is appended and flushed as its
/// point finishes; a row cut short by a kill is ignored on reading and its point runs again.
#include "sweep/sweep_definition.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace dtsim::sweep {

/// The manifest of a sweep: its base scenario and its points, in sweep order.
nlohmann::json manifest(const SweepDefinition& sweep, const std::vector<SweepPoint>& points);

/// Writes the manifest into `dir`, or checks that the one already there lists the same points; throws
/// ConfigError when `dir` holds another sweep's results.
void claim_directory(const std::string& dir, const nlohmann::json& manifest);

/// Reads `dir`'s manifest; throws ConfigError when there is none.
nlohmann::json read_manifest(const std::string& dir);

/// One row: the point's id, its settings (values read as YAML: numbers stay numbers), "ok" or "failed", the
/// error (null when ok) and the run's summary (null when failed).
nlohmann::json result_row(const SweepPoint& point, const std::optional<nlohmann::json>& summary,
                          const std::string& error);

/// @brief A rows file that rows are appended to, each flushed to disk at once.
class RowsFile {
public:
  /// Opens (creating) `path`, first cutting off a last line that a kill left unfinished.
  explicit RowsFile(const std::string& path);
  ~RowsFile();
  RowsFile(const RowsFile&) = delete;
  RowsFile& operator=(const RowsFile&) = delete;

  void append(const nlohmann::json& row);

private:
  int fd_ = -1;
  std::string path_;
};

/// Every complete row of the rows files in `dir` (rows.jsonl and every shard's), in file order.
std::vector<nlohmann::json> read_rows(const std::string& dir);

/// The rows file of shard `index` of `count` (count 1: the unsharded rows.jsonl).
std::string rows_file_name(int index, int count);

/// @brief The rows of a sweep's points: one per point, an ok row preferred to a failed one, sorted by id.
struct MergedRows {
  std::vector<nlohmann::json> rows;
  std::vector<std::string> missing; ///< ids of the manifest's points without a row, in sweep order
  std::size_t failed = 0;
};

MergedRows merge_rows(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows);

/// Writes results.jsonl and results.csv into `dir`, each atomically.
void write_results(const std::string& dir, const nlohmann::json& manifest, const MergedRows& merged);

/// The CSV: id, status, the swept keys, the metric columns (csv_metric_columns) and error.
std::string results_csv(const nlohmann::json& manifest, const std::vector<nlohmann::json>& rows);

/// The metric columns of the CSV, in order: summary keys whose names carry their unit.
const std::vector<std::string>& csv_metric_columns();

} // namespace dtsim::sweep
