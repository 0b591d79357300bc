#include "app/sweep_runner.hpp"

#include "app/process_pool.hpp"
#include "app/progress.hpp"
#include "app/simulate.hpp"
#include "config/config_error.hpp"
#include "report/writers.hpp"
#include "sweep/folder_lock.hpp"
#include "sweep/sweep_results.hpp"
#include "training/runnable_scenario.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <sstream>

namespace dtsim::app {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> overrides_of(const sweep::SweepDefinition& sweep, const sweep::SweepPoint& point)
{
  std::vector<std::string> overrides = sweep.fixed;
  for (const auto& [key, value] : point.settings)
    overrides.push_back(key + "=" + value);
  return overrides;
}

config::Scenario load_point(const sweep::SweepDefinition& sweep, const sweep::SweepPoint& point,
                            const std::string& data_dir)
{
  return training::load_runnable_scenario(sweep.base, overrides_of(sweep, point), data_dir);
}

/// Simulates one point (in a process of its own), writes its folder and returns its summary as JSON text.
std::string simulate_point(const config::Scenario& scenario, const fs::path& folder, bool with_baseline)
{
  const auto [run, summary] = simulate_and_summarize(scenario, with_baseline);
  const nlohmann::json results = report::results_json(scenario, run, summary, "");
  std::ostringstream text;
  report::print_summary(text, scenario, run, summary);
  fs::create_directories(folder);
  report::write_file_atomically((folder / "scenario.json").string(), report::settings_json(scenario).dump(1) + "\n");
  report::write_file_atomically((folder / "results.json").string(), results.dump(1) + "\n");
  report::write_file_atomically((folder / "summary.txt").string(), text.str());
  return results.at("summary").dump();
}

/// The ids that have an ok row among `rows`.
std::set<std::string> finished_ids(const std::vector<nlohmann::json>& rows)
{
  std::set<std::string> ids;
  for (const auto& row : rows)
    if (row.value("status", "") == "ok")
      ids.insert(row.value("id", ""));
  return ids;
}

/// Throws the first point's error when no point of `points` is a valid scenario: then the sweep itself is bad
/// input (an unknown key, a missing base), not one of its points.
void check_some_point_is_valid(const sweep::SweepDefinition& sweep, const std::vector<sweep::SweepPoint>& points,
                               const std::string& data_dir)
{
  std::optional<config::ConfigError> first;
  for (const auto& point : points) {
    try {
      load_point(sweep, point, data_dir);
      return;
    } catch (const config::ConfigError& e) {
      if (!first)
        first = e;
    }
  }
  if (first)
    throw *first;
}

} // namespace

Shard shard_from(const std::string& option)
{
  std::string text = option;
  std::string origin = "--shard " + option;
  if (text.empty()) {
    const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
    if (!id || !count)
      return {};
    text = fmt::format("{}/{}", id, count);
    origin = "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT = " + text;
  }
  Shard shard;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> shard.index >> slash >> shard.count) || slash != '/' || !in.eof() || shard.count < 1 || shard.index < 0 ||
      shard.index >= shard.count)
    throw config::ConfigError({origin, 0, 0}, "",
                              "expected I/N with 0 <= I < N, such as 0/4 (a Slurm array must count from 0)");
  return shard;
}

std::vector<sweep::SweepPoint> shard_points(const std::vector<sweep::SweepPoint>& points, const Shard& shard)
{
  std::vector<sweep::SweepPoint> mine;
  for (std::size_t k = static_cast<std::size_t>(shard.index); k < points.size();
       k += static_cast<std::size_t>(shard.count))
    mine.push_back(points[k]);
  return mine;
}

SweepTally run_sweep(const sweep::SweepDefinition& sweep, const SweepRunOptions& options)
{
  const std::vector<sweep::SweepPoint> all = sweep.points();
  const nlohmann::json manifest = sweep::manifest(sweep, all);
  const std::vector<sweep::SweepPoint> mine = shard_points(all, options.shard);
  check_some_point_is_valid(sweep, mine, options.data_dir);
  const sweep::FolderLock lock(options.out_dir, options.shard.index, options.shard.count);
  sweep::claim_directory(options.out_dir, manifest);

  const std::string rows_file = sweep::rows_file_name(options.shard.index, options.shard.count);
  const std::optional<std::string> own_file = options.shard.count == 1 ? std::nullopt : std::optional(rows_file);
  const std::set<std::string> done = finished_ids(sweep::read_rows(options.out_dir, manifest, own_file));
  std::vector<sweep::SweepPoint> todo;
  for (const auto& point : mine)
    if (!done.contains(point.id))
      todo.push_back(point);
  SweepTally tally{0, mine.size() - todo.size(), 0};

  sweep::RowsFile rows((fs::path(options.out_dir) / rows_file).string());
  TaskProgress progress("sweep", todo.size(), options.progress);
  const auto record = [&](std::size_t k, const TaskOutcome& outcome) {
    std::optional<nlohmann::json> summary;
    if (outcome.text)
      summary = nlohmann::json::parse(*outcome.text);
    rows.append(sweep::result_row(todo[k], summary, outcome.error));
    ++tally.ran;
    tally.failed += !summary;
    progress.finished(summary.has_value());
  };
  const auto task = [&](std::size_t k) {
    const config::Scenario scenario = load_point(sweep, todo[k], options.data_dir);
    return simulate_point(scenario, fs::path(options.out_dir) / "points" / todo[k].id, options.baselines);
  };
  run_in_processes(todo.size(), options.jobs, task, record, [&](std::size_t running) { progress.show(running); });

  if (options.shard.count == 1)
    sweep::write_results(options.out_dir, manifest,
                         sweep::merge_rows(manifest, sweep::read_rows(options.out_dir, manifest)));
  return tally;
}

} // namespace dtsim::app
