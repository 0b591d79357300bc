#pragma once
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/training_job.hpp"

#include <functional>
#include <optional>
#include <string>

namespace dtsim::app {

/// Lays out the platform, runs the training job on SimGrid and returns what it recorded; with `progress`, a
/// progress line of the steps on a terminal. SimGrid allows one simulation per process: call this once per process.
report::RunResult simulate(const config::Scenario& scenario, training::TraceWindow trace, bool progress = false);

/// The same scenario on one device of `group` (training/device_groups.hpp) with that group's per-device
/// batch, the same storage and step count.
config::Scenario one_device_baseline(const config::Scenario& scenario, const training::DeviceGroup& group);

/// Steady-state throughput (samples/s) of one device, the mean over the cluster's devices of each kind's
/// one-device baseline. Simulates once in this process (and once more in a child for a mixed cluster).
double baseline_throughput(const config::Scenario& scenario);

/// @brief A simulated run and its summary.
struct SummarizedRun {
  report::RunResult run;
  report::Summary summary;
};

/// Simulates `scenario` in this process and, with `with_baseline` and more than one device, its one-device
/// baseline in a child (for the scaling efficiency), then summarizes. Call once per process, before any other
/// simulation in it.
SummarizedRun simulate_and_summarize(const config::Scenario& scenario, bool with_baseline,
                                     training::TraceWindow trace = {}, bool progress = false);

/// @brief Text computed in a forked child process, since each SimGrid simulation needs a process of its
/// own; the parent goes on meanwhile. Create it before any simulation in this process. Throws
/// std::runtime_error when no process can be started, rather than leave the result missing.
class ChildProcess {
public:
  explicit ChildProcess(const std::function<std::string()>& compute);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Waits for the child (the first time); its text, or nothing if it failed.
  std::optional<std::string> result();

private:
  int child_ = -1;
  int read_fd_ = -1;
  std::optional<std::string> text_;
};

/// @brief A number computed in a child process (ChildProcess), sent back in full precision.
class ChildComputation {
public:
  explicit ChildComputation(const std::function<double()>& compute);

  /// Waits for the child (the first time); its number, or nothing if it failed.
  std::optional<double> result();

private:
  ChildProcess process_;
};

} // namespace dtsim::app
