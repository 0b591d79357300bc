#pragma once
/// @brief Typed reads of YAML values with errors that say where, which key, what was expected and found.
#include "config/document.hpp"
#include "units/units.hpp"

#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace dtsim::config {

/// How a value found in YAML reads to a person: "\"abc\"", "a list", "a section", "nothing".
std::string describe(const YAML::Node& node);

[[noreturn]] void fail(const Document& doc, const std::string& path, const YAML::Node& node,
                       const std::string& message);

double read_quantity(const Document& doc, const YAML::Node& node, const std::string& path, units::Dimension dim);
long long read_integer(const Document& doc, const YAML::Node& node, const std::string& path);
bool read_boolean(const Document& doc, const YAML::Node& node, const std::string& path);
std::string read_text(const Document& doc, const YAML::Node& node, const std::string& path);

/// Fails on the first key of mapping `map` (at `path`) that is not in `allowed`, with "did you mean".
/// Throws ConfigError when the key `key_node` of the section at `path` is not one of `allowed`.
void check_key(const Document& doc, const YAML::Node& key_node, const std::string& path,
               const std::vector<std::string>& allowed);
void check_keys(const Document& doc, const YAML::Node& map, const std::string& path,
                const std::vector<std::string>& allowed);

/// @brief One YAML mapping of a data file, read key by key; unknown keys are reported by finish().
class MapReader {
public:
  MapReader(const Document& doc, const YAML::Node& map, std::string path);

  bool has(const std::string& key) const;
  YAML::Node node(const std::string& key) const; ///< fails when the key is missing
  double quantity(const std::string& key, units::Dimension dim) const;
  long long integer(const std::string& key) const;
  std::string text(const std::string& key) const;
  MapReader section(const std::string& key) const;
  std::vector<std::string> keys() const;
  std::string path_of(const std::string& key) const { return join_path(path_, key); }
  const Document& document() const { return doc_; }
  [[noreturn]] void fail_at(const std::string& key, const std::string& message) const;
  /// Fails on any key that was never read.
  void finish() const;

private:
  const Document& doc_;
  YAML::Node map_;
  std::string path_;
  mutable std::vector<std::string> read_;
};

} // namespace dtsim::config
