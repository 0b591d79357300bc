#pragma once
// The results folders of the dtsim sweep tests: a fresh folder per test, and a JSON Lines file's rows.
#include "cli.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

inline std::filesystem::path fresh_dir(const std::string& name)
{
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("dtsim-test-sweep-{}-{}", getpid(), name);
  std::filesystem::remove_all(dir);
  return dir;
}

inline std::vector<nlohmann::json> rows_of(const std::filesystem::path& file)
{
  std::vector<nlohmann::json> rows;
  std::istringstream lines(read_file(file));
  for (std::string line; std::getline(lines, line);)
    rows.push_back(nlohmann::json::parse(line));
  return rows;
}
