#include "app/progress.hpp"

#include "units/units.hpp"

#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

namespace dtsim::app {

namespace {

constexpr std::chrono::milliseconds step_line_interval{250};

double seconds_since(std::chrono::steady_clock::time_point start)
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

bool stderr_is_terminal()
{
  return isatty(STDERR_FILENO) != 0;
}

TaskProgress::TaskProgress(std::string command, std::size_t total, bool shown)
    : command_(std::move(command))
    , total_(total)
    , shown_(shown && total > 0)
    , start_(std::chrono::steady_clock::now())
{
}

TaskProgress::~TaskProgress()
{
  if (!shown_)
    return;
  show(0); // the final count
  fmt::print(stderr, "\n");
}

void TaskProgress::finished(bool ok)
{
  ++done_;
  failed_ += !ok;
}

void TaskProgress::show(std::size_t running) const
{
  if (!shown_)
    return;
  std::string left;
  if (done_ > 0) {
    const double seconds = seconds_since(start_) / static_cast<double>(done_) * static_cast<double>(total_ - done_);
    left = fmt::format(", about {} left", units::format(std::round(seconds), units::Dimension::time));
  }
  fmt::print(stderr, "\rdtsim {}: {}/{} done, {} failed, {} running{}\x1b[K", command_, done_, total_, failed_, running,
             left);
}

StepProgress::StepProgress(long long steps, bool stops_when_settled, bool shown)
    : steps_(steps)
    , stops_when_settled_(stops_when_settled)
    , shown_(shown)
    , start_(std::chrono::steady_clock::now())
    , last_(start_)
{
}

StepProgress::~StepProgress()
{
  if (printed_)
    fmt::print(stderr, "\n");
}

void StepProgress::step_done(long long step)
{
  const auto now = std::chrono::steady_clock::now();
  if (!shown_ || now - last_ < step_line_interval)
    return;
  last_ = now;
  printed_ = true;
  fmt::print(stderr, "\rdtsim run: step {} of {} simulated{}, {}\x1b[K", step, steps_,
             stops_when_settled_ ? " (the run stops once its steps settle)" : "",
             units::format(std::round(seconds_since(start_)), units::Dimension::time));
}

} // namespace dtsim::app
