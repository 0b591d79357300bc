#include "config/document.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <numeric>
#include <sstream>

namespace dtsim::config {

Document::Document(YAML::Node root, std::string file)
    : root_(std::move(root))
    , file_(std::move(file))
{
}

namespace {
/// yaml-cpp keeps the first of two equal keys silently; a scenario must not.
void reject_duplicate_keys(const YAML::Node& node, const std::string& name, const std::string& path)
{
  if (node.IsSequence())
    for (const auto& item : node)
      reject_duplicate_keys(item, name, path);
  if (!node.IsMap())
    return;
  std::vector<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const std::string child = join_path(path, key);
    if (std::find(seen.begin(), seen.end(), key) != seen.end())
      throw ConfigError({name, entry.first.Mark().line + 1, entry.first.Mark().column + 1}, child,
                        "key given twice in the same section; expected it once");
    seen.push_back(key);
    reject_duplicate_keys(entry.second, name, child);
  }
}
} // namespace

Document Document::parse(const std::string& text, const std::string& name)
{
  try {
    YAML::Node root = YAML::Load(text);
    reject_duplicate_keys(root, name, "");
    if (!root.IsMap() && !root.IsNull())
      throw ConfigError({name, root.Mark().line + 1, root.Mark().column + 1}, "",
                        "expected a mapping of keys at the top of the file, found a list or a scalar");
    if (root.IsNull())
      root.reset(YAML::Node(YAML::NodeType::Map));
    return Document(root, name);
  } catch (const YAML::ParserException& e) {
    throw ConfigError({name, e.mark.line + 1, e.mark.column + 1}, "", "invalid YAML: " + e.msg);
  }
}

Document Document::load(const std::string& path)
{
  std::ifstream in(path);
  if (!in)
    throw ConfigError({path, 0, 0}, "", "cannot open the file");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

void Document::apply_override(const std::string& assignment)
{
  const Location option{"--set " + assignment, 0, 0};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(option, "", "expected key.path=value, found no '='");
  const std::string path = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = YAML::Load(assignment.substr(eq + 1));
  } catch (const YAML::ParserException& e) {
    throw ConfigError(option, path, "the value is not valid YAML: " + e.msg);
  }
  if (value.IsNull())
    throw ConfigError(option, path, "expected a value after '=', found nothing");

  std::vector<std::string> keys;
  std::stringstream split(path);
  for (std::string key; std::getline(split, key, '.');) {
    if (key.empty())
      throw ConfigError(option, path, "expected a dotted key path such as workload.batch_per_device");
    keys.push_back(key);
  }
  YAML::Node current = root_;
  std::string walked;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    walked = join_path(walked, keys[i]);
    YAML::Node next = current[keys[i]];
    if (!next.IsDefined() || next.IsNull()) {
      current[keys[i]] = YAML::Node(YAML::NodeType::Map);
      overrides_.emplace_back(walked, option.origin);
    } else if (!next.IsMap()) {
      throw ConfigError(option, walked, "expected a section to set a key inside, found a value");
    }
    current.reset(current[keys[i]]);
  }
  // Removing first detaches the key from a node it may share with a YAML anchor.
  current.remove(keys.back());
  current[keys.back()] = value;
  overrides_.emplace_back(path, option.origin);
}

void Document::remove(const std::string& section, const std::string& key)
{
  if (YAML::Node node = root_[section]; node.IsMap())
    node.remove(key);
}

void Document::inherit(const std::string& section, const Document& block)
{
  const YAML::Node& given = block.root()[section];
  if (!given.IsMap())
    return;
  YAML::Node target = root_[section];
  for (const auto& entry : given) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& mine = target;
    if (mine[key].IsDefined())
      continue;
    target[key] = YAML::Clone(entry.second);
    const std::string path = join_path(section, key);
    inherited_.emplace_back(path, block.locate(path, entry.second));
  }
}

Location Document::locate(const std::string& path, const YAML::Node& node) const
{
  for (auto it = overrides_.rbegin(); it != overrides_.rend(); ++it) {
    const std::string& set_path = it->first;
    if (path == set_path || path.starts_with(set_path + "."))
      return {it->second, 0, 0};
  }
  for (const auto& [inherited_path, where] : inherited_)
    if (path == inherited_path || path.starts_with(inherited_path + "."))
      return where;
  if (!node.IsDefined() || node.Mark().is_null())
    return {file_, 1, 1};
  return {file_, node.Mark().line + 1, node.Mark().column + 1};
}

std::string join_path(const std::string& parent, const std::string& key)
{
  return parent.empty() ? key : parent + "." + key;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b)
{
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
} // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& allowed)
{
  std::string best;
  std::size_t best_distance = 4;
  for (const auto& candidate : allowed) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

} // namespace dtsim::config
