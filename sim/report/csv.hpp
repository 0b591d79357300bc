#pragma once
/// @brief CSV as RFC 4180 writes it, for every command's --csv and a sweep's results.csv.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dtsim::report {

/// A cell: text quoted when it holds a comma, quote or line break; a number as JSON writes it; null as empty.
std::string csv_cell(const nlohmann::json& value);

/// The cells joined by commas, with the line's end.
std::string csv_line(const std::vector<std::string>& cells);

/// A header of `columns` and a line per record of `records` (JSON objects), its value of each column in turn;
/// a column the record lacks is an empty cell.
std::string records_csv(const std::vector<std::string>& columns, const nlohmann::json& records);

} // namespace dtsim::report
