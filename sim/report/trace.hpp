#pragma once
/// @brief The Chrome/Perfetto timeline of a run's trace spans.
#include "report/summary.hpp"

#include <nlohmann/json.hpp>

namespace dtsim::report {

/// Trace spans in the Chrome trace event format that Perfetto and chrome://tracing read. Every span's args
/// hold its step (counted from 1, as dtsim run prints them) and what it worked on; "otherData" names the
/// steps the trace covers and those the run simulated.
nlohmann::json chrome_trace(const RunResult& run);

/// The steps of the run's trace window that it simulated (a run that stops early leaves later ones out).
training::StepRange traced_steps_simulated(const RunResult& run);

} // namespace dtsim::report
