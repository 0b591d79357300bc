#include "report/writers.hpp"
#include "small_tmpfs.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

TEST_CASE("report: processes writing the same file atomically at once all succeed, and one whole copy is left")
{
  const TempDir dir("dtsim-atomic");
  const std::string file = (dir / "sweep.json").string();
  const std::string content(64 * 1024, 'x');
  constexpr int writers = 4;
  pid_t children[writers];
  for (pid_t& child : children) {
    child = fork();
    if (child == 0) {
      try {
        for (int k = 0; k < 200; ++k)
          dtsim::report::write_file_atomically(file, content);
      } catch (...) {
        _exit(1);
      }
      _exit(0);
    }
  }
  for (pid_t child : children) {
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream written;
  written << in.rdbuf();
  CHECK(written.str() == content);
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1); // no temporary file left
}

TEST_CASE("report: results that hold a number that is not finite are refused, naming where it is")
{
  const nlohmann::json finite = {{"summary", {{"step_time_s", 0.5}, {"cost_usd", nullptr}}}, {"steps", {1, 2.5}}};
  CHECK_NOTHROW(dtsim::report::require_finite_numbers(finite, "the results"));
  nlohmann::json broken = finite;
  broken["steps"][1] = std::nan("");
  CHECK_THROWS_WITH(dtsim::report::require_finite_numbers(broken, "the results"),
                    "the results hold nan at /steps/1, where a number belongs");
  broken = finite;
  broken["summary"]["step_time_s"] = INFINITY;
  CHECK_THROWS_WITH(dtsim::report::require_finite_numbers(broken, "the results"),
                    "the results hold inf at /summary/step_time_s, where a number belongs");
}

namespace {

std::string text_of(const fs::path& file)
{
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

TEST_CASE("report: on a full disk an atomic write fails naming the file and the reason, and leaves the old file")
{
  const SmallTmpfs disk("atomic", "64k");
  if (!disk.mounted())
    return;
  const std::string file = (disk.dir() / "results.json").string();
  dtsim::report::write_file_atomically(file, "old\n");
  CHECK_THROWS_WITH(dtsim::report::write_file_atomically(file, std::string(256 * 1024, 'x')),
                    "cannot write " + file + ": No space left on device");
  CHECK(text_of(file) == "old\n");
  CHECK(std::distance(fs::directory_iterator(disk.dir()), fs::directory_iterator()) == 1); // no partial file
}

TEST_CASE("report: a file created atomically is created once, and a second creation changes nothing")
{
  const TempDir temp("dtsim-create");
  const fs::path& dir = temp.path();
  const std::string file = (dir / "sweep.json").string();
  CHECK(dtsim::report::create_file_atomically(file, "first\n"));
  CHECK_FALSE(dtsim::report::create_file_atomically(file, "second\n"));
  CHECK(text_of(file) == "first\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  CHECK_THROWS_WITH(dtsim::report::create_file_atomically((dir / "no" / "such").string(), ""),
                    "cannot write " + (dir / "no" / "such").string() + ": No such file or directory");
}

TEST_CASE("report: compare shows every time to train in the unit of the longest, and the samples each run trained")
{
  const auto summary = [](double seconds, double samples) {
    dtsim::report::Summary s;
    s.devices = 8;
    s.samples = samples;
    s.time_to_train = seconds;
    s.throughput = samples / seconds;
    s.energy_kwh = 1;
    return s;
  };
  std::ostringstream out;
  dtsim::report::print_comparison(out, {{"short", summary(0.5, 1000)}, {"long", summary(90, 200000)}});
  const std::string table = out.str();
  INFO(table);
  CHECK_THAT(table, Catch::Contains("| scenario | devices | samples | time to train (min) |"));
  CHECK_THAT(table, Catch::Contains("| short | 8 | 1,000 | 0.008333 | 2,000 | - | compute-bound |"));
  CHECK_THAT(table, Catch::Contains("| long | 8 | 200,000 | 1.5 |"));
  CHECK_THAT(table, Catch::Contains("| compute-bound |"));
}
