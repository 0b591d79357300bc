#include "sweep_internals.hpp"

#include "sweep/folder_lock.hpp"
#include "sweep/sweep_results.hpp"

std::shared_ptr<void> lock_sweep_folder(const std::string& dir, int shard_index, int shard_count)
{
  return std::make_shared<dtsim::sweep::FolderLock>(dir, shard_index, shard_count);
}

std::string checksum_of_row(const nlohmann::json& row)
{
  return dtsim::sweep::row_checksum(row);
}

std::string row_problem_in(const std::string& dir, const std::string& line)
{
  return dtsim::sweep::RowChecker(dtsim::sweep::read_manifest(dir)).check(line).problem;
}
