#pragma once
/// @brief The scenario format's keys, each declared once: type, unit, default, range and help.
///
/// The one table serves validation, the resolved-scenario echo and docs/scenario-reference.md.
#include "config/document.hpp"
#include "units/units.hpp"

#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace dtsim::config {

enum class ValueKind { integer, number, quantity, text, choice, boolean };
enum class Presence { required, defaulted, optional };

/// @brief One term of when a key applies: `key` has one of `values`, or, when `values` is empty, is set;
/// `negated`, the opposite.
struct Condition {
  std::string key;
  std::vector<std::string> values;
  bool negated = false;
};

struct Scenario;
struct ResolvedValue;

/// Copies a validated value into the scenario field a key is bound to.
using Setter = std::function<void(Scenario&, const ResolvedValue&)>;

struct Parameter {
  std::string path;
  ValueKind kind = ValueKind::number;
  units::Dimension dimension = units::Dimension::number;
  Presence presence = Presence::required;
  std::string default_value; ///< YAML text, when presence is defaulted
  std::vector<std::string> choices;
  double minimum = -std::numeric_limits<double>::infinity();
  bool minimum_inclusive = true;
  double maximum = std::numeric_limits<double>::infinity();
  std::string minimum_text, maximum_text; ///< the bounds as written in the table, with their unit
  std::string help;
  std::string assumption; ///< why the default is what it is, when no source gives it
  Setter set;             ///< for a key bound to its field; empty where the loader works the value out
  /// When the key applies: when any clause holds, a clause holding when all its conditions do. Empty: always.
  std::vector<std::vector<Condition>> applies_when;

  std::string expected() const;  ///< "a whole number >= 1 and <= 1000000", "one of ring, hierarchical", ...
  std::string condition() const; ///< "storage.dataset_on is nvme-of or checkpoint.to is nvme-of"; "" for always
};

/// Every key of scenario format version 1.
const std::vector<Parameter>& scenario_parameters();

/// @brief One parameter's value after validation, with where it came from.
struct ResolvedValue {
  const Parameter* parameter = nullptr;
  Location location;
  bool from_default = false;
  double number = 0;
  std::string text; ///< the value as written (or the default), also for quantities
};

/// @brief The scenario's values, checked against the parameter table; defaults filled in.
class ResolvedParameters {
public:
  /// Validates `doc` against `table`: unknown keys, missing keys, types, units, ranges, choices, and keys
  /// set where they do not apply.
  static ResolvedParameters resolve(const Document& doc, const std::vector<Parameter>& table);

  bool has(const std::string& path) const;
  double number(const std::string& path) const;
  long long integer(const std::string& path) const;
  int count(const std::string& path) const; ///< an integer that fits an int
  bool boolean(const std::string& path) const;
  const std::string& text(const std::string& path) const;
  Location location(const std::string& path) const;
  [[noreturn]] void fail(const std::string& path, const std::string& message) const;

  /// Every value present, in table order: path and the value as written or defaulted.
  std::vector<std::pair<std::string, const ResolvedValue*>> entries() const;

private:
  const ResolvedValue& at(const std::string& path) const;
  /// The value of `path` when it is present and applies, else nothing.
  const ResolvedValue* applying(const std::string& path) const;
  bool applies(const Parameter& p) const;
  bool holds(const Condition& c) const;
  std::string why_not(const Parameter& p) const; ///< "storage.dataset_on is local-nvme and checkpoint.to is not set"
  void refuse_inapplicable(ErrorCollector& errors);
  static bool set_by_option(const ResolvedValue& v);
  bool condition_set_by_option(const Parameter& p) const;
  std::vector<std::string> order_;
  std::map<std::string, ResolvedValue> values_;
  Location file_start_;
};

/// docs/scenario-reference.md, generated from `table`.
std::string reference_markdown(const std::vector<Parameter>& table);

/// docs/scenario.schema.json: a JSON Schema of the scenario format generated from `table`, for editors and
/// validators (yaml-language-server) to complete and check keys.
std::string schema_json(const std::vector<Parameter>& table);

} // namespace dtsim::config
