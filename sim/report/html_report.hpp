#pragma once
/// @brief `dtsim run --html FILE`: one self-contained HTML page of a run, with no script and no external file: the
/// summary, where a steady-state step goes, how busy each resource is, a timeline of traced steady-state steps
/// and the assumptions used. The pictures are inline SVG, the same bytes for the same run.
#include "config/scenario.hpp"
#include "report/summary.hpp"

#include <string>
#include <vector>

namespace dtsim::report {

/// Workers the report's timeline shows, the first ones: enough to see a step's phases overlap.
constexpr int timeline_workers = 2;

/// `summary_text` is what dtsim run printed (print_summary), shown as it is.
std::string run_report_html(const config::Scenario& scenario, const RunResult& run, const Summary& summary,
                            const std::string& summary_text);

/// One bar of the steady-state step, a segment per phase in proportion to its time, with a legend.
std::string breakdown_svg(const Summary& summary);

/// A bar per point of a sweep, labelled, each as long as its own step: the phases' shares compare across points.
std::string point_breakdowns_svg(const std::vector<std::pair<std::string, Summary>>& points);

/// The "Assumptions used" section: the figures that rest on an assumption rather than a source.
std::string assumptions_html(const std::vector<config::Assumption>& assumptions);

/// The start of a page like run_report_html's, its title escaped, up to and including the <h1>; and its end.
std::string html_page_start(const std::string& title);
std::string html_page_end();

/// A bar per resource, its busy share of the run.
std::string utilisation_svg(const Utilisation& utilisation);

/// Every simulated step as a bar of its time (at most the first max_step_bars), its data stall (in the colour of the
/// summary's larger stall, fetch or preprocessing) and checkpoint wait marked, on a grey band where the summary's
/// steady state is: stalls that come in bursts show here, not in the mean.
std::string step_times_svg(const std::vector<training::StepRecord>& steps, const Summary& summary);
inline constexpr std::size_t max_step_bars = 320;

/// A Gantt chart: a row per traced worker and stream (compute, comm, input, loader-N), a box per span, over the
/// time the traced steps took (loader spans clipped to it). Throws std::invalid_argument without spans.
std::string timeline_svg(const std::vector<training::TraceSpan>& spans);

} // namespace dtsim::report
