#include "report/advice.hpp"

#include "report/format.hpp"
#include "report/result_metrics.hpp"
#include "units/units.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <limits>

namespace dtsim::report {

namespace {

constexpr double infinite = std::numeric_limits<double>::infinity();
/// A saving below this share of the base time is simulation noise, not a gain.
constexpr double least_gain = 0.005;

/// Time to train `samples` at the run's own pace (its time to train over its samples).
double time_for(const Summary& summary, double samples)
{
  return summary.time_to_train * samples / summary.samples;
}

std::string duration(double seconds)
{
  return units::format(seconds, units::Dimension::time);
}

bool within(const RankedUpgrade& u, const AdviceLimits& limits)
{
  return (!limits.budget_usd || u.added_usd <= *limits.budget_usd) &&
         (!limits.deadline_s || u.time_s <= *limits.deadline_s);
}

/// What buying this kind of upgrade means, in the question's words.
std::string plain(const std::string& kind)
{
  if (kind == "compute")
    return "more or faster accelerators";
  if (kind == "storage")
    return "faster storage";
  if (kind == "network")
    return "a faster network";
  return "more CPU cores";
}

void print_answer(std::ostream& out, const AdvisedRun& base, const std::vector<RankedUpgrade>& ranked,
                  const AdviceLimits& limits)
{
  const double base_time = base.summary->time_to_train;
  const auto gains = [](const RankedUpgrade& u) { return u.saved_s > 0; };
  const auto best = std::find_if(ranked.begin(), ranked.end(), gains);
  fmt::print(out, "\nAnswer: the base run takes {} and is {}.", duration(base_time), base.summary->bottleneck.text());
  if (best == ranked.end()) {
    fmt::print(out, " None of the upgrades tried shortens it.\n");
    return;
  }
  fmt::print(out, " The best buy per dollar is {} ({}): {} to train, {:.0f}% less, {} {} of hardware", best->run->name,
             plain(best->run->kind), duration(best->time_s), 100 * best->saved_s / base_time,
             best->added_usd >= 0 ? "for" : "and saving", usd(std::abs(best->added_usd)));
  if (!std::isinf(best->saved_per_kusd))
    fmt::print(out, " ({} saved per $1,000)", duration(best->saved_per_kusd));
  fmt::print(out, ".");
  for (const std::string kind : {"compute", "storage"}) {
    if (best->run->kind == kind)
      continue;
    const auto other = std::find_if(ranked.begin(), ranked.end(),
                                    [&](const RankedUpgrade& u) { return gains(u) && u.run->kind == kind; });
    if (other == ranked.end())
      fmt::print(out, " No {} upgrade shortens the run.", plain(kind));
    else
      fmt::print(out, " The best {} upgrade, {}, saves {} for {}{}.", plain(kind), other->run->name,
                 duration(other->saved_s), usd(other->added_usd),
                 std::isinf(best->saved_per_kusd) || std::isinf(other->saved_per_kusd)
                     ? ""
                     : fmt::format(", {:.1f}x less time per dollar", best->saved_per_kusd / other->saved_per_kusd));
  }
  fmt::print(out, " So buy {} first.", plain(best->run->kind));
  if (limits.budget_usd || limits.deadline_s) {
    const auto fits = std::find_if(ranked.begin(), ranked.end(),
                                   [&](const RankedUpgrade& u) { return gains(u) && within(u, limits); });
    const std::string asked = limits.budget_usd && limits.deadline_s
                                  ? fmt::format("within {} of added hardware and {} to train", usd(*limits.budget_usd),
                                                duration(*limits.deadline_s))
                              : limits.budget_usd ? fmt::format("within {} of added hardware", usd(*limits.budget_usd))
                                                  : fmt::format("to train within {}", duration(*limits.deadline_s));
    if (fits == ranked.end())
      fmt::print(out, " No single upgrade tried gets there {}.", asked);
    else
      fmt::print(out, " The best {} is {}: {} to train, {} {} of hardware.", asked, fits->run->name,
                 duration(fits->time_s), fits->added_usd >= 0 ? "for" : "saving", usd(std::abs(fits->added_usd)));
  }
  fmt::print(out, "\n");
}

} // namespace

std::vector<RankedUpgrade> rank_upgrades(const AdvisedRun& base, const std::vector<AdvisedRun>& upgrades)
{
  const double samples = base.summary->samples;
  const double base_time = base.summary->time_to_train;
  std::vector<RankedUpgrade> ranked;
  for (const auto& u : upgrades) {
    if (!u.summary)
      continue;
    RankedUpgrade r{&u, time_for(*u.summary, samples)};
    r.saved_s = base_time - r.time_s > least_gain * base_time ? base_time - r.time_s : 0;
    r.added_usd = u.purchase_usd - base.purchase_usd;
    r.saved_per_kusd = r.added_usd > 0 ? r.saved_s / (r.added_usd / 1000) : r.saved_s > 0 ? infinite : 0;
    ranked.push_back(r);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const RankedUpgrade& a, const RankedUpgrade& b) {
    if ((a.saved_s > 0) != (b.saved_s > 0))
      return a.saved_s > 0;
    return a.saved_s > 0 ? a.saved_per_kusd > b.saved_per_kusd : a.time_s < b.time_s;
  });
  return ranked;
}

namespace {

/// The time unit that suits the largest finite value of `times`, so that a column reads in one unit.
units::DisplayUnit column_unit(const std::vector<RankedUpgrade>& ranked, double RankedUpgrade::*time)
{
  double largest = 0;
  for (const auto& u : ranked)
    if (std::isfinite(u.*time))
      largest = std::max(largest, u.*time);
  return units::display_unit(largest, units::Dimension::time);
}

std::string in_unit(double seconds, const units::DisplayUnit& unit)
{
  return fmt::format("{:.4g}", seconds / unit.factor);
}

} // namespace

void print_advice(std::ostream& out, const AdvisedRun& base, const std::vector<RankedUpgrade>& ranked,
                  const std::vector<std::pair<std::string, std::string>>& skipped, const AdviceLimits& limits)
{
  const Summary& b = *base.summary;
  fmt::print(out, "base: {}: {} to train {} samples, {}; purchase price {}\n\n", base.name, duration(b.time_to_train),
             thousands(b.samples), to_string(b.bottleneck.kind), usd(base.purchase_usd));
  const auto time_unit = units::display_unit(b.time_to_train, units::Dimension::time); // the base's, to compare with

  const auto saved_unit = column_unit(ranked, &RankedUpgrade::saved_s);
  const auto per_kusd_unit = column_unit(ranked, &RankedUpgrade::saved_per_kusd);
  fmt::print(out,
             "| rank | upgrade | kind | time to train ({}) | saved ({}) | added purchase | saved per $1,000 ({}) | "
             "run cost | bottleneck after |{}{}\n|---:|---|---|---:|---:|---:|---:|---:|---|{}{}\n",
             time_unit.symbol, saved_unit.symbol, per_kusd_unit.symbol, limits.budget_usd ? " within budget |" : "",
             limits.deadline_s ? " meets deadline |" : "", limits.budget_usd ? "---|" : "",
             limits.deadline_s ? "---|" : "");
  const auto yes = [](bool x) { return x ? " yes |" : " no |"; };
  int rank = 0;
  for (const auto& u : ranked) {
    const Summary& s = *u.run->summary;
    const std::string per_kusd = std::isinf(u.saved_per_kusd) ? "free" : in_unit(u.saved_per_kusd, per_kusd_unit);
    fmt::print(out, "| {} | {} | {} | {} | {} | {} | {} | {} | {} |{}{}\n", ++rank, u.run->name, u.run->kind,
               in_unit(u.time_s, time_unit), u.saved_s > 0 ? in_unit(u.saved_s, saved_unit) : "none", usd(u.added_usd),
               u.saved_s > 0 ? per_kusd : "-", s.cost_usd ? usd(*s.cost_usd * b.samples / s.samples) : "-",
               to_string(s.bottleneck.kind), limits.budget_usd ? yes(u.added_usd <= *limits.budget_usd) : "",
               limits.deadline_s ? yes(u.time_s <= *limits.deadline_s) : "");
  }
  for (const auto& [name, why] : skipped)
    fmt::print(out, "\nnot applicable: {}: {}", name, why);
  if (!skipped.empty())
    fmt::print(out, "\n");
  print_answer(out, base, ranked, limits);
}

nlohmann::json advice_records(const AdvisedRun& base, const std::vector<RankedUpgrade>& ranked,
                              const AdviceLimits& limits)
{
  const auto limit = [](const auto& given, bool met) { return given ? nlohmann::json(met) : nlohmann::json(); };
  nlohmann::json records = nlohmann::json::array();
  records.push_back({{"rank", 0},
                     {"upgrade", base.name},
                     {"kind", "base"},
                     {"time_for_base_samples_s", base.summary->time_to_train},
                     {"saved_s", 0},
                     {"added_purchase_usd", 0},
                     {"saved_s_per_1000_usd", nullptr},
                     {"within_budget", limit(limits.budget_usd, true)},
                     {"meets_deadline", limit(limits.deadline_s, base.summary->time_to_train <= limits.deadline_s)},
                     {"summary", summary_json(*base.summary)}});
  int rank = 0;
  for (const auto& u : ranked)
    records.push_back(
        {{"rank", ++rank},
         {"upgrade", u.run->name},
         {"kind", u.run->kind},
         {"time_for_base_samples_s", u.time_s},
         {"saved_s", u.saved_s},
         {"added_purchase_usd", u.added_usd},
         {"saved_s_per_1000_usd",
          u.saved_s > 0 && std::isfinite(u.saved_per_kusd) ? nlohmann::json(u.saved_per_kusd) : nlohmann::json()},
         {"within_budget", limit(limits.budget_usd, u.added_usd <= limits.budget_usd)},
         {"meets_deadline", limit(limits.deadline_s, u.time_s <= limits.deadline_s)},
         {"summary", summary_json(*u.run->summary)}});
  return records;
}

const std::vector<std::string>& advice_columns()
{
  static const std::vector<std::string> columns{"rank",
                                                "upgrade",
                                                "kind",
                                                "time_for_base_samples_s",
                                                "saved_s",
                                                "added_purchase_usd",
                                                "saved_s_per_1000_usd",
                                                "within_budget",
                                                "meets_deadline"};
  return columns;
}

} // namespace dtsim::report
