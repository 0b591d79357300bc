#include "app/process_pool.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace dtsim::app {

namespace {

constexpr int exit_task_threw = 3;

struct RunningTask {
  std::size_t index = 0;
  pid_t pid = -1;
  int read_fd = -1;
  std::string text;
};

[[noreturn]] void run_child(int write_fd, const std::function<std::string(std::size_t)>& task, std::size_t index)
{
  std::string text;
  int code = 0;
  try {
    text = task(index);
  } catch (const std::exception& e) {
    text = e.what();
    code = exit_task_threw;
  }
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t n = write(write_fd, text.data() + written, text.size() - written);
    if (n <= 0)
      _exit(1);
    written += static_cast<std::size_t>(n);
  }
  _exit(code);
}

RunningTask start(const std::function<std::string(std::size_t)>& task, std::size_t index)
{
  int fds[2];
  if (pipe(fds) != 0)
    throw std::runtime_error(fmt::format("cannot create a pipe: {}", std::strerror(errno)));
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error(fmt::format("cannot start a process: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    die_with_parent(parent);
    close(fds[0]);
    run_child(fds[1], task, index);
  }
  close(fds[1]);
  return {index, pid, fds[0], {}};
}

TaskOutcome finish(RunningTask& t)
{
  close(t.read_fd);
  int status = 0;
  while (waitpid(t.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {std::move(t.text), ""};
  if (WIFEXITED(status) && WEXITSTATUS(status) == exit_task_threw)
    return {std::nullopt, t.text};
  if (WIFSIGNALED(status))
    return {std::nullopt, fmt::format("the simulation process was killed by signal {} ({})", WTERMSIG(status),
                                      strsignal(WTERMSIG(status)))};
  return {std::nullopt, fmt::format("the simulation process exited with status {}", WEXITSTATUS(status))};
}

/// Reads what is ready; true when the task's pipe is at its end.
bool drain(RunningTask& t)
{
  char buffer[65536];
  const ssize_t n = read(t.read_fd, buffer, sizeof buffer);
  if (n > 0)
    t.text.append(buffer, static_cast<std::size_t>(n));
  return n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN);
}

} // namespace

void die_with_parent(pid_t parent)
{
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) // it died between fork and prctl, so no signal will come
    _exit(1);
}

void run_in_processes(std::size_t count, int jobs, const std::function<std::string(std::size_t)>& task,
                      const std::function<void(std::size_t, TaskOutcome)>& done,
                      const std::function<void(std::size_t)>& waiting)
{
  std::vector<RunningTask> running;
  std::size_t next = 0;
  const std::size_t slots = static_cast<std::size_t>(std::max(1, jobs));
  while (next < count || !running.empty()) {
    while (next < count && running.size() < slots)
      running.push_back(start(task, next++));
    if (waiting)
      waiting(running.size());
    std::vector<pollfd> fds;
    for (const auto& t : running)
      fds.push_back({t.read_fd, POLLIN, 0});
    if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR)
      throw std::runtime_error(fmt::format("cannot wait for the simulation processes: {}", std::strerror(errno)));
    for (std::size_t k = fds.size(); k-- > 0;) {
      if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)) || !drain(running[k]))
        continue;
      RunningTask finished = std::move(running[k]);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
      done(finished.index, finish(finished));
    }
  }
}

} // namespace dtsim::app
