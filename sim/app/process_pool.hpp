#pragma once
/// @brief Tasks run in forked child processes, a fixed number at a time: SimGrid allows one simulation per
/// process, so every simulation that is not the process's own runs in a child.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <sys/types.h>

namespace dtsim::app {

/// @brief What a task's child sent back: its text, or why it has none.
struct TaskOutcome {
  std::optional<std::string> text;
  std::string error; ///< the exception's message, or how the process ended, when there is no text
};

/// Call first thing in a child that `parent` (its getpid() before fork) just forked: the child is killed when
/// its parent dies, and exits at once if the parent died before this call. So killing a sweep, even with SIGKILL,
/// takes its simulations and theirs with it (Linux; the parent is the thread that forked).
void die_with_parent(pid_t parent);

/// Runs task(0) ... task(count - 1), each in a child process, at most `jobs` at once, starting them in order.
/// `done(k, outcome)` runs in this process as task k finishes; `waiting(running)` at least once a second while
/// tasks run. Flushes stdout and stderr before each fork.
void run_in_processes(std::size_t count, int jobs, const std::function<std::string(std::size_t)>& task,
                      const std::function<void(std::size_t, TaskOutcome)>& done,
                      const std::function<void(std::size_t)>& waiting = {});

} // namespace dtsim::app
