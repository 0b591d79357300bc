#pragma once
/// @brief The exact, message-by-message ring all-reduce, kept as a reference for the flow-level form.
///
/// 2(N-1) rounds; in each, every rank sends one chunk of S/N to its successor, without waiting for
/// the send to finish, and starts the next round once its predecessor's chunk has arrived. Costs
/// 2(N-1) x N messages, so it is for tests at small N (tests/training/test_reference_ring.cpp
/// compares it with Collectives::all_reduce, both without NCCL's software latencies).
#include "engine/simulation.hpp"

#include <vector>

namespace dtsim::training {

/// Spawns one actor per rank that runs the ring; `finished` receives the simulated time at which the
/// last rank completes. Call Simulation::run() afterwards.
void spawn_ring_all_reduce_by_messages(engine::Simulation& simulation, const std::vector<engine::Host>& ranks,
                                       double bytes, double& finished);

} // namespace dtsim::training
