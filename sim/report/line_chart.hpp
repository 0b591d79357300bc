#pragma once
/// @brief Charts as self-contained SVG documents: sweep results such as throughput against nodes (lines), or
/// cost per accelerator kind (bars).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dtsim::report {

/// @brief One line of the chart: its legend name and its (x, y) points, drawn in x order; `ideal`, when not
/// empty, is drawn dashed in the line's colour (perfect scaling from the line's first point).
struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;
  std::vector<std::pair<double, double>> ideal;
};

/// @brief What to draw: a title, the axis labels and the lines.
struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
  std::string note; ///< a line under the title, such as the points selected; empty for none
};

/// The chart as an SVG 1.1 document (no script, no external reference), the same bytes for the same chart.
/// The x axis is logarithmic (base 2) when every x is positive and the largest is at least 16 times the smallest.
/// Throws std::invalid_argument when there is no point to draw or a value is not finite.
std::string line_chart_svg(const LineChart& chart);

/// @brief One group of bars: a value per category of the chart, none where the group has no point.
struct BarSeries {
  std::string name;
  std::vector<std::optional<double>> values;
};

/// @brief Bars for a categorical x: per category, one bar per series side by side.
struct BarChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  std::string note;
};

/// The bar chart as an SVG 1.1 document, the same bytes for the same chart; the y axis starts at zero (or ends
/// there when every value is negative). Throws std::invalid_argument when there is no bar, a value is not
/// finite, or a series has not one value per category.
std::string bar_chart_svg(const BarChart& chart);

} // namespace dtsim::report
