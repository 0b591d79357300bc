// The run's HTML page: its pictures drawn to scale from the summary and the spans, and nothing it needs from
// outside the file.
#include "report/html_report.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

namespace {

/// The value of `attribute` in every element of class `kind`, in document order.
std::vector<double> attribute_of(const std::string& svg, const std::string& kind, const std::string& attribute)
{
  const std::regex re("class=\"" + kind + "\"[^>]* " + attribute + "=\"([-0-9.]+)\"");
  std::vector<double> found;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), re); it != std::sregex_iterator(); ++it)
    found.push_back(std::stod((*it)[1].str()));
  return found;
}

dtsim::report::Summary summary_of_a_step()
{
  dtsim::report::Summary s;
  s.step_time = 1;
  s.breakdown.compute = 0.6;
  s.breakdown.exposed_comm = 0.1;
  s.breakdown.data_stall = 0.2;
  s.breakdown.fetch_stall = 0.15;
  s.breakdown.optimizer = 0.1;
  return s;
}

} // namespace

TEST_CASE("html report: the step bar has a segment per phase that takes time, its width in proportion")
{
  const std::string svg = dtsim::report::breakdown_svg(summary_of_a_step());
  const auto widths = attribute_of(svg, "phase", "width");
  REQUIRE(widths.size() == 5); // compute, exposed comm, fetch, preprocessing, optimizer; no zero-time phase
  const double whole = 680;    // the bar spans the picture less its margins
  CHECK(widths[0] == Approx(0.6 * whole).margin(0.01));
  CHECK(widths[1] == Approx(0.1 * whole).margin(0.01));
  CHECK(widths[2] == Approx(0.15 * whole).margin(0.01));
  CHECK(widths[3] == Approx(0.05 * whole).margin(0.01));
  const auto x = attribute_of(svg, "phase", "x");
  CHECK(x[1] == Approx(x[0] + widths[0]).margin(0.01)); // end to end
  CHECK_THAT(svg, Catch::Contains("data-phase=\"fetch stall\"") && Catch::Contains("60.0%"));
}

TEST_CASE("html report: a bar per resource the run used, as long as it was busy")
{
  dtsim::report::Utilisation u;
  u.accelerators = 0.5;
  u.cpu_cores = 0.25;
  const std::string without_storage = dtsim::report::utilisation_svg(u);
  CHECK(attribute_of(without_storage, "busy", "width").size() == 2);
  u.drives = 1.2; // more than the drives' bandwidth: drawn full, labelled as it is
  const std::string svg = dtsim::report::utilisation_svg(u);
  const auto widths = attribute_of(svg, "busy", "width");
  REQUIRE(widths.size() == 3);
  CHECK(widths[0] == Approx(2 * widths[1]));
  CHECK(widths[2] == Approx(2 * widths[0]));
  CHECK_THAT(svg, Catch::Contains(">120%<"));
}

TEST_CASE("html report: the timeline has a row per worker and stream and a box per span, loaders clipped")
{
  using dtsim::training::TraceSpan;
  const std::vector<TraceSpan> spans{{0, "compute", "forward+backward", 1.0, 1.5, 3, {}},
                                     {0, "comm", "all-reduce bucket 0", 1.2, 1.6, 3, {}},
                                     {1, "compute", "forward+backward", 1.0, 2.0, 3, {}},
                                     {0, "loader-0", "read", 0.5, 1.25, 3, {}},
                                     {0, "loader-0", "read", 0.1, 0.4, 3, {}}}; // before the steps: not drawn
  const std::string svg = dtsim::report::timeline_svg(spans);
  const auto x = attribute_of(svg, "span", "x"), widths = attribute_of(svg, "span", "width");
  REQUIRE(widths.size() == 4);
  const double left = 150, right = 700; // the time axis, from the first trainer span (1.0 s) to the last (2.0 s)
  CHECK(x[0] == Approx(left));
  CHECK(widths[0] == Approx((right - left) / 2));
  CHECK(x[2] + widths[2] == Approx(right));
  CHECK(x[3] == Approx(left)); // the read that began at 0.5 s is clipped to 1.0 s
  CHECK(widths[3] == Approx((right - left) / 4));
  for (const char* row : {">worker 0 compute<", ">worker 0 comm<", ">worker 0 loader-0<", ">worker 1 compute<"})
    CHECK_THAT(svg, Catch::Contains(row));
  CHECK_THAT(svg, Catch::Contains("forward+backward, step 4: 500 ms"));
  CHECK_THROWS_AS(dtsim::report::timeline_svg({}), std::invalid_argument);
}

TEST_CASE("html report: a bar per simulated step, as tall as the step took, its stall on top, the steady state "
          "behind")
{
  auto summary = summary_of_a_step();
  summary.steady = {2, 3, 1.0, true, 0, 1};
  std::vector<dtsim::training::StepRecord> steps;
  for (long long k = 0; k < 5; ++k)
    steps.push_back({k, double(k), k + (k == 3 ? 2.0 : 1.0), k == 3 ? 1.0 : 0.0});
  const std::string svg = dtsim::report::step_times_svg(steps, summary);
  const auto heights = attribute_of(svg, "step", "height"), stalls = attribute_of(svg, "stall", "height");
  REQUIRE(heights.size() == 5);
  REQUIRE(stalls.size() == 1);
  // Step 4 took 2 s, half of it stall: its training part is as tall as the others', its stall as tall again.
  CHECK(heights[3] == Approx(heights[0]).margin(0.02));
  CHECK(stalls[0] == Approx(heights[0]).margin(0.02));
  CHECK_THAT(svg, Catch::Contains("fill=\"#eeeeee\"")); // the steady-state band
  CHECK(attribute_of(svg, "step", "x")[2] > attribute_of(svg, "step", "x")[1]);
  // Fetch stall is the larger stall of this summary: the stall takes its colour (#009E73) in the step bar too.
  CHECK_THAT(svg, Catch::Contains("class=\"stall\" x=") && Catch::Contains("#009E73"));
  std::vector<dtsim::training::StepRecord> many(dtsim::report::max_step_bars + 10, {0, 0, 1});
  CHECK(attribute_of(dtsim::report::step_times_svg(many, summary), "step", "height").size() ==
        dtsim::report::max_step_bars);
}

TEST_CASE("html report: the page needs nothing outside itself and escapes what the scenario names")
{
  dtsim::config::Scenario scenario;
  scenario.name = "<b>bold</b> & co";
  scenario.assumptions.push_back({"storage.x", "1 GB/s", "a guess <unsourced>"});
  dtsim::report::RunResult run;
  run.spans.push_back({0, "compute", "forward+backward", 0, 1, 0, {}});
  run.spans.push_back({5, "compute", "forward+backward", 0, 1, 0, {}}); // past the workers the page shows
  const std::string html = dtsim::report::run_report_html(scenario, run, summary_of_a_step(), "throughput  1 < 2\n");
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find(" href=") == std::string::npos);
  CHECK(std::regex_search(html, std::regex("https?://(?!www\\.w3\\.org/2000/svg)")) == false);
  CHECK_THAT(html, Catch::Contains("&lt;b&gt;bold&lt;/b&gt; &amp; co") && Catch::Contains("1 &lt; 2") &&
                       Catch::Contains("a guess &lt;unsourced&gt;"));
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(attribute_of(html, "span", "width").size() == 1);
  CHECK(html == dtsim::report::run_report_html(scenario, run, summary_of_a_step(), "throughput  1 < 2\n"));
}
