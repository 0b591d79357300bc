#pragma once
#include "training/metrics.hpp"

#include <vector>

namespace dtsim::report {

/// @brief In-memory sink: keeps every step record and trace span of a run.
class Recorder : public training::MetricsSink {
public:
  void step(const training::StepRecord& record) override { steps_.push_back(record); }
  void span(const training::TraceSpan& span) override { spans_.push_back(span); }

  const std::vector<training::StepRecord>& steps() const { return steps_; }
  const std::vector<training::TraceSpan>& spans() const { return spans_; }

private:
  std::vector<training::StepRecord> steps_;
  std::vector<training::TraceSpan> spans_;
};

} // namespace dtsim::report
