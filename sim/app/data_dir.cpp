#include "app/data_dir.hpp"

#include "config/config_error.hpp"

#include <filesystem>
#include <fmt/format.h>

namespace dtsim::app {

namespace fs = std::filesystem;

namespace {

fs::path executable_folder()
{
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path() : executable.parent_path();
}

std::string checked(const fs::path& folder, const std::string& origin)
{
  std::error_code error;
  if (!fs::is_directory(folder / "catalog", error))
    throw config::ConfigError({origin, 0, 0}, "",
                              fmt::format("expected a data folder holding catalog/, workloads/ and topologies/, found "
                                          "{} without catalog/ (give --data-dir or DTSIM_DATA_DIR)",
                                          folder.string()));
  return folder.string();
}

} // namespace

std::string find_data_dir(const std::optional<std::string>& option, const char* environment,
                          const std::string& beside_binary)
{
  if (option)
    return checked(*option, "--data-dir " + *option);
  if (environment && *environment)
    return checked(environment, fmt::format("DTSIM_DATA_DIR={}", environment));
  const fs::path folder = executable_folder();
  return checked((folder / beside_binary).lexically_normal(),
                 fmt::format("the data folder beside {}", (folder / "dtsim").string()));
}

} // namespace dtsim::app
