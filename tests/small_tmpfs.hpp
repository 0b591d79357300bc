#pragma once
// A small tmpfs mounted for a test, to fill a disk on purpose. Mounting needs root: without it (or when the
// mount fails) the tests say so with a WARN and return early, since Catch2 v2 has no SKIP.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <sys/mount.h>
#include <unistd.h>

class SmallTmpfs {
public:
  explicit SmallTmpfs(const std::string& name, const std::string& size)
      : dir_(std::filesystem::temp_directory_path() / fmt::format("dtsim-tmpfs-{}-{}", getpid(), name))
  {
    std::filesystem::create_directories(dir_);
    const std::string options = "size=" + size;
    mounted_ = geteuid() == 0 && ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
  }
  ~SmallTmpfs()
  {
    if (mounted_)
      ::umount2(dir_.c_str(), MNT_DETACH);
    std::filesystem::remove_all(dir_);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;

  /// False, with a warning, when the tmpfs could not be mounted: the test should return.
  bool mounted() const
  {
    if (!mounted_)
      WARN("skipped: mounting a small tmpfs needs root (and a system that allows it)");
    return mounted_;
  }
  /// Remounts with another size, keeping the files.
  bool resize(const std::string& size) const
  {
    const std::string options = "size=" + size;
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
  }
  const std::filesystem::path& dir() const { return dir_; }

private:
  std::filesystem::path dir_;
  bool mounted_ = false;
};
