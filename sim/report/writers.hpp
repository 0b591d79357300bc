#pragma once
/// @brief Renders a run: the human summary and the JSON document (the timeline: report/trace.hpp).
#include "config/scenario.hpp"
#include "report/summary.hpp"

#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>

namespace dtsim::report {

/// The short human summary printed on stdout.
void print_summary(std::ostream& out, const config::Scenario& scenario, const RunResult& run, const Summary& summary);

/// The whole run as one JSON document: simulated quantities only, so equal inputs give equal bytes.
nlohmann::json results_json(const config::Scenario& scenario, const RunResult& run, const Summary& summary,
                            const std::string& version);

/// The resolved scenario: every key with its value, defaults included.
nlohmann::json settings_json(const config::Scenario& scenario);

/// @brief One scenario of `dtsim compare`: its name and its summary, or nothing when its simulation failed.
struct ComparedScenario {
  std::string name;
  std::optional<Summary> summary;
};

/// The side-by-side table of `dtsim compare`, one row per scenario, in Markdown.
void print_comparison(std::ostream& out, const std::vector<ComparedScenario>& scenarios);

/// The scenarios as records for --json and --csv: scenario, status ("ok" or "failed") and summary (null when
/// failed).
nlohmann::json comparison_records(const std::vector<ComparedScenario>& scenarios);

/// @brief A result that cannot be written where the user asked: names the file and the system's reason.
class OutputError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Throws OutputError unless `path` can be written (its folder exists and is writable, and it is not a
/// folder), so that a bad output path fails before a long simulation rather than after it.
void check_writable(const std::string& path);

/// Throws std::runtime_error naming the first number of `document` that is not finite (written as null,
/// it would pass for a missing value): a model that produced one has failed.
void require_finite_numbers(const nlohmann::json& document, const std::string& what);

/// Writes `content` to `path` through a temporary file renamed into place, so a failed write
/// never leaves a truncated file where a previous result was. The temporary file is named after this
/// process, so processes writing the same file at once (the tasks of a Slurm array) do not clash; the
/// last rename wins. The file is synced to disk before the rename and its folder after it. Throws
/// OutputError naming `path` and the system's reason; the temporary file is removed then.
void write_file_atomically(const std::string& path, const std::string& content);

/// Like write_file_atomically, but only when `path` does not exist yet: false (and nothing written) when it
/// does. Of processes creating the same file at once, exactly one succeeds.
bool create_file_atomically(const std::string& path, const std::string& content);

/// Appends `text` to the open file `fd` (`path` in errors) and syncs it to disk. On failure cuts the file
/// back to its former length, so no part of `text` is left, and throws OutputError naming `path` and
/// the system's reason. `fd` must not be appended to by anyone else meanwhile.
void append_durably(int fd, const std::string& path, const std::string& text);

} // namespace dtsim::report
