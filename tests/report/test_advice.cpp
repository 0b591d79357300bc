// The advisor's ranking: time saved per dollar, free savings first, upgrades that save nothing last, and each
// upgrade judged on the base run's samples.
#include "report/advice.hpp"

#include <catch2/catch.hpp>

namespace {

using dtsim::report::AdvisedRun;

AdvisedRun run(const std::string& name, double time_s, double samples, double purchase_usd)
{
  dtsim::report::Summary summary;
  summary.time_to_train = time_s;
  summary.samples = samples;
  return {name, "compute", summary, purchase_usd};
}

} // namespace

TEST_CASE("advice: upgrades rank by time saved per dollar, a free saving first and no saving last")
{
  const AdvisedRun base = run("base", 100, 1000, 50000);
  const std::vector<AdvisedRun> upgrades{
      run("big", 50, 1000, 60000),   // 50 s for 10,000 USD: 5 s per 1,000 USD
      run("none", 100, 1000, 51000), // saves nothing
      run("small", 90, 1000, 51000), // 10 s for 1,000 USD: 10 s per 1,000 USD
      run("free", 99, 1000, 49000),  // 1 s and cheaper
  };
  const auto ranked = dtsim::report::rank_upgrades(base, upgrades);
  REQUIRE(ranked.size() == 4);
  CHECK(ranked[0].run->name == "free");
  CHECK(ranked[1].run->name == "small");
  CHECK(ranked[1].saved_per_kusd == Approx(10));
  CHECK(ranked[2].run->name == "big");
  CHECK(ranked[2].saved_per_kusd == Approx(5));
  CHECK(ranked[2].added_usd == Approx(10000));
  CHECK(ranked[3].run->name == "none");
  CHECK(ranked[3].saved_s == 0);
}

TEST_CASE("advice: an upgrade that trains more samples is judged on the base's samples")
{
  // Twice the nodes at a fixed step count trains twice the samples in 60 s: 30 s for the base's work.
  const AdvisedRun base = run("base", 50, 1000, 50000);
  const auto ranked = dtsim::report::rank_upgrades(base, {run("2x nodes", 60, 2000, 100000)});
  REQUIRE(ranked.size() == 1);
  CHECK(ranked[0].time_s == Approx(30));
  CHECK(ranked[0].saved_s == Approx(20));
  CHECK(ranked[0].saved_per_kusd == Approx(20.0 / 50));
}
