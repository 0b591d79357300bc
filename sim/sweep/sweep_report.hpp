#pragma once
/// @brief `dtsim report DIR`: the HTML page of a sweep, self-contained like run --html's: its points in a table,
/// throughput and scaling efficiency against the first numeric swept key with the ideal line, and each point's
/// steady-state step.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::sweep {

/// `rows`: the ok rows of the sweep (read_result_rows); `keys`: its swept keys, in the manifest's order.
std::string sweep_report_html(const std::string& title, const std::vector<std::string>& keys,
                              const std::vector<nlohmann::json>& rows);

} // namespace dtsim::sweep
