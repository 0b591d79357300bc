// libFuzzer target: arbitrary bytes as a scenario file. A ConfigError is the loader refusing the input
// cleanly; anything else escaping (another exception, a crash, a sanitizer report) is a finding.
#include "config/config_error.hpp"
#include "config/scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // Named as a file in scenarios/, so that the paths it names resolve as a scenario's would.
    dtsim::config::parse_scenario(text, DTSIM_SOURCE_DIR "/scenarios/fuzz-input.yaml", {}, DTSIM_SOURCE_DIR);
  } catch (const dtsim::config::ConfigError&) {
  }
  return 0;
}
