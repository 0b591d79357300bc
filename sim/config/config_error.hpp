#pragma once
#include <stdexcept>
#include <string>

namespace dtsim::config {

/// @brief Where a value came from: a position in a file, or a `--set` option on the command line.
struct Location {
  std::string origin; ///< file path, or the `--set key=value` text
  int line = 0;       ///< 1-based; 0 when the origin is a command-line option
  int column = 0;     ///< 1-based; 0 when the origin is a command-line option

  std::string to_string() const;
};

/// @brief Bad input: says where, which key, what was expected and what was found.
class ConfigError : public std::runtime_error {
public:
  ConfigError(Location where, std::string key, std::string message);

  const Location& where() const { return where_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

private:
  Location where_;
  std::string key_;
  std::string message_;
};

} // namespace dtsim::config
