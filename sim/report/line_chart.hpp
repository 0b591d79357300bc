#pragma once
/// @brief A line chart as a self-contained SVG document: sweep results such as throughput against nodes.
#include <string>
#include <utility>
#include <vector>

namespace dtsim::report {

/// @brief One line of the chart: its legend name and its (x, y) points, drawn in x order.
struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;
};

/// @brief What to draw: a title, the axis labels and the lines.
struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<ChartSeries> series;
};

/// The chart as an SVG 1.1 document (no script, no external reference), the same bytes for the same chart.
/// The x axis is logarithmic (base 2) when every x is positive and the largest is at least 16 times the smallest.
/// Throws std::invalid_argument when there is no point to draw or a value is not finite.
std::string line_chart_svg(const LineChart& chart);

} // namespace dtsim::report
