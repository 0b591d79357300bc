#pragma once
/// @brief A sweep: one base scenario and the settings that vary from point to point.
///
/// Keys vary in two ways. A `grid` key takes every one of its values with every value of the other grid keys
/// (the cartesian product); the `zip` keys vary together, the k-th value of each in the k-th point of the zip.
/// Grid and zip combine as a product too, the zip varying fastest, then the last grid key.
#include <string>
#include <utility>
#include <vector>

namespace dtsim::sweep {

/// @brief One key and the values it takes, each value as YAML text (what `--set key=value` would give).
struct SweptKey {
  std::string key;
  std::vector<std::string> values;
};

/// @brief One point of a sweep: its id and the `--set` assignments that make it from the base.
struct SweepPoint {
  std::string id; ///< derived from `settings`: the same settings, the same id
  std::vector<std::pair<std::string, std::string>> settings; ///< the swept keys' values, key order of the sweep
};

struct SweepDefinition {
  std::string base;               ///< the base scenario's path
  std::vector<std::string> fixed; ///< `key=value` applied to every point before the swept keys
  std::vector<SweptKey> grid;
  std::vector<SweptKey> zip;

  /// The swept keys, grid first, in the order given.
  std::vector<std::string> keys() const;
  /// Every point, in sweep order; throws ConfigError when two points would have the same settings.
  std::vector<SweepPoint> points() const;
};

/// Reads a sweep file: `base` (a scenario path, relative to the sweep file), optional `set` (a mapping of
/// keys to fixed values), `grid` and `zip` (mappings of keys to lists of values). Throws ConfigError.
SweepDefinition load_sweep(const std::string& path);

/// load_sweep for `text` read as if it were the file `name`.
SweepDefinition parse_sweep(const std::string& text, const std::string& name);

/// A sweep from the command line: `--set key=a,b,c` (a comma list outside brackets) is a grid key, any other
/// `--set` is fixed, and `--zip key=a,b,c` keys vary together. Throws ConfigError.
SweepDefinition sweep_from_options(const std::string& base, const std::vector<std::string>& sets,
                                   const std::vector<std::string>& zips);

/// Adds command-line options to a sweep read from a file (`sweep_from_options`' rules); throws ConfigError
/// when a key is swept twice.
void add_options(SweepDefinition& sweep, const std::vector<std::string>& sets, const std::vector<std::string>& zips);

/// Whether `path` is a sweep file (it has a top-level `base` key) rather than a scenario.
bool is_sweep_file(const std::string& path);

/// 12 hex digits of a 64-bit FNV-1a hash of `text`: the same text, the same digits, on every machine.
std::string fingerprint(const std::string& text);

/// The id of a point with these settings: the fingerprint of its "key=value" lines (fixed and swept) in key
/// order, the values in canonical YAML (so "4" and " 4" agree).
std::string point_id(const std::vector<std::string>& fixed,
                     const std::vector<std::pair<std::string, std::string>>& settings);

} // namespace dtsim::sweep
