#pragma once
/// @brief Where a run's step pattern has settled, and the step time there.
///
/// A run starts with the input pipeline filling and, with emulated accelerators that run
/// independently, with workers falling out of step; a page cache makes the first epoch slower than
/// the rest. The steady state is what remains once those transients are over. Its start is found
/// with MSER (White, "An effective truncation heuristic for bias reduction in simulation output",
/// Simulation 69(6), 1997): over blocks of steps, the truncation point that minimises the standard
/// error of the mean of what remains, at most half the run. The last steps, fed by batches read
/// before the loaders ran out of work, are left out. Step times are differences between
/// consecutive step ends, so a constant offset between workers (independent emulated accelerators)
/// does not count as time. The state is called settled when the two halves of the steady window
/// give step times within `settle_tolerance` of each other.
#include "training/metrics.hpp"

#include <span>

namespace dtsim::training {

/// Two halves of the steady window whose mean step times differ by more than this have not settled.
constexpr double settle_tolerance = 0.01;
/// A run stops simulating early only when its steady step time is known to within this fraction: two
/// standard errors of its mean, and its change since the previous check, are at most this.
constexpr double extrapolation_tolerance = 0.005;

struct SteadyState {
  long long first_step = 0;  ///< first step of the steady window
  long long steps = 0;       ///< steps in the window, to the end of the run
  double step_time = 0;      ///< s, mean over the window
  bool settled = false;      ///< the window's halves agree within settle_tolerance
  double relative_error = 0; ///< standard error of step_time over its blocks' means, as a fraction of it
  long long block_steps = 1; ///< steps per block: whole cycles of the repeating pattern and checkpoint periods
};

/// The steady state of `steps`, in blocks of `block_steps` (a checkpoint period, so that every block
/// holds the same work), leaving out the last `drain_steps`, which consume batches the loaders read
/// ahead and stopped replacing (unless that would leave less than half the run), and the steps before
/// `first_warm_step`, when the page caches still fill (unless that would leave less than half of what
/// remains); a run of fewer than four blocks is taken whole and is not settled.
SteadyState find_steady_state(std::span<const StepRecord> steps, long long block_steps, long long drain_steps,
                              long long first_warm_step = 0);

} // namespace dtsim::training
