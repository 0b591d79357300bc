#include "report/trace.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace dtsim::report {

namespace {

nlohmann::json span_arguments(const training::TraceSpan& span)
{
  const training::SpanArguments& a = span.arguments;
  nlohmann::json args = {{"step", span.step + 1}};
  if (a.bucket)
    args["bucket"] = *a.bucket;
  if (a.bytes)
    args["bytes"] = *a.bytes;
  if (a.samples)
    args["samples"] = *a.samples;
  if (!a.algorithm.empty())
    args["algorithm"] = a.algorithm;
  if (!a.protocol.empty())
    args["protocol"] = a.protocol;
  return args;
}

/// Steps as dtsim run prints them: counted from 1, the last included.
nlohmann::json step_range_json(training::StepRange steps)
{
  if (steps.end <= steps.first)
    return nullptr;
  return {{"first", steps.first + 1}, {"last", steps.end}};
}

} // namespace

training::StepRange traced_steps_simulated(const RunResult& run)
{
  const auto simulated = static_cast<long long>(run.steps.size());
  return {std::min(run.trace_steps.first, simulated), std::min(run.trace_steps.end, simulated)};
}

nlohmann::json chrome_trace(const RunResult& run)
{
  nlohmann::json events = nlohmann::json::array();
  std::map<std::pair<int, std::string>, int> threads;
  std::set<int> workers;
  for (const auto& span : run.spans) {
    if (workers.insert(span.worker).second)
      events.push_back({{"ph", "M"},
                        {"name", "process_name"},
                        {"pid", span.worker},
                        {"args", {{"name", fmt::format("worker {}", span.worker)}}}});
    const auto [it, added] =
        threads.emplace(std::make_pair(span.worker, span.stream), static_cast<int>(threads.size()));
    if (added)
      events.push_back({{"ph", "M"},
                        {"name", "thread_name"},
                        {"pid", span.worker},
                        {"tid", it->second},
                        {"args", {{"name", span.stream}}}});
    events.push_back({{"ph", "X"},
                      {"name", span.name},
                      {"cat", span.stream},
                      {"pid", span.worker},
                      {"tid", it->second},
                      {"ts", span.start * 1e6},
                      {"dur", (span.end - span.start) * 1e6},
                      {"args", span_arguments(span)}});
  }
  const nlohmann::json covered = {{"steps", step_range_json(run.trace_steps)},
                                  {"steps_simulated", step_range_json(traced_steps_simulated(run))},
                                  {"run_simulated_steps", run.steps.size()},
                                  {"workers", workers.size()}};
  return {{"traceEvents", events}, {"displayTimeUnit", "ms"}, {"otherData", covered}};
}

} // namespace dtsim::report
