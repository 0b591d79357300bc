#pragma once
// The results folders of the dtsim sweep tests: a fresh folder per test, and a JSON Lines file's rows.
#include "cli.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

/// A path for a sweep's results folder, which does not exist yet.
inline std::filesystem::path fresh_dir(const std::string& name)
{
  static const TempDir dir("dtsim-test-sweep");
  return dir / name;
}

inline std::vector<nlohmann::json> rows_of(const std::filesystem::path& file)
{
  std::vector<nlohmann::json> rows;
  std::istringstream lines(read_file(file));
  for (std::string line; std::getline(lines, line);)
    rows.push_back(nlohmann::json::parse(line));
  return rows;
}
