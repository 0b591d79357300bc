#pragma once
/// @brief How long forward, backward and the optimizer take on one accelerator.
///
/// A GPU or TPU runs each phase at min(peak x efficiency, memory bandwidth x arithmetic intensity),
/// i.e. for max(FLOPs / (peak x efficiency), bytes moved / memory bandwidth). The efficiency grows
/// with the batch and saturates: efficiency(b) = saturated x b / (b + half_efficiency_batch). The
/// saturated value comes from a published single-device throughput for this accelerator and precision
/// when the workload file has one (training FLOPs = 3 x forward FLOPs per sample), else from the
/// workload's stated efficiency. Bytes moved per micro-batch: the workload's activation traffic per
/// sample times the batch, plus one read of the weights; backward moves twice what forward does, as it
/// does twice the FLOPs. An FPGA runs the workload's dataflow design instead: a pipeline that takes
/// latency + batch / rate per micro-batch, whatever the batch, or the time its on-board memory needs to
/// move the same bytes, whichever is longer. The optimizer is memory-bound: its
/// traffic per parameter at the accelerator's memory bandwidth. An emulated accelerator
/// (workload.emulated_batch_time, as DLIO runs them) is busy for the given time per micro-batch and has
/// no gradients, optimizer step or CPU preprocessing.
#include "config/scenario.hpp"

#include <string>

namespace dtsim::training {

/// Backward costs about twice forward: a gradient for the activations and one for the weights
/// (Kaplan et al., "Scaling Laws for Neural Language Models", 2020, section 2.1: 6N = 2N + 4N).
inline constexpr double backward_to_forward = 2.0;

enum class ComputeLimit { compute, memory_bandwidth, dataflow_design, emulated };

struct ComputePlan {
  double peak_rate = 0;  ///< FLOP/s: the accelerator's dense peak in the scenario's precision
  double efficiency = 0; ///< achieved / peak over forward and backward at this batch
  std::string efficiency_basis;
  ComputeLimit limit = ComputeLimit::compute;
  double forward_time = 0;                ///< s per micro-batch
  double backward_time = 0;               ///< s per micro-batch
  double optimizer_time = 0;              ///< s per optimizer step
  double gradient_bytes = 0;              ///< all-reduced per optimizer step
  double preprocessing_core_seconds = 0;  ///< CPU time to prepare one micro-batch
  double accelerator_preprocess_time = 0; ///< s of accelerator time to decode one micro-batch, before forward
};

/// The plan of the scenario's (first) accelerator at workload.batch_per_device.
ComputePlan plan_compute(const config::Scenario& scenario);
/// The plan of `accelerator` at `batch` samples per micro-batch.
ComputePlan plan_compute(const config::Scenario& scenario, const config::Accelerator& accelerator, int batch);

/// Fraction of its saturated efficiency a device reaches at `batch`: batch / (batch + half_efficiency_batch).
double batch_fraction(double batch, double half_efficiency_batch);

/// Core-seconds to decode and augment one sample on one of the nodes' cores: for JPEG images, the decode
/// and the random crop's resize at the CPU's rates plus the loader's own per-sample cost; otherwise the
/// workload's cpu_cost_per_sample.
double cpu_seconds_per_sample(const config::Scenario& scenario);

/// Seconds of fixed cost per optimizer step: the framework's per-tensor work when more than one device trains
/// (one device runs without the data-parallel wrapper; emulated accelerators exchange nothing), plus the
/// scenario's training.step_overhead.
double step_overhead(const config::Scenario& scenario);

std::string to_string(ComputeLimit limit);

} // namespace dtsim::training
