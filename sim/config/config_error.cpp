#include "config/config_error.hpp"

#include <algorithm>
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

ConfigErrors::ConfigErrors(const std::vector<ConfigError>& errors, std::size_t more)
    : ConfigError(errors.front())
{
  for (const auto& e : errors)
    all_ += (all_.empty() ? "" : "\n") + std::string(e.ConfigError::what());
  if (more > 0)
    all_ += fmt::format("\n... and {} more error{}", more, more == 1 ? "" : "s");
}

void ErrorCollector::add(const ConfigError& e)
{
  // One error per key, and none inside a section already wrong: a value of the wrong shape is also one that
  // cannot be read, and a section written as a value misses every key of its own.
  const auto covered = [&](const ConfigError& seen) {
    return !seen.key().empty() && (e.key() == seen.key() || e.key().starts_with(seen.key() + "."));
  };
  if (std::any_of(errors_.begin(), errors_.end(), covered))
    return;
  if (errors_.size() < limit)
    errors_.push_back(e);
  else
    ++more_;
}

void ErrorCollector::throw_if_any() const
{
  if (errors_.size() == 1)
    throw errors_.front();
  if (!errors_.empty())
    throw ConfigErrors(errors_, more_);
}

} // namespace dtsim::config
