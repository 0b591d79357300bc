#pragma once
// Runs the dtsim binary as a user would, for the command-line tests.
#include "shell.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

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
