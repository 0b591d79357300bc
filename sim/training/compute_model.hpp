#pragma once
/// @brief How long forward, backward and the optimizer take on one accelerator.
///
/// The accelerator runs at its dense peak for the scenario's precision times an efficiency. The
/// efficiency comes from a published single-device throughput for this accelerator and precision
/// when the workload file has one (training FLOPs = 3 x forward FLOPs per sample), else from the
/// workload's stated efficiency. Backward costs twice forward. The optimizer is memory-bound: its
/// traffic per parameter at the accelerator's memory bandwidth. Efficiency does not yet depend
/// on batch size (a published figure at another batch is used as is). An emulated accelerator
/// (workload.emulated_batch_time, as DLIO runs them) is busy for the given time per micro-batch
/// and has no gradients, optimizer step or CPU preprocessing.
#include "config/scenario.hpp"

#include <string>

namespace dtsim::training {

struct ComputePlan {
  double peak_rate = 0;  ///< FLOP/s: the accelerator host's speed
  double efficiency = 0; ///< achieved / peak
  std::string efficiency_basis;
  double forward_flops = 0;  ///< per micro-batch, as executed at peak (workload FLOPs / efficiency)
  double backward_flops = 0; ///< per micro-batch, as executed at peak
  double optimizer_time = 0; ///< s per optimizer step
  double gradient_bytes = 0; ///< all-reduced per optimizer step
  double preprocessing_core_seconds = 0; ///< CPU time to prepare one micro-batch
  double accelerator_preprocess_time = 0; ///< s of accelerator time to decode one micro-batch, before forward

  double forward_time() const { return forward_flops / peak_rate; }
  double backward_time() const { return backward_flops / peak_rate; }
};

ComputePlan plan_compute(const config::Scenario& scenario);

} // namespace dtsim::training
