#include "report/epochs.hpp"

#include <algorithm>
#include <cmath>

namespace dtsim::report {

namespace {

/// @brief Training time and data stall from the first step to a sample, simulated steps as they ran and the
/// rest at the steady step.
class StepTimeline {
public:
  StepTimeline(const RunResult& run, const Summary& summary, double samples_per_step)
      : samples_per_step_(samples_per_step)
      , steady_step_time_(summary.step_time)
      , steady_data_stall_(summary.breakdown.data_stall)
  {
    for (const auto& step : run.steps) {
      ends_.push_back(step.end);
      stalls_.push_back(stalls_.back() + step.data_stall);
    }
  }

  struct Totals {
    double time = 0, data_stall = 0;
  };

  /// Totals of the samples before `sample`; a step counts in proportion to its samples before it.
  Totals until(double sample) const
  {
    const double steps = sample / samples_per_step_;
    const auto whole = static_cast<long long>(std::floor(steps));
    const Totals before = before_step(whole), step = of_step(whole);
    const double part = steps - static_cast<double>(whole);
    return {before.time + part * step.time, before.data_stall + part * step.data_stall};
  }

private:
  long long simulated() const { return static_cast<long long>(ends_.size()); }
  Totals before_step(long long step) const
  {
    const long long played = std::min(step, simulated());
    const double extrapolated = static_cast<double>(step - played);
    return {end_of(played - 1) + extrapolated * steady_step_time_,
            stalls_[static_cast<std::size_t>(played)] + extrapolated * steady_data_stall_};
  }
  Totals of_step(long long step) const
  {
    if (step >= simulated())
      return {steady_step_time_, steady_data_stall_};
    const auto k = static_cast<std::size_t>(step);
    return {ends_[k] - end_of(step - 1), stalls_[k + 1] - stalls_[k]};
  }
  double end_of(long long step) const { return step < 0 ? 0 : ends_[static_cast<std::size_t>(step)]; }

  double samples_per_step_;
  double steady_step_time_;
  double steady_data_stall_;
  std::vector<double> ends_;         ///< s, when each simulated step ended
  std::vector<double> stalls_ = {0}; ///< s, data stall of the simulated steps before each
};

std::string steps_simulated(long long first_step, long long last_step, long long simulated)
{
  if (last_step <= simulated)
    return "all";
  return first_step > simulated ? "none" : "some";
}

} // namespace

std::vector<EpochRecord> epoch_records(const config::Scenario& s, const RunResult& run, const Summary& summary)
{
  if (summary.steps <= 0 || summary.samples <= 0)
    return {};
  const double samples_per_step = summary.samples / static_cast<double>(summary.steps);
  const auto epoch_samples = static_cast<double>(std::max(1LL, s.workload.dataset_samples));
  const auto epochs = static_cast<long long>(std::ceil(summary.samples / epoch_samples));
  const long long epochs_per_record = (epochs + max_epoch_records - 1) / max_epoch_records;
  const StepTimeline timeline(run, summary, samples_per_step);
  std::vector<EpochRecord> records;
  for (long long first = 0; first < epochs; first += epochs_per_record) {
    const long long end = std::min(first + epochs_per_record, epochs);
    const double from = static_cast<double>(first) * epoch_samples;
    const double to = std::min(static_cast<double>(end) * epoch_samples, summary.samples);
    const auto start = timeline.until(from), finish = timeline.until(to);
    EpochRecord r{first + 1, end};
    r.first_step = static_cast<long long>(std::floor(from / samples_per_step)) + 1;
    r.last_step = static_cast<long long>(std::floor((to - 1) / samples_per_step)) + 1;
    r.samples = to - from;
    r.time = finish.time - start.time;
    r.data_stall = (finish.data_stall - start.data_stall) / (r.samples / samples_per_step);
    r.steps_simulated = steps_simulated(r.first_step, r.last_step, summary.simulated_steps);
    records.push_back(r);
  }
  return records;
}

nlohmann::json epochs_json(const config::Scenario& scenario, const RunResult& run, const Summary& summary)
{
  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochRecord& r : epoch_records(scenario, run, summary))
    epochs.push_back({{"first_epoch", r.first_epoch},
                      {"last_epoch", r.last_epoch},
                      {"first_step", r.first_step},
                      {"last_step", r.last_step},
                      {"samples", r.samples},
                      {"time_s", r.time},
                      {"throughput_samples_per_s", r.throughput()},
                      {"data_stall_s_per_step", r.data_stall},
                      {"steps_simulated", r.steps_simulated}});
  return epochs;
}

} // namespace dtsim::report
