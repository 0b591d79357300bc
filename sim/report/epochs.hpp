#pragma once
/// @brief Per-epoch figures of a run: time, throughput and data stall of each pass over the dataset.
///
/// An epoch is workload.dataset_samples samples, taken in step order; a step whose samples fall in two epochs
/// counts in each in proportion, so the epochs' times add up to the run's training time (time to train
/// without start-up and evaluation). Steps the run did not simulate count at the steady step time and data
/// stall, as in time to train.
#include "config/scenario.hpp"
#include "report/summary.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::report {

/// Records written at most: with more epochs, each record covers an equal run of consecutive epochs (the last
/// may cover fewer), so that a run of a million short epochs still writes a document of bounded size; a
/// thousand points show any trend over the run.
constexpr long long max_epoch_records = 1000;

/// @brief One epoch, or a run of consecutive ones when the run has more than max_epoch_records.
struct EpochRecord {
  long long first_epoch = 0; ///< counted from 1
  long long last_epoch = 0;
  long long first_step = 0;    ///< counted from 1, as dtsim run prints steps: the step of its first sample
  long long last_step = 0;     ///< the step of its last sample
  double samples = 0;          ///< fewer than the epochs' samples when the run ends within the last
  double time = 0;             ///< s
  double data_stall = 0;       ///< s per step, mean over its steps
  std::string steps_simulated; ///< "all", "some" or "none"; the others are extrapolated at the steady step time

  double throughput() const { return time > 0 ? samples / time : 0; }
};

std::vector<EpochRecord> epoch_records(const config::Scenario& scenario, const RunResult& run, const Summary& summary);

/// The "epochs" array of results_json.
nlohmann::json epochs_json(const config::Scenario& scenario, const RunResult& run, const Summary& summary);

} // namespace dtsim::report
