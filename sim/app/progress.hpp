#pragma once
/// @brief A progress line on stderr, rewritten in place while a long command works; shown only on a terminal, so
/// scripts and logs get none of it.
#include <chrono>
#include <cstddef>
#include <string>

namespace dtsim::app {

/// Whether stderr is a terminal, where progress lines go.
bool stderr_is_terminal();

/// @brief Tasks done out of a known number: "dtsim compare: 2/5 done, 0 failed, 2 running, about 1.5 min left".
class TaskProgress {
public:
  TaskProgress(std::string command, std::size_t total, bool shown = stderr_is_terminal());
  ~TaskProgress(); ///< shows the final count and ends the line
  TaskProgress(const TaskProgress&) = delete;
  TaskProgress& operator=(const TaskProgress&) = delete;

  void finished(bool ok);
  void show(std::size_t running) const;

private:
  std::string command_;
  std::size_t total_;
  bool shown_;
  std::chrono::steady_clock::time_point start_;
  std::size_t done_ = 0;
  std::size_t failed_ = 0;
};

/// @brief Steps of one simulation: "dtsim run: step 1200 of 90000 simulated (the run stops once its steps settle),
/// 14 s", rewritten at most a few times a second.
class StepProgress {
public:
  StepProgress(long long steps, bool stops_when_settled, bool shown = stderr_is_terminal());
  ~StepProgress(); ///< ends the line
  StepProgress(const StepProgress&) = delete;
  StepProgress& operator=(const StepProgress&) = delete;

  void step_done(long long step);

private:
  long long steps_;
  bool stops_when_settled_;
  bool shown_;
  bool printed_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

} // namespace dtsim::app
