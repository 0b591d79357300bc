#include "training/failures.hpp"

#include "training/random_draws.hpp"

#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace dtsim::training {

namespace {

/// Above this many failures expected before a restart or a checkpoint stretch completes, the job hardly ever
/// finishes (the expected number of attempts grows as e to that power).
constexpr double hopeless_exposure = 20;

/// The draw stream of a trial's failure times (which = 0) or failing parts (which = 1), apart from any other use of
/// the scenario's seed.
constexpr std::uint64_t stream(std::uint64_t trial, std::uint64_t which)
{
  return (0xfa11ULL << 48) ^ (trial << 1 | which);
}

/// @brief One trial's figures.
struct Trial {
  double time = 0, lost_work = 0, restarting = 0;
  std::vector<int> failures_by_part;
  int failures = 0;
};

/// Where training resumes after a failure at `position` s of the failure-free run: where the last checkpoint on
/// storage was taken, or the start.
double resume_point(const FailureFreeRun& run, double position)
{
  if (run.checkpoint_period <= 0 || position < run.checkpoint_period + run.checkpoint_lag)
    return 0;
  return std::floor((position - run.checkpoint_lag) / run.checkpoint_period) * run.checkpoint_period;
}

class TrialRunner {
public:
  TrialRunner(const FailureFreeRun& run, const FailureSettings& settings, double rate, std::uint64_t trial)
      : run_(run)
      , settings_(settings)
      , mtbf_(1 / rate)
      , rate_(rate)
      , trial_(trial)
  {
    result_.failures_by_part.assign(settings.sources.size(), 0);
  }

  Trial run()
  {
    double position = 0; // s of the failure-free run done and kept
    for (;;) {
      const double gap = next_gap();
      if (position + gap >= run_.time) {
        result_.time += run_.time - position;
        return result_;
      }
      result_.time += gap;
      fail();
      const double resume = resume_point(run_, position + gap);
      result_.lost_work += position + gap - resume;
      restart(resume > 0 ? settings_.restart + run_.restore : settings_.restart);
      position = resume;
    }
  }

private:
  double next_gap() { return exponential_draw(mtbf_, uniform_draw(settings_.seed, stream(trial_, 0), draws_++)); }

  /// A failure, and the part it came from, drawn in proportion to the parts' rates.
  void fail()
  {
    double pick = uniform_draw(settings_.seed, stream(trial_, 1), static_cast<std::uint64_t>(result_.failures)) *
                  rate_;
    std::size_t part = 0;
    for (; part + 1 < settings_.sources.size(); ++part) {
      const auto& s = settings_.sources[part];
      pick -= s.units / s.mtbf;
      if (pick <= 0)
        break;
    }
    ++result_.failures_by_part[part];
    ++result_.failures;
  }

  /// Restarting for `duration` s, begun again after every failure that interrupts it.
  void restart(double duration)
  {
    for (;;) {
      const double gap = next_gap();
      if (gap >= duration) {
        result_.time += duration;
        result_.restarting += duration;
        return;
      }
      result_.time += gap;
      result_.restarting += gap;
      fail();
    }
  }

  const FailureFreeRun& run_;
  const FailureSettings& settings_;
  double mtbf_, rate_;
  std::uint64_t trial_;
  std::uint64_t draws_ = 0;
  Trial result_;
};

/// @brief Mean and variance of a figure, one trial at a time (Welford).
class Moments {
public:
  void add(double x)
  {
    ++n_;
    const double delta = x - mean_;
    mean_ += delta / n_;
    squares_ += delta * (x - mean_);
  }

  Estimate estimate() const
  {
    const double variance = n_ > 1 ? squares_ / (n_ - 1) : 0;
    return {mean_, 1.96 * std::sqrt(variance / n_)};
  }

private:
  double n_ = 0, mean_ = 0, squares_ = 0;
};

void check_feasible(const FailureFreeRun& run, const FailureSettings& settings, double rate)
{
  const double restart = settings.restart + run.restore;
  if (rate * restart > hopeless_exposure)
    throw std::invalid_argument(fmt::format(
        "a restart and restore take {:.4g} s while the job fails every {:.4g} s on average: it would hardly ever "
        "train again",
        restart, 1 / rate));
  const double stretch = run.checkpoint_period > 0 ? run.checkpoint_period + run.checkpoint_lag : run.time;
  if (rate * stretch > hopeless_exposure)
    throw std::invalid_argument(fmt::format(
        "{} {:.4g} s while the job fails every {:.4g} s on average: it would hardly ever get past a failure",
        run.checkpoint_period > 0 ? "a checkpoint is on storage every" : "without checkpoints the run takes", stretch,
        1 / rate));
}

} // namespace

double failure_rate(const std::vector<FailureSource>& sources)
{
  double rate = 0;
  for (const auto& s : sources)
    rate += s.units / s.mtbf;
  return rate;
}

FailureOutcome simulate_failures(const FailureFreeRun& run, const FailureSettings& settings)
{
  const double rate = failure_rate(settings.sources);
  FailureOutcome out;
  out.failures_by_part.assign(settings.sources.size(), 0);
  if (!(rate > 0)) {
    out.mtbf = INFINITY;
    out.time = {run.time, 0};
    out.goodput = {run.time > 0 ? run.useful / run.time : 1, 0};
    return out;
  }
  check_feasible(run, settings, rate);
  out.mtbf = 1 / rate;
  Moments time, failures;
  for (int k = 0; k < settings.trials; ++k) {
    const Trial trial = TrialRunner(run, settings, rate, static_cast<std::uint64_t>(k)).run();
    time.add(trial.time);
    failures.add(trial.failures);
    out.lost_work += trial.lost_work / settings.trials;
    out.restarting += trial.restarting / settings.trials;
    for (std::size_t p = 0; p < trial.failures_by_part.size(); ++p)
      out.failures_by_part[p] += static_cast<double>(trial.failures_by_part[p]) / settings.trials;
  }
  out.time = time.estimate();
  // The useful time over the mean time: the share of the expected wall time that trains.
  out.goodput = {run.useful / out.time.mean, run.useful / out.time.mean * out.time.half_width / out.time.mean};
  out.failures = failures.estimate();
  return out;
}

double daly_interval(double checkpoint_cost, double mtbf)
{
  if (checkpoint_cost >= 2 * mtbf)
    return mtbf;
  const double ratio = checkpoint_cost / (2 * mtbf);
  return std::sqrt(2 * checkpoint_cost * mtbf) * (1 + std::sqrt(ratio) / 3 + ratio / 9) - checkpoint_cost;
}

} // namespace dtsim::training
