#pragma once
/// @brief The nccl-tests-style table of `dtsim collective`: size, time, algbw, busbw.
///
/// Formulas from NVIDIA/nccl-tests doc/PERFORMANCE.md: algbw = S / t; busbw = algbw x 2(n-1)/n
/// for all-reduce, x (n-1)/n for reduce-scatter and all-gather (S the whole array), x 1 for broadcast
/// and for send/recv (S: what each rank sends to the next, sendrecv_perf).
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace dtsim::report {

enum class CollectiveOp { all_reduce, reduce_scatter, all_gather, broadcast, send_recv };

struct CollectiveRow {
  double bytes = 0;
  double seconds = 0;
  std::string algorithm; ///< algorithm and protocol, such as "tree/Simple"
};

/// Parses an operation name as nccl-tests spells its binaries' operations (all_reduce, ...); throws
/// std::invalid_argument.
CollectiveOp collective_op(const std::string& name);
std::string to_string(CollectiveOp op);
double bus_bandwidth_factor(CollectiveOp op, int ranks);
/// Sizes from `first` to `last` multiplying by `factor`, as nccl-tests -b/-e/-f do.
std::vector<double> size_series(double first, double last, double factor);

void print_collective_table(std::ostream& out, CollectiveOp op, int ranks, const std::vector<CollectiveRow>& rows);

/// The rows as records for --json and --csv: op, ranks, size_B, time_s, algbw_B_per_s, busbw_B_per_s, algorithm.
nlohmann::json collective_records(CollectiveOp op, int ranks, const std::vector<CollectiveRow>& rows);
const std::vector<std::string>& collective_columns();

} // namespace dtsim::report
