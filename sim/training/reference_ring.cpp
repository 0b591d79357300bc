#include "training/reference_ring.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <memory>

namespace dtsim::training {

void spawn_ring_all_reduce_by_messages(engine::Simulation& simulation, const std::vector<engine::Host>& ranks,
                                       double bytes, double& finished)
{
  const int n = static_cast<int>(ranks.size());
  auto received = std::make_shared<std::vector<std::unique_ptr<engine::Semaphore>>>();
  for (int i = 0; i < n; ++i)
    received->push_back(std::make_unique<engine::Semaphore>(0));
  const double chunk = bytes / n;
  for (int i = 0; i < n; ++i) {
    simulation.spawn(fmt::format("ring-rank-{}", i), ranks[i], [=, &simulation, &finished] {
      const int next = (i + 1) % n;
      for (int round = 0; round < 2 * (n - 1); ++round) {
        if (round > 0)
          (*received)[i]->acquire(); // the chunk this round forwards has arrived
        // Sent asynchronously, as NCCL posts a step and goes on: the next round waits only for data.
        simulation.spawn(fmt::format("ring-message-{}-{}", i, round), ranks[i], [=] {
          engine::ActivityGroup message;
          message.transfer(ranks[i], ranks[next], chunk);
          message.wait();
          (*received)[next]->release();
        });
      }
      (*received)[i]->acquire(); // the last chunk
      finished = std::max(finished, engine::now());
    });
  }
}

} // namespace dtsim::training
