#pragma once
/// @brief `dtsim check`: published measurements, the scenarios that emulate them, and how close dtsim gets.
///
/// A cases file (scenarios/validation/cases.yaml) lists for each case a scenario, the `--set`
/// overrides that select the measured configuration, the metric, the measured value with its
/// source and the accepted error. Each case is simulated in a process of its own. A case marked
/// `calibration: true` is a measurement the model was calibrated on: it is shown, never judged.
#include "report/collective_table.hpp"
#include "units/units.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dtsim::app {

/// @brief What a case compares with its measurement.
enum class Metric {
  throughput,         ///< samples/s in steady state
  scaling_efficiency, ///< %, against the case's baseline
  time_to_train,      ///< the whole run
  step_time,          ///< steady-state mean step
  allreduce_time,     ///< one all-reduce of `size` (collective_time with op all_reduce)
  collective_time,    ///< one `op` of `size`, as `dtsim collective` times it
  algbw,              ///< size / collective time (nccl-tests)
  busbw,              ///< algbw x nccl-tests' bus factor of the op
  pod_busbw,          ///< busbw x ranks: a vendor's "all-reduce bandwidth per pod"
};

/// @brief How a metric is read from a case: its unit's dimension, which keys apply.
struct MetricInfo {
  Metric metric;
  std::string name;
  std::optional<units::Dimension> dimension; ///< the unit converts in this dimension; none: a free label
  std::string default_unit;                  ///< when the case gives none; empty: the case must give one
  bool points = false;                       ///< error in percentage points instead of relative
  bool size = false;                         ///< needs `size`
  bool op = false;                           ///< needs `op`
  bool baseline = false;                     ///< may have `baseline_set`
};

/// Every metric, in the order the error message lists them.
const std::vector<MetricInfo>& metric_table();
const MetricInfo& metric_info(Metric metric);

struct ValidationCase {
  std::string id;
  std::string scenario; ///< path, resolved against the cases file's folder
  std::vector<std::string> overrides;
  Metric metric = Metric::throughput;
  report::CollectiveOp op = report::CollectiveOp::all_reduce; ///< collective metrics
  double bytes = 0;                                           ///< collective metrics: the collective's size
  /// scaling_efficiency: overrides (after `overrides`) that give the baseline run; none: one device.
  std::vector<std::string> baseline_overrides;
  double measured = 0;
  std::string unit;
  double unit_scale = 1; ///< SI value of one `unit` (1 for a free label)
  double tolerance = 0;  ///< relative, or percentage points for scaling efficiency
  bool calibration = false;
  std::string source;
};

struct CaseOutcome {
  ValidationCase spec;
  std::optional<double> predicted; ///< in the case's unit; nothing when the simulation failed
  double error() const;            ///< relative, or in points for scaling efficiency
  bool within_bounds() const;
  /// Within bounds, or a calibration case that ran: what `dtsim check` needs of every case to exit 0.
  bool passes() const;
};

/// Reads a cases file; throws config::ConfigError with file, line and column.
std::vector<ValidationCase> load_cases(const std::string& path);
std::vector<CaseOutcome> run_cases(const std::vector<ValidationCase>& cases, const std::string& data_dir);
/// The Markdown table docs/validation.md shows.
void print_outcomes(std::ostream& out, const std::vector<CaseOutcome>& outcomes);
/// One object per case: id, metric, unit, measured, predicted, error, bound, within, calibration, source.
nlohmann::json outcomes_json(const std::vector<CaseOutcome>& outcomes);
/// The CSV columns of outcomes_json's objects.
const std::vector<std::string>& outcome_columns();

} // namespace dtsim::app
