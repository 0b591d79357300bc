#include "report/line_chart.hpp"

#include "report/format.hpp"
#include "report/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace dtsim::report {

namespace {

using svg::palette;
using svg::put;

using Point = std::pair<double, double>;
using Range = std::pair<double, double>;

constexpr double canvas_width = 720;
constexpr double canvas_height = 450;
/// Room right of the plot for the legend: a swatch and a name of legend_chars characters at font size 12.
constexpr double legend_width = 200;
constexpr std::size_t legend_chars = 26;
/// Slack when flooring or ceiling a ratio of doubles that should be a whole number.
constexpr double slack = 1e-9;

/// @brief One axis: the range it spans (in log2 units on a log axis) and the values that get a tick.
struct Axis {
  double lo = 0;
  double hi = 1;
  bool log2 = false;
  std::vector<double> ticks;
};

double fraction(const Axis& axis, double value)
{
  return ((axis.log2 ? std::log2(value) : value) - axis.lo) / (axis.hi - axis.lo);
}

/// @brief The plot area on the canvas and the axes that map data into it.
struct Plot {
  double left, top, right, bottom;
  Axis x;
  Axis y;

  double px(double value) const { return left + fraction(x, value) * (right - left); }
  double py(double value) const { return bottom - fraction(y, value) * (bottom - top); }
};

void check_points(const LineChart& chart)
{
  bool any = false;
  for (const auto& s : chart.series)
    for (const auto* points : {&s.points, &s.ideal})
      for (const auto& [x, y] : *points) {
        if (!std::isfinite(x) || !std::isfinite(y))
          throw std::invalid_argument(fmt::format("line chart: series '{}' has a value that is not finite", s.name));
        any = true;
      }
  if (!any)
    throw std::invalid_argument("line chart: no point to draw");
}

Range extent(const LineChart& chart, double Point::*coordinate)
{
  Range r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const auto& s : chart.series)
    for (const auto* points : {&s.points, &s.ideal})
      for (const auto& p : *points)
        r = {std::min(r.first, p.*coordinate), std::max(r.second, p.*coordinate)};
  return r;
}

/// A zero range (one point, or equal values) widened so that it can be divided by.
Range padded(Range r)
{
  if (r.first < r.second)
    return r;
  const double pad = r.first == 0 ? 1 : std::abs(r.first) * 0.1;
  return {r.first - pad, r.second + pad};
}

/// The smallest step of 1, 2 or 5 times a power of ten that cuts the range, widened to whole steps, into at
/// most 7 intervals (so 4 to 8 ticks).
double nice_step(Range r)
{
  const int first = static_cast<int>(std::floor(std::log10(r.second - r.first))) - 1;
  for (int e = first;; ++e)
    for (const double m : {1.0, 2.0, 5.0}) {
      const double step = e < 0 ? m / std::pow(10.0, -e) : m * std::pow(10.0, e);
      if (std::ceil(r.second / step - slack) - std::floor(r.first / step + slack) <= 7)
        return step;
    }
}

std::vector<double> ticks_within(Range r, double step)
{
  std::vector<double> ticks;
  const auto last = std::llround(std::floor(r.second / step + slack));
  for (auto k = std::llround(std::ceil(r.first / step - slack)); k <= last; ++k)
    ticks.push_back(static_cast<double>(k) * step);
  return ticks;
}

/// Spans the data exactly, so that the first and last points sit on the plot's edges.
Axis linear_x(Range r)
{
  r = padded(r);
  return {r.first, r.second, false, ticks_within(r, nice_step(r))};
}

/// Ticks at powers of two; at every second one or fewer when there would be more than 11.
Axis log2_x(Range r)
{
  Axis axis{std::log2(r.first), std::log2(r.second), true, {}};
  const auto first = std::llround(std::ceil(axis.lo - slack));
  const auto last = std::llround(std::floor(axis.hi + slack));
  const long long stride = 1 + (last - first) / 11;
  for (auto k = first; k <= last; ++k)
    if (k % stride == 0)
      axis.ticks.push_back(std::ldexp(1.0, static_cast<int>(k)));
  return axis;
}

Axis x_axis(Range r)
{
  return r.first > 0 && r.second >= 16 * r.first ? log2_x(r) : linear_x(r);
}

/// Starts at zero when no y is negative and the smallest is below half the largest, so that the line's height
/// reads as a share; otherwise spans the data. Either way it is widened to whole ticks.
Axis y_axis(Range r)
{
  if (r.first >= 0 && r.first < r.second / 2)
    r.first = 0;
  r = padded(r);
  const double step = nice_step(r);
  r = {std::floor(r.first / step + slack) * step, std::ceil(r.second / step - slack) * step};
  return {r.first, r.second, false, ticks_within(r, step)};
}

/// Compact: "0.95", "1200", "25k", "2.5M".
std::string tick_label(double value)
{
  struct Scale {
    double from;
    double unit;
    const char* suffix;
  };
  static constexpr std::array<Scale, 3> scales{{{1e9, 1e9, "G"}, {1e6, 1e6, "M"}, {1e4, 1e3, "k"}}};
  for (const auto& s : scales)
    if (std::abs(value) >= s.from)
      return fmt::format("{:.6g}{}", value / s.unit, s.suffix);
  return fmt::format("{:.6g}", value);
}

/// At most legend_chars characters, the last an ellipsis when cut; a UTF-8 sequence is never split.
std::string legend_name(const std::string& name)
{
  std::size_t chars = 0;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < name.size(); ++i)
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80 && chars++ == legend_chars - 1)
      cut = i;
  return chars <= legend_chars ? name : name.substr(0, cut) + "\u2026";
}

/// The top of the plot area: below the title, and below the note when there is one.
double plot_top(const std::string& note)
{
  return note.empty() ? 44 : 60;
}

void draw_header(std::string& out, const std::string& title, const std::string& note)
{
  put(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  put(out,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\">\n",
      canvas_width, canvas_height);
  put(out, "<title>{}</title>\n", xml_escaped(title));
  put(out, "<rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", canvas_width, canvas_height);
  // A long title (a metric against a key, by another key) in a smaller type, so that it stays on the canvas.
  put(out, "<text x=\"{:.1f}\" y=\"26.0\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\">{}</text>\n",
      canvas_width / 2, title.size() > 64 ? 12 : 16, xml_escaped(title));
  if (!note.empty())
    put(out, "<text x=\"{:.1f}\" y=\"44.0\" text-anchor=\"middle\" fill=\"#555555\">{}</text>\n", canvas_width / 2,
        xml_escaped(note));
}

void draw_x_label(std::string& out, const Plot& plot, const std::string& label)
{
  put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" font-size=\"13\">{}</text>\n",
      (plot.left + plot.right) / 2, canvas_height - 14, xml_escaped(label));
}

void draw_x_axis(std::string& out, const Plot& plot, const std::string& label)
{
  for (const double tick : plot.x.ticks) {
    const double x = plot.px(tick);
    put(out, "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#e6e6e6\"/>\n", x, plot.top,
        plot.bottom);
    put(out, "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#333333\"/>\n", x, plot.bottom,
        plot.bottom + 5);
    put(out, "<text class=\"x-tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", x, plot.bottom + 18,
        tick_label(tick));
  }
  draw_x_label(out, plot, label);
}

void draw_y_axis(std::string& out, const Plot& plot, const std::string& label)
{
  for (const double tick : plot.y.ticks) {
    const double y = plot.py(tick);
    put(out, "<line x1=\"{1:.1f}\" y1=\"{0:.1f}\" x2=\"{2:.1f}\" y2=\"{0:.1f}\" stroke=\"#e6e6e6\"/>\n", y, plot.left,
        plot.right);
    put(out, "<line x1=\"{1:.1f}\" y1=\"{0:.1f}\" x2=\"{2:.1f}\" y2=\"{0:.1f}\" stroke=\"#333333\"/>\n", y,
        plot.left - 5, plot.left);
    put(out, "<text class=\"y-tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", plot.left - 8, y + 4,
        tick_label(tick));
  }
  put(out, "<text transform=\"translate(18.0,{:.1f}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">{}</text>\n",
      (plot.top + plot.bottom) / 2, xml_escaped(label));
}

void draw_frame(std::string& out, const Plot& plot)
{
  put(out,
      "<rect class=\"plot-area\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"none\" "
      "stroke=\"#333333\"/>\n",
      plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
}

std::vector<Point> in_x_order(std::vector<Point> points)
{
  std::stable_sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.first < b.first; });
  return points;
}

void draw_polyline(std::string& out, const Plot& plot, const std::vector<Point>& points, const char* colour,
                   const char* dashes)
{
  put(out, "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{} stroke-linejoin=\"round\" points=\"", colour,
      dashes);
  for (std::size_t i = 0; i < points.size(); ++i)
    put(out, "{}{:.1f},{:.1f}", i == 0 ? "" : " ", plot.px(points[i].first), plot.py(points[i].second));
  put(out, "\"/>\n");
}

constexpr const char* dashed = " stroke-dasharray=\"6 4\"";

void draw_series(std::string& out, const Plot& plot, const ChartSeries& series, const char* colour)
{
  if (series.points.empty())
    return;
  const auto points = in_x_order(series.points);
  put(out, "<g class=\"series\">\n");
  if (!series.ideal.empty())
    draw_polyline(out, plot, in_x_order(series.ideal), colour, dashed);
  draw_polyline(out, plot, points, colour, "");
  for (const auto& [x, y] : points)
    put(out, "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", plot.px(x), plot.py(y), colour);
  put(out, "</g>\n");
}

/// @brief What a legend entry shows: a line (dashed or not) with a dot, or a filled box.
enum class Swatch { line, dashed_line, box };

void draw_legend_entry(std::string& out, double x, double y, const std::string& name, const char* colour, Swatch swatch)
{
  if (swatch == Swatch::box) {
    put(out, "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"20\" height=\"10\" fill=\"{}\"/>\n", x, y - 5, colour);
  } else {
    put(out, "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", x,
        y, x + 20, y, colour, swatch == Swatch::dashed_line ? dashed : "");
    if (swatch == Swatch::line)
      put(out, "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", x + 10, y, colour);
  }
  put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + 26, y + 4, xml_escaped(legend_name(name)));
}

/// One entry per name in palette order; `ideal` adds a dashed one for the ideal lines.
void draw_legend(std::string& out, const Plot& plot, const std::vector<std::string>& names, Swatch swatch, bool ideal)
{
  const double x = plot.right + 16;
  const auto y = [&](std::size_t i) { return plot.top + 10 + 20 * static_cast<double>(i); };
  put(out, "<g class=\"legend\">\n");
  for (std::size_t i = 0; i < names.size(); ++i)
    draw_legend_entry(out, x, y(i), names[i], palette[i % palette.size()], swatch);
  if (ideal)
    draw_legend_entry(out, x, y(names.size()), "ideal scaling", "#666666", Swatch::dashed_line);
  put(out, "</g>\n");
}

void check_bars(const BarChart& chart)
{
  if (chart.categories.empty() || chart.series.empty())
    throw std::invalid_argument("bar chart: no bar to draw");
  for (const auto& s : chart.series) {
    if (s.values.size() != chart.categories.size())
      throw std::invalid_argument(fmt::format("bar chart: series '{}' has {} values for {} categories", s.name,
                                              s.values.size(), chart.categories.size()));
    for (const auto& v : s.values)
      if (v && !std::isfinite(*v))
        throw std::invalid_argument(fmt::format("bar chart: series '{}' has a value that is not finite", s.name));
  }
}

/// From zero to the values, whichever side they are on.
Range bar_extent(const BarChart& chart)
{
  Range r{0, 0};
  for (const auto& s : chart.series)
    for (const auto& v : s.values)
      if (v)
        r = {std::min(r.first, *v), std::max(r.second, *v)};
  return r;
}

/// Each category gets a slot of the x axis: its name below, its bars side by side in the middle 80%.
void draw_bars(std::string& out, const Plot& plot, const BarChart& chart)
{
  const double slot = (plot.right - plot.left) / static_cast<double>(chart.categories.size());
  const double bar = 0.8 * slot / static_cast<double>(chart.series.size());
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double left = plot.left + slot * static_cast<double>(c);
    put(out, "<text class=\"x-tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>\n", left + slot / 2,
        plot.bottom + 18, xml_escaped(legend_name(chart.categories[c])));
    for (std::size_t k = 0; k < chart.series.size(); ++k) {
      const auto& value = chart.series[k].values[c];
      if (!value)
        continue;
      const double top = std::min(plot.py(*value), plot.py(0)), base = std::max(plot.py(*value), plot.py(0));
      put(out, "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>\n",
          left + 0.1 * slot + bar * static_cast<double>(k), top, bar, base - top, palette[k % palette.size()]);
    }
  }
}

} // namespace

std::string bar_chart_svg(const BarChart& chart)
{
  check_bars(chart);
  const bool legend = chart.series.size() > 1;
  const Plot plot{72,
                  plot_top(chart.note),
                  canvas_width - (legend ? legend_width : 24),
                  canvas_height - 58,
                  {0, static_cast<double>(chart.categories.size()), false, {}},
                  y_axis(bar_extent(chart))};
  std::string out;
  draw_header(out, chart.title, chart.note);
  draw_y_axis(out, plot, chart.y_label);
  draw_x_label(out, plot, chart.x_label);
  draw_bars(out, plot, chart);
  draw_frame(out, plot);
  if (legend) {
    std::vector<std::string> names;
    for (const auto& series : chart.series)
      names.push_back(series.name);
    draw_legend(out, plot, names, Swatch::box, false);
  }
  put(out, "</svg>\n");
  return out;
}

std::string line_chart_svg(const LineChart& chart)
{
  check_points(chart);
  const bool ideal = std::any_of(chart.series.begin(), chart.series.end(), [](auto& s) { return !s.ideal.empty(); });
  const bool legend = chart.series.size() > 1 || ideal;
  const Plot plot{72,
                  plot_top(chart.note),
                  canvas_width - (legend ? legend_width : 24),
                  canvas_height - 58,
                  x_axis(extent(chart, &Point::first)),
                  y_axis(extent(chart, &Point::second))};
  std::string out;
  draw_header(out, chart.title, chart.note);
  draw_x_axis(out, plot, chart.x_label);
  draw_y_axis(out, plot, chart.y_label);
  draw_frame(out, plot);
  for (std::size_t i = 0; i < chart.series.size(); ++i)
    draw_series(out, plot, chart.series[i], palette[i % palette.size()]);
  if (legend) {
    std::vector<std::string> names;
    for (const auto& series : chart.series)
      names.push_back(series.name);
    draw_legend(out, plot, names, Swatch::line, ideal);
  }
  put(out, "</svg>\n");
  return out;
}

} // namespace dtsim::report
