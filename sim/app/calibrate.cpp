#include "app/calibrate.hpp"

#include "config/config_error.hpp"
#include "training/compute_model.hpp"
#include "units/units.hpp"

#include <fmt/ostream.h>

namespace dtsim::app {

using units::Dimension;

Calibration calibrate(const config::Scenario& s, double measured_step_time, const std::string& option)
{
  const config::Location where{option, 0, 0};
  if (s.cluster.accelerator.kind == "fpga" || s.workload.emulated_batch_time)
    throw config::ConfigError(
        where, "",
        fmt::format("expected a GPU or TPU that runs on the efficiency model, found {} (an FPGA "
                    "runs its dataflow design and an emulated device its batch time: record "
                    "those in the workload file instead)",
                    s.workload.emulated_batch_time ? "an emulated device" : s.cluster.accelerator.name));
  const auto plan = training::plan_compute(s);
  const int micro_batches = s.workload.gradient_accumulation;
  Calibration c;
  c.measured_step_time = measured_step_time;
  const double overhead = training::step_overhead(s);
  c.other_time = plan.optimizer_time + overhead + micro_batches * plan.accelerator_preprocess_time;
  c.forward_backward_time = (measured_step_time - c.other_time) / micro_batches;
  if (c.forward_backward_time <= 0)
    throw config::ConfigError(
        where, "",
        fmt::format("expected a step time longer than the {} the model spends outside forward and backward (optimizer "
                    "{}, overhead {}, on-device decoding {}), found {}",
                    units::format(c.other_time, Dimension::time), units::format(plan.optimizer_time, Dimension::time),
                    units::format(overhead, Dimension::time),
                    units::format(micro_batches * plan.accelerator_preprocess_time, Dimension::time),
                    units::format(measured_step_time, Dimension::time)));
  c.samples_per_second = s.workload.batch_per_device / c.forward_backward_time;
  c.efficiency = (1 + training::backward_to_forward) * s.workload.model.forward_flops_per_sample.value *
                 c.samples_per_second / plan.peak_rate;
  return c;
}

void print_calibration(std::ostream& out, const config::Scenario& s, const Calibration& c, const std::string& source)
{
  const auto time = [](double seconds) { return units::format(seconds, Dimension::time); };
  const auto& model = s.workload.model;
  fmt::print(out, "{} on {} in {}, batch {} per device\n", model.name, s.cluster.accelerator.name, s.workload.precision,
             s.workload.batch_per_device);
  fmt::print(out, "measured step {} = {} x forward+backward {} + optimizer, overhead and on-device decoding {}\n",
             time(c.measured_step_time), s.workload.gradient_accumulation, time(c.forward_backward_time),
             time(c.other_time));
  fmt::print(out, "forward+backward   {:.6g} {}/s, {:.1f}% of the {} peak\n", c.samples_per_second, model.sample_unit,
             100 * c.efficiency,
             units::format(s.cluster.accelerator.peak_rate.at(s.workload.precision).value, Dimension::flop_rate));
  if (s.workload.model_built_in)
    fmt::print(out,
               "\nAdd this row under measured_throughput: in a copy of {} (the built-in workloads hold published "
               "measurements only), and point workload.model at the copy\n",
               s.workload.model_file);
  else
    fmt::print(out, "\nAdd this row under measured_throughput: in {}\n", s.workload.model_file);
  fmt::print(out,
             "  - accelerator: {}\n    precision: {}\n    batch_per_device: {}\n    samples_per_second: {:.6g}\n"
             "    source: \"{}\"\n",
             s.cluster.accelerator.name, s.workload.precision, s.workload.batch_per_device, c.samples_per_second,
             source);
}

} // namespace dtsim::app
