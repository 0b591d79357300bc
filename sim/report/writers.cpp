#include "report/writers.hpp"

#include "report/epochs.hpp"
#include "report/format.hpp"
#include "report/result_metrics.hpp"
#include "units/units.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace dtsim::report {

using units::Dimension;

namespace {

std::string percent(double part, double whole)
{
  return whole > 0 ? fmt::format("{:.1f}%", 100 * part / whole) : "-";
}

void print_utilisation(std::ostream& out, const Utilisation& u)
{
  const auto part = [](const char* name, const std::optional<double>& busy) {
    return busy ? fmt::format(", {} {:.0f}%", name, 100 * *busy) : std::string();
  };
  fmt::print(out, "utilisation         accelerators {:.0f}%, CPU cores {:.0f}%{}{}{}{}{}\n", 100 * u.accelerators,
             100 * u.cpu_cores, part("storage drives", u.drives), part("target NICs", u.target_nics),
             part("client NICs (storage reads)", u.client_nics), part("target cores", u.target_cpu),
             part("file-system clients", u.client_mounts));
}

void print_checkpoints(std::ostream& out, const config::Scenario& s, const training::RunTotals& totals)
{
  const auto& c = s.checkpoint;
  const std::string size = units::format(c.bytes, Dimension::size);
  const std::string to = config::to_string(c.to);
  const std::string how = fmt::format("{}, {}", c.mode == config::CheckpointMode::blocking ? "blocking" : "background",
                                      c.sharded ? "sharded over every device" : "written by rank 0");
  if (totals.checkpoints == 0) {
    fmt::print(out, "checkpoints         none written: the run is shorter than checkpoint.every_steps ({} to {}, {})\n",
               size, to, how);
    return;
  }
  const double write = totals.checkpoint_write_seconds / totals.checkpoints;
  fmt::print(out, "checkpoints         {} of {} to {} ({}): {} each to write ({}); restore {}\n", totals.checkpoints,
             size, to, how, units::format(write, Dimension::time), units::format(c.bytes / write, Dimension::bandwidth),
             units::format(totals.restore_seconds, Dimension::time));
}

/// "0.42 kWh: A100-SXM4-80GB 0.3, servers 0.05, ..." - a total and its parts, largest first.
template <typename Part, typename Format>
std::string parts_text(std::vector<Part> parts, double Part::*amount, Format format)
{
  std::stable_sort(parts.begin(), parts.end(), [&](const Part& a, const Part& b) { return a.*amount > b.*amount; });
  std::vector<std::string> shown;
  for (const auto& p : parts)
    shown.push_back(fmt::format("{} {}", p.part, format(p.*amount)));
  return fmt::format("{}", fmt::join(shown, ", "));
}

void print_energy_and_cost(std::ostream& out, const config::Scenario& s, const Summary& sum)
{
  const std::string& unit = s.workload.model.sample_unit;
  const auto kwh = [](double x) { return fmt::format("{:.3g}", x); };
  fmt::print(out, "energy              {:.3g} kWh with PUE {:g}; {:.3g} kWh per epoch, {:.3g} kWh per million {}\n",
             sum.energy_kwh, s.cost.pue, sum.per_epoch(sum.energy_kwh), sum.per_million_samples(sum.energy_kwh), unit);
  fmt::print(out, "  IT energy (kWh)   {}\n", parts_text(sum.energy_parts, &EnergyPart::kwh, kwh));
  if (s.storage.remote && s.storage.remote->appliance && !s.storage.remote->appliance_power)
    fmt::print(out, "  not counted       the storage appliance (storage.appliance.power not given)\n");
  if (sum.cost_usd) {
    fmt::print(out, "cost                {}; {} per epoch, {} per million {}\n", usd(*sum.cost_usd),
               usd(sum.per_epoch(*sum.cost_usd)), usd(sum.per_million_samples(*sum.cost_usd)), unit);
    fmt::print(out, "  {:<18}{}\n", s.cost.model == config::CostModel::hourly ? "rented" : "bought",
               parts_text(sum.cost_parts, &CostPart::usd, usd));
  } else {
    fmt::print(out, "cost                not requested (cost.model: none)\n");
  }
  if (sum.purchase_usd)
    fmt::print(out, "purchase price      {} for the cluster\n", usd(*sum.purchase_usd));
}

void print_failures(std::ostream& out, const config::Scenario& s, const Summary& sum)
{
  const FailureFigures& f = sum.failures;
  const auto time = [](double t) { return units::format(t, Dimension::time); };
  fmt::print(out, "failures            {:.1f} over the run, the job failing every {}: {} of work done again, {} restarting "
                  "and restoring; goodput {:.1f}% (+-{:.1f}%), means over {} trials\n",
             *f.failures, time(*f.job_mtbf), time(*f.lost_work), time(*f.restarts), 100 * *f.goodput,
             100 * *f.goodput_margin, s.failures.trials);
  const auto count = [](double x) { return fmt::format("{:.2g}", x); };
  fmt::print(out, "  by part           {}\n", parts_text(f.by_part, &FailureCount::count, count));
  if (!s.checkpoint.enabled())
    fmt::print(out, "  no checkpoints    every failure restarts the run from its first step (checkpoint.every_steps)\n");
  if (f.best_interval) {
    const double training_per_step = sum.step_time - sum.breakdown.checkpoint;
    fmt::print(out, "  best interval     a checkpoint every {} of training, about {:.0f} steps (Daly 2006; the scenario "
                    "checkpoints every {} steps)\n",
               time(*f.best_interval), *f.best_interval / training_per_step, s.checkpoint.every_steps);
  }
}

} // namespace

void print_summary(std::ostream& out, const config::Scenario& s, const RunResult& run, const Summary& sum)
{
  const auto& c = s.cluster;
  const auto& w = s.workload;
  const auto time = [](double t) { return units::format(t, Dimension::time); };
  fmt::print(out, "scenario            {}{}\n", s.file, s.name.empty() ? "" : " (" + s.name + ")");
  const std::string fabric =
      s.network.topology == config::Topology::torus
          ? fmt::format("{}{} torus", s.network.slices > 1 ? fmt::format("{} slices of a ", s.network.slices) : "",
                        fmt::join(s.network.torus_dimensions, "x"))
          : fmt::format("{}, {}", config::to_string(c.intra_node), config::to_string(s.network.topology));
  const std::string mixed =
      c.mixed ? fmt::format(" ({} of them with {})", c.mixed->nodes, c.mixed->accelerator.name) : "";
  fmt::print(out, "cluster             {} node{} x {} {}{}, {}; dataset in {}\n", c.nodes, c.nodes > 1 ? "s" : "",
             c.accelerators_per_node, c.accelerator.name, mixed, fabric, config::to_string(s.storage.dataset_on));
  fmt::print(out, "workload            {}, batch {}/device x {} accumulation, {}, {} steps\n", w.model.name,
             w.batch_per_device, w.gradient_accumulation, w.precision, sum.steps);
  const std::string time_parts =
      sum.evaluation_time > 0 || sum.startup_time > 0
          ? fmt::format("; of which evaluation {}, start-up {}", time(sum.evaluation_time), time(sum.startup_time))
          : "";
  const std::string how = sum.simulated_steps == sum.steps
                              ? "simulated"
                              : fmt::format("{} steps simulated, the other {} at the steady step time",
                                            thousands(static_cast<double>(sum.simulated_steps)),
                                            thousands(static_cast<double>(sum.steps - sum.simulated_steps)));
  const std::string with_failures =
      sum.failures.failure_free_time
          ? fmt::format(" +- {} with failures, {} without", time(*sum.failures.time_margin),
                        time(*sum.failures.failure_free_time))
          : "";
  fmt::print(out, "time to train       {}{} ({}{})\n", time(sum.time_to_train), with_failures, how, time_parts);
  fmt::print(out, "throughput          {} {}/s in steady state (steps {} to {}{}); {} over the whole run\n",
             thousands(sum.throughput), w.model.sample_unit, sum.steady.first_step + 1,
             sum.steady.first_step + sum.steady.steps,
             sum.steady.settled
                 ? ""
                 : fmt::format(", not settled within {:g}%: simulate more steps", 100 * training::settle_tolerance),
             thousands(sum.overall_throughput));
  const Breakdown& b = sum.breakdown;
  const std::string stall_split =
      b.data_stall > 0 ? fmt::format(" (fetch {}, preprocessing {})", percent(b.fetch_stall, sum.step_time),
                                     percent(b.preprocess_stall(), sum.step_time))
                       : "";
  const bool show_imbalance = c.mixed || b.imbalance > 0.001 * sum.step_time;
  fmt::print(out,
             "step time           {}: compute {}, {}exposed comm {}, data stall {}{}, optimizer {}, overhead {}{}\n",
             time(sum.step_time), percent(b.compute, sum.step_time),
             show_imbalance ? "waiting for slower devices " + percent(b.imbalance, sum.step_time) + ", " : "",
             percent(b.exposed_comm, sum.step_time), percent(b.data_stall, sum.step_time), stall_split,
             percent(b.optimizer, sum.step_time), percent(b.overhead, sum.step_time),
             s.checkpoint.enabled() ? ", checkpoint " + percent(b.checkpoint, sum.step_time) : "");
  if (sum.scaling_efficiency)
    fmt::print(out, "scaling efficiency  {:.1f}% (1 device: {} {}/s)\n", 100 * *sum.scaling_efficiency,
               thousands(*sum.baseline_throughput), w.model.sample_unit);
  else
    fmt::print(out, "scaling efficiency  not computed\n");
  fmt::print(out, "bottleneck          {}\n", sum.bottleneck.text());
  print_utilisation(out, sum.utilisation);
  if (const auto& reads = sum.storage_reads)
    fmt::print(out, "storage reads       {} {}{}: {} and {} IOPS each, in requests of {}\n", reads->units, reads->unit,
               reads->units > 1 ? "s" : "", units::format(reads->bandwidth, Dimension::bandwidth),
               thousands(reads->iops), units::format(s.storage.request_bytes, Dimension::size));
  if (sum.page_cache_share)
    fmt::print(out, "page cache          served {:.0f}% of the dataset bytes read ({} from storage, {} from cache)\n",
               100 * *sum.page_cache_share, units::format(run.totals.storage_bytes_read, Dimension::size),
               units::format(run.totals.cache_bytes_read, Dimension::size));
  if (s.checkpoint.enabled())
    print_checkpoints(out, s, run.totals);
  if (s.failures.enabled())
    print_failures(out, s, sum);
  for (const auto& g : run.groups) {
    const std::string kind =
        run.groups.size() > 1 ? fmt::format(" on {}, batch {}", g.accelerator->name, g.batch_per_device) : "";
    fmt::print(out, "compute rate        {:.1f}% of {} peak{}, {}-bound ({})\n", 100 * g.plan.efficiency,
               units::format(g.plan.peak_rate, Dimension::flop_rate), kind, training::to_string(g.plan.limit),
               g.plan.efficiency_basis);
  }
  print_energy_and_cost(out, s, sum);
  if (!s.assumptions.empty()) {
    fmt::print(out, "assumptions used    {} figures rest on assumptions, not sources:\n", s.assumptions.size());
    for (const auto& a : s.assumptions)
      fmt::print(out, "  {} = {}\n", a.where, a.value);
  }
}

nlohmann::json settings_json(const config::Scenario& s)
{
  nlohmann::json settings = nlohmann::json::object();
  for (const auto& setting : s.settings) {
    if (setting.boolean)
      settings[setting.path] = setting.number != 0;
    else if (setting.numeric)
      settings[setting.path] = {{"value", setting.number}, {"as_written", setting.text}};
    else
      settings[setting.path] = setting.text;
  }
  return settings;
}

nlohmann::json results_json(const config::Scenario& s, const RunResult& run, const Summary& sum,
                            const std::string& version)
{
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& record : run.steps) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& f : step_fields())
      fields[f.key] = f.read(record);
    steps.push_back(std::move(fields));
  }
  nlohmann::json assumptions = nlohmann::json::array();
  for (const auto& a : s.assumptions)
    assumptions.push_back({{"figure", a.where}, {"value", a.value}, {"assumption", a.reason}});
  nlohmann::json results = {{"dtsim_version", version},
                            {"scenario", {{"file", s.file}, {"settings", settings_json(s)}}},
                            {"assumptions", assumptions},
                            {"summary", summary_json(sum)},
                            {"steps", steps}};
  results["epochs"] = epochs_json(s, run, sum);
  require_finite_numbers(results, "the results");
  return results;
}

void check_writable(const std::string& path)
{
  const std::filesystem::path file(path);
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored))
    throw OutputError(fmt::format("cannot write {}: {}", path, std::strerror(EISDIR)));
  if (access(folder.c_str(), W_OK | X_OK) != 0)
    throw OutputError(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
}

namespace {

/// The JSON pointer of the first number in `node` that is not finite, below `at`.
std::optional<std::string> first_non_finite(const nlohmann::json& node, const std::string& at)
{
  if (node.is_number_float() && !std::isfinite(node.get<double>()))
    return at;
  if (node.is_object() || node.is_array())
    for (const auto& [key, value] : node.items())
      if (auto found = first_non_finite(value, at + "/" + key))
        return found;
  return std::nullopt;
}

} // namespace

void require_finite_numbers(const nlohmann::json& document, const std::string& what)
{
  if (const auto at = first_non_finite(document, ""))
    throw std::runtime_error(fmt::format("{} hold {} at {}, where a number belongs", what,
                                         document.at(nlohmann::json::json_pointer(*at)).get<double>(), *at));
}

namespace {

OutputError file_error(const std::string& what, const std::string& path, int error)
{
  return OutputError(fmt::format("{} {}: {}", what, path, std::strerror(error)));
}

/// Writes all of `text` to `fd`; 0, or the errno of the write that failed.
int write_all(int fd, const std::string& text)
{
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return errno;
    if (n == 0)
      return EIO;
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

/// Writes `content` to a temporary file next to `path`, synced to disk, and returns its name; removes it and
/// throws when any step fails.
std::string write_temporary(const std::string& path, const std::string& content)
{
  const std::string temporary = fmt::format("{}.partial-{}", path, getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    throw file_error("cannot write", path, errno);
  int error = write_all(fd, content);
  if (error == 0 && ::fsync(fd) != 0)
    error = errno;
  if (::close(fd) != 0 && error == 0)
    error = errno;
  if (error == 0)
    return temporary;
  ::unlink(temporary.c_str());
  throw file_error("cannot write", path, error);
}

/// Syncs the folder holding `path`, so that a file renamed or linked into it stays there after a crash.
void sync_folder_of(const std::string& path)
{
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (folder.empty())
    folder = ".";
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw file_error("cannot open the folder", folder, errno);
  const int error = ::fsync(fd) == 0 || errno == EINVAL ? 0 : errno; // EINVAL: a file system without folder syncs
  ::close(fd);
  if (error != 0)
    throw file_error("cannot sync the folder", folder, error);
}

} // namespace

void write_file_atomically(const std::string& path, const std::string& content)
{
  const std::string temporary = write_temporary(path, content);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw file_error("cannot move " + temporary + " to", path, error);
  }
  sync_folder_of(path);
}

bool create_file_atomically(const std::string& path, const std::string& content)
{
  const std::string temporary = write_temporary(path, content);
  // link(), unlike rename(), fails when the target exists: the check and the creation are one step.
  const int error = ::link(temporary.c_str(), path.c_str()) == 0 ? 0 : errno;
  ::unlink(temporary.c_str());
  if (error == EEXIST)
    return false;
  if (error != 0)
    throw file_error("cannot create", path, error);
  sync_folder_of(path);
  return true;
}

void append_durably(int fd, const std::string& path, const std::string& text)
{
  struct stat before {};
  if (::fstat(fd, &before) != 0)
    throw file_error("cannot append to", path, errno);
  int error = write_all(fd, text);
  if (error == 0 && ::fsync(fd) != 0)
    error = errno;
  if (error == 0)
    return;
  if (::ftruncate(fd, before.st_size) != 0)
    throw OutputError(fmt::format("cannot append to {}: {} (and cannot remove the part written: {})", path,
                                  std::strerror(error), std::strerror(errno)));
  throw file_error("cannot append to", path, error);
}

void print_comparison(std::ostream& out, const std::vector<ComparedScenario>& scenarios)
{
  // Times to train in one unit, the one that suits the longest, so that the column compares at a glance.
  double longest = 0;
  for (const auto& [file, summary] : scenarios)
    if (summary)
      longest = std::max(longest, summary->time_to_train);
  const units::DisplayUnit time_unit = units::display_unit(longest, Dimension::time);
  fmt::print(out,
             "| scenario | devices | samples | time to train ({}) | throughput (samples/s) | scaling efficiency | "
             "bottleneck | energy (kWh) | cost | cost per million samples |\n"
             "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n",
             time_unit.symbol);
  for (const auto& [file, summary] : scenarios) {
    if (!summary) {
      fmt::print(out, "| {} | failed | | | | | | | | |\n", file);
      continue;
    }
    const Summary& s = *summary;
    const auto& efficiency = s.scaling_efficiency;
    fmt::print(out, "| {} | {} | {} | {:.4g} | {} | {} | {} | {:.3g} | {} | {} |\n", file, s.devices,
               thousands(s.samples), s.time_to_train / time_unit.factor, thousands(s.throughput),
               efficiency ? fmt::format("{:.1f}%", 100 * *efficiency) : "-", to_string(s.bottleneck.kind), s.energy_kwh,
               s.cost_usd ? usd(*s.cost_usd) : "-", s.cost_usd ? usd(s.per_million_samples(*s.cost_usd)) : "-");
  }
}

nlohmann::json comparison_records(const std::vector<ComparedScenario>& scenarios)
{
  nlohmann::json records = nlohmann::json::array();
  for (const auto& [name, summary] : scenarios)
    records.push_back({{"scenario", name},
                       {"status", summary ? "ok" : "failed"},
                       {"summary", summary ? summary_json(*summary) : nlohmann::json()}});
  return records;
}

} // namespace dtsim::report
