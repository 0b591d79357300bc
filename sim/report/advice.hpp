#pragma once
/// @brief The advisor's answer: upgrades ranked by time to train saved per dollar of added hardware.
///
/// Every upgrade is judged on the base run's work: its time to train is scaled to the base's samples, so
/// twice the nodes with a fixed step count is not charged for doing twice the work. The dollar is the
/// difference in the cluster's purchase price (config/inventory), whatever the scenario's cost model, since
/// that is what an upgrade costs a buyer; the run's own cost under the scenario's model is shown beside it.
#include "report/summary.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace dtsim::report {

/// @brief One simulated scenario of the advice: the base or an upgrade.
struct AdvisedRun {
  std::string name;
  std::string kind;               ///< compute, storage, network, CPU; empty for the base
  std::optional<Summary> summary; ///< nothing when the simulation failed
  double purchase_usd = 0;
};

/// @brief An upgrade measured against the base.
struct RankedUpgrade {
  const AdvisedRun* run = nullptr;
  double time_s = 0;         ///< time to train the base's samples
  double saved_s = 0;        ///< base time minus time_s
  double added_usd = 0;      ///< purchase price minus the base's
  double saved_per_kusd = 0; ///< saved_s per 1,000 USD added; infinite for a free upgrade that saves time
};

/// @brief What the user asked for besides the ranking.
struct AdviceLimits {
  std::optional<double> budget_usd; ///< most that may be added to the purchase price
  std::optional<double> deadline_s; ///< the time to train that must be met
};

/// The upgrades that ran, best first: those that save time by time saved per dollar (free ones first), then
/// the rest by time.
std::vector<RankedUpgrade> rank_upgrades(const AdvisedRun& base, const std::vector<AdvisedRun>& upgrades);

/// The table and the paragraph that answers "what should I buy?"; `skipped` lists moves that did not apply.
void print_advice(std::ostream& out, const AdvisedRun& base, const std::vector<RankedUpgrade>& ranked,
                  const std::vector<std::pair<std::string, std::string>>& skipped, const AdviceLimits& limits);

/// The advice as records for --json and --csv, in rank order after the base (rank 0): rank, upgrade, kind,
/// time_for_base_samples_s, saved_s, added_purchase_usd, saved_s_per_1000_usd (null when
/// free or when nothing is saved), within_budget, meets_deadline (null without a limit), summary.
nlohmann::json advice_records(const AdvisedRun& base, const std::vector<RankedUpgrade>& ranked,
                              const AdviceLimits& limits);
/// The columns of advice_records before the metric columns.
const std::vector<std::string>& advice_columns();

} // namespace dtsim::report
