#pragma once
/// @brief `dtsim calibrate`: the workload row that makes the compute model reproduce a measured step time.
///
/// The measured step is one device's: micro-batches x (forward + backward + on-device decoding) + optimizer +
/// per-step overhead. What remains for forward and backward gives the samples per second to record as a
/// `measured_throughput` row, from which the compute model takes its saturated efficiency.
#include "config/scenario.hpp"

#include <ostream>
#include <string>

namespace dtsim::app {

struct Calibration {
  double measured_step_time = 0;    ///< s, as given
  double forward_backward_time = 0; ///< s per micro-batch
  double other_time = 0;            ///< s per step: optimizer, overhead and on-device decoding
  double samples_per_second = 0;    ///< through forward and backward
  double efficiency = 0;            ///< of dense peak, at the scenario's batch
};

/// Throws ConfigError (at `option`) when the step time leaves nothing for forward and backward, or when the
/// scenario's device does not run on the efficiency model (an FPGA's dataflow design, an emulated device).
Calibration calibrate(const config::Scenario& scenario, double measured_step_time, const std::string& option);

/// The calibration, and the YAML row to add under `measured_throughput:` in the workload file.
void print_calibration(std::ostream& out, const config::Scenario& scenario, const Calibration& c,
                       const std::string& source);

} // namespace dtsim::app
