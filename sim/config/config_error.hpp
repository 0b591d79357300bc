#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

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

/// @brief Several errors of one input, found before giving up on it: the first is this error's own, and what()
/// lists them all, one per line.
class ConfigErrors : public ConfigError {
public:
  explicit ConfigErrors(const std::vector<ConfigError>& errors, std::size_t more);
  const char* what() const noexcept override { return all_.c_str(); }

private:
  std::string all_;
};

/// @brief Gathers the errors of independent checks, so that one run reports as many mistakes as it can.
class ErrorCollector {
public:
  static constexpr std::size_t limit = 20; ///< errors listed; those past it are counted

  /// Runs `check`, keeping the ConfigError it throws, if any, unless one of its key is already kept.
  template <typename Check> void attempt(Check&& check)
  {
    try {
      check();
    } catch (const ConfigError& e) {
      add(e);
    }
  }
  void add(const ConfigError& e);
  bool empty() const { return errors_.empty(); }
  /// Throws the one error, or ConfigErrors for several; nothing when there is none.
  void throw_if_any() const;

private:
  std::vector<ConfigError> errors_;
  std::size_t more_ = 0;
};

} // namespace dtsim::config
