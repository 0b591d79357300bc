#pragma once
/// @brief `dtsim report DIR`: the HTML page of a sweep, self-contained like run --html's: its points in a table,
/// throughput and scaling efficiency against the first numeric swept key with the ideal line, and each point's
/// steady-state step.
#include "config/scenario.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::sweep {

/// `rows`: the ok rows of the sweep (read_result_rows); `keys`: its swept keys, in the manifest's order;
/// `assumptions`: those its points used (point_assumptions).
std::string sweep_report_html(const std::string& title, const std::vector<std::string>& keys,
                              const std::vector<nlohmann::json>& rows,
                              const std::vector<config::Assumption>& assumptions);

/// Every assumption the points of `rows` used, once, in the order the points name them: from each point's
/// points/ID/results.json in the folder `dir` (a point without one adds none).
std::vector<config::Assumption> point_assumptions(const std::string& dir, const std::vector<nlohmann::json>& rows);

} // namespace dtsim::sweep
