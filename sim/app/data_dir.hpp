#pragma once
/// @brief Where dtsim finds its data: catalog/, workloads/ and topologies/.
#include <optional>
#include <string>

namespace dtsim::app {

/// The folder named by `--data-dir` (`option`), else by the DTSIM_DATA_DIR environment variable (`environment`),
/// else `beside_binary` taken from the folder of the running executable: share/dtsim next to bin/ once installed,
/// where the build tree keeps a link to the source folder. Throws ConfigError, naming where the folder came from,
/// when it holds no catalog/.
std::string find_data_dir(const std::optional<std::string>& option, const char* environment,
                          const std::string& beside_binary);

} // namespace dtsim::app
