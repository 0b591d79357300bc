#pragma once
/// @brief `dtsim plot`: sweep rows as a chart of one metric against a swept key or another metric: lines for a
/// numeric x, bars for a text x (an accelerator kind, a drive).
#include "report/line_chart.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::sweep {

/// The ok rows of a results file (results.jsonl, a rows file) or of a results folder's results.jsonl;
/// throws ConfigError when there is none to read.
std::vector<nlohmann::json> read_result_rows(const std::string& path);

/// A setting's value as text: a string as it is, anything else as JSON ("4", "true").
std::string text_of(const nlohmann::json& value);

/// @brief What to plot. Each of x, y and group is a swept key (a row's settings) or a summary metric such as
/// throughput_samples_per_s (docs/results-reference.md); y is a metric that is a number.
struct PlotRequest {
  std::string x;
  std::string y;
  std::string group;              ///< one line (or colour of bars) per value; empty: one
  std::vector<std::string> where; ///< "key=value": only the rows whose swept key has that value
  bool ideal = false;             ///< draw each line's perfect scaling from its first point
};

/// The rows `request` selects, charted: a line chart when every x is a number, else a bar chart with the x
/// values as categories in the rows' order. Axes name their unit; fractions are shown in percent. Throws
/// ConfigError naming the option: an unknown key (listing those there are), a y that is not a number, rows that
/// differ in a swept key that is neither x nor group (they would be joined into one line), or --ideal where
/// perfect scaling has no meaning.
std::string results_chart_svg(const std::vector<nlohmann::json>& rows, const PlotRequest& request);

/// The line chart of results_chart_svg, for a numeric x.
report::LineChart results_line_chart(const std::vector<nlohmann::json>& rows, const PlotRequest& request);

} // namespace dtsim::sweep
