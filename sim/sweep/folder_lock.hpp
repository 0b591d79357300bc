#pragma once
/// @brief The lock that keeps two sweeps (or a sweep and a merge) from writing one results folder at once.
///
/// The lock file is `sweep.lock` in the folder; it stays there. The locks are POSIX record locks: the kernel
/// drops them when their process ends, however it ends, and forked children do not hold them. They belong to
/// the process, not to a FolderLock: closing any other descriptor of `sweep.lock` in the process would drop
/// them, so nothing else opens it.
#include <string>

namespace dtsim::sweep {

class FolderLock {
public:
  /// Locks `dir` (created if missing) for a whole sweep or a merge (shard_count 1: no other process may use
  /// the folder), or for shard `shard_index` of `shard_count` (other shards may run at once, but no whole
  /// sweep, no merge and not this shard again). Does not wait: throws ConfigError naming the folder when
  /// another process holds it, std::runtime_error when the lock cannot be taken at all.
  explicit FolderLock(const std::string& dir, int shard_index = 0, int shard_count = 1);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

private:
  int fd_ = -1;
};

} // namespace dtsim::sweep
