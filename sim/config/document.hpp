#pragma once
#include "config/config_error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace dtsim::config {

/// Bounds on a YAML input, so that no file or option can exhaust time, memory or stack.
inline constexpr std::size_t max_document_bytes = 1024 * 1024;
/// Values counted with every alias expanded where it is used, as the loaders walk them.
inline constexpr std::size_t max_expanded_values = 100'000;
/// Sections and lists inside one another.
inline constexpr std::size_t max_nesting_depth = 64;

/// What is at `path` when it is not a regular file ("no file", "a directory", "a device", ...); nothing when it
/// is one. Also "no file" when it cannot be looked up (a name too long, say).
std::optional<std::string> not_a_regular_file(const std::string& path);

/// Parses `text`, read from `name`, as YAML within the bounds above; duplicate keys, keys that are not
/// names and aliases that contain themselves are errors too. Throws ConfigError.
YAML::Node parse_yaml(const std::string& text, const std::string& name);

/// @brief A YAML file with `--set` overrides applied, which can say where each of its values came from.
class Document {
public:
  /// Reads and parses `path`, a regular file of at most max_document_bytes; a YAML syntax error becomes a
  /// ConfigError with its line and column.
  static Document load(const std::string& path);
  /// Parses `text` as if it were the file `name` (for tests and embedded data).
  static Document parse(const std::string& text, const std::string& name);

  /// Applies one `key.path=value` override; the value is read as YAML, so `[1,2]` is a list, and `null` (or `~`)
  /// removes the key. Returns the path of a key so removed, whether or not the document had it, for the caller
  /// to check that such a key exists.
  std::optional<std::string> apply_override(const std::string& assignment);

  /// Removes `key` from `section`, if both are there.
  void remove(const std::string& section, const std::string& key);

  /// Copies into `section` every key of `block`'s `section` that this document does not set, and
  /// remembers that those values come from `block` (a named building block such as a DGX node).
  void inherit(const std::string& section, const Document& block);

  const YAML::Node& root() const { return root_; }
  const std::string& file() const { return file_; }

  /// Where `node`, found at dotted `path`, came from: the override that set it, or its file position.
  Location locate(const std::string& path, const YAML::Node& node) const;

private:
  Document(YAML::Node root, std::string file);

  YAML::Node root_;
  std::string file_;
  std::vector<std::pair<std::string, std::string>> overrides_; // dotted path, option text
  std::vector<std::pair<std::string, Location>> inherited_;    // dotted path, where the block sets it
};

/// The dotted path of `key` inside `parent` ("" parent gives just `key`).
std::string join_path(const std::string& parent, const std::string& key);

/// The allowed name closest to `name` (edit distance at most 3), or "" when none is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& allowed);

} // namespace dtsim::config
