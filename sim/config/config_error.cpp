#include "config/config_error.hpp"

#include <fmt/format.h>

namespace dtsim::config {

std::string Location::to_string() const
{
  if (line == 0)
    return origin;
  return fmt::format("{}:{}:{}", origin, line, column);
}

namespace {
std::string compose(const Location& where, const std::string& key, const std::string& message)
{
  if (key.empty())
    return fmt::format("{}: {}", where.to_string(), message);
  return fmt::format("{}: {}: {}", where.to_string(), key, message);
}
} // namespace

ConfigError::ConfigError(Location where, std::string key, std::string message)
    : std::runtime_error(compose(where, key, message))
    , where_(std::move(where))
    , key_(std::move(key))
    , message_(std::move(message))
{
}

} // namespace dtsim::config
