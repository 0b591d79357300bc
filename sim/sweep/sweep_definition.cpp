#include "sweep/sweep_definition.hpp"

#include "config/config_error.hpp"
#include "config/document.hpp"
#include "config/value_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

namespace dtsim::sweep {

namespace {

using config::ConfigError;
using config::Location;

Location where(const config::Document& doc, const YAML::Node& node)
{
  return {doc.file(), node.Mark().line + 1, node.Mark().column + 1};
}

/// A value as YAML text in one canonical form: flow style, no surrounding space, quoted where a scalar needs it
/// ("a: b", "[1") to be read back as itself. Throws ConfigError at `at` for a value yaml-cpp cannot read back
/// once it has written it: it writes a key over 1024 characters in a form its own parser refuses.
std::string canonical(const YAML::Node& value, const Location& at, const std::string& key)
{
  YAML::Emitter out;
  out << YAML::Flow << value;
  const std::string text = out.c_str();
  try {
    YAML::Load(text);
  } catch (const YAML::ParserException&) {
    throw ConfigError(at, key,
                      "expected a value that can be written as YAML and read back, found one that yaml-cpp cannot "
                      "read back once written (such as a key over 1024 characters)");
  }
  return text;
}

/// The canonical form of YAML text already in canonical form, or of a value given on the command line.
std::string canonical(const std::string& text)
{
  return canonical(YAML::Load(text), {text, 0, 0}, "");
}

/// A key of `section` (set, grid or zip): a dotted key path, which a '=' would cut short in "key=value".
std::string key_path(const config::Document& doc, const YAML::Node& key, const std::string& section)
{
  const std::string& text = key.Scalar();
  if (text.find('=') != std::string::npos)
    throw ConfigError(where(doc, key), section + "." + text,
                      "expected a dotted key path such as workload.batch_per_device, found a key with '=' in it");
  return text;
}

std::vector<SweptKey> swept_keys(const config::Document& doc, const std::string& section)
{
  std::vector<SweptKey> keys;
  const YAML::Node node = doc.root()[section];
  if (!node.IsDefined())
    return keys;
  if (!node.IsMap())
    throw ConfigError(where(doc, node), section, "expected a mapping of dotted keys to lists of values");
  for (const auto& entry : node) {
    const std::string key = key_path(doc, entry.first, section);
    if (!entry.second.IsSequence() || entry.second.size() == 0)
      throw ConfigError(where(doc, entry.second), section + "." + key,
                        "expected a non-empty list of the values the key takes, such as [1, 2, 4]");
    SweptKey swept{key, {}};
    for (const auto& value : entry.second)
      swept.values.push_back(canonical(value, where(doc, value), section + "." + key));
    keys.push_back(std::move(swept));
  }
  return keys;
}

void check_zip_lengths(const std::vector<SweptKey>& zip, const Location& at)
{
  for (const auto& k : zip)
    if (k.values.size() != zip.front().values.size())
      throw ConfigError(at, "zip." + k.key,
                        fmt::format("expected {} values, as many as zip.{} has, found {}", zip.front().values.size(),
                                    zip.front().key, k.values.size()));
}

void check_each_key_once(const SweepDefinition& s, const Location& at)
{
  std::set<std::string> seen;
  for (const auto& fixed : s.fixed)
    seen.insert(fixed.substr(0, fixed.find('=')));
  for (const auto& key : s.keys())
    if (!seen.insert(key).second)
      throw ConfigError(at, key, "the key is set or swept twice; expected it in one place only");
}

/// "a,b,[1,2],'c,d'" -> a | b | [1,2] | 'c,d': commas inside brackets, braces or quotes do not split.
std::vector<std::string> split_top_level(const std::string& text)
{
  std::vector<std::string> parts(1);
  int depth = 0;
  char quote = 0;
  for (const char c : text) {
    if (quote) {
      quote = c == quote ? 0 : quote;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' && depth == 0) {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  return parts;
}

/// "key=a,b,c" -> {key, [a, b, c]}; throws ConfigError for a malformed option.
SweptKey parse_swept(const std::string& option, const std::string& assignment)
{
  const Location at{option + " " + assignment, 0, 0};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(at, "", "expected key.path=value[,value...], found no '='");
  SweptKey swept{assignment.substr(0, eq), {}};
  for (const auto& value : split_top_level(assignment.substr(eq + 1))) {
    YAML::Node node;
    try {
      node = config::parse_yaml(value, at.origin);
    } catch (const ConfigError& e) {
      throw ConfigError(at, swept.key, fmt::format("the value \"{}\" is not valid: {}", value, e.message()));
    }
    if (node.IsNull())
      throw ConfigError(at, swept.key, "expected a value between the commas, found nothing");
    swept.values.push_back(canonical(node, at, swept.key));
  }
  return swept;
}

} // namespace

std::vector<std::string> SweepDefinition::keys() const
{
  std::vector<std::string> keys;
  for (const auto& k : grid)
    keys.push_back(k.key);
  for (const auto& k : zip)
    keys.push_back(k.key);
  return keys;
}

std::vector<SweepPoint> SweepDefinition::points() const
{
  std::size_t count = zip.empty() ? 1 : zip.front().values.size();
  for (const auto& k : grid)
    count *= k.values.size();
  std::vector<SweepPoint> points;
  points.reserve(count);
  std::map<std::string, std::size_t> first_with_id;
  for (std::size_t index = 0; index < count; ++index) {
    SweepPoint point;
    std::size_t rest = index;
    if (!zip.empty()) {
      const std::size_t z = rest % zip.front().values.size();
      rest /= zip.front().values.size();
      for (const auto& k : zip)
        point.settings.emplace_back(k.key, k.values[z]);
    }
    for (auto k = grid.rbegin(); k != grid.rend(); ++k) {
      point.settings.emplace(point.settings.begin(), k->key, k->values[rest % k->values.size()]);
      rest /= k->values.size();
    }
    point.id = point_id(fixed, point.settings);
    if (!first_with_id.emplace(point.id, index).second)
      throw ConfigError({base, 0, 0}, "",
                        fmt::format("points {} and {} of the sweep have the same settings; expected each value once",
                                    first_with_id[point.id] + 1, index + 1));
    points.push_back(std::move(point));
  }
  return points;
}

namespace {

/// The sweep of the sweep file `doc`.
SweepDefinition sweep_of(const config::Document& doc)
{
  const std::string& path = doc.file();
  const YAML::Node& root = doc.root();
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    static const std::vector<std::string> allowed{"version", "base", "set", "grid", "zip"};
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      const std::string close = config::closest_name(key, allowed);
      throw ConfigError(where(doc, entry.first), key,
                        "unknown key in a sweep file; expected one of version, base, set, grid, zip" +
                            (close.empty() ? "" : fmt::format(" (did you mean {}?)", close)));
    }
  }
  if (const YAML::Node version = root["version"];
      version.IsDefined() && !(version.IsScalar() && version.Scalar() == "1"))
    throw ConfigError(where(doc, version), "version", "expected 1, found " + config::describe(version));
  const YAML::Node base = root["base"];
  if (!base.IsDefined() || !base.IsScalar())
    throw ConfigError({path, 1, 1}, "base", "missing key: expected the path of the base scenario");
  SweepDefinition sweep;
  const std::filesystem::path given(base.Scalar());
  sweep.base = given.is_absolute() ? given.string() : (std::filesystem::path(path).parent_path() / given).string();
  if (const YAML::Node set = root["set"]; set.IsDefined()) {
    if (!set.IsMap())
      throw ConfigError(where(doc, set), "set", "expected a mapping of dotted keys to values");
    for (const auto& entry : set) {
      const std::string key = key_path(doc, entry.first, "set");
      sweep.fixed.push_back(key + "=" + canonical(entry.second, where(doc, entry.second), "set." + key));
    }
  }
  sweep.grid = swept_keys(doc, "grid");
  sweep.zip = swept_keys(doc, "zip");
  if (sweep.grid.empty() && sweep.zip.empty())
    throw ConfigError({path, 1, 1}, "grid", "missing key: expected grid or zip, the keys the sweep varies");
  check_zip_lengths(sweep.zip, root["zip"].IsDefined() ? where(doc, root["zip"]) : Location{path, 1, 1});
  check_each_key_once(sweep, {path, 1, 1});
  return sweep;
}

} // namespace

SweepDefinition load_sweep(const std::string& path)
{
  return sweep_of(config::Document::load(path));
}

SweepDefinition parse_sweep(const std::string& text, const std::string& name)
{
  return sweep_of(config::Document::parse(text, name));
}

void add_options(SweepDefinition& sweep, const std::vector<std::string>& sets, const std::vector<std::string>& zips)
{
  for (const auto& set : sets) {
    SweptKey swept = parse_swept("--set", set);
    if (swept.values.size() > 1)
      sweep.grid.push_back(std::move(swept));
    else
      sweep.fixed.push_back(swept.key + "=" + swept.values.front());
  }
  for (const auto& zip : zips)
    sweep.zip.push_back(parse_swept("--zip", zip));
  const Location at{"--zip " + (zips.empty() ? "" : zips.front()), 0, 0};
  check_zip_lengths(sweep.zip, at);
  check_each_key_once(sweep, {sets.empty() ? at.origin : "--set " + sets.front(), 0, 0});
}

SweepDefinition sweep_from_options(const std::string& base, const std::vector<std::string>& sets,
                                   const std::vector<std::string>& zips)
{
  SweepDefinition sweep{base, {}, {}, {}};
  add_options(sweep, sets, zips);
  return sweep;
}

bool is_sweep_file(const std::string& path)
{
  const config::Document doc = config::Document::load(path);
  return doc.root()["base"].IsDefined();
}

std::string point_id(const std::vector<std::string>& fixed,
                     const std::vector<std::pair<std::string, std::string>>& settings)
{
  std::vector<std::string> lines;
  for (const auto& f : fixed) {
    const auto eq = f.find('=');
    lines.push_back(f.substr(0, eq) + "=" + canonical(f.substr(eq + 1)));
  }
  for (const auto& [key, value] : settings)
    lines.push_back(key + "=" + canonical(value));
  std::sort(lines.begin(), lines.end());
  std::string text;
  for (const auto& line : lines)
    text += line + "\n";
  return fingerprint(text);
}

std::string fingerprint(const std::string& text)
{
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:012x}", hash >> 16);
}

} // namespace dtsim::sweep
