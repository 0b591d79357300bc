#pragma once
/// @brief `dtsim check`: published measurements, the scenarios that emulate them, and how close dtsim gets.
///
/// A cases file (scenarios/validation/cases.yaml) lists for each case a scenario, the `--set`
/// overrides that select the measured configuration, the metric, the measured value with its
/// source and the accepted error. Each case is simulated in a process of its own.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dtsim::app {

struct ValidationCase {
  std::string id;
  std::string scenario; ///< path, resolved against the cases file's folder
  std::vector<std::string> overrides;
  std::string metric; ///< throughput (samples/s) | scaling_efficiency (%) | allreduce_time (us)
  double bytes = 0;   ///< allreduce_time: the all-reduce's size
  double measured = 0;
  std::string unit;
  double tolerance = 0; ///< relative for throughput, percentage points for scaling efficiency
  std::string source;
};

struct CaseOutcome {
  ValidationCase spec;
  std::optional<double> predicted; ///< nothing when the simulation failed
  double error() const;            ///< relative, or in points for scaling efficiency
  bool within_bounds() const;
};

/// Reads a cases file; throws config::ConfigError with file, line and column.
std::vector<ValidationCase> load_cases(const std::string& path);
std::vector<CaseOutcome> run_cases(const std::vector<ValidationCase>& cases, const std::string& data_dir);
void print_outcomes(std::ostream& out, const std::vector<CaseOutcome>& outcomes);

} // namespace dtsim::app
