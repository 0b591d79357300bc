#pragma once
/// @brief The one table of what a run reports: each metric's key, unit and meaning, and how it is read from and
/// written into a Summary. It gives the "summary" object of `dtsim run --json`, the metric columns of every CSV,
/// the keys `dtsim plot` accepts and docs/results-reference.md, and carries a Summary between processes.
#include "report/summary.hpp"

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::report {

/// What a metric's value is: a CSV column and a plot axis are made of numbers, text and flags, not structures.
enum class MetricShape { number, text, flag, structure };

struct Metric {
  std::string key;  ///< the JSON key, CSV column and plot key
  std::string unit; ///< "s", "samples/s", "B", "kWh", "USD", "fraction" (0 to 1), "count"; empty for text
  std::string description;
  MetricShape shape = MetricShape::number;
  bool nullable = false; ///< null when the run does not have it (no baseline, no cost model, no storage reads)
  std::function<nlohmann::json(const Summary&)> read;
  std::function<void(Summary&, const nlohmann::json&)> write; ///< empty for a figure derived from others

  bool is_column() const { return shape != MetricShape::structure; }
};

/// Every metric, in the order of the reference and of CSV columns.
const std::vector<Metric>& summary_metrics();

/// The metric named `key`, or nullptr.
const Metric* find_metric(const std::string& key);

/// @brief One field of a step record (the "steps" list of `dtsim run --json`).
struct StepField {
  std::string key;
  std::string unit;
  std::string description;
  std::function<double(const training::StepRecord&)> read;
};

const std::vector<StepField>& step_fields();

/// The "summary" object: every metric by its key.
nlohmann::json summary_json(const Summary& summary);

/// The Summary that summary_json wrote; figures that are not reported stay at their defaults. Throws
/// std::runtime_error naming the key that is missing or has the wrong type.
Summary summary_from_json(const nlohmann::json& summary);

/// The metric columns of a CSV: every metric but the lists and objects.
std::vector<std::string> metric_columns();

/// `record` with the metric columns of `summary` (a "summary" object, or null for a failed run) added, for a CSV
/// whose columns are the record's own and then metric_columns().
nlohmann::json with_metric_columns(nlohmann::json record, const nlohmann::json& summary);

/// The CSV of records that each hold a "summary" (null for a failed run): `columns` of the record, then the
/// metric columns of its summary.
std::string summary_records_csv(std::vector<std::string> columns, const nlohmann::json& records);

/// docs/results-reference.md.
std::string results_reference_markdown();

} // namespace dtsim::report
