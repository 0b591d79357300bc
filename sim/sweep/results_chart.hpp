#pragma once
/// @brief `dtsim plot`: sweep rows as a line chart of one metric against a swept key or another metric.
#include "report/line_chart.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::sweep {

/// The ok rows of a results file (results.jsonl, a rows file) or of a results folder's results.jsonl;
/// throws ConfigError when there is none to read.
std::vector<nlohmann::json> read_result_rows(const std::string& path);

/// `y` against `x`, one line per value of `group` (empty: one line). Each name is a swept key (a row's
/// settings) or a summary metric such as throughput_samples_per_s. Throws ConfigError naming the keys there
/// are when one is unknown or not a number.
report::LineChart results_chart(const std::vector<nlohmann::json>& rows, const std::string& x, const std::string& y,
                                const std::string& group);

} // namespace dtsim::sweep
