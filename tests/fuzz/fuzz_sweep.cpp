// libFuzzer target: arbitrary bytes as a sweep file. A ConfigError is the loader refusing the input
// cleanly; anything else escaping (another exception, a crash, a sanitizer report) is a finding.
#include "config/config_error.hpp"
#include "sweep/sweep_definition.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const dtsim::sweep::SweepDefinition sweep =
        dtsim::sweep::parse_sweep(text, DTSIM_SOURCE_DIR "/scenarios/sweeps/fuzz-input.yaml");
    // The ids of the points: every value is read back as YAML and written in canonical form.
    dtsim::sweep::point_id(sweep.fixed, {});
    for (const auto& key : sweep.grid)
      for (const auto& value : key.values)
        dtsim::sweep::point_id(sweep.fixed, {{key.key, value}});
  } catch (const dtsim::config::ConfigError&) {
  }
  return 0;
}
