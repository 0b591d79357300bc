// The failure model (training/failures.*) against closed forms: a job that must run P s without a failure, restarted
// after each one, takes (e^(lambda P) - 1) e^(lambda R) / lambda on average (failures during the restart of R s
// included); checkpoints cut the run into such stretches.
#include "training/failures.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace dtsim::training;

namespace {

constexpr double hour = 3600, minute = 60;

/// Expected wall time of a stretch of `work` s that must run without failure, restarted after `restart` s.
double stretch_time(double rate, double work, double restart)
{
  return std::expm1(rate * work) * std::exp(rate * restart) / rate;
}

FailureSettings one_source(double mtbf, double restart, int trials = 20000)
{
  return {{{"host", 1, mtbf}}, restart, 7, trials};
}

} // namespace

TEST_CASE("failures: the job's rate is the sum of units over MTBF")
{
  const std::vector<FailureSource> parts{{"accelerator", 16, 1000 * hour}, {"host", 2, 100 * hour}};
  CHECK(failure_rate(parts) == Approx(16 / (1000 * hour) + 2 / (100 * hour)));
  CHECK(failure_rate({}) == 0);
}

TEST_CASE("failures: without checkpoints a failure restarts the run from the start: (e^(lT) - 1) e^(lR) / l")
{
  const double mtbf = 10 * hour, restart = 30 * minute;
  const FailureFreeRun run{5 * hour, 5 * hour, 0, 0, 0};
  const auto out = simulate_failures(run, one_source(mtbf, restart));
  const double expected = stretch_time(1 / mtbf, run.time, restart);
  INFO(out.time.mean << " s +- " << out.time.half_width << ", closed form " << expected);
  CHECK(std::abs(out.time.mean - expected) <= out.time.half_width);
  CHECK(out.time.half_width < 0.02 * expected);
  CHECK(out.failures.mean == Approx(expected / mtbf).epsilon(0.03)); // a failure every MTBF of wall time
}

TEST_CASE("failures: checkpoints cut the run into stretches, each restarted on its own, restores after the first")
{
  const double mtbf = 2 * hour, restart = 5 * minute, restore = 20 * minute, period = 30 * minute;
  const FailureFreeRun run{10 * period, 10 * period, period, 0, restore};
  const auto out = simulate_failures(run, one_source(mtbf, restart));
  const double rate = 1 / mtbf;
  const double expected = stretch_time(rate, period, restart) + 9 * stretch_time(rate, period, restart + restore);
  INFO(out.time.mean << " s +- " << out.time.half_width << ", closed form " << expected);
  CHECK(std::abs(out.time.mean - expected) <= out.time.half_width);
  // Goodput is the useful time over the mean wall time.
  CHECK(out.goodput.mean == Approx(run.useful / out.time.mean));
  CHECK(std::abs(out.goodput.mean - run.useful / expected) <= out.goodput.half_width);
  CHECK(out.goodput.mean < 1);
}

TEST_CASE("failures: to first order the overhead is (interval / 2 + restart) / MTBF")
{
  const double mtbf = 50 * hour, restart = 10 * minute, period = 20 * minute;
  const FailureFreeRun run{300 * period, 300 * period, period, 0, 0};
  const auto out = simulate_failures(run, one_source(mtbf, restart));
  const double overhead = out.time.mean / run.time - 1, first_order = (period / 2 + restart) / mtbf;
  INFO("overhead " << overhead << " +- " << out.time.half_width / run.time << ", first order " << first_order);
  CHECK(std::abs(overhead - first_order) <= out.time.half_width / run.time + 0.02 * first_order);
}

TEST_CASE("failures: a background checkpoint counts once it is on storage")
{
  const double mtbf = 2 * hour, period = 30 * minute;
  const FailureFreeRun blocking{20 * period, 20 * period, period, 0, 0};
  FailureFreeRun background = blocking;
  background.checkpoint_lag = 10 * minute;
  const auto settings = one_source(mtbf, 5 * minute, 5000);
  const auto at_once = simulate_failures(blocking, settings), later = simulate_failures(background, settings);
  CHECK(later.lost_work > at_once.lost_work); // a failure while a checkpoint is written loses one period more
  CHECK(later.time.mean > at_once.time.mean);
}

TEST_CASE("failures: the same seed gives the same figures, another seed others, and the parts share the failures")
{
  const FailureFreeRun run{10 * hour, 10 * hour, hour, 0, 0};
  FailureSettings settings{{{"accelerator", 8, 30 * hour}, {"host", 1, 10 * hour}}, 5 * minute, 1, 2000};
  const auto a = simulate_failures(run, settings), b = simulate_failures(run, settings);
  CHECK(a.time.mean == b.time.mean);
  CHECK(a.failures_by_part == b.failures_by_part);
  settings.seed = 2;
  CHECK(simulate_failures(run, settings).time.mean != a.time.mean);
  // 8 / 30 h against 1 / 10 h: the accelerators cause 8/11 of the failures.
  CHECK(a.failures_by_part[0] / a.failures.mean == Approx(8.0 / 11).epsilon(0.03));
  CHECK(a.failures_by_part[0] + a.failures_by_part[1] == Approx(a.failures.mean));
}

TEST_CASE("failures: a job that would hardly ever finish is refused")
{
  const FailureFreeRun run{100 * hour, 100 * hour, 10 * hour, 0, 0};
  CHECK_THROWS_AS(simulate_failures(run, one_source(15 * minute, minute)), std::invalid_argument);
  CHECK_THROWS_AS(simulate_failures(run, one_source(10 * hour, 300 * hour)), std::invalid_argument);
}

TEST_CASE("failures: no failure source, no failure")
{
  const FailureFreeRun run{hour, 0.9 * hour, 0, 0, 0};
  const auto out = simulate_failures(run, {{}, 5 * minute, 1, 10});
  CHECK(out.time.mean == hour);
  CHECK(out.goodput.mean == Approx(0.9));
  CHECK(out.failures.mean == 0);
}

TEST_CASE("failures: Daly's interval is the one his paper prints, and Young's when checkpoints are cheap")
{
  // Daly 2006, captions of figures 3 to 5: a 5-minute dump, MTBF 24 h, 6 h and 15 min.
  CHECK(daly_interval(5 * minute, 24 * hour) / minute == Approx(117).epsilon(0.005));
  CHECK(daly_interval(5 * minute, 6 * hour) / minute == Approx(57).epsilon(0.01));
  CHECK(daly_interval(5 * minute, 15 * minute) / minute == Approx(9.1).epsilon(0.01));
  CHECK(daly_interval(1, 1e6) == Approx(std::sqrt(2 * 1e6)).epsilon(1e-3));
  CHECK(daly_interval(3 * hour, hour) == hour); // a dump longer than twice the MTBF: checkpoint every MTBF
}

TEST_CASE("failures: Meta's effective training time ratio for a 16,384-GPU job, 0.70 and 0.93 (HPCA 2025)")
{
  // Kokolis et al., arXiv 2410.21680: 2,048 nodes failing 6.5 times per 1,000 node-days (RSC-1), a 5-minute
  // restart, writes that do not stop training; 60-minute checkpoints give 0.7 and 5-minute ones 0.93, to within
  // the 5% their closed form keeps of Monte Carlo.
  const double node_mtbf = 1000.0 / 6.5 * 24 * hour;
  const FailureSettings settings{{{"host", 2048, node_mtbf}}, 5 * minute, 1, 2000};
  const auto ratio = [&](double period) {
    const FailureFreeRun run{2000 * period, 2000 * period, period, 0, 0};
    return simulate_failures(run, settings).goodput.mean;
  };
  CHECK(ratio(60 * minute) == Approx(0.70).epsilon(0.05));
  CHECK(ratio(5 * minute) == Approx(0.93).epsilon(0.05));
}
