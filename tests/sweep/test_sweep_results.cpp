// Sweep results that survive anything: rows that are not whole, unchanged rows of the sweep are told apart,
// one sweep claims a folder, and a full disk leaves no part of a row.
#include "config/config_error.hpp"
#include "small_tmpfs.hpp"
#include "sweep/sweep_definition.hpp"
#include "sweep/sweep_results.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace dtsim::sweep;
namespace fs = std::filesystem;

namespace {

nlohmann::json manifest_of(const std::vector<SweepPoint>& points)
{
  nlohmann::json list = nlohmann::json::array();
  for (const auto& point : points)
    list.push_back({{"id", point.id}, {"settings", result_row(point, std::nullopt, "").at("settings")}});
  return {{"keys", {"a.x"}}, {"set", nlohmann::json::array()}, {"base_fingerprint", "0"}, {"points", list}};
}

/// Why `row`, as a line of a rows file, is not a row of the sweep of `manifest` ("" when it is one).
std::string problem_of(const nlohmann::json& manifest, const std::string& line)
{
  return RowChecker(manifest).check(line).problem;
}

std::string text_of(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Fills the file system holding `dir` up to its last page.
void fill(const fs::path& dir)
{
  const int fd = ::open((dir / "filler").c_str(), O_WRONLY | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  const std::string page(4096, 'f');
  while (::write(fd, page.data(), page.size()) > 0) {
  }
  ::close(fd);
}

} // namespace

TEST_CASE("sweep results: a row is taken only whole, unchanged and with its own point's settings, or says why not")
{
  const auto points = sweep_from_options("b.yaml", {"a.x=1,2"}, {}).points();
  const auto others = sweep_from_options("b.yaml", {"a.x=3,4"}, {}).points();
  const nlohmann::json m = manifest_of(points);
  const nlohmann::json ok = result_row(points[0], nlohmann::json{{"time_to_train_s", 1.5}}, "");
  CHECK(problem_of(m, ok.dump()).empty());
  CHECK(RowChecker(m).check(ok.dump()).row == ok);
  CHECK(problem_of(m, result_row(points[1], std::nullopt, "it broke").dump()).empty());
  nlohmann::json old = ok; // rows written before rows had checksums
  old.erase("checksum");
  CHECK(problem_of(m, old.dump()).empty());

  nlohmann::json changed = ok; // a number corrupted, still valid JSON
  changed["summary"]["time_to_train_s"] = 1.6;
  CHECK(problem_of(m, changed.dump()) == "its checksum does not match its content");
  std::string renamed = ok.dump();
  renamed.replace(renamed.find("checksum"), 8, "checksun");
  CHECK(problem_of(m, renamed) == "not a row: unexpected field \"checksun\"");
  CHECK(problem_of(m, ok.dump().substr(0, 40)) == "not a row: not valid JSON");
  CHECK(problem_of(m, "[1, 2]") == "not a row: not a JSON object");
  CHECK(problem_of(m, "") == "not a row: not valid JSON");
  nlohmann::json partial = ok;
  partial.erase("summary");
  CHECK(problem_of(m, partial.dump()) == "not a row: no \"summary\" field");
  nlohmann::json disagreeing = ok;
  disagreeing["summary"] = nullptr;
  disagreeing["checksum"] = row_checksum(disagreeing);
  CHECK(problem_of(m, disagreeing.dump()) == "not a row: expected status ok with a summary, or failed with an error");

  const nlohmann::json foreign = result_row(others[0], std::nullopt, "no");
  CHECK(problem_of(m, foreign.dump()) == fmt::format("point {} is not in this sweep", others[0].id));
  nlohmann::json mislabelled = ok; // the id of one point on the settings of another
  mislabelled["id"] = points[1].id;
  mislabelled["checksum"] = row_checksum(mislabelled);
  CHECK(problem_of(m, mislabelled.dump()) == fmt::format("its settings are not those of point {}", points[1].id));
}

TEST_CASE("sweep results: of processes claiming one empty folder for different sweeps at once, exactly one wins")
{
  const auto points = sweep_from_options("b.yaml", {"a.x=1,2,3,4,5,6,7,8"}, {}).points();
  for (int trial = 0; trial < 5; ++trial) {
    const fs::path dir = fs::temp_directory_path() / fmt::format("dtsim-claim-{}-{}", getpid(), trial);
    fs::remove_all(dir);
    int start[2];
    REQUIRE(pipe(start) == 0);
    std::vector<pid_t> claimants;
    for (const auto& point : points) {
      const pid_t pid = fork();
      if (pid == 0) {
        ::close(start[1]);
        char go = 0;
        [[maybe_unused]] const auto n = ::read(start[0], &go, 1); // returns when the parent closes its end
        try {
          claim_directory(dir.string(), manifest_of({point}));
          _exit(0);
        } catch (const dtsim::config::ConfigError&) {
          _exit(1);
        } catch (...) {
          _exit(2);
        }
      }
      claimants.push_back(pid);
    }
    ::close(start[0]);
    ::close(start[1]); // all start at once
    std::vector<int> codes;
    for (const pid_t pid : claimants) {
      int status = 0;
      waitpid(pid, &status, 0);
      codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    INFO("trial " << trial);
    CHECK(std::count(codes.begin(), codes.end(), 0) == 1);
    CHECK(std::count(codes.begin(), codes.end(), 1) == static_cast<long>(points.size()) - 1);
    const auto winner = std::find(codes.begin(), codes.end(), 0) - codes.begin();
    if (winner < static_cast<long>(points.size()))
      CHECK(read_manifest(dir.string()) == manifest_of({points[static_cast<std::size_t>(winner)]}));
    fs::remove_all(dir);
  }
}

TEST_CASE("sweep results: a row that the disk cannot hold fails naming the file and the reason, leaving no part")
{
  const SmallTmpfs disk("rows", "64k");
  if (!disk.mounted())
    return;
  const auto points = sweep_from_options("b.yaml", {"a.x=1,2"}, {}).points();
  const std::string file = (disk.dir() / "rows.jsonl").string();
  RowsFile rows(file);
  rows.append(result_row(points[0], std::nullopt, "short"));
  const std::string before = text_of(file);
  fill(disk.dir());
  // Part of the row fits in the file's last page: a short write, then none.
  CHECK_THROWS_WITH(rows.append(result_row(points[1], std::nullopt, std::string(20000, 'e'))),
                    "cannot append to " + file + ": No space left on device");
  CHECK(text_of(file) == before);
}
