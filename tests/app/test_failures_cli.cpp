// dtsim run with failures.model, as a user runs it: the figures add up, the same seed gives the same bytes.
#include "cli.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

std::filesystem::path scratch(const std::string& name)
{
  static const TempDir dir("dtsim-failures-test");
  return dir / name;
}

/// The quickstart, hourly priced and checkpointed every 5 of its 20 steps, its one node failing every 2 s and
/// restarting in 0.2 s: several failures in a run of about 1.5 s.
const std::string failing_quickstart =
    "run scenarios/quickstart.yaml --no-baseline --set failures.model=nodes --set failures.node_mtbf=2s "
    "--set failures.restart=0.2s --set checkpoint.every_steps=5 --set checkpoint.to=local-nvme "
    "--set cost.model=hourly --set cost.device_hour_usd=2";

nlohmann::json summary_of(const std::filesystem::path& json)
{
  return nlohmann::json::parse(read_file(json))["summary"];
}

} // namespace

TEST_CASE("app: with failures, time to train is the failure-free time plus lost work and restarts, and costs them")
{
  const auto json = scratch("failing.json");
  const Outcome out = dtsim(failing_quickstart + " --json " + json.string());
  INFO(out.output);
  REQUIRE(out.exit_code == 0);
  CHECK_THAT(out.output, Catch::Contains("failures            ") && Catch::Contains(" with failures, ") &&
                             Catch::Contains("goodput") && Catch::Contains("best interval"));
  const auto s = summary_of(json);
  const double free = s["failure_free_time_to_train_s"], time = s["time_to_train_s"];
  CHECK(s["failures"].get<double>() > 0.5);
  CHECK(time == Approx(free + s["lost_work_s"].get<double>() + s["restarts_s"].get<double>()).epsilon(1e-9));
  CHECK(s["goodput"].get<double>() < free / time + 1e-12);
  CHECK(s["job_mtbf_s"].get<double>() == Approx(2));
  CHECK(s["failures_by_part"]["node"].get<double>() == Approx(s["failures"].get<double>()));
  // The cost's parts add up to it, lost work and restarts among them, at the same price per second.
  double parts = 0;
  for (const auto& [_, usd] : s["cost_usd_by_part"].items())
    parts += usd.get<double>();
  CHECK(parts == Approx(s["cost_usd"].get<double>()));
  CHECK(s["cost_usd"].get<double>() == Approx(time * 2 * 2.0 / 3600).epsilon(1e-6)); // 2 devices at $2/h
  CHECK(s["cost_usd_by_part"]["lost work"].get<double>() ==
        Approx(s["lost_work_s"].get<double>() * 2 * 2.0 / 3600).epsilon(1e-6));
}

TEST_CASE("app: with failures the same seed gives the same bytes, another seed other failures")
{
  const auto first = scratch("first.json"), second = scratch("second.json"), other = scratch("other.json");
  REQUIRE(dtsim(failing_quickstart + " --json " + first.string()).exit_code == 0);
  REQUIRE(dtsim(failing_quickstart + " --json " + second.string()).exit_code == 0);
  REQUIRE(dtsim(failing_quickstart + " --set seed=2 --json " + other.string()).exit_code == 0);
  CHECK(read_file(first) == read_file(second));
  CHECK(summary_of(first)["time_to_train_s"] != summary_of(other)["time_to_train_s"]);
  CHECK(summary_of(first)["failure_free_time_to_train_s"] == summary_of(other)["failure_free_time_to_train_s"]);
}

TEST_CASE("app: a job that fails faster than it restarts is refused with exit 2, naming failures.model")
{
  const Outcome out = dtsim("run scenarios/quickstart.yaml --no-baseline --set failures.model=nodes "
                            "--set failures.node_mtbf=1s --set failures.restart=1h");
  INFO(out.output);
  CHECK(out.exit_code == 2);
  CHECK_THAT(out.output, Catch::Contains("failures.model") && Catch::Contains("hardly ever"));
}

TEST_CASE("app: the checkpoint interval with the best goodput is the one Daly's formula gives, within a factor of 2")
{
  // The failing quickstart over 40 steps, checkpointed every 2, 4, 8 or 16 steps: checkpointing too often costs
  // waits, too seldom lost work.
  double best_goodput = 0, daly_steps = 0;
  long long best_every = 0;
  for (const long long every : {2, 4, 8, 16}) {
    const auto json = scratch(fmt::format("every-{}.json", every));
    const Outcome out = dtsim(fmt::format("{} --set workload.steps=40 --set checkpoint.every_steps={} --json {}",
                                          failing_quickstart, every, json.string()));
    REQUIRE(out.exit_code == 0);
    const auto s = summary_of(json);
    INFO(every << " steps: goodput " << s["goodput"] << " +- " << s["goodput_ci"]);
    if (s["goodput"].get<double>() > best_goodput) {
      best_goodput = s["goodput"];
      best_every = every;
    }
    const double training_per_step = s["step_time_s"].get<double>() - s["checkpoint_s"].get<double>();
    daly_steps = s["best_checkpoint_interval_s"].get<double>() / training_per_step;
  }
  INFO("best goodput every " << best_every << " steps; Daly: every " << daly_steps << " steps");
  CHECK(std::abs(std::log2(daly_steps / static_cast<double>(best_every))) <= 1);
}
