#pragma once
/// @brief Failures of a synchronous job and its restarts from the last checkpoint, played over a failure-free run.
///
/// Any failure of any part stops every worker. The job then restarts (detection, rescheduling, initialisation),
/// reads its last checkpoint back and trains again from where that checkpoint was taken: the work since then is
/// lost. Failures arrive as a Poisson process at the sum of the parts' rates, during restarts too (a failure
/// during a restart starts it again). The failure-free run (its time, when its checkpoints are taken and how
/// long a restore takes) comes from the simulation; the failures are drawn many times over it, each trial from
/// its own addressed random draws, and the figures are means with a 95% confidence interval.
#include "config/scenario.hpp"

#include <cstdint>
#include <vector>

namespace dtsim::training {

/// One kind of part that can stop the job: how many of it the job uses and its mean time between failures.
using FailureSource = config::FailurePart;

/// Failures per second of the whole job: the sum over the parts of units / mtbf.
double failure_rate(const std::vector<FailureSource>& sources);

/// @brief What the failure model needs of a run without failures.
struct FailureFreeRun {
  double time = 0;              ///< s from start to the last step
  double useful = 0;            ///< s of `time` spent training: every step, its checkpoint stalls excepted
  double checkpoint_period = 0; ///< s of `time` between two checkpoints being taken; 0: no checkpoints
  double checkpoint_lag = 0;    ///< s from a checkpoint being taken until it is on storage (background writes)
  double restore = 0;           ///< s to read a checkpoint back
};

struct FailureSettings {
  std::vector<FailureSource> sources;
  double restart = 0; ///< s from a failure until the job trains or restores again
  std::uint64_t seed = 1;
  int trials = 1000;
};

/// @brief A figure's mean over the trials and the half-width of its 95% confidence interval.
struct Estimate {
  double mean = 0;
  double half_width = 0;
};

struct FailureOutcome {
  double mtbf = 0;                      ///< s between failures of the whole job
  Estimate time;                        ///< s from start to the last step, failures included
  Estimate goodput;                     ///< useful training time over the mean `time`
  Estimate failures;                    ///< failures over the run
  double lost_work = 0;                 ///< mean s of training done again
  double restarting = 0;                ///< mean s spent restarting and restoring, interrupted restarts included
  std::vector<double> failures_by_part; ///< mean failures per source, in the order of FailureSettings::sources
};

/// The run `run` with failures, over `settings.trials` trials. Throws std::invalid_argument when a restart or
/// the stretch between two checkpoints is so long against the job's MTBF that the job would hardly ever finish.
FailureOutcome simulate_failures(const FailureFreeRun& run, const FailureSettings& settings);

/// The compute time between checkpoints that loses the least time, for checkpoints that stop training for
/// `checkpoint_cost` s and a job MTBF of `mtbf` s: Daly's higher-order estimate (J. T. Daly, "A higher order
/// estimate of the optimum checkpoint interval for restart dumps", Future Generation Computer Systems 22(3), 2006),
/// which Young's sqrt(2 x cost x MTBF) (CACM 17(9), 1974) approaches when the cost is small.
double daly_interval(double checkpoint_cost, double mtbf);

} // namespace dtsim::training
