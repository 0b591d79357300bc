// Sweep folders that survive anything: a killed sweep takes its simulations with it, two sweeps never share a
// folder, corrupted rows are set aside and their points run again, and a full disk leaves nothing half-written.
#include "cli.hpp"
#include "small_tmpfs.hpp"
#include "sweep_files.hpp"
#include "sweep_internals.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string kSweep = "sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2 "
                           "--set workload.batch_per_device=128,256 --set workload.steps=10 --no-baseline";

/// Starts dtsim with `arguments` (split at spaces) without waiting for it, its output going to `log`.
pid_t start_dtsim(const std::string& arguments, const fs::path& log)
{
  std::vector<std::string> words{dtsim_binary};
  std::istringstream split(arguments);
  for (std::string word; split >> word;)
    words.push_back(word);
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& word : words)
      argv.push_back(word.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int exit_code_of(pid_t pid)
{
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct ProcessState {
  pid_t parent = 0;
  char state = 0; ///< R, S, D, Z, ...
};

/// The process's parent and state from /proc, or nothing once it is gone.
std::optional<ProcessState> process_state(pid_t pid)
{
  const std::string stat = read_file(fmt::format("/proc/{}/stat", pid));
  const auto name_end = stat.rfind(')'); // the name in brackets may hold anything
  if (name_end == std::string::npos)
    return std::nullopt;
  ProcessState s;
  std::istringstream(stat.substr(name_end + 1)) >> s.state >> s.parent;
  return s;
}

bool running(pid_t pid)
{
  const auto s = process_state(pid);
  return s && s->state != 'Z' && s->state != 'X';
}

/// Every descendant of `root` now, with its depth below it (1: a child).
std::map<pid_t, int> descendants_of(pid_t root)
{
  std::map<pid_t, pid_t> parents;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (std::all_of(name.begin(), name.end(), ::isdigit))
      if (const auto s = process_state(std::stoi(name)))
        parents[std::stoi(name)] = s->parent;
  }
  std::map<pid_t, int> depth{{root, 0}};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [pid, parent] : parents)
      if (!depth.contains(pid) && depth.contains(parent)) {
        depth[pid] = depth[parent] + 1;
        grew = true;
      }
  }
  depth.erase(root);
  return depth;
}

std::vector<std::string> lines_of(const std::string& text)
{
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines)
{
  std::string text;
  for (const auto& line : lines)
    text += line + "\n";
  return text;
}

/// The names of the files under `dir` that a write left behind half done.
std::vector<std::string> partial_files(const fs::path& dir)
{
  std::vector<std::string> partial;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.path().filename().string().find(".partial") != std::string::npos)
      partial.push_back(entry.path().string());
  return partial;
}

} // namespace

TEST_CASE("sweep: killing the sweep process alone kills its simulations and their one-device baselines at once")
{
  const fs::path dir = fresh_dir("parent-killed");
  fs::create_directories(dir);
  // Long points (every step simulated), each with a one-device baseline in a grandchild process.
  const pid_t sweep = start_dtsim("sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=2,3 "
                                  "--set workload.steps=200000 --set simulation.exact=true -j 2 -o " +
                                      (dir / "out").string(),
                                  dir / "log");
  std::map<pid_t, int> family;
  for (int k = 0; k < 600 && std::none_of(family.begin(), family.end(), [](auto& p) { return p.second == 2; }); ++k) {
    std::this_thread::sleep_for(50ms);
    family = descendants_of(sweep);
  }
  INFO(read_file(dir / "log"));
  REQUIRE(std::any_of(family.begin(), family.end(), [](auto& p) { return p.second == 2; }));
  ::kill(sweep, SIGKILL); // the sweep alone, as a scheduler or a user's kill would
  exit_code_of(sweep);
  for (int k = 0; k < 100 && std::any_of(family.begin(), family.end(), [](auto& p) { return running(p.first); }); ++k)
    std::this_thread::sleep_for(50ms);
  for (const auto& [pid, depth] : family) {
    INFO("process " << pid << " at depth " << depth);
    CHECK_FALSE(running(pid));
    if (running(pid))
      ::kill(pid, SIGKILL); // leave nothing running behind the test
  }
}

TEST_CASE("sweep: a folder another sweep or merge is using is refused with exit 2 naming it, but shards share it")
{
  const fs::path dir = fresh_dir("locked");
  const std::string whole = kSweep + " -o " + dir.string();
  const std::string in_use = dir.string() + ": another dtsim sweep or merge is using this folder";
  {
    const auto running = lock_sweep_folder(dir.string()); // as a running sweep holds it
    const Outcome second = dtsim(whole);
    INFO(second.output);
    CHECK(second.exit_code == 2);
    CHECK(second.output.find(in_use) != std::string::npos);
    CHECK(dtsim(whole + " --shard 0/2").exit_code == 2);
    CHECK_FALSE(fs::exists(dir / "sweep.json"));
  }
  {
    const auto running = lock_sweep_folder(dir.string(), 1, 2); // shard 1 of 2
    const Outcome other_shard = dtsim(whole + " --shard 0/2");
    INFO(other_shard.output);
    CHECK(other_shard.exit_code == 0);
    const Outcome same_shard = dtsim(whole + " --shard 1/2");
    CHECK(same_shard.exit_code == 2);
    CHECK(same_shard.output.find(dir.string() + ": another dtsim sweep is running shard 1/2 into this folder") !=
          std::string::npos);
    CHECK(dtsim(whole).exit_code == 2);
    const Outcome merge = dtsim("merge " + dir.string());
    CHECK(merge.exit_code == 2);
    CHECK(merge.output.find(in_use) != std::string::npos);
  }
  CHECK(dtsim(whole + " --shard 1/2").exit_code == 0);
  CHECK(dtsim("merge " + dir.string()).exit_code == 0);
  CHECK(rows_of(dir / "results.jsonl").size() == 4);
}

TEST_CASE("sweep: of two different sweeps started at once into one empty folder, one runs and one gets exit 2")
{
  const std::string first = "sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=1,2 --set workload.steps=10 "
                            "--no-baseline -o ";
  const std::string second = "sweep scenarios/cluster-4node-a100.yaml --set cluster.nodes=3,4 --set workload.steps=10 "
                             "--no-baseline -o ";
  for (int trial = 0; trial < 3; ++trial) {
    const fs::path logs = fresh_dir(fmt::format("race-logs-{}", trial));
    const fs::path dir = fresh_dir(fmt::format("race-{}", trial));
    fs::create_directories(logs);
    const pid_t a = start_dtsim(first + dir.string(), logs / "a");
    const pid_t b = start_dtsim(second + dir.string(), logs / "b");
    const int a_code = exit_code_of(a), b_code = exit_code_of(b);
    INFO("trial " << trial << "\n" << read_file(logs / "a") << read_file(logs / "b"));
    REQUIRE(std::min(a_code, b_code) == 0);
    CHECK(std::max(a_code, b_code) == 2);
    const std::set<int> expected = a_code == 0 ? std::set<int>{1, 2} : std::set<int>{3, 4};
    std::set<int> nodes;
    for (const auto& row : rows_of(dir / "results.jsonl"))
      nodes.insert(row.at("settings").at("cluster.nodes").get<int>());
    CHECK(nodes == expected);
    fs::remove_all(dir);
    fs::remove_all(logs);
  }
}

TEST_CASE("sweep: corrupted, cut and foreign rows in the middle of rows.jsonl are set aside and their points run again")
{
  const fs::path dir = fresh_dir("corrupted");
  const std::string sweep = kSweep + " -o " + dir.string();
  REQUIRE(dtsim(sweep).exit_code == 0);
  const std::string clean = read_file(dir / "results.jsonl");
  const auto rows = lines_of(read_file(dir / "rows.jsonl"));
  REQUIRE(rows.size() == 4);

  std::string changed = rows[0]; // a number changed: still valid JSON, only the checksum tells
  const auto digit = changed.find_first_of("123456789", changed.find("\"time_to_train_s\":"));
  changed[digit] = changed[digit] == '9' ? '1' : static_cast<char>(changed[digit] + 1);
  nlohmann::json foreign = nlohmann::json::parse(rows[3]);
  foreign["id"] = "000000000000";
  foreign["checksum"] = checksum_of_row(foreign);
  nlohmann::json mislabelled = nlohmann::json::parse(rows[3]);
  mislabelled["id"] = nlohmann::json::parse(rows[0]).at("id");
  mislabelled["checksum"] = checksum_of_row(mislabelled);
  const std::vector<std::string> rejected{changed, "\x01garbage", rows[2].substr(0, rows[2].size() / 2), foreign.dump(),
                                          mislabelled.dump()};
  std::ofstream(dir / "rows.jsonl", std::ios::trunc)
      << joined({rejected[0], rejected[1], rejected[2], rows[3], rejected[3], rejected[4]});

  const Outcome merge = dtsim("merge " + dir.string());
  INFO(merge.output);
  CHECK(merge.exit_code == 4);
  CHECK(merge.output.find("1 of 4 points have rows, 0 failed, 3 missing") != std::string::npos);
  const std::string file = (dir / "rows.jsonl").string();
  for (const auto& warning :
       {":1: its checksum does not match its content", ":2: not a row: not valid JSON", ":3: not a row: not valid JSON",
        ":5: point 000000000000 is not in this sweep", ":6: its settings are not those of point "})
    CHECK(merge.output.find("dtsim: " + file + warning) != std::string::npos);
  CHECK(merge.output.find("moved to " + (dir / "rejected-rows.jsonl").string()) != std::string::npos);
  CHECK(read_file(dir / "rejected-rows.jsonl") == joined(rejected)); // nothing deleted
  CHECK(read_file(dir / "rows.jsonl") == joined({rows[3]}));

  const Outcome again = dtsim(sweep);
  INFO(again.output);
  CHECK(again.exit_code == 0);
  CHECK(again.output.find("3 points run, 0 failed, 1 already done") != std::string::npos);
  CHECK(read_file(dir / "results.jsonl") == clean);
}

TEST_CASE("sweep: whatever one corrupted byte or cut does to a row in the middle, sweep and merge end clean")
{
  const fs::path dir = fresh_dir("random-corruption");
  const std::string sweep = kSweep + " -o " + dir.string();
  REQUIRE(dtsim(sweep).exit_code == 0);
  const std::string clean = read_file(dir / "results.jsonl");
  std::mt19937 random(19);
  const auto pick = [&random](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  const std::string bytes = "0123456789{}[]\":,.-eE ntrufalsx\n\x80";
  for (int trial = 0; trial < 24; ++trial) {
    auto rows = lines_of(read_file(dir / "rows.jsonl"));
    REQUIRE(rows.size() >= 3);
    std::string& row = rows[1 + pick(rows.size() - 2)]; // neither the first nor the last
    const std::size_t at = pick(row.size());
    switch (trial % 4) {
    case 0:
      row[at] = bytes[pick(bytes.size())];
      break;
    case 1:
      row.erase(at, 1);
      break;
    case 2:
      row.insert(at, 1, bytes[pick(bytes.size())]);
      break;
    default:
      row.resize(at);
      break;
    }
    std::ofstream(dir / "rows.jsonl", std::ios::trunc) << joined(rows);
    const Outcome merge = dtsim("merge " + dir.string()); // merge sets the row aside, or sweep does
    INFO("trial " << trial << "\n" << merge.output);
    CHECK((merge.exit_code == 0 || merge.exit_code == 4));
    const Outcome again = dtsim(sweep);
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(read_file(dir / "results.jsonl") == clean);
    for (const auto& line : lines_of(read_file(dir / "rows.jsonl")))
      CHECK(row_problem_in(dir.string(), line).empty());
  }
}

TEST_CASE("sweep: on a full disk a sweep fails naming the file and the reason, leaves nothing half-written, resumes")
{
  const SmallTmpfs disk("sweep", "96k");
  if (!disk.mounted())
    return;
  const fs::path clean = fresh_dir("disk-clean");
  REQUIRE(dtsim(kSweep + " -o " + clean.string()).exit_code == 0);
  const fs::path dir = disk.dir() / "out";
  const Outcome full = dtsim(kSweep + " -j 1 -o " + dir.string());
  INFO(full.output);
  CHECK(full.exit_code == 5); // an output error
  CHECK(full.output.find(dir.string()) != std::string::npos);
  CHECK(full.output.find(": No space left on device") != std::string::npos);
  CHECK(full.output.find(": Success") == std::string::npos);
  CHECK(partial_files(dir).empty());
  if (fs::exists(dir / "rows.jsonl")) {
    const std::string rows = read_file(dir / "rows.jsonl");
    CHECK((rows.empty() || rows.back() == '\n')); // no row cut short
  }
  REQUIRE(disk.resize("16m"));
  const Outcome again = dtsim(kSweep + " -o " + dir.string());
  INFO(again.output);
  CHECK(again.exit_code == 0);
  CHECK(read_file(dir / "results.jsonl") == read_file(clean / "results.jsonl"));
}
