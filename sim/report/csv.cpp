#include "report/csv.hpp"

namespace dtsim::report {

std::string csv_cell(const nlohmann::json& value)
{
  if (value.is_null())
    return "";
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string quoted = "\"";
  for (const char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_line(const std::vector<std::string>& cells)
{
  std::string line;
  for (std::size_t k = 0; k < cells.size(); ++k)
    line += (k ? "," : "") + cells[k];
  return line + "\n";
}

std::string records_csv(const std::vector<std::string>& columns, const nlohmann::json& records)
{
  std::string csv = csv_line(columns);
  for (const auto& record : records) {
    std::vector<std::string> cells;
    for (const auto& column : columns)
      cells.push_back(csv_cell(record.value(column, nlohmann::json())));
    csv += csv_line(cells);
  }
  return csv;
}

} // namespace dtsim::report
