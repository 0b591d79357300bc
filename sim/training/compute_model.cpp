#include "training/compute_model.hpp"

#include <fmt/format.h>

namespace dtsim::training {

namespace {
/// Backward costs about twice forward: a gradient for the activations and one for the weights
/// (Kaplan et al., "Scaling Laws for Neural Language Models", 2020, section 2.1: 6N = 2N + 4N).
constexpr double backward_to_forward = 2.0;
} // namespace

ComputePlan plan_compute(const config::Scenario& s)
{
  ComputePlan plan;
  const auto& model = s.workload.model;
  const double batch = s.workload.batch_per_device;
  plan.peak_rate = s.cluster.accelerator.peak_rate.at(s.workload.precision).value;
  if (const auto emulated = s.workload.emulated_batch_time) {
    plan.efficiency = 1;
    plan.efficiency_basis = fmt::format("emulated: {:g} s per micro-batch (DLIO computation_time)", *emulated);
    plan.forward_flops = *emulated * plan.peak_rate / (1 + backward_to_forward);
    plan.backward_flops = backward_to_forward * plan.forward_flops;
    return plan;
  }
  const double forward_per_sample = model.forward_flops_per_sample.value;
  if (const auto* m =
          model.measurement(s.cluster.accelerator.name, s.workload.precision, s.workload.batch_per_device)) {
    plan.efficiency = (1 + backward_to_forward) * forward_per_sample * m->samples_per_second / plan.peak_rate;
    plan.efficiency_basis =
        fmt::format("calibrated: {:g} {}/s measured on {} {} at batch {} ({})", m->samples_per_second,
                    model.sample_unit, m->accelerator, m->precision, m->batch_per_device, m->source);
  } else {
    plan.efficiency = model.efficiency.value;
    plan.efficiency_basis =
        fmt::format("the workload's efficiency {:g} ({}: {})", model.efficiency.value,
                    model.efficiency.assumed ? "assumption" : "source", model.efficiency.provenance);
  }
  plan.forward_flops = forward_per_sample * batch / plan.efficiency;
  plan.backward_flops = backward_to_forward * plan.forward_flops;
  plan.optimizer_time =
      model.parameters.value * s.training.optimizer_traffic_per_param / s.cluster.accelerator.memory_bandwidth.value;
  plan.gradient_bytes = model.parameters.value * s.training.gradient_bytes_per_param;
  if (s.storage.dataset_on == config::DatasetLocation::synthetic)
    return plan;
  if (s.training.preprocess_on_accelerator)
    plan.accelerator_preprocess_time = batch * s.training.accelerator_preprocess_time;
  else
    plan.preprocessing_core_seconds = batch * model.cpu_cost_per_sample.value;
  return plan;
}

} // namespace dtsim::training
