#pragma once
// Runs the dtsim binary as a user would, for the command-line tests.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

struct Outcome {
  int exit_code = -1;
  std::string output; ///< stdout and stderr together
};

inline Outcome shell(const std::string& command)
{
  Outcome outcome;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe))
    outcome.output.append(buffer, n);
  const int status = pclose(pipe);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // A sanitized build's report fails the test, whatever exit code the test expects.
  CHECK_THAT(outcome.output, !Catch::Contains("runtime error:") && !Catch::Contains("Sanitizer"));
  return outcome;
}

inline const std::string dtsim_binary = DTSIM_BINARY;

inline Outcome dtsim(const std::string& arguments)
{
  return shell(dtsim_binary + " " + arguments);
}

inline std::string read_file(const std::filesystem::path& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
