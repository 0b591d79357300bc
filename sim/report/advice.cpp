#include "report/advice.hpp"

#include "report/format.hpp"
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

double number(const nlohmann::json& summary, const char* key)
{
  return summary.at(key).get<double>();
}

/// Time to train `samples` at the run's own pace (its time to train over its samples).
double time_for(const nlohmann::json& summary, double samples)
{
  return number(summary, "time_to_train_s") * samples / number(summary, "samples");
}

std::string duration(double seconds)
{
  return units::format(seconds, units::Dimension::time);
}

std::string bottleneck_kind(const nlohmann::json& summary)
{
  const auto text = summary.at("bottleneck").get<std::string>();
  return text.substr(0, text.find(':'));
}

std::string per_kusd(double x)
{
  return std::isinf(x) ? "free" : duration(x);
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
  const double base_time = number(*base.summary, "time_to_train_s");
  const auto gains = [](const RankedUpgrade& u) { return u.saved_s > 0; };
  const auto best = std::find_if(ranked.begin(), ranked.end(), gains);
  fmt::print(out, "\nAnswer: the base run takes {} and is {}.", duration(base_time),
             base.summary->at("bottleneck").get<std::string>());
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
  const double samples = number(*base.summary, "samples");
  const double base_time = number(*base.summary, "time_to_train_s");
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

void print_advice(std::ostream& out, const AdvisedRun& base, const std::vector<RankedUpgrade>& ranked,
                  const std::vector<std::pair<std::string, std::string>>& skipped, const AdviceLimits& limits)
{
  const auto& b = *base.summary;
  fmt::print(out, "base: {}: {} to train {} samples, {}; purchase price {}\n\n", base.name,
             duration(number(b, "time_to_train_s")), thousands(number(b, "samples")), bottleneck_kind(b),
             usd(base.purchase_usd));
  fmt::print(out,
             "| rank | upgrade | kind | time to train | saved | added purchase | saved per $1,000 | run cost | "
             "bottleneck after |{}{}\n|---:|---|---|---:|---:|---:|---:|---:|---|{}{}\n",
             limits.budget_usd ? " within budget |" : "", limits.deadline_s ? " meets deadline |" : "",
             limits.budget_usd ? "---|" : "", limits.deadline_s ? "---|" : "");
  const auto yes = [](bool x) { return x ? " yes |" : " no |"; };
  int rank = 0;
  for (const auto& u : ranked) {
    const auto& s = *u.run->summary;
    const auto cost = s.at("cost_usd");
    fmt::print(out, "| {} | {} | {} | {} | {} | {} | {} | {} | {} |{}{}\n", ++rank, u.run->name, u.run->kind,
               duration(u.time_s), u.saved_s > 0 ? duration(u.saved_s) : "none", usd(u.added_usd),
               u.saved_s > 0 ? per_kusd(u.saved_per_kusd) : "-",
               cost.is_null() ? "-" : usd(cost.get<double>() * number(b, "samples") / number(s, "samples")),
               bottleneck_kind(s), limits.budget_usd ? yes(u.added_usd <= *limits.budget_usd) : "",
               limits.deadline_s ? yes(u.time_s <= *limits.deadline_s) : "");
  }
  for (const auto& [name, why] : skipped)
    fmt::print(out, "\nnot applicable: {}: {}", name, why);
  if (!skipped.empty())
    fmt::print(out, "\n");
  print_answer(out, base, ranked, limits);
}

} // namespace dtsim::report
