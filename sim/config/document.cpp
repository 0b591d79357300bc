#include "config/document.hpp"

#include "units/units.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <numeric>
#include <optional>
#include <sstream>
#include <unordered_set>
#include <yaml-cpp/depthguard.h>

namespace dtsim::config {

Document::Document(YAML::Node root, std::string file)
    : root_(std::move(root))
    , file_(std::move(file))
{
}

namespace {

Location position(const std::string& name, const YAML::Node& node)
{
  return {name, node.Mark().line + 1, node.Mark().column + 1};
}

/// Walks a parsed document as the loaders do, each alias expanded where it is used, and refuses it at the
/// first value past a bound, so that the walk itself stops after at most max_expanded_values values.
/// (yaml-cpp makes an alias the very node its anchor names: `&a [*a]` is a list that contains itself.)
class BoundedWalk {
public:
  explicit BoundedWalk(const std::string& name)
      : name_(name)
  {
  }

  void visit(const YAML::Node& node, const std::string& path)
  {
    if (++values_ > max_expanded_values)
      throw ConfigError(outer_key_ ? *outer_key_ : position(name_, node), path,
                        fmt::format("expected at most {} values with every alias (*name) expanded where it is "
                                    "used, found more",
                                    max_expanded_values));
    if (!node.IsMap() && !node.IsSequence())
      return;
    enter(node, path);
    if (node.IsSequence())
      for (const auto& item : node)
        visit(item, path);
    else
      visit_entries(node, path);
    ancestors_.pop_back();
  }

private:
  void enter(const YAML::Node& node, const std::string& path)
  {
    if (std::any_of(ancestors_.begin(), ancestors_.end(), [&](const YAML::Node& a) { return a.is(node); }))
      throw ConfigError(position(name_, node), path,
                        "expected an alias (*name) to name a finished value, found one inside the value it names "
                        "(the value would contain itself)");
    if (ancestors_.size() == max_nesting_depth)
      throw ConfigError(
          position(name_, node), path,
          fmt::format("expected sections and lists nested at most {} deep, found deeper nesting", max_nesting_depth));
    ancestors_.push_back(node);
  }

  /// yaml-cpp keeps the first of two equal keys silently; a dtsim file must not.
  void visit_entries(const YAML::Node& map, const std::string& path)
  {
    std::unordered_set<std::string> keys;
    for (const auto& entry : map) {
      if (!entry.first.IsScalar())
        throw ConfigError(position(name_, entry.first), path,
                          fmt::format("expected a key name, found {}",
                                      entry.first.IsNull() ? "nothing" : "a list or a section as the key"));
      const std::string& key = entry.first.Scalar();
      const std::string child = join_path(path, key);
      if (ancestors_.size() == 1)
        outer_key_ = position(name_, entry.first);
      if (!keys.insert(key).second)
        throw ConfigError(position(name_, entry.first), child, "key given twice in the same section; expected it once");
      visit(entry.second, child);
    }
  }

  const std::string& name_;
  /// Where the top-level key being walked is: every node an alias reaches has its anchor's position instead.
  std::optional<Location> outer_key_;
  std::size_t values_ = 0;
  std::vector<YAML::Node> ancestors_;
};

void refuse_oversized(const std::string& name, std::uintmax_t bytes)
{
  if (bytes > max_document_bytes)
    throw ConfigError({name, 0, 0}, "",
                      fmt::format("expected a document of at most {} bytes ({}), found {} bytes", max_document_bytes,
                                  units::format(static_cast<double>(max_document_bytes), units::Dimension::size),
                                  bytes));
}

std::string describe_file_type(std::filesystem::file_type type)
{
  switch (type) {
  case std::filesystem::file_type::directory:
    return "a directory";
  case std::filesystem::file_type::fifo:
    return "a named pipe (FIFO)";
  case std::filesystem::file_type::character:
  case std::filesystem::file_type::block:
    return "a device";
  case std::filesystem::file_type::socket:
    return "a socket";
  default:
    return "something other than a file";
  }
}

/// The size of `path`, refused before anything is read when it is missing, not a regular file, or too large.
std::uintmax_t readable_size(const std::string& path)
{
  if (const auto found = not_a_regular_file(path))
    throw ConfigError({path, 0, 0}, "",
                      *found == "no file" ? "cannot open the file"
                                          : fmt::format("expected a regular file (a YAML document), found {}", *found));
  std::error_code error;
  const std::uintmax_t bytes = std::filesystem::file_size(path, error);
  if (error)
    throw ConfigError({path, 0, 0}, "", "cannot open the file");
  refuse_oversized(path, bytes);
  return bytes;
}

} // namespace

std::optional<std::string> not_a_regular_file(const std::string& path)
{
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || status.type() == std::filesystem::file_type::not_found)
    return "no file";
  if (status.type() != std::filesystem::file_type::regular)
    return describe_file_type(status.type());
  return std::nullopt;
}

YAML::Node parse_yaml(const std::string& text, const std::string& name)
{
  refuse_oversized(name, text.size());
  try {
    YAML::Node root = YAML::Load(text);
    BoundedWalk(name).visit(root, "");
    return root;
  } catch (const YAML::DeepRecursion& e) { // yaml-cpp's parser stops far deeper than the walk, with "bad file"
    throw ConfigError({name, e.mark.line + 1, e.mark.column + 1}, "",
                      fmt::format("expected sections and lists nested at most {} deep, found {} or more",
                                  max_nesting_depth, e.depth()));
  } catch (const YAML::ParserException& e) {
    throw ConfigError({name, e.mark.line + 1, e.mark.column + 1}, "", "invalid YAML: " + e.msg);
  }
}

Document Document::parse(const std::string& text, const std::string& name)
{
  YAML::Node root = parse_yaml(text, name);
  if (!root.IsMap() && !root.IsNull())
    throw ConfigError(position(name, root), "",
                      "expected a mapping of keys at the top of the file, found a list or a scalar");
  if (root.IsNull())
    root.reset(YAML::Node(YAML::NodeType::Map));
  return Document(root, name);
}

Document Document::load(const std::string& path)
{
  const std::uintmax_t bytes = readable_size(path);
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError({path, 0, 0}, "", "cannot open the file");
  std::string text(bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(bytes));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.peek() != std::ifstream::traits_type::eof())
    throw ConfigError({path, 0, 0}, "",
                      fmt::format("expected {} bytes, the file's size, found more reading it (a file still being "
                                  "written, or a special file such as those in /proc)",
                                  bytes));
  return parse(text, path);
}

std::optional<std::string> Document::apply_override(const std::string& assignment)
{
  const Location option{"--set " + assignment, 0, 0};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(option, "", "expected key.path=value, found no '='");
  const std::string path = assignment.substr(0, eq);
  YAML::Node value;
  try {
    value = parse_yaml(assignment.substr(eq + 1), option.origin);
  } catch (const ConfigError& e) {
    throw ConfigError(option, path, "the value is not valid: " + e.message());
  }
  const bool removal = value.IsNull();
  if (removal && assignment.find_first_not_of(" \t", eq + 1) == std::string::npos)
    throw ConfigError(option, path, "expected a value after '=' (or null, to remove the key), found nothing");

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
    if (removal && (!next.IsDefined() || !next.IsMap()))
      return path; // nothing there to remove
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
  if (removal)
    return path;
  current[keys.back()] = value;
  overrides_.emplace_back(path, option.origin);
  return std::nullopt;
}

void Document::remove(const std::string& section, const std::string& key)
{
  if (YAML::Node node = root_[section]; node.IsMap())
    node.remove(key);
}

void Document::inherit(const std::string& section, const Document& block)
{
  const YAML::Node& given = block.root()[section];
  if (!given.IsDefined() || !given.IsMap())
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
