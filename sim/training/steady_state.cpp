#include "training/steady_state.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace dtsim::training {

namespace {

/// MSER-5's batch size when no period is imposed (White, Cobb and Spratt, "A comparison of five steady-state
/// truncation heuristics for simulation", WSC 2000).
constexpr std::size_t default_block_steps = 5;
/// Fewer blocks than this leave no room to tell a transient from the steady state.
constexpr std::size_t min_blocks = 4;
/// Step times that repeat to within this fraction are taken as a repeating pattern.
constexpr double repeat_tolerance = 1e-3;

/// Seconds from the end of step `first - 1` (the run's start for step 0) to the end of step `last - 1`.
double span(std::span<const StepRecord> steps, std::size_t first, std::size_t last)
{
  const double from = first == 0 ? steps.front().start : steps[first - 1].end;
  return steps[last - 1].end - from;
}

/// The shortest period, of at most half the window, with which the step times of steps [first, end)
/// repeat (loaders in lock-step give cycles of tens of steps); 1 when they do not repeat.
std::size_t repeat_period(std::span<const StepRecord> steps, std::size_t first, std::size_t end)
{
  const double mean = span(steps, first, end) / static_cast<double>(end - first);
  const auto duration = [&](std::size_t k) { return span(steps, k, k + 1); };
  for (std::size_t period = 1; period <= (end - first) / 2; ++period) {
    bool repeats = true;
    for (std::size_t k = first; k + period < end && repeats; ++k)
      repeats = std::abs(duration(k + period) - duration(k)) <= repeat_tolerance * mean;
    if (repeats)
      return period;
  }
  return 1;
}

/// The block index from which the remaining block means have the smallest standard error (MSER), at most n/2.
std::size_t mser_truncation(const std::vector<double>& block_means)
{
  const std::size_t n = block_means.size();
  std::size_t best = 0;
  double best_score = INFINITY;
  for (std::size_t d = 0; d <= n / 2; ++d) {
    double mean = 0;
    for (std::size_t j = d; j < n; ++j)
      mean += block_means[j];
    mean /= static_cast<double>(n - d);
    double squares = 0;
    for (std::size_t j = d; j < n; ++j)
      squares += (block_means[j] - mean) * (block_means[j] - mean);
    const double score = squares / static_cast<double>((n - d) * (n - d));
    if (score < best_score * (1 - 1e-9)) {
      best = d;
      best_score = score;
    }
  }
  return best;
}

/// The standard error of the mean of `means`, as a fraction of that mean.
double relative_standard_error(std::span<const double> means)
{
  const double n = static_cast<double>(means.size());
  const double mean = std::accumulate(means.begin(), means.end(), 0.0) / n;
  double squares = 0;
  for (const double m : means)
    squares += (m - mean) * (m - mean);
  return std::sqrt(squares / (n * (n - 1))) / mean;
}

/// The steady state of the first `usable` of `steps`, each of whose times counts from the first's start.
SteadyState steady_state_from_start(std::span<const StepRecord> steps, std::size_t usable, long long block_steps)
{
  SteadyState state;
  // Blocks hold whole cycles of a repeating pattern (found in the second half, past any transient) and whole
  // checkpoint periods, so that every block holds the same work.
  const std::size_t period = repeat_period(steps, usable / 2, usable);
  std::size_t block = block_steps > 1 ? std::lcm(period, static_cast<std::size_t>(block_steps)) : period;
  const std::size_t multiple = (default_block_steps + block - 1) / block;
  if (usable / (block * multiple) >= min_blocks)
    block *= multiple;
  const std::size_t blocks = usable / block;
  state.block_steps = static_cast<long long>(block);
  if (blocks < min_blocks) {
    state.steps = static_cast<long long>(steps.size());
    state.step_time = span(steps, 0, steps.size()) / static_cast<double>(steps.size());
    return state;
  }
  std::vector<double> block_means(blocks);
  for (std::size_t j = 0; j < blocks; ++j)
    block_means[j] = span(steps, j * block, (j + 1) * block) / static_cast<double>(block);
  const std::size_t first_block = mser_truncation(block_means);
  const std::size_t first = first_block * block, end = blocks * block;
  state.first_step = static_cast<long long>(first);
  state.steps = static_cast<long long>(end - first);
  state.step_time = span(steps, first, end) / static_cast<double>(end - first);
  const std::size_t middle = (first_block + (blocks - first_block) / 2) * block;
  const double early = span(steps, first, middle) / static_cast<double>(middle - first);
  const double late = span(steps, middle, end) / static_cast<double>(end - middle);
  state.settled = std::abs(early - late) <= settle_tolerance * state.step_time;
  state.relative_error = relative_standard_error(std::span(block_means).subspan(first_block));
  return state;
}

} // namespace

SteadyState find_steady_state(std::span<const StepRecord> all_steps, long long block_steps, long long drain_steps,
                              long long first_warm_step)
{
  if (all_steps.empty())
    return {};
  const std::size_t drained = all_steps.size() - std::min(all_steps.size(), static_cast<std::size_t>(drain_steps));
  const std::size_t run = drained > 0 && 2 * drained >= all_steps.size() ? drained : all_steps.size();
  const std::size_t cold = static_cast<std::size_t>(first_warm_step);
  const std::size_t skipped = cold < run && 2 * (run - cold) >= run ? cold : 0;
  SteadyState state = steady_state_from_start(all_steps.subspan(skipped), run - skipped, block_steps);
  state.first_step += static_cast<long long>(skipped);
  return state;
}

} // namespace dtsim::training
