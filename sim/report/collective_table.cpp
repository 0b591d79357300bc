#include "report/collective_table.hpp"

#include <fmt/ostream.h>
#include <stdexcept>

namespace dtsim::report {

CollectiveOp collective_op(const std::string& name)
{
  if (name == "all_reduce")
    return CollectiveOp::all_reduce;
  if (name == "reduce_scatter")
    return CollectiveOp::reduce_scatter;
  if (name == "all_gather")
    return CollectiveOp::all_gather;
  if (name == "broadcast")
    return CollectiveOp::broadcast;
  if (name == "send_recv")
    return CollectiveOp::send_recv;
  throw std::invalid_argument("expected all_reduce, reduce_scatter, all_gather, broadcast or send_recv, found \"" +
                              name + "\"");
}

std::string to_string(CollectiveOp op)
{
  switch (op) {
  case CollectiveOp::all_reduce:
    return "all_reduce";
  case CollectiveOp::reduce_scatter:
    return "reduce_scatter";
  case CollectiveOp::all_gather:
    return "all_gather";
  case CollectiveOp::broadcast:
    return "broadcast";
  case CollectiveOp::send_recv:
    return "send_recv";
  }
  return "?";
}

double bus_bandwidth_factor(CollectiveOp op, int ranks)
{
  const double n = ranks;
  switch (op) {
  case CollectiveOp::all_reduce:
    return 2 * (n - 1) / n;
  case CollectiveOp::reduce_scatter:
  case CollectiveOp::all_gather:
    return (n - 1) / n;
  case CollectiveOp::broadcast:
  case CollectiveOp::send_recv:
    return 1;
  }
  return 1;
}

std::vector<double> size_series(double first, double last, double factor)
{
  if (first <= 0 || last < first || factor <= 1)
    throw std::invalid_argument("expected 0 < first <= last and a factor > 1");
  std::vector<double> sizes;
  for (double size = first; size <= last * (1 + 1e-12); size *= factor)
    sizes.push_back(size);
  return sizes;
}

void print_collective_table(std::ostream& out, CollectiveOp op, int ranks, const std::vector<CollectiveRow>& rows)
{
  fmt::print(out, "# {} over {} ranks (simulated); busbw = algbw x {:.4g}\n", to_string(op), ranks,
             bus_bandwidth_factor(op, ranks));
  fmt::print(out, "#{:>14} {:>14} {:>7} {:>12} {:>12} {:>12}  {}\n", "size", "count", "type", "time(us)", "algbw(GB/s)",
             "busbw(GB/s)", "algorithm");
  for (const auto& row : rows) {
    const double algbw = row.bytes / row.seconds / 1e9;
    fmt::print(out, " {:>14.0f} {:>14.0f} {:>7} {:>12.1f} {:>12.2f} {:>12.2f}  {}\n", row.bytes, row.bytes / 4, "float",
               row.seconds * 1e6, algbw, algbw * bus_bandwidth_factor(op, ranks), row.algorithm);
  }
}

nlohmann::json collective_records(CollectiveOp op, int ranks, const std::vector<CollectiveRow>& rows)
{
  nlohmann::json records = nlohmann::json::array();
  for (const auto& row : rows) {
    const double algbw = row.bytes / row.seconds;
    records.push_back({{"op", to_string(op)},
                       {"ranks", ranks},
                       {"size_B", row.bytes},
                       {"time_s", row.seconds},
                       {"algbw_B_per_s", algbw},
                       {"busbw_B_per_s", algbw * bus_bandwidth_factor(op, ranks)},
                       {"algorithm", row.algorithm}});
  }
  return records;
}

const std::vector<std::string>& collective_columns()
{
  static const std::vector<std::string> columns{
      "op", "ranks", "size_B", "time_s", "algbw_B_per_s", "busbw_B_per_s", "algorithm"};
  return columns;
}

} // namespace dtsim::report
