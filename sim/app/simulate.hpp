#pragma once
#include "config/scenario.hpp"
#include "report/summary.hpp"
#include "training/training_job.hpp"

#include <optional>

namespace dtsim::app {

/// Lays out the platform, runs the training job on SimGrid and returns what it recorded.
/// SimGrid allows one simulation per process: call this once per process.
report::RunResult simulate(const config::Scenario& scenario, training::TraceWindow trace);

/// The same scenario on one device with the same per-device batch, storage and step count.
config::Scenario one_device_baseline(const config::Scenario& scenario);

/// @brief The one-device baseline, simulated in a child process (the engine cannot run twice in one)
/// while the parent simulates the scenario itself. Start it before any simulation in this process.
class BaselineRun {
public:
  explicit BaselineRun(const config::Scenario& scenario);
  ~BaselineRun();
  BaselineRun(const BaselineRun&) = delete;
  BaselineRun& operator=(const BaselineRun&) = delete;

  /// Waits for the child; its throughput in samples/s, or nothing if it failed.
  std::optional<double> throughput();

private:
  int child_ = -1;
  int read_fd_ = -1;
};

} // namespace dtsim::app
