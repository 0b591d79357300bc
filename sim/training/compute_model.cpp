#include "training/compute_model.hpp"

#include "units/units.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace dtsim::training {

namespace {

struct Efficiency {
  double value = 0;
  std::string basis;
};

/// The compute efficiency at the scenario's batch: a measurement's, or the workload's saturated one,
/// scaled along b / (b + half_efficiency_batch).
Efficiency compute_efficiency(const config::Scenario& s, const config::Accelerator& a, int batch, double peak)
{
  const auto& model = s.workload.model;
  const double half = model.half_efficiency_batch.value;
  const double at_batch = batch_fraction(batch, half);
  if (const auto* m = model.measurement(a.name, s.workload.precision, batch)) {
    const double measured =
        (1 + backward_to_forward) * model.forward_flops_per_sample.value * m->samples_per_second / peak;
    const double saturated = measured / batch_fraction(static_cast<double>(m->batch_per_device), half);
    return {saturated * at_batch,
            fmt::format("calibrated: {:g} {}/s measured on {} {} at batch {} ({})", m->samples_per_second,
                        model.sample_unit, m->accelerator, m->precision, m->batch_per_device, m->source)};
  }
  return {model.efficiency.value * at_batch,
          fmt::format("the workload's efficiency {:g} x b/(b+{:g}) at batch {} ({}: {})", model.efficiency.value, half,
                      batch, model.efficiency.assumed ? "assumption" : "source", model.efficiency.provenance)};
}

/// Bytes forward moves through device memory for one micro-batch: the batch's activation traffic
/// (memory_traffic_per_sample is stated for 16-bit activations) and one read of the weights.
double forward_bytes_moved(const config::Scenario& s, int batch)
{
  const auto& model = s.workload.model;
  const double element = config::element_bytes(s.workload.precision);
  return batch * model.memory_traffic_per_sample.value * element / 2 + model.parameters.value * element;
}

/// Forward and backward of one micro-batch on a GPU or TPU: each phase compute- or memory-bound.
void plan_roofline(const config::Scenario& s, const config::Accelerator& a, int batch, ComputePlan& plan)
{
  const auto& model = s.workload.model;
  const double forward_bytes = forward_bytes_moved(s, batch);
  const double forward_flops = batch * model.forward_flops_per_sample.value;
  const auto efficiency = compute_efficiency(s, a, batch, plan.peak_rate);
  const double compute_time = forward_flops / (plan.peak_rate * efficiency.value);
  const double memory_time = forward_bytes / a.memory_bandwidth.value;
  plan.limit = memory_time > compute_time ? ComputeLimit::memory_bandwidth : ComputeLimit::compute;
  plan.forward_time = std::max(compute_time, memory_time);
  plan.backward_time = backward_to_forward * plan.forward_time;
  plan.efficiency = forward_flops / (plan.peak_rate * plan.forward_time);
  plan.efficiency_basis = efficiency.basis;
  if (plan.limit == ComputeLimit::memory_bandwidth)
    plan.efficiency_basis += fmt::format("; memory-bound: {:.0f} FLOP per byte moved", forward_flops / forward_bytes);
}

/// Forward and backward of one micro-batch on an FPGA running the workload's dataflow design, unless
/// the board's memory (HBM or DDR) cannot move the bytes that fast.
void plan_dataflow(const config::Scenario& s, const config::Accelerator& a, int batch, ComputePlan& plan)
{
  const auto& model = s.workload.model;
  const auto* design = model.dataflow_design(a.name, s.workload.precision);
  const double pipeline = design->latency + batch / design->samples_per_second;
  const double memory = (1 + backward_to_forward) * forward_bytes_moved(s, batch) / a.memory_bandwidth.value;
  const double step = std::max(pipeline, memory);
  plan.limit = memory > pipeline ? ComputeLimit::memory_bandwidth : ComputeLimit::dataflow_design;
  plan.forward_time = step / (1 + backward_to_forward);
  plan.backward_time = step - plan.forward_time;
  plan.efficiency = (1 + backward_to_forward) * batch * model.forward_flops_per_sample.value / (plan.peak_rate * step);
  plan.efficiency_basis =
      fmt::format("dataflow design: {:g} {}/s at {}, {} latency ({})", design->samples_per_second, model.sample_unit,
                  design->clock, units::format(design->latency, units::Dimension::time),
                  (design->assumed ? "assumption: " : "") + design->provenance);
}
} // namespace

double batch_fraction(double batch, double half_efficiency_batch)
{
  return batch / (batch + half_efficiency_batch);
}

double cpu_seconds_per_sample(const config::Scenario& s)
{
  const auto& model = s.workload.model;
  if (!model.jpeg)
    return model.cpu_cost_per_sample->value;
  const auto& cpu = s.cluster.cpu;
  const double pixels = model.jpeg->decoded_pixels.value;
  const auto& loader = s.training.loader;
  return loader.jpeg_fraction.value * pixels / cpu.jpeg_decode_rate.value +
         model.jpeg->crop_area_fraction.value * pixels / cpu.resize_rate.value + loader.per_sample_overhead.value;
}

double step_overhead(const config::Scenario& s)
{
  const bool data_parallel = s.cluster.devices() > 1 && !s.workload.emulated_batch_time;
  const double framework =
      data_parallel ? s.training.framework.per_parameter_tensor.value * s.workload.model.parameter_tensors.value : 0;
  return framework + s.training.step_overhead;
}

std::string to_string(ComputeLimit limit)
{
  switch (limit) {
  case ComputeLimit::compute:
    return "compute";
  case ComputeLimit::memory_bandwidth:
    return "memory bandwidth";
  case ComputeLimit::dataflow_design:
    return "dataflow design";
  case ComputeLimit::emulated:
    return "emulated";
  }
  return "?";
}

ComputePlan plan_compute(const config::Scenario& s)
{
  return plan_compute(s, s.cluster.accelerator, s.workload.batch_per_device);
}

ComputePlan plan_compute(const config::Scenario& s, const config::Accelerator& a, int batch)
{
  ComputePlan plan;
  const auto& model = s.workload.model;
  plan.peak_rate = a.peak_rate.at(s.workload.precision).value;
  if (const auto emulated = s.workload.emulated_batch_time) {
    plan.efficiency = 1;
    plan.limit = ComputeLimit::emulated;
    plan.efficiency_basis = fmt::format("emulated: {:g} s per micro-batch (DLIO computation_time)", *emulated);
    plan.forward_time = *emulated / (1 + backward_to_forward);
    plan.backward_time = *emulated - plan.forward_time;
    return plan;
  }
  if (a.kind == "fpga")
    plan_dataflow(s, a, batch, plan);
  else
    plan_roofline(s, a, batch, plan);
  plan.optimizer_time = model.parameters.value * s.training.optimizer_traffic_per_param / a.memory_bandwidth.value;
  plan.gradient_bytes = model.parameters.value * s.training.gradient_bytes_per_param;
  if (s.storage.dataset_on == config::DatasetLocation::synthetic)
    return plan;
  if (s.training.loader.decodes_on_accelerator)
    plan.accelerator_preprocess_time = batch * s.training.accelerator_preprocess_time;
  else
    plan.preprocessing_core_seconds = batch * cpu_seconds_per_sample(s);
  return plan;
}

} // namespace dtsim::training
