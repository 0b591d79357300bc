#pragma once
// The parts of dtsim::sweep that the command-line tests use, under names that cli.hpp's dtsim() leaves free.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

/// A dtsim::sweep::FolderLock on `dir`, held as long as the pointer lives.
std::shared_ptr<void> lock_sweep_folder(const std::string& dir, int shard_index = 0, int shard_count = 1);

/// dtsim::sweep::row_checksum.
std::string checksum_of_row(const nlohmann::json& row);

/// Why `line` is not a row of the sweep in `dir` ("" when it is one).
std::string row_problem_in(const std::string& dir, const std::string& line);
