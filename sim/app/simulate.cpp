#include "app/simulate.hpp"

#include "app/process_pool.hpp"
#include "app/progress.hpp"
#include "platform/cluster_layout.hpp"
#include "report/recorder.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace dtsim::app {

namespace {

/// @brief Records the run and shows, on a terminal, how many steps are done.
class RecorderWithProgress : public report::Recorder {
public:
  RecorderWithProgress(long long steps, bool stops_when_settled, bool shown)
      : progress_(steps, stops_when_settled, shown)
  {
  }
  void step(const training::StepRecord& record) override
  {
    Recorder::step(record);
    progress_.step_done(record.step + 1);
  }

private:
  StepProgress progress_;
};

} // namespace

report::RunResult simulate(const config::Scenario& scenario, training::TraceWindow trace, bool progress)
{
  const platform::ClusterLayout layout = platform::lay_out_cluster(scenario);
  engine::Simulation simulation(layout.root, engine::Options{});
  RecorderWithProgress recorder(scenario.workload.steps, !scenario.training.exact, progress && stderr_is_terminal());
  training::TrainingJob job(scenario, layout, simulation, recorder, trace);
  job.start();
  simulation.run();
  return {recorder.steps(),    recorder.spans(),      job.totals(),
          job.device_groups(), job.first_warm_step(), job.trace_steps()};
}

config::Scenario one_device_baseline(const config::Scenario& scenario, const training::DeviceGroup& group)
{
  config::Scenario baseline = scenario;
  baseline.cluster.nodes = 1;
  baseline.cluster.accelerators_per_node = 1;
  baseline.cluster.accelerator = *group.accelerator;
  baseline.cluster.mixed.reset();
  baseline.workload.batch_per_device = group.batch_per_device;
  if (baseline.network.topology == config::Topology::torus) { // one device needs no torus
    baseline.network.topology = config::Topology::single_switch;
    baseline.network.torus_dimensions.clear();
    baseline.training.allreduce = config::AllReduceAlgorithm::ring;
  }
  return baseline;
}

double baseline_throughput(const config::Scenario& scenario)
{
  const auto groups = training::plan_device_groups(scenario);
  const auto throughput = [&](const training::DeviceGroup& group) {
    const config::Scenario baseline = one_device_baseline(scenario, group);
    return report::summarize(baseline, simulate(baseline, {}), std::nullopt).throughput;
  };
  std::vector<std::unique_ptr<ChildComputation>> others; // every kind after the first, in a process of its own
  for (std::size_t k = 1; k < groups.size(); ++k)
    others.push_back(std::make_unique<ChildComputation>([&, k] { return throughput(groups[k]); }));
  double samples_per_second = groups.front().nodes * throughput(groups.front());
  for (std::size_t k = 1; k < groups.size(); ++k) {
    const auto other = others[k - 1]->result();
    if (!other)
      throw std::runtime_error("the one-device baseline of " + groups[k].accelerator->name + " failed");
    samples_per_second += groups[k].nodes * *other;
  }
  return samples_per_second / scenario.cluster.nodes;
}

SummarizedRun simulate_and_summarize(const config::Scenario& scenario, bool with_baseline, training::TraceWindow trace,
                                     bool progress)
{
  std::optional<ChildComputation> baseline;
  if (with_baseline && scenario.cluster.devices() > 1)
    baseline.emplace([&scenario] { return baseline_throughput(scenario); });
  report::RunResult run = simulate(scenario, trace, progress);
  report::Summary summary = report::summarize(scenario, run, baseline ? baseline->result() : std::nullopt);
  return {std::move(run), std::move(summary)};
}

ChildProcess::ChildProcess(const std::function<std::string()>& compute)
{
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  const pid_t parent = getpid();
  child_ = fork();
  if (child_ < 0) {
    const int error = errno;
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(fmt::format("cannot start a process: {}", std::strerror(error)));
  }
  if (child_ == 0) {
    die_with_parent(parent);
    close(fds[0]);
    std::string text;
    try {
      text = compute();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "dtsim: a computation in a child process failed: %s\n", e.what());
      _exit(1);
    }
    std::size_t written = 0;
    while (written < text.size()) {
      const ssize_t n = write(fds[1], text.data() + written, text.size() - written);
      if (n <= 0)
        _exit(1);
      written += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  read_fd_ = fds[0];
}

ChildProcess::~ChildProcess()
{
  result();
}

std::optional<std::string> ChildProcess::result()
{
  if (child_ <= 0)
    return text_;
  std::string text;
  char buffer[65536];
  ssize_t n = 0;
  while ((n = read(read_fd_, buffer, sizeof buffer)) > 0)
    text.append(buffer, static_cast<std::size_t>(n));
  close(read_fd_);
  int status = 0;
  waitpid(child_, &status, 0);
  child_ = -1;
  if (n == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
    text_ = std::move(text);
  return text_;
}

ChildComputation::ChildComputation(const std::function<double()>& compute)
    : process_([&compute] { return fmt::format("{}", compute()); })
{
}

std::optional<double> ChildComputation::result()
{
  const auto text = process_.result();
  if (!text)
    return std::nullopt;
  return std::stod(*text);
}

} // namespace dtsim::app
