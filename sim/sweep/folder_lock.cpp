#include "sweep/folder_lock.hpp"

#include "config/config_error.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>
#include <unistd.h>

namespace dtsim::sweep {

namespace {

/// Byte 0 of the lock file stands for the folder; byte 1 + k for the k-th shard, counting every I of every
/// I/N (0/1, 0/2, 1/2, 0/3, ...), so that each shard of each shard count has a byte of its own.
off_t shard_byte(int index, int count)
{
  return 1 + static_cast<off_t>(count) * (count - 1) / 2 + index;
}

/// Takes a read (shared) or write (exclusive) lock on one byte without waiting; false when another process
/// holds a lock that conflicts.
bool lock_byte(int fd, short type, off_t byte, const std::string& file)
{
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = byte;
  lock.l_len = 1;
  if (::fcntl(fd, F_SETLK, &lock) == 0)
    return true;
  if (errno == EACCES || errno == EAGAIN)
    return false;
  throw std::runtime_error(fmt::format("cannot lock {}: {}", file, std::strerror(errno)));
}

/// Takes the locks of a whole sweep or of one shard; "", or why another process keeps them.
std::string take_locks(int fd, const std::string& file, int shard_index, int shard_count)
{
  const bool whole = shard_count == 1;
  if (!lock_byte(fd, whole ? F_WRLCK : F_RDLCK, 0, file))
    return "another dtsim sweep or merge is using this folder";
  if (!whole && !lock_byte(fd, F_WRLCK, shard_byte(shard_index, shard_count), file))
    return fmt::format("another dtsim sweep is running shard {}/{} into this folder", shard_index, shard_count);
  return "";
}

} // namespace

FolderLock::FolderLock(const std::string& dir, int shard_index, int shard_count)
{
  std::filesystem::create_directories(dir);
  const std::string file = (std::filesystem::path(dir) / "sweep.lock").string();
  fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0)
    throw std::runtime_error(fmt::format("cannot open {}: {}", file, std::strerror(errno)));
  std::string refusal;
  try {
    refusal = take_locks(fd_, file, shard_index, shard_count);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  if (refusal.empty())
    return;
  ::close(fd_);
  throw config::ConfigError({dir, 0, 0}, "",
                            refusal + " (it holds " + file + "); wait for it to end, or choose another folder");
}

FolderLock::~FolderLock()
{
  ::close(fd_);
}

} // namespace dtsim::sweep
