// The SVG line chart: one polyline per series mapped onto the plot area, the choice between a linear and a log2
// x axis, escaped text, stable bytes and no division by a zero range.
#include "report/line_chart.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <regex>
#include <sstream>

namespace {

using dtsim::report::ChartSeries;
using dtsim::report::line_chart_svg;
using dtsim::report::LineChart;
using Points = std::vector<std::pair<double, double>>;

struct Area {
  double left, top, right, bottom;
};

/// The first group of every match of `pattern`.
std::vector<std::string> captures(const std::string& svg, const std::string& pattern)
{
  const std::regex re(pattern);
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    found.push_back((*it)[1].str());
  return found;
}

Area plot_area(const std::string& svg)
{
  std::smatch m;
  const std::regex re(R"re(class="plot-area" x="([-0-9.]+)" y="([-0-9.]+)" width="([0-9.]+)" height="([0-9.]+)")re");
  REQUIRE(std::regex_search(svg, m, re));
  const double x = std::stod(m[1]), y = std::stod(m[2]);
  return {x, y, x + std::stod(m[3]), y + std::stod(m[4])};
}

/// The points of the polylines, in document order.
std::vector<Points> polylines(const std::string& svg)
{
  std::vector<Points> lines;
  for (const auto& attribute : captures(svg, R"re(<polyline[^>]* points="([^"]*)")re")) {
    std::istringstream in(attribute);
    Points points;
    double x = 0, y = 0;
    char comma = 0;
    while (in >> x >> comma >> y)
      points.emplace_back(x, y);
    lines.push_back(points);
  }
  return lines;
}

std::vector<std::string> x_ticks(const std::string& svg)
{
  return captures(svg, R"re(class="x-tick"[^>]*>([^<]*)<)re");
}

std::vector<std::string> y_ticks(const std::string& svg)
{
  return captures(svg, R"re(class="y-tick"[^>]*>([^<]*)<)re");
}

LineChart chart_of(std::vector<ChartSeries> series)
{
  return {"Throughput", "nodes", "samples/s", std::move(series)};
}

/// Where x lands across the plot, from 0 at the left edge to 1 at the right.
double x_share(const std::string& svg, double svg_x)
{
  const Area area = plot_area(svg);
  return (svg_x - area.left) / (area.right - area.left);
}

} // namespace

TEST_CASE("line chart: one polyline per series, each in its own colour")
{
  const auto svg = line_chart_svg(chart_of({{"a", {{1, 10}, {2, 20}}}, {"b", {{1, 5}, {2, 8}}}, {"c", {{1, 1}}}}));
  CHECK(polylines(svg).size() == 3);
  const auto colours = captures(svg, R"re(<polyline[^>]* stroke="([^"]*)")re");
  REQUIRE(colours.size() == 3);
  CHECK(colours[0] != colours[1]);
  CHECK(colours[1] != colours[2]);
  CHECK(colours[0] != colours[2]);
  CHECK(captures(svg, R"re((<circle))re").size() == 5 + 3); // a marker per point, one per legend entry
}

TEST_CASE("line chart: the smallest x is at the plot's left edge and the largest at its right edge")
{
  const auto svg = line_chart_svg(chart_of({{"unsorted", {{8, 30}, {1, 10}, {4, 20}}}}));
  const Area area = plot_area(svg);
  const auto lines = polylines(svg);
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0].size() == 3);
  CHECK(lines[0].front().first == Approx(area.left).margin(0.05));
  CHECK(lines[0].back().first == Approx(area.right).margin(0.05));
  CHECK(lines[0][1].first > lines[0][0].first);
  CHECK(lines[0][2].first > lines[0][1].first);
}

TEST_CASE("line chart: a larger y is drawn higher, inside the plot area")
{
  const auto svg = line_chart_svg(chart_of({{"rising", {{1, 10}, {2, 50}, {3, 90}}}}));
  const Area area = plot_area(svg);
  const auto points = polylines(svg).at(0);
  REQUIRE(points.size() == 3);
  CHECK(points[1].second < points[0].second);
  CHECK(points[2].second < points[1].second);
  for (const auto& [x, y] : points) {
    CHECK(y >= area.top);
    CHECK(y <= area.bottom);
  }
}

TEST_CASE("line chart: x from 1 to 1024 gets a log2 axis with power-of-two ticks")
{
  Points points;
  for (double n = 1; n <= 1024; n *= 2)
    points.emplace_back(n, 100 * n);
  const auto svg = line_chart_svg(chart_of({{"weak scaling", points}}));
  CHECK(x_ticks(svg) == std::vector<std::string>{"1", "2", "4", "8", "16", "32", "64", "128", "256", "512", "1024"});
  const auto line = polylines(svg).at(0);
  CHECK(x_share(svg, line.at(5).first) == Approx(0.5).margin(0.001)); // 32 halfway between 1 and 1024
}

TEST_CASE("line chart: x from 1 to 8 gets a linear axis with whole-number ticks")
{
  const auto svg = line_chart_svg(chart_of({{"nodes", {{1, 1}, {2, 2}, {4, 4}, {8, 8}}}}));
  CHECK(x_ticks(svg) == std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8"});
  const auto line = polylines(svg).at(0);
  CHECK(x_share(svg, line.at(1).first) == Approx(1.0 / 7).margin(0.001));
}

TEST_CASE("line chart: the y axis starts at zero only when the data is far from it")
{
  const auto far = line_chart_svg(chart_of({{"s", {{1, 30}, {2, 100}}}}));
  CHECK(y_ticks(far) == std::vector<std::string>{"0", "20", "40", "60", "80", "100"});
  const auto near = line_chart_svg(chart_of({{"s", {{1, 0.9}, {2, 0.95}}}}));
  CHECK(y_ticks(near) == std::vector<std::string>{"0.9", "0.91", "0.92", "0.93", "0.94", "0.95"});
}

TEST_CASE("line chart: tick labels are compact")
{
  const auto svg = line_chart_svg(chart_of({{"s", {{1, 1200}, {2, 25000}}}}));
  CHECK(y_ticks(svg) == std::vector<std::string>{"0", "5000", "10k", "15k", "20k", "25k"});
}

TEST_CASE("line chart: text is escaped")
{
  auto chart = chart_of({{"a<b & c", {{1, 1}, {2, 2}}}, {"\"quoted\" 'single'", {{1, 2}, {2, 3}}}});
  chart.title = "x > y";
  const auto svg = line_chart_svg(chart);
  CHECK(svg.find("a&lt;b &amp; c") != std::string::npos);
  CHECK(svg.find("&quot;quoted&quot; &apos;single&apos;") != std::string::npos);
  CHECK(svg.find("x &gt; y") != std::string::npos);
  CHECK(svg.find("a<b") == std::string::npos);
  CHECK(svg.find("x > y") == std::string::npos);
}

TEST_CASE("line chart: the same chart gives the same bytes")
{
  const auto chart = chart_of({{"a", {{1, 0.95}, {16, 0.81}, {64, 0.7}}}, {"b", {{1, 1}, {64, 0.9}}}});
  const auto first = line_chart_svg(chart);
  CHECK(line_chart_svg(chart) == first);
  CHECK(first.rfind("<?xml", 0) == 0);
  CHECK(first.find("<script") == std::string::npos);
  CHECK(first.find("href") == std::string::npos);
}

TEST_CASE("line chart: no point or a value that is not finite throws")
{
  CHECK_THROWS_AS(line_chart_svg(chart_of({})), std::invalid_argument);
  CHECK_THROWS_AS(line_chart_svg(chart_of({{"empty", {}}})), std::invalid_argument);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(line_chart_svg(chart_of({{"a", {{1, nan}}}})), std::invalid_argument);
  CHECK_THROWS_AS(line_chart_svg(chart_of({{"a", {{inf, 1}}}})), std::invalid_argument);
}

TEST_CASE("line chart: a single point or equal values draw without nan or inf")
{
  for (const auto& points : {Points{{4, 100}}, Points{{0, 0}}, Points{{1, 5}, {2, 5}, {3, 5}}}) {
    const auto svg = line_chart_svg(chart_of({{"flat", points}}));
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    const Area area = plot_area(svg);
    const auto line = polylines(svg).at(0);
    for (const auto& [x, y] : line) {
      CHECK(x >= area.left);
      CHECK(x <= area.right);
      CHECK(y >= area.top);
      CHECK(y <= area.bottom);
    }
  }
}

TEST_CASE("line chart: an ideal line is drawn dashed beside its series and named once in the legend")
{
  ChartSeries measured{"throughput", {{1, 10}, {2, 19}, {4, 36}}, {{1, 10}, {2, 20}, {4, 40}}};
  const std::string svg = line_chart_svg(chart_of({measured}));
  const auto lines = polylines(svg);
  REQUIRE(lines.size() == 2);
  CHECK(captures(svg, R"re(<polyline[^>]*(stroke-dasharray))re").size() == 1);
  const Area area = plot_area(svg);
  CHECK(lines[0].back().second == Approx(area.top).margin(0.1)); // the ideal 40 is the top of the y range
  CHECK(lines[1].back().second > lines[0].back().second);        // 36 lies below it
  CHECK_THAT(svg, Catch::Contains(">ideal scaling<"));
}

TEST_CASE("bar chart: a bar per category and series, side by side, from zero, and a gap for a missing value")
{
  using dtsim::report::BarChart;
  const BarChart chart{"cost against accelerator",
                       "accelerator",
                       "cost (USD)",
                       {"A100", "H100", "MI250X"},
                       {{"nodes=1", {1.0, 2.0, std::nullopt}}, {"nodes=2", {2.0, 4.0, 3.0}}},
                       "points where x=1"};
  const std::string svg = dtsim::report::bar_chart_svg(chart);
  const auto heights = captures(svg, R"re(class="bar"[^>]* height="([0-9.]+)")re");
  REQUIRE(heights.size() == 5);
  CHECK(std::stod(heights[1]) == Approx(2 * std::stod(heights[0])).epsilon(0.01)); // 2 is twice 1: bars start at 0
  CHECK(std::stod(heights[3]) == Approx(4 * std::stod(heights[0])).epsilon(0.01)); // category by category
  CHECK(std::stod(heights[4]) == Approx(3 * std::stod(heights[0])).epsilon(0.01)); // MI250X has no nodes=1 bar
  CHECK(x_ticks(svg) == std::vector<std::string>{"A100", "H100", "MI250X"});
  CHECK(y_ticks(svg).front() == "0");
  CHECK_THAT(svg, Catch::Contains(">nodes=2<") && Catch::Contains(">points where x=1<"));
  CHECK(dtsim::report::bar_chart_svg(chart) == svg);

  BarChart short_series = chart;
  short_series.series[0].values.pop_back();
  CHECK_THROWS_AS(dtsim::report::bar_chart_svg(short_series), std::invalid_argument);
  BarChart infinite = chart;
  infinite.series[0].values[0] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(dtsim::report::bar_chart_svg(infinite), std::invalid_argument);
  CHECK_THROWS_AS(dtsim::report::bar_chart_svg({"empty", "x", "y", {}, {}, ""}), std::invalid_argument);
}
