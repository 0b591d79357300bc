#pragma once
// Runs a command as a user would, for tests: its exit code and what it printed.
#include <catch2/catch.hpp>
#include <cstdio>
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
