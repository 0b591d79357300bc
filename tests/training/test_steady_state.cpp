// The steady-state window: warm-up left out, repeating patterns counted in whole cycles, the drain at the
// end left out, offsets between independent workers not counted as time, and short runs not called settled.
#include "training/steady_state.hpp"

#include <catch2/catch.hpp>
#include <vector>

using dtsim::training::find_steady_state;
using dtsim::training::StepRecord;

namespace {

/// Steps of the given durations, back to back from t = 0; each step starts `lag` s before the previous one ends,
/// as the fastest of several independent workers does.
std::vector<StepRecord> steps_of(const std::vector<double>& durations, double lag = 0)
{
  std::vector<StepRecord> steps;
  double t = 0;
  for (std::size_t k = 0; k < durations.size(); ++k) {
    steps.push_back({static_cast<long long>(k), t - (k > 0 ? lag : 0), t + durations[k]});
    t += durations[k];
  }
  return steps;
}

std::vector<double> repeated(std::vector<double> pattern, std::size_t times)
{
  std::vector<double> out;
  for (std::size_t i = 0; i < times; ++i)
    out.insert(out.end(), pattern.begin(), pattern.end());
  return out;
}

} // namespace

TEST_CASE("steady state: a warm-up step is left out and the rest gives the step time exactly")
{
  auto durations = repeated({0.1}, 60);
  durations[0] = 2.0; // the input pipeline filling
  const auto state = find_steady_state(steps_of(durations), 0, 0);
  CHECK(state.first_step > 0);
  CHECK(state.step_time == Approx(0.1).epsilon(1e-9));
  CHECK(state.settled);
}

TEST_CASE("steady state: a pattern that repeats every 3 steps is measured over whole cycles")
{
  auto durations = repeated({0.1, 0.1, 0.7}, 20); // 61 steps: the window must not end mid-cycle
  durations.push_back(0.1);
  durations[0] = 1.5;
  const auto state = find_steady_state(steps_of(durations), 0, 0);
  CHECK(state.steps % 3 == 0);
  CHECK(state.step_time == Approx(0.3).epsilon(1e-9));
  CHECK(state.settled);
}

TEST_CASE("steady state: the drain at the end is left out")
{
  auto durations = repeated({0.2}, 100);
  for (std::size_t k = 90; k < 100; ++k)
    durations[k] = 0.05; // batches read ahead, consumed once the loaders stopped
  const auto state = find_steady_state(steps_of(durations), 0, 10);
  CHECK(state.first_step + state.steps <= 90);
  CHECK(state.step_time == Approx(0.2).epsilon(1e-9));
}

TEST_CASE("steady state: an offset between independent workers is not time")
{
  // Step k spans from the earliest worker's start to the latest worker's end: 0.5 s more than the step.
  const auto state = find_steady_state(steps_of(repeated({0.3}, 40), 0.5), 0, 0);
  CHECK(state.step_time == Approx(0.3).epsilon(1e-9));
}

TEST_CASE("steady state: checkpoint periods count whole")
{
  auto durations = repeated({0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 1.0}, 10); // a blocking checkpoint every 7 steps
  durations.resize(68);
  const auto state = find_steady_state(steps_of(durations), 7, 0);
  CHECK(state.steps % 7 == 0);
  CHECK(state.step_time == Approx(1.6 / 7).epsilon(1e-9));
}

TEST_CASE("steady state: a run that is still slowing down, or too short, is not settled")
{
  std::vector<double> slowing;
  for (int k = 0; k < 80; ++k)
    slowing.push_back(0.1 + 0.002 * k);
  CHECK_FALSE(find_steady_state(steps_of(slowing), 0, 0).settled);
  const auto short_run = find_steady_state(steps_of({1.0, 0.1, 0.1}), 0, 0);
  CHECK_FALSE(short_run.settled);
  CHECK(short_run.steps == 3);
}

TEST_CASE("steady state: the steps before the page caches are warm are left out when the warm ones are most")
{
  auto durations = repeated({0.3}, 30);  // an epoch reading everything from storage
  const auto warm = repeated({0.1}, 50); // then the caches serve part of it
  durations.insert(durations.end(), warm.begin(), warm.end());
  const auto state = find_steady_state(steps_of(durations), 0, 0, 30);
  CHECK(state.first_step >= 30);
  CHECK(state.step_time == Approx(0.1).epsilon(1e-9));
  // Fewer warm steps than cold ones: the whole run is searched (and MSER finds the change itself).
  CHECK(find_steady_state(steps_of(durations), 0, 0, 50).first_step < 50);
}

TEST_CASE("steady state: the block holds whole cycles and whole checkpoint periods")
{
  CHECK(find_steady_state(steps_of(repeated({0.1, 0.1, 0.7}, 30)), 0, 0).block_steps % 3 == 0);
  const auto state = find_steady_state(steps_of(repeated({0.1, 0.1, 0.7}, 40)), 4, 0);
  CHECK(state.block_steps % 12 == 0);
}
