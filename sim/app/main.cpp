// dtsim command line: run, compare, advise, sweep, merge, plot, collective, topology, check, calibrate, validate,
// reference. Only this file picks exit codes: 0 success, 1 a validation case out of bounds, 2 bad input, 3 simulation
// failure, 4 some sweep points failed or are missing, 5 a result that cannot be written.
#include "app/advise.hpp"
#include "app/calibrate.hpp"
#include "app/collective_benchmark.hpp"
#include "app/compare.hpp"
#include "app/data_dir.hpp"
#include "app/run_size.hpp"
#include "app/simulate.hpp"
#include "app/sweep_runner.hpp"
#include "app/validation_cases.hpp"
#include "config/inventory.hpp"
#include "config/parameters.hpp"
#include "config/scenario.hpp"
#include "platform/cluster_layout.hpp"
#include "report/advice.hpp"
#include "report/csv.hpp"
#include "report/html_report.hpp"
#include "report/result_metrics.hpp"
#include "report/trace.hpp"
#include "report/writers.hpp"
#include "sweep/folder_lock.hpp"
#include "sweep/results_chart.hpp"
#include "sweep/sweep_report.hpp"
#include "sweep/sweep_results.hpp"
#include "topology/topology_graph.hpp"
#include "training/runnable_scenario.hpp"
#include "units/units.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string_view>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

#ifndef DTSIM_VERSION
#define DTSIM_VERSION "unknown"
#endif
#ifndef DTSIM_DATA_FROM_BINARY
#define DTSIM_DATA_FROM_BINARY "../share/dtsim"
#endif

namespace {

constexpr int exit_ok = 0;
constexpr int exit_out_of_bounds = 1; ///< dtsim check: a prediction outside its bound
constexpr int exit_bad_input = 2;
constexpr int exit_simulation_failed = 3;
constexpr int exit_partial = 4; ///< dtsim sweep and merge: some points failed or are missing
constexpr int exit_output_failed = 5;

/// Refuses, before anything runs, output files that could not be written; "" names none.
void check_outputs(std::initializer_list<std::string> paths)
{
  for (const auto& path : paths)
    if (!path.empty())
      dtsim::report::check_writable(path);
}

/// @brief --json FILE and --csv FILE: a command's results for scripts, as one JSON document and as CSV.
struct DataFiles {
  std::string json;
  std::string csv;
};

void add_data_files(CLI::App* command, DataFiles& files, const std::string& what)
{
  command->add_option("--json", files.json, "Write " + what + " as JSON to FILE");
  command->add_option("--csv", files.csv, "Write " + what + " as CSV to FILE");
}

void check_data_files(const DataFiles& files)
{
  check_outputs({files.json, files.csv});
}

/// Writes the files asked for; `csv` is called only when a CSV is.
void write_data_files(const DataFiles& files, const nlohmann::json& document, const std::function<std::string()>& csv)
{
  if (!files.json.empty())
    dtsim::report::write_file_atomically(files.json, document.dump(1) + "\n");
  if (!files.csv.empty())
    dtsim::report::write_file_atomically(files.csv, csv());
}

struct RunOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  DataFiles data;
  std::string trace_file;
  std::string html_file;
  std::string trace_steps; ///< "FIRST:LAST", counted from 1; empty: training::default_trace_steps
  int trace_workers = 8;
  bool baseline = true;
  bool verbose = false;
};

/// A scenario loaded, its device groups planned and its size checked against this machine: one that can run.
dtsim::config::Scenario load_runnable(const std::string& file, const std::vector<std::string>& overrides,
                                      const std::string& data_dir)
{
  dtsim::config::Scenario scenario = dtsim::training::load_runnable_scenario(file, overrides, data_dir);
  if (const auto available = dtsim::app::available_memory())
    dtsim::app::check_fits(scenario, *available);
  return scenario;
}

double peak_memory_mib()
{
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

std::optional<long long> whole_number(std::string_view text)
{
  long long n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size())
    return std::nullopt;
  return n;
}

/// "--trace-steps FIRST:LAST" as dtsim run prints steps (from 1, LAST included), checked against the run's steps.
dtsim::training::StepRange parse_trace_steps(const std::string& text, long long run_steps)
{
  const auto fail = [&](const std::string& expected) {
    throw dtsim::config::ConfigError({"--trace-steps " + text, 0, 0}, "", expected);
  };
  const auto colon = text.find(':');
  const auto first = whole_number(std::string_view(text).substr(0, colon));
  const auto last = colon == std::string::npos ? std::nullopt : whole_number(std::string_view(text).substr(colon + 1));
  if (!first || !last)
    fail(fmt::format("expected FIRST:LAST, two step numbers such as 41:42, found \"{}\"", text));
  if (*first < 1)
    fail(fmt::format("expected a first step of at least 1 (steps are counted from 1), found {}", *first));
  if (*last < *first)
    fail(fmt::format("expected a last step of at least the first, {}, found {}", *first, *last));
  if (*last > run_steps)
    fail(fmt::format("expected a last step of at most the run's {} steps, found {}", run_steps, *last));
  return {*first - 1, *last};
}

dtsim::training::TraceWindow trace_window(const RunOptions& options, const dtsim::config::Scenario& scenario)
{
  std::optional<dtsim::training::StepRange> steps;
  if (!options.trace_steps.empty())
    steps = parse_trace_steps(options.trace_steps, scenario.workload.steps);
  if (!options.trace_file.empty())
    return {options.trace_workers, steps};
  if (!options.html_file.empty())
    return {dtsim::report::timeline_workers, steps};
  return {};
}

/// Refuses a trace of steps the run did not simulate (it stopped early and extrapolated them) and warns of
/// one with some of them left out.
void check_trace_simulated(const RunOptions& options, const dtsim::report::RunResult& run)
{
  const dtsim::training::StepRange asked = run.trace_steps, simulated = dtsim::report::traced_steps_simulated(run);
  if (simulated.first == asked.first && simulated.end == asked.end)
    return;
  const std::string option = options.trace_steps.empty() ? fmt::format("--trace {} (its default steps {}:{})",
                                                                       options.trace_file, asked.first + 1, asked.end)
                                                         : "--trace-steps " + options.trace_steps;
  const std::string reason =
      fmt::format("the run simulated steps 1 to {} and extrapolated the rest at the steady step time; choose "
                  "steps among those, or simulate every step with --set simulation.exact=true",
                  run.steps.size());
  if (simulated.end <= simulated.first)
    throw dtsim::config::ConfigError({option, 0, 0}, "", "expected steps the run simulated, but " + reason);
  fmt::print(stderr, "dtsim: warning: {}: the trace covers steps {} to {} only: {}\n", option, simulated.first + 1,
             simulated.end, reason);
}

int run(const RunOptions& options, const std::string& data_dir)
{
  const auto wall_start = std::chrono::steady_clock::now();
  const dtsim::config::Scenario scenario = load_runnable(options.scenario, options.overrides, data_dir);
  check_data_files(options.data);
  check_outputs({options.trace_file, options.html_file});
  const auto [result, reported] =
      dtsim::app::simulate_and_summarize(scenario, options.baseline, trace_window(options, scenario), true);

  const auto results = dtsim::report::results_json(scenario, result, reported, DTSIM_VERSION); // checks the numbers
  std::ostringstream summary_text;
  dtsim::report::print_summary(summary_text, scenario, result, reported);
  std::cout << summary_text.str();
  write_data_files(options.data, results, [&] {
    return dtsim::report::summary_records_csv({"scenario"},
                                              {{{"scenario", scenario.file}, {"summary", results.at("summary")}}});
  });
  if (!options.trace_file.empty()) {
    check_trace_simulated(options, result);
    dtsim::report::write_file_atomically(options.trace_file, dtsim::report::chrome_trace(result).dump() + "\n");
  }
  if (!options.html_file.empty())
    dtsim::report::write_file_atomically(
        options.html_file, dtsim::report::run_report_html(scenario, result, reported, summary_text.str()));
  std::cout.flush();
  if (options.verbose) {
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wall_start;
    fmt::print(stderr, "dtsim: simulator wall time {:.3f} s, peak memory {:.1f} MiB (this process)\n", wall.count(),
               peak_memory_mib());
  }
  return exit_ok;
}

struct CompareOptions {
  std::vector<std::string> scenarios;
  std::vector<std::string> overrides;
  std::vector<std::string> options; ///< "NAME:key=value,...": variants of the one scenario
  int jobs = 0;                     ///< 0: as many as the machine has cores
  DataFiles data;
};

int jobs_or_cores(int jobs)
{
  return jobs > 0 ? jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

/// Loads every scenario first, so bad input stops the command before anything is simulated.
int compare(const CompareOptions& options, const std::string& data_dir)
{
  if (!options.options.empty() && options.scenarios.size() != 1)
    throw dtsim::config::ConfigError(
        {"--option " + options.options.front(), 0, 0}, "",
        fmt::format("expected one base scenario with --option, found {}", options.scenarios.size()));
  std::vector<dtsim::app::NamedScenario> scenarios;
  const auto add = [&](const std::string& name, const std::string& file, std::vector<std::string> overrides) {
    scenarios.push_back({name, load_runnable(file, overrides, data_dir)});
  };
  for (const auto& file : options.scenarios)
    add(file, file, options.overrides);
  for (const auto& option : options.options) {
    auto [name, overrides] = dtsim::app::parse_option(option);
    overrides.insert(overrides.begin(), options.overrides.begin(), options.overrides.end());
    add(name, options.scenarios.front(), overrides);
  }
  check_data_files(options.data);
  const auto rows = dtsim::app::compare_scenarios(scenarios, jobs_or_cores(options.jobs), true, "compare");
  dtsim::report::print_comparison(std::cout, rows);
  const nlohmann::json records = dtsim::report::comparison_records(rows);
  write_data_files(options.data, records, [&] {
    return dtsim::report::summary_records_csv({"scenario", "status"}, records);
  });
  const bool all_ran = std::all_of(rows.begin(), rows.end(), [](const auto& r) { return r.summary.has_value(); });
  return all_ran ? exit_ok : exit_simulation_failed;
}

struct AdviseOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string budget;   ///< USD, empty for none
  std::string deadline; ///< a duration, empty for none
  int jobs = 0;
  DataFiles data;
};

/// The base scenario's purchase price; a part without a price is bad input, named by its key.
double purchase_price_of(const dtsim::config::Scenario& s)
{
  for (const auto& item : dtsim::config::inventory(s))
    if (!item.unit_usd)
      throw dtsim::config::ConfigError({s.file, 0, 0}, item.price_key,
                                       fmt::format("missing key: advise prices upgrades at their purchase price, and "
                                                   "the catalog has no price for {}",
                                                   item.part));
  return *dtsim::config::purchase_price(s);
}

dtsim::report::AdviceLimits advice_limits(const AdviseOptions& options)
{
  dtsim::report::AdviceLimits limits;
  const auto read = [](const std::string& option, const std::string& text, dtsim::units::Dimension dim) {
    try {
      const double value = dtsim::units::parse(text, dim);
      if (value <= 0)
        throw dtsim::units::UnitError("expected a value above 0, found " + text);
      return value;
    } catch (const dtsim::units::UnitError& e) {
      throw dtsim::config::ConfigError({option + " " + text, 0, 0}, "", e.what());
    }
  };
  if (!options.budget.empty())
    limits.budget_usd = read("--budget", options.budget, dtsim::units::Dimension::number);
  if (!options.deadline.empty())
    limits.deadline_s = read("--deadline", options.deadline, dtsim::units::Dimension::time);
  return limits;
}

/// Every upgrade move is loaded first (those that do not validate are listed as not applicable), then the base
/// and the moves are simulated in parallel, each in its own process.
int advise(const AdviseOptions& options, const std::string& data_dir)
{
  const dtsim::report::AdviceLimits limits = advice_limits(options);
  check_data_files(options.data);
  const auto base = dtsim::training::load_runnable_scenario(options.scenario, options.overrides, data_dir);
  std::vector<dtsim::app::NamedScenario> scenarios{{options.scenario, base}};
  std::vector<dtsim::report::AdvisedRun> runs{{options.scenario, "", std::nullopt, purchase_price_of(base)}};
  std::vector<std::pair<std::string, std::string>> skipped;
  for (const auto& move : dtsim::app::upgrade_moves(base, dtsim::config::Catalog::load(data_dir))) {
    std::vector<std::string> overrides = options.overrides;
    overrides.insert(overrides.end(), move.overrides.begin(), move.overrides.end());
    try {
      auto upgraded = dtsim::training::load_runnable_scenario(options.scenario, overrides, data_dir);
      runs.push_back({move.name, move.kind, std::nullopt, purchase_price_of(upgraded)});
      scenarios.push_back({move.name, std::move(upgraded)});
    } catch (const dtsim::config::ConfigError& e) {
      skipped.emplace_back(move.name, e.message());
    }
  }
  const auto results = dtsim::app::compare_scenarios(scenarios, jobs_or_cores(options.jobs), false, "advise");
  for (std::size_t k = 0; k < runs.size(); ++k)
    runs[k].summary = results[k].summary;
  if (!runs.front().summary)
    throw std::runtime_error("the base scenario's simulation failed");
  const std::vector<dtsim::report::AdvisedRun> upgrades(runs.begin() + 1, runs.end());
  for (const auto& u : upgrades)
    if (!u.summary)
      skipped.emplace_back(u.name, "its simulation failed");
  const auto ranked = dtsim::report::rank_upgrades(runs.front(), upgrades);
  dtsim::report::print_advice(std::cout, runs.front(), ranked, skipped, limits);
  const nlohmann::json records = dtsim::report::advice_records(runs.front(), ranked, limits);
  write_data_files(options.data, records,
                   [&] { return dtsim::report::summary_records_csv(dtsim::report::advice_columns(), records); });
  return exit_ok;
}

struct SweepOptions {
  std::string file; ///< a sweep file, or a base scenario whose --set comma lists are swept
  std::vector<std::string> sets;
  std::vector<std::string> zips;
  std::string out_dir;
  std::string shard;
  int jobs = 0;
  bool list = false;
  bool baselines = true;
};

dtsim::sweep::SweepDefinition sweep_definition(const SweepOptions& options)
{
  if (!dtsim::sweep::is_sweep_file(options.file))
    return dtsim::sweep::sweep_from_options(options.file, options.sets, options.zips);
  dtsim::sweep::SweepDefinition sweep = dtsim::sweep::load_sweep(options.file);
  dtsim::sweep::add_options(sweep, options.sets, options.zips);
  return sweep;
}

void list_points(const std::vector<dtsim::sweep::SweepPoint>& points)
{
  for (const auto& point : points) {
    std::string settings;
    for (const auto& [key, value] : point.settings)
      settings += fmt::format(" {}={}", key, value);
    fmt::print("{}{}\n", point.id, settings);
  }
}

int sweep(const SweepOptions& options, const std::string& data_dir)
{
  const dtsim::sweep::SweepDefinition definition = sweep_definition(options);
  const dtsim::app::Shard shard = dtsim::app::shard_from(options.shard);
  if (definition.keys().empty())
    throw dtsim::config::ConfigError({options.file, 0, 0}, "",
                                     "nothing to sweep: expected a sweep file, or --set key=a,b,... or --zip");
  if (options.list) {
    list_points(dtsim::app::shard_points(definition.points(), shard));
    return exit_ok;
  }
  if (options.out_dir.empty())
    throw dtsim::config::ConfigError({"dtsim sweep " + options.file, 0, 0}, "-o",
                                     "missing option: expected -o DIR, the folder for the results");
  const dtsim::app::SweepTally tally =
      dtsim::app::run_sweep(definition, {options.out_dir, data_dir, jobs_or_cores(options.jobs), shard,
                                         options.baselines, static_cast<bool>(isatty(STDERR_FILENO))});
  fmt::print("{}: {} points run, {} failed, {} already done{}\n", options.out_dir, tally.ran, tally.failed,
             tally.skipped,
             shard.count > 1 ? fmt::format(" (shard {}/{}; dtsim merge writes the results)", shard.index, shard.count)
                             : "; results.jsonl and results.csv written");
  return tally.failed == 0 ? exit_ok : exit_partial;
}

/// De-duplicates the rows of every shard into results.jsonl and results.csv; names the points still missing.
int merge(const std::string& dir)
{
  const nlohmann::json manifest = dtsim::sweep::read_manifest(dir);
  const dtsim::sweep::FolderLock lock(dir);
  const auto merged = dtsim::sweep::merge_rows(manifest, dtsim::sweep::read_rows(dir, manifest));
  dtsim::sweep::write_results(dir, manifest, merged);
  fmt::print("{}: {} of {} points have rows, {} failed, {} missing\n", dir, merged.rows.size(),
             manifest.at("points").size(), merged.failed, merged.missing.size());
  for (const auto& id : merged.missing)
    fmt::print(stderr, "dtsim merge: point {} has no row\n", id);
  return merged.failed == 0 && merged.missing.empty() ? exit_ok : exit_partial;
}

struct PlotOptions {
  std::string results;
  dtsim::sweep::PlotRequest request;
  std::string svg_file; ///< empty: plot-Y-vs-X.svg next to the results
};

int plot(const PlotOptions& options)
{
  const auto rows = dtsim::sweep::read_result_rows(options.results);
  const std::string svg = dtsim::sweep::results_chart_svg(rows, options.request);
  std::filesystem::path file = options.svg_file;
  if (file.empty()) {
    const std::filesystem::path results(options.results);
    const auto dir = std::filesystem::is_directory(results) ? results : results.parent_path();
    const auto& r = options.request;
    file = dir / fmt::format("plot-{}-vs-{}{}.svg", r.y, r.x, r.group.empty() ? "" : "-by-" + r.group);
  }
  dtsim::report::write_file_atomically(file.string(), svg);
  fmt::print("{}: {} against {}\n", file.string(), options.request.y, options.request.x);
  return exit_ok;
}

/// The HTML page of a sweep folder, written into it as report.html unless told where.
int sweep_report(const std::string& dir, std::string html_file)
{
  const nlohmann::json manifest = dtsim::sweep::read_manifest(dir);
  const auto rows = dtsim::sweep::read_result_rows(dir);
  if (html_file.empty())
    html_file = (std::filesystem::path(dir) / "report.html").string();
  check_outputs({html_file});
  const std::string title = fmt::format("Sweep of {}", manifest.value("base", dir));
  dtsim::report::write_file_atomically(
      html_file, dtsim::sweep::sweep_report_html(title, manifest.at("keys").get<std::vector<std::string>>(), rows,
                                                 dtsim::sweep::point_assumptions(dir, rows)));
  fmt::print("{}: the report of {} points\n", html_file, rows.size());
  return exit_ok;
}

struct CollectiveOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string op = "all_reduce";
  std::string sizes = "8B:8GiB";
  double factor = 2;
  DataFiles data;
};

/// "8B:8GiB" -> the sizes from 8 B to 8 GiB, multiplying by `factor`.
std::vector<double> parse_sizes(const std::string& range, double factor)
{
  const dtsim::config::Location option{"--sizes " + range, 0, 0};
  const auto colon = range.find(':');
  try {
    const double first = dtsim::units::parse(range.substr(0, colon), dtsim::units::Dimension::size);
    const double last = colon == std::string::npos
                            ? first
                            : dtsim::units::parse(range.substr(colon + 1), dtsim::units::Dimension::size);
    return dtsim::report::size_series(first, last, factor);
  } catch (const std::exception& e) {
    throw dtsim::config::ConfigError(option, "", std::string(e.what()) + " (expected FIRST:LAST such as 8B:8GiB)");
  }
}

int collective(const CollectiveOptions& options, const std::string& data_dir)
{
  dtsim::report::CollectiveOp op{};
  try {
    op = dtsim::report::collective_op(options.op);
  } catch (const std::invalid_argument& e) {
    throw dtsim::config::ConfigError({"--op " + options.op, 0, 0}, "", e.what());
  }
  const std::vector<double> sizes = parse_sizes(options.sizes, options.factor);
  const dtsim::config::Scenario scenario =
      dtsim::training::load_runnable_scenario(options.scenario, options.overrides, data_dir);
  check_data_files(options.data);
  const auto rows = dtsim::app::benchmark_collective(scenario, op, sizes);
  dtsim::report::print_collective_table(std::cout, op, scenario.cluster.devices(), rows);
  const nlohmann::json records = dtsim::report::collective_records(op, scenario.cluster.devices(), rows);
  write_data_files(options.data, records,
                   [&] { return dtsim::report::records_csv(dtsim::report::collective_columns(), records); });
  return exit_ok;
}

struct TopologyOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string dot_file;
  DataFiles data;
};

nlohmann::json topology_record(const dtsim::topology::TopologySummary& s)
{
  return {{"accelerators", s.accelerators},
          {"cpus", s.cpus},
          {"storage_targets", s.storage_targets},
          {"switches", s.switches},
          {"links", s.links},
          {"diameter_hops", s.diameter_hops},
          {"bisection_bandwidth_B_per_s", s.bisection_bandwidth}};
}

int topology(const TopologyOptions& options, const std::string& data_dir)
{
  const dtsim::config::Scenario scenario =
      dtsim::training::load_runnable_scenario(options.scenario, options.overrides, data_dir);
  const std::string& dot_file = options.dot_file;
  check_outputs({dot_file});
  check_data_files(options.data);
  const auto graph = dtsim::topology::build_graph(dtsim::platform::lay_out_cluster(scenario));
  const auto s = dtsim::topology::summarize(graph);
  fmt::print("accelerators        {}\n", s.accelerators);
  fmt::print("CPUs (PCIe roots)   {}\n", s.cpus);
  fmt::print("storage targets     {}\n", s.storage_targets);
  fmt::print("switches            {}\n", s.switches);
  fmt::print("links               {} (full duplex)\n", s.links);
  fmt::print("diameter            {} links between the farthest two accelerators\n", s.diameter_hops);
  fmt::print("bisection bandwidth {} one way, between the first and second half of the accelerators\n",
             dtsim::units::format(s.bisection_bandwidth, dtsim::units::Dimension::bandwidth));
  if (!dot_file.empty()) {
    std::ostringstream dot;
    dtsim::topology::write_dot(dot, graph);
    dtsim::report::write_file_atomically(dot_file, dot.str());
  }
  const nlohmann::json record = topology_record(s);
  write_data_files(options.data, record, [&] {
    std::vector<std::string> columns;
    for (const auto& [key, _] : record.items())
      columns.push_back(key);
    return dtsim::report::records_csv(columns, nlohmann::json::array({record}));
  });
  return exit_ok;
}

int check(const std::string& cases_file, const DataFiles& data, const std::string& data_dir)
{
  check_data_files(data);
  const auto outcomes = dtsim::app::run_cases(dtsim::app::load_cases(cases_file), data_dir);
  dtsim::app::print_outcomes(std::cout, outcomes);
  const nlohmann::json records = dtsim::app::outcomes_json(outcomes);
  write_data_files(data, records, [&] { return dtsim::report::records_csv(dtsim::app::outcome_columns(), records); });
  const bool all_pass = std::all_of(outcomes.begin(), outcomes.end(), [](const auto& o) { return o.passes(); });
  return all_pass ? exit_ok : exit_out_of_bounds;
}

struct CalibrateOptions {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string step_time;
  std::string source = "measured by the user";
};

int calibrate(const CalibrateOptions& options, const std::string& data_dir)
{
  const std::string option = "--step-time " + options.step_time;
  double step_time = 0;
  try {
    step_time = dtsim::units::parse(options.step_time, dtsim::units::Dimension::time);
  } catch (const dtsim::units::UnitError& e) {
    throw dtsim::config::ConfigError({option, 0, 0}, "", e.what());
  }
  const dtsim::config::Scenario scenario =
      dtsim::training::load_runnable_scenario(options.scenario, options.overrides, data_dir);
  dtsim::app::print_calibration(std::cout, scenario, dtsim::app::calibrate(scenario, step_time, option),
                                options.source);
  return exit_ok;
}

int validate(const std::string& file, const std::vector<std::string>& overrides, const std::string& data_dir)
{
  const dtsim::config::Scenario scenario = load_runnable(file, overrides, data_dir);
  const auto size = dtsim::app::estimate_run_size(scenario);
  const auto bytes = [](double b) { return dtsim::units::format(b, dtsim::units::Dimension::size); };
  fmt::print("{}: valid scenario, {} devices, {} steps; {} actors, their stacks at most {}; a platform of {} zones, "
             "{} hosts, {} links and {} route hops, about {}\n",
             file, scenario.cluster.devices(), scenario.workload.steps, size.actors, bytes(size.stack_bytes),
             size.platform.zones, size.platform.hosts, size.platform.links, size.platform.route_hops,
             bytes(size.platform_bytes));
  return exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
  CLI::App app{"dtsim: a discrete-event simulator of distributed data-parallel deep-learning training"};
  app.set_version_flag("--version", std::string("dtsim ") + DTSIM_VERSION);
  app.require_subcommand(1);
  app.fallthrough(); // options of the whole program, such as --data-dir, are taken after a subcommand too
  std::string data_dir_option;
  const CLI::Option* data_dir_given = app.add_option(
      "--data-dir", data_dir_option,
      "Folder holding catalog/, workloads/ and topologies/ (default: $DTSIM_DATA_DIR, else " DTSIM_DATA_FROM_BINARY
      " from the folder of the dtsim binary)");

  RunOptions run_options;
  CLI::App* run_cmd = app.add_subcommand("run", "Simulate a scenario and report on it");
  run_cmd->add_option("scenario", run_options.scenario, "Scenario YAML file")->required();
  run_cmd->add_option("--set", run_options.overrides, "Override a key before validation: key.path=value (repeatable)");
  add_data_files(run_cmd, run_options.data, "the results (docs/results-reference.md)");
  run_cmd->add_option("--trace", run_options.trace_file, "Write a Chrome/Perfetto trace of two steady steps to FILE");
  run_cmd->add_option("--trace-steps", run_options.trace_steps,
                      "Steps the trace covers, FIRST:LAST as the output counts them (default: two steps after the "
                      "input pipeline has filled and the page caches have warmed)");
  run_cmd->add_option("--trace-workers", run_options.trace_workers, "Workers the trace covers")->capture_default_str();
  run_cmd->add_option("--html", run_options.html_file,
                      "Write a self-contained HTML report to FILE: summary, step breakdown, utilisation, timeline");
  run_cmd->add_flag("!--no-baseline", run_options.baseline, "Skip the one-device baseline (no scaling efficiency)");
  run_cmd->add_flag("--verbose", run_options.verbose, "Print the simulator's own run time and memory on stderr");

  CompareOptions compare_options;
  CLI::App* compare_cmd =
      app.add_subcommand("compare", "Simulate several scenarios, each in its own process, and print them side by side");
  compare_cmd->add_option("scenarios", compare_options.scenarios, "Scenario YAML files")->required();
  compare_cmd->add_option("--set", compare_options.overrides, "Override a key in every scenario (repeatable)");
  compare_cmd->add_option("--option", compare_options.options,
                          "A variant of the one scenario, NAME:key=value[,key=value...] (repeatable)");
  compare_cmd->add_option("-j,--jobs", compare_options.jobs, "Scenarios simulated at once (default: the cores)");
  add_data_files(compare_cmd, compare_options.data, "every scenario's summary");

  AdviseOptions advise_options;
  CLI::App* advise_cmd = app.add_subcommand(
      "advise", "Simulate the scenario under upgrades from the catalog and rank them by time saved per dollar");
  advise_cmd->add_option("scenario", advise_options.scenario, "Scenario YAML file")->required();
  advise_cmd->add_option("--set", advise_options.overrides, "Override a key before validation (repeatable)");
  advise_cmd->add_option("--budget", advise_options.budget, "Most USD to add to the purchase price, e.g. 50000");
  advise_cmd->add_option("--deadline", advise_options.deadline, "Time to train to meet, e.g. 2h");
  advise_cmd->add_option("-j,--jobs", advise_options.jobs, "Scenarios simulated at once (default: the cores)");
  add_data_files(advise_cmd, advise_options.data, "the base and the upgrades, ranked, with their summaries");

  SweepOptions sweep_options;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep", "Simulate every point of a sweep, each in its own process, into a results folder (exit 4 if any fails)");
  sweep_cmd->add_option("sweep", sweep_options.file, "Sweep YAML file, or a base scenario with --set key=a,b,...")
      ->required();
  sweep_cmd->add_option("--set", sweep_options.sets,
                        "key=value for every point, or key=a,b,c: a comma list outside brackets is swept (repeatable)");
  sweep_cmd->add_option("--zip", sweep_options.zips, "key=a,b,c swept together with the other --zip keys (repeatable)");
  sweep_cmd->add_option("-o,--output", sweep_options.out_dir, "Results folder; a re-run skips the points done there");
  sweep_cmd->add_option("-j,--jobs", sweep_options.jobs, "Points simulated at once (default: the cores)");
  sweep_cmd->add_option(
      "--shard", sweep_options.shard,
      "I/N: run every N-th point from the I-th (default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)");
  sweep_cmd->add_flag("--list", sweep_options.list, "Print the points with their ids and stop");
  sweep_cmd->add_flag("!--no-baseline", sweep_options.baselines, "Skip each point's one-device baseline");

  std::string merge_dir;
  CLI::App* merge_cmd = app.add_subcommand(
      "merge", "Merge a sweep's shards into results.jsonl and results.csv (exit 4 if points failed or are missing)");
  merge_cmd->add_option("dir", merge_dir, "The sweep's results folder")->required();

  PlotOptions plot_options;
  CLI::App* plot_cmd = app.add_subcommand(
      "plot", "Draw a metric of a sweep's results against a swept key or metric as an SVG chart (bars for a text x)");
  plot_cmd->add_option("results", plot_options.results, "The sweep's results folder, or a results.jsonl")->required();
  plot_cmd
      ->add_option("--x", plot_options.request.x,
                   "Swept key or metric along x, e.g. cluster.nodes; text values (accelerators) give bars")
      ->required();
  plot_cmd->add_option("--y", plot_options.request.y, "Metric along y, e.g. scaling_efficiency")->required();
  plot_cmd->add_option("--group", plot_options.request.group, "One line per value of this swept key");
  plot_cmd->add_option("--where", plot_options.request.where,
                       "KEY=VALUE: only the points with this value of a swept key (repeatable)");
  plot_cmd->add_flag("--ideal", plot_options.request.ideal,
                     "Draw perfect scaling from each line's first point (throughput, time or scaling_efficiency)");
  plot_cmd->add_option("-o,--output", plot_options.svg_file, "SVG file (default: plot-Y-vs-X.svg by the results)");

  std::string report_dir, report_file;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "Write a sweep's results as one self-contained HTML page: points, scaling charts, step breakdowns");
  report_cmd->add_option("dir", report_dir, "The sweep's results folder")->required();
  report_cmd->add_option("-o,--output", report_file, "HTML file (default: report.html in the folder)");

  std::string validate_file;
  std::vector<std::string> validate_overrides;
  CLI::App* validate_cmd = app.add_subcommand("validate", "Check a scenario without simulating it");
  validate_cmd->add_option("scenario", validate_file, "Scenario YAML file")->required();
  validate_cmd->add_option("--set", validate_overrides, "Override a key before validation (repeatable)");

  CollectiveOptions collective_options;
  CLI::App* collective_cmd = app.add_subcommand(
      "collective", "Time one collective over the scenario's accelerators at a range of sizes (nccl-tests style)");
  collective_cmd->add_option("scenario", collective_options.scenario, "Scenario YAML file")->required();
  collective_cmd->add_option("--set", collective_options.overrides, "Override a key before validation (repeatable)");
  collective_cmd
      ->add_option("--op", collective_options.op, "all_reduce, reduce_scatter, all_gather, broadcast or send_recv")
      ->capture_default_str();
  collective_cmd->add_option("--sizes", collective_options.sizes, "FIRST:LAST bytes, units included")
      ->capture_default_str();
  collective_cmd->add_option("--factor", collective_options.factor, "Multiply the size by this between rows")
      ->capture_default_str();
  add_data_files(collective_cmd, collective_options.data, "the rows");

  TopologyOptions topology_options;
  CLI::App* topology_cmd = app.add_subcommand(
      "topology", "Count the cluster's devices, switches and links; diameter and bisection bandwidth");
  topology_cmd->add_option("scenario", topology_options.scenario, "Scenario YAML file")->required();
  topology_cmd->add_option("--set", topology_options.overrides, "Override a key before validation (repeatable)");
  topology_cmd->add_option("--dot", topology_options.dot_file, "Write the topology as a Graphviz .dot file");
  add_data_files(topology_cmd, topology_options.data, "the figures");

  std::string cases_file;
  DataFiles check_data;
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Simulate published cases and compare with the measurements (exit 1 if out of bounds)");
  check_cmd->add_option("cases", cases_file, "Cases file, such as scenarios/validation/cases.yaml")->required();
  add_data_files(check_cmd, check_data, "the outcomes, one per case");

  CalibrateOptions calibrate_options;
  CLI::App* calibrate_cmd = app.add_subcommand(
      "calibrate", "Turn one device's measured step time into a measured_throughput row for the workload file");
  calibrate_cmd->add_option("scenario", calibrate_options.scenario, "Scenario YAML file (its device, precision, batch)")
      ->required();
  calibrate_cmd
      ->add_option("--step-time", calibrate_options.step_time, "Measured time of one training step, e.g. 104ms")
      ->required();
  calibrate_cmd->add_option("--source", calibrate_options.source, "Where the measurement comes from")
      ->capture_default_str();
  calibrate_cmd->add_option("--set", calibrate_options.overrides, "Override a key before validation (repeatable)");

  bool results_reference = false;
  CLI::App* reference_cmd =
      app.add_subcommand("reference", "Print the scenario reference (docs/scenario-reference.md) in Markdown");
  reference_cmd->add_flag("--results", results_reference,
                          "Print the results reference instead (docs/results-reference.md)");
  CLI::App* schema_cmd = app.add_subcommand(
      "schema", "Print the JSON Schema of the scenario format (docs/scenario.schema.json), for editors and validators");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_bad_input;
  }

  // Looked for only by the commands that read scenarios, so that merge or plot need no data folder.
  const auto data_dir = [&] {
    return dtsim::app::find_data_dir(data_dir_given->count() > 0 ? std::optional(data_dir_option) : std::nullopt,
                                     std::getenv("DTSIM_DATA_DIR"), DTSIM_DATA_FROM_BINARY);
  };
  try {
    if (*run_cmd)
      return run(run_options, data_dir());
    if (*compare_cmd)
      return compare(compare_options, data_dir());
    if (*advise_cmd)
      return advise(advise_options, data_dir());
    if (*sweep_cmd)
      return sweep(sweep_options, data_dir());
    if (*merge_cmd)
      return merge(merge_dir);
    if (*plot_cmd)
      return plot(plot_options);
    if (*report_cmd)
      return sweep_report(report_dir, report_file);
    if (*collective_cmd)
      return collective(collective_options, data_dir());
    if (*topology_cmd)
      return topology(topology_options, data_dir());
    if (*check_cmd)
      return check(cases_file, check_data, data_dir());
    if (*calibrate_cmd)
      return calibrate(calibrate_options, data_dir());
    if (*validate_cmd)
      return validate(validate_file, validate_overrides, data_dir());
    if (*reference_cmd) {
      std::cout << (results_reference ? dtsim::report::results_reference_markdown()
                                      : dtsim::config::reference_markdown(dtsim::config::scenario_parameters()));
      return exit_ok;
    }
    if (*schema_cmd) {
      std::cout << dtsim::config::schema_json(dtsim::config::scenario_parameters());
      return exit_ok;
    }
  } catch (const dtsim::config::ConfigError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const dtsim::report::OutputError& e) {
    fmt::print(stderr, "dtsim: {}\n", e.what());
    return exit_output_failed;
  } catch (const std::exception& e) {
    fmt::print(stderr, "dtsim: simulation failed: {}\n", e.what());
    return exit_simulation_failed;
  }
  return exit_ok;
}
