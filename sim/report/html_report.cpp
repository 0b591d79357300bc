#include "report/html_report.hpp"

#include "report/format.hpp"
#include "report/svg.hpp"
#include "units/units.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace dtsim::report {

namespace {

using svg::palette;
using svg::put;

constexpr double width = 720;

std::string svg_open(double height, const std::string& title)
{
  return fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" "
                     "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>{2}</title>\n"
                     "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
                     width, height, xml_escaped(title));
}

std::string percent(double share)
{
  return fmt::format("{:.1f}%", 100 * share);
}

struct Phase {
  const char* name;
  double seconds;
};

std::vector<Phase> phases(const Breakdown& b)
{
  return {{"compute", b.compute},         {"exposed communication", b.exposed_comm},
          {"fetch stall", b.fetch_stall}, {"preprocessing stall", b.preprocess_stall()},
          {"optimizer", b.optimizer},     {"framework overhead", b.overhead},
          {"checkpoint", b.checkpoint},   {"waiting for slower devices", b.imbalance}};
}

/// "Compute" blue, "comm" orange, input stall vermillion, loaders' reads green and preprocessing sky blue.
const char* span_colour(const training::TraceSpan& span)
{
  if (span.stream == "compute")
    return span.name == "forward+backward" ? palette[0] : palette[5];
  if (span.stream == "comm")
    return palette[1];
  if (span.stream == "input")
    return palette[3];
  return span.name == "read" ? palette[2] : palette[4];
}

/// Streams in the order a reader follows a step: input, compute, comm, then the loaders by number.
std::tuple<int, int, std::string> row_order(int worker, const std::string& stream)
{
  static const std::map<std::string, int> first{{"input", 0}, {"compute", 1}, {"comm", 2}};
  const auto known = first.find(stream);
  if (known != first.end())
    return {worker, known->second, ""};
  const auto dash = stream.find('-');
  return {worker, 3 + (dash == std::string::npos ? 0 : std::stoi(stream.substr(dash + 1))), stream};
}

/// The time the traced steps took: from the first trainer span to the last one (loaders read ahead of it).
std::pair<double, double> traced_time(const std::vector<training::TraceSpan>& spans)
{
  std::pair<double, double> range{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (const auto& s : spans)
    if (!s.stream.starts_with("loader"))
      range = {std::min(range.first, s.start), std::max(range.second, s.end)};
  if (!(range.first < range.second))
    for (const auto& s : spans)
      range = {std::min(range.first, s.start), std::max(range.second, s.end)};
  return range;
}

void put_time_axis(std::string& out, double left, double right, double bottom, std::pair<double, double> range)
{
  const units::DisplayUnit unit = units::display_unit(range.second - range.first, units::Dimension::time);
  for (int k = 0; k <= 4; ++k) {
    const double x = left + (right - left) * k / 4;
    const double t = (range.second - range.first) * k / 4;
    put(out, "<line x1=\"{0:.1f}\" y1=\"30\" x2=\"{0:.1f}\" y2=\"{1:.1f}\" stroke=\"#e6e6e6\"/>\n", x, bottom);
    put(out, "<text class=\"time-tick\" x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.4g} {}</text>\n", x,
        bottom + 16, t / unit.factor, unit.symbol);
  }
}

/// One bar from `left` to `right`: a segment per phase of the step, in proportion to its share.
void put_step_bar(std::string& out, const Summary& summary, double left, double right, double top, double height)
{
  const double step = std::max(summary.step_time, 1e-30);
  double x = left;
  const auto all = phases(summary.breakdown);
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& [name, seconds] = all[k];
    if (seconds <= 0)
      continue;
    const double w = (right - left) * std::min(1.0, seconds / step);
    put(out,
        "<rect class=\"phase\" data-phase=\"{}\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\" "
        "fill=\"{}\"><title>{}: {}</title></rect>\n",
        name, x, top, w, height, palette[k], name, percent(seconds / step));
    x += w;
  }
}

/// A swatch per phase that takes time, two to a line; with the step's time, each also gets its share and time.
void put_phase_legend(std::string& out, double left, double right, double top, const std::vector<Phase>& all,
                      std::optional<double> step_time)
{
  int shown = 0;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& [name, seconds] = all[k];
    if (seconds <= 0)
      continue;
    const double y = top + 18 * (shown / 2), x = left + (shown % 2) * (right - left) / 2;
    put(out, "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", x, y - 10, palette[k]);
    if (step_time)
      put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">{} {} ({})</text>\n", x + 18, y, name,
          percent(seconds / std::max(*step_time, 1e-30)), xml_escaped(units::format(seconds, units::Dimension::time)));
    else
      put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + 18, y, name);
    ++shown;
  }
}

/// Each phase with its longest time among the points: the legend the points share lists those that take time.
std::vector<Phase> points_phases(const std::vector<std::pair<std::string, Summary>>& points)
{
  auto longest = phases(Breakdown{});
  for (const auto& [_, summary] : points) {
    const auto phase = phases(summary.breakdown);
    for (std::size_t k = 0; k < longest.size(); ++k)
      longest[k].seconds = std::max(longest[k].seconds, phase[k].seconds);
  }
  return longest;
}

} // namespace

std::string breakdown_svg(const Summary& summary)
{
  const double left = 20, right = width - 20;
  std::string out = svg_open(210, "Where a steady-state step goes");
  put(out, "<text x=\"{:.1f}\" y=\"22\" font-size=\"14\">One step: {}</text>\n", left,
      xml_escaped(units::format(summary.step_time, units::Dimension::time)));
  put_step_bar(out, summary, left, right, 36, 36);
  put_phase_legend(out, left, right, 96, phases(summary.breakdown), summary.step_time);
  put(out, "</svg>\n");
  return out;
}

std::string point_breakdowns_svg(const std::vector<std::pair<std::string, Summary>>& points)
{
  const double left = 230, right = width - 80, row = 24;
  const double bars_bottom = 10 + row * static_cast<double>(points.size());
  std::string out = svg_open(bars_bottom + 110, "Where a steady-state step goes, point by point");
  for (std::size_t k = 0; k < points.size(); ++k) {
    const auto& [label, summary] = points[k];
    const double y = 10 + row * static_cast<double>(k);
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 8, y + 13, xml_escaped(label));
    put_step_bar(out, summary, left, right, y, row - 6);
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", right + 6, y + 13,
        xml_escaped(units::format(summary.step_time, units::Dimension::time)));
  }
  put_phase_legend(out, 20, width - 20, bars_bottom + 24, points_phases(points), std::nullopt);
  put(out, "</svg>\n");
  return out;
}

std::string step_times_svg(const std::vector<training::StepRecord>& steps, const Summary& summary)
{
  const training::SteadyState& steady = summary.steady;
  // The colours of the step bar's phases (phases()): fetch stall 2, preprocessing stall 3.
  const char* stall_colour =
      summary.breakdown.fetch_stall >= summary.breakdown.preprocess_stall() ? palette[2] : palette[3];
  if (steps.empty())
    throw std::invalid_argument("step chart: no step to draw");
  const std::size_t shown = std::min(steps.size(), max_step_bars);
  double longest = 0;
  for (std::size_t k = 0; k < shown; ++k)
    longest = std::max(longest, steps[k].end - steps[k].start);
  longest = std::max(longest, 1e-30);
  const double left = 80, right = width - 20, top = 20, bottom = 180, bar = (right - left) / static_cast<double>(shown);
  const auto py = [&](double seconds) { return bottom - (bottom - top) * seconds / longest; };
  std::string out = svg_open(bottom + 50, "Every simulated step");
  const auto steady_end = static_cast<std::size_t>(std::min<long long>(steady.first_step + steady.steps,
                                                                        static_cast<long long>(shown)));
  if (static_cast<std::size_t>(steady.first_step) < steady_end)
    put(out, "<rect x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\" fill=\"#eeeeee\"/>\n",
        left + bar * static_cast<double>(steady.first_step), top, bar * static_cast<double>(steady_end - steady.first_step),
        bottom - top);
  const units::DisplayUnit unit = units::display_unit(longest, units::Dimension::time);
  for (const double share : {0.0, 0.5, 1.0})
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{:.4g} {}</text>\n", left - 6, py(share * longest) + 4,
        share * longest / unit.factor, unit.symbol);
  for (std::size_t k = 0; k < shown; ++k) {
    const auto& r = steps[k];
    const double x = left + bar * static_cast<double>(k), w = std::max(bar - 0.5, 0.5);
    const double total = r.end - r.start, waits = r.data_stall + r.checkpoint;
    put(out, "<rect class=\"step\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\">"
        "<title>step {}: {}</title></rect>\n",
        x, py(total - waits), w, bottom - py(total - waits), palette[0], r.step + 1,
        xml_escaped(units::format(total, units::Dimension::time)));
    if (r.data_stall > 0)
      put(out, "<rect class=\"stall\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>\n", x,
          py(total - r.checkpoint), w, py(total - waits) - py(total - r.checkpoint), stall_colour);
    if (r.checkpoint > 0)
      put(out, "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" fill=\"{}\"/>\n", x, py(total), w,
          py(total - r.checkpoint) - py(total), palette[6]);
  }
  put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">step 1</text>\n", left, bottom + 16);
  put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">step {}</text>\n", right, bottom + 16, shown);
  const double legend = bottom + 38;
  const std::array<std::pair<const char*, const char*>, 4> keys{{{"training", palette[0]},
                                                                 {"data stall", stall_colour},
                                                                 {"checkpoint", palette[6]},
                                                                 {"steady state", "#eeeeee"}}};
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const double x = left + 150 * static_cast<double>(k);
    put(out, "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", x, legend - 10, keys[k].second);
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + 18, legend, keys[k].first);
  }
  put(out, "</svg>\n");
  return out;
}

std::string utilisation_svg(const Utilisation& u)
{
  std::vector<std::pair<const char*, double>> rows{{"accelerators", u.accelerators}, {"CPU cores", u.cpu_cores}};
  const std::array<std::pair<const char*, const std::optional<double>*>, 5> optional{
      {{"storage drives", &u.drives},
       {"NVMe-oF target NICs", &u.target_nics},
       {"client NICs (storage reads)", &u.client_nics},
       {"NVMe/TCP target cores", &u.target_cpu},
       {"file-system clients", &u.client_mounts}}};
  for (const auto& [name, busy] : optional)
    if (*busy)
      rows.emplace_back(name, **busy);
  const double left = 200, right = width - 80, row = 26;
  std::string out = svg_open(20 + row * static_cast<double>(rows.size()), "Utilisation over the run");
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& [name, busy] = rows[k];
    const double y = 10 + row * static_cast<double>(k);
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 8, y + 13, name);
    put(out, "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"18\" fill=\"#eeeeee\"/>\n", left, y,
        right - left);
    put(out,
        "<rect class=\"busy\" data-resource=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"18\" "
        "fill=\"{}\"/>\n",
        name, left, y, (right - left) * std::clamp(busy, 0.0, 1.0), busy >= 0.8 ? palette[3] : palette[0]);
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\">{:.0f}%</text>\n", right + 8, y + 13, 100 * busy);
  }
  put(out, "</svg>\n");
  return out;
}

std::string timeline_svg(const std::vector<training::TraceSpan>& spans)
{
  if (spans.empty())
    throw std::invalid_argument("timeline: no span to draw");
  const auto range = traced_time(spans);
  const double left = 150, right = width - 20, top = 30, height = 18;
  const auto px = [&](double t) {
    return left + (right - left) * std::clamp((t - range.first) / (range.second - range.first), 0.0, 1.0);
  };
  std::map<std::tuple<int, int, std::string>, std::pair<int, std::string>> rows; // order -> row, its label
  for (const auto& s : spans)
    if (px(s.end) > px(s.start)) // a loader's span wholly before or after the steps takes no room
      rows.try_emplace(row_order(s.worker, s.stream), 0, fmt::format("worker {} {}", s.worker, s.stream));
  int next = 0;
  for (auto& [_, row] : rows)
    row.first = next++;
  const double bottom = top + height * next;
  std::string out = svg_open(bottom + 30, "Timeline of the traced steps");
  put(out, "<text x=\"{:.1f}\" y=\"20\" font-size=\"14\">Traced steps, {} rows</text>\n", left, next);
  put_time_axis(out, left, right, bottom, range);
  for (const auto& [_, row] : rows)
    put(out, "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n", left - 6, top + height * row.first + 13,
        xml_escaped(row.second));
  for (const auto& s : spans) {
    const double x0 = px(s.start), x1 = px(s.end);
    if (x1 <= x0)
      continue;
    const int row = rows.at(row_order(s.worker, s.stream)).first;
    put(out,
        "<rect class=\"span\" x=\"{:.2f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\" fill=\"{}\">"
        "<title>{}, step {}: {}</title></rect>\n",
        x0, top + height * row + 2, x1 - x0, height - 4, span_colour(s), xml_escaped(s.name), s.step + 1,
        xml_escaped(units::format(s.end - s.start, units::Dimension::time)));
  }
  put(out, "</svg>\n");
  return out;
}

std::string assumptions_html(const std::vector<config::Assumption>& assumptions)
{
  std::string out = "<h2>Assumptions used</h2>\n";
  if (assumptions.empty())
    return out + "<p>None: every figure has a source.</p>\n";
  out += "<table>\n<tr><th>figure</th><th>value</th><th>assumption</th></tr>\n";
  for (const auto& a : assumptions)
    put(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", xml_escaped(a.where), xml_escaped(a.value),
        xml_escaped(a.reason));
  return out + "</table>\n";
}

std::string html_page_start(const std::string& title)
{
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>dtsim: {0}</title>\n"
      "<style>body{{font-family:sans-serif;max-width:760px;margin:2em auto;color:#222}}"
      "pre{{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}}"
      "table{{border-collapse:collapse;font-size:13px}}td,th{{border:1px solid #ccc;padding:4px 8px;"
      "text-align:left}}</style>\n</head>\n<body>\n<h1>{0}</h1>\n",
      xml_escaped(title));
}

std::string html_page_end()
{
  return "</body>\n</html>\n";
}

std::string run_report_html(const config::Scenario& s, const RunResult& run, const Summary& summary,
                            const std::string& summary_text)
{
  const std::string name = s.name.empty() ? s.file : s.name;
  std::string out = html_page_start(name);
  put(out, "<p>{}: {}.</p>\n", xml_escaped(to_string(summary.bottleneck.kind)), xml_escaped(summary.bottleneck.reason));
  put(out, "<h2>Summary</h2>\n<pre>{}</pre>\n", xml_escaped(summary_text));
  put(out, "<h2>Where a steady-state step goes</h2>\n{}", breakdown_svg(summary));
  if (!run.steps.empty()) {
    put(out, "<h2>Step by step</h2>\n<p>{} simulated step{}{}; the grey band is the steady state the figures above "
             "come from.</p>\n{}",
        run.steps.size(), run.steps.size() == 1 ? "" : "s",
        run.steps.size() > max_step_bars ? fmt::format(", the first {} shown", max_step_bars) : "",
        step_times_svg(run.steps, summary));
  }
  put(out, "<h2>Utilisation</h2>\n{}", utilisation_svg(summary.utilisation));
  std::vector<training::TraceSpan> shown;
  std::copy_if(run.spans.begin(), run.spans.end(), std::back_inserter(shown),
               [](const auto& span) { return span.worker < timeline_workers; });
  put(out, "<h2>Timeline</h2>\n");
  if (shown.empty())
    put(out,
        "<p>Steps {} to {} were not simulated: the run stopped once settled (simulation.exact: true "
        "simulates every step).</p>\n",
        run.trace_steps.first + 1, run.trace_steps.end);
  else
    put(out, "<p>Steps {} to {} on the first {} workers; a box's tooltip names it.</p>\n{}", run.trace_steps.first + 1,
        run.trace_steps.end, timeline_workers, timeline_svg(shown));
  out += assumptions_html(s.assumptions);
  return out + html_page_end();
}

} // namespace dtsim::report
