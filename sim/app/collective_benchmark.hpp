#pragma once
/// @brief `dtsim collective`: one collective at a series of sizes on a scenario's cluster, like nccl-tests.
#include "config/scenario.hpp"
#include "report/collective_table.hpp"

#include <vector>

namespace dtsim::app {

/// Simulates `op` over every accelerator of the scenario's cluster at each size in turn, on an
/// otherwise idle network. One simulation per process, like simulate().
std::vector<report::CollectiveRow> benchmark_collective(const config::Scenario& scenario, report::CollectiveOp op,
                                                        const std::vector<double>& sizes);

} // namespace dtsim::app
