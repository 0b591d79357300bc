#include "config/value_reader.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace dtsim::config {

std::string describe(const YAML::Node& node)
{
  if (!node.IsDefined() || node.IsNull())
    return "nothing";
  if (node.IsSequence())
    return "a list";
  if (node.IsMap())
    return "a section (a mapping of keys)";
  return fmt::format("\"{}\"", node.Scalar());
}

void fail(const Document& doc, const std::string& path, const YAML::Node& node, const std::string& message)
{
  throw ConfigError(doc.locate(path, node), path, message);
}

namespace {
const std::string& scalar_or_fail(const Document& doc, const YAML::Node& node, const std::string& path,
                                  const std::string& expected)
{
  if (!node.IsScalar())
    fail(doc, path, node, fmt::format("expected {}, found {}", expected, describe(node)));
  return node.Scalar();
}
} // namespace

double read_quantity(const Document& doc, const YAML::Node& node, const std::string& path, units::Dimension dim)
{
  const std::string& text = scalar_or_fail(doc, node, path, units::expected_form(dim));
  try {
    return units::parse(text, dim);
  } catch (const units::UnitError& e) {
    fail(doc, path, node, e.what());
  }
}

long long read_integer(const Document& doc, const YAML::Node& node, const std::string& path)
{
  const std::string& text = scalar_or_fail(doc, node, path, "a whole number");
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    fail(doc, path, node, fmt::format("expected a whole number, found \"{}\"", text));
  return value;
}

bool read_boolean(const Document& doc, const YAML::Node& node, const std::string& path)
{
  const std::string& text = scalar_or_fail(doc, node, path, "true or false");
  if (text == "true")
    return true;
  if (text == "false")
    return false;
  fail(doc, path, node, fmt::format("expected true or false, found \"{}\"", text));
}

std::string read_text(const Document& doc, const YAML::Node& node, const std::string& path)
{
  return scalar_or_fail(doc, node, path, "a text value");
}

void check_key(const Document& doc, const YAML::Node& key_node, const std::string& path,
               const std::vector<std::string>& allowed)
{
  const std::string key = key_node.Scalar();
  if (std::find(allowed.begin(), allowed.end(), key) != allowed.end())
    return;
  const std::string suggestion = closest_name(key, allowed);
  std::string message = "unknown key";
  if (!suggestion.empty())
    message += fmt::format(" (did you mean \"{}\"?)", suggestion);
  message += fmt::format("; expected one of: {}", fmt::join(allowed, ", "));
  throw ConfigError(doc.locate(join_path(path, key), key_node), join_path(path, key), message);
}

void check_keys(const Document& doc, const YAML::Node& map, const std::string& path,
                const std::vector<std::string>& allowed)
{
  for (const auto& entry : map)
    check_key(doc, entry.first, path, allowed);
}

MapReader::MapReader(const Document& doc, const YAML::Node& map, std::string path)
    : doc_(doc)
    , map_(map)
    , path_(std::move(path))
{
  if (!map_.IsMap())
    fail(doc_, path_, map_, fmt::format("expected a section (a mapping of keys), found {}", describe(map_)));
}

bool MapReader::has(const std::string& key) const
{
  return map_[key].IsDefined() && !map_[key].IsNull();
}

YAML::Node MapReader::node(const std::string& key) const
{
  read_.push_back(key);
  YAML::Node value = map_[key];
  if (!value.IsDefined() || value.IsNull())
    throw ConfigError(doc_.locate(path_of(key), map_), path_of(key), "missing key: expected it in this section");
  return value;
}

double MapReader::quantity(const std::string& key, units::Dimension dim) const
{
  return read_quantity(doc_, node(key), path_of(key), dim);
}

long long MapReader::integer(const std::string& key) const
{
  return read_integer(doc_, node(key), path_of(key));
}

std::string MapReader::text(const std::string& key) const
{
  return read_text(doc_, node(key), path_of(key));
}

MapReader MapReader::section(const std::string& key) const
{
  return MapReader(doc_, node(key), path_of(key));
}

std::vector<std::string> MapReader::keys() const
{
  std::vector<std::string> names;
  for (const auto& entry : map_)
    names.push_back(entry.first.Scalar());
  return names;
}

void MapReader::fail_at(const std::string& key, const std::string& message) const
{
  const YAML::Node value = map_[key];
  fail(doc_, path_of(key), value.IsDefined() ? value : map_, message);
}

void MapReader::finish() const
{
  check_keys(doc_, map_, path_, read_);
}

} // namespace dtsim::config
