#pragma once
// Temporary folders for the files a test writes, removed with their contents when the test ends. A
// function-local static TempDir lasts until its process exits, which is one test case under ctest.
#include <filesystem>
#include <stdexcept>
#include <stdlib.h>
#include <string>
#include <system_error>
#include <unistd.h>

/// A new, uniquely named folder under the system's temporary folder, removed with everything in it
/// when the object is destroyed (only by the process that made it, not by a forked child).
class TempDir {
public:
  explicit TempDir(const std::string& prefix)
  {
    std::string name = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(name.data()) == nullptr)
      throw std::runtime_error("cannot make a temporary folder " + name);
    path_ = name;
  }

  ~TempDir()
  {
    std::error_code ignored;
    if (getpid() == owner_)
      std::filesystem::remove_all(path_, ignored);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
  pid_t owner_ = getpid();
};
