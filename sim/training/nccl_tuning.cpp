#include "training/nccl_tuning.hpp"

#include <algorithm>
#include <cmath>

namespace dtsim::training::nccl {
namespace {

constexpr double us = 1e-6;

int index(config::Protocol protocol)
{
  return protocol == config::Protocol::ll ? 0 : protocol == config::Protocol::ll128 ? 1 : 2;
}

} // namespace

double data_share(Algorithm algorithm, config::Protocol protocol)
{
  static constexpr std::array<std::array<double, 3>, 2> share{{
      {1.0 / 4, 0.92, 1.0},                   // ring
      {0.92 / 3.8, 0.92 * 120.0 / 128, 0.92}, // tree
  }};
  return share[algorithm == Algorithm::ring ? 0 : 1][index(protocol)];
}

double base_latency(Algorithm algorithm, config::Protocol protocol)
{
  static constexpr std::array<std::array<double, 3>, 2> base{{{6.6, 14.0, 8.4}, {6.8, 14.0, 0}}};
  return base[algorithm == Algorithm::ring ? 0 : 1][index(protocol)] * us;
}

double step_latency(Link link, Algorithm algorithm, config::Protocol protocol)
{
  // [link][algorithm: ring, tree][protocol: LL, LL128, Simple]
  static constexpr std::array<std::array<std::array<double, 3>, 2>, 3> hop{{
      {{{.6, 1.9, 3.4}, {.6, 1.25, 28}}},  // NVLink
      {{{1.0, 2.5, 5.7}, {1.0, 1.9, 28}}}, // PCIe
      {{{2.7, 4.0, 14}, {5.0, 8.5, 28}}},  // network
  }};
  return hop[static_cast<int>(link)][algorithm == Algorithm::ring ? 0 : 1][index(protocol)] * us;
}

double tree_bandwidth_correction(config::Protocol protocol, double bytes)
{
  // Powers of two of bytes / 64, from 64 B to 256 MiB; 1 beyond.
  static constexpr std::array<std::array<double, 23>, 3> factor{{
      {1.0, 1.0, 1.0, 1.0, .9, .8, .7, .7, .7, .7, .6, .5, .4, .4, .5, .6, .7, .8, .9, 1.0, 1.0, 1.0, 1.0},
      {1.0, 1.0, 1.0, 1.0, 1.0, .9, .8, .8, .8, .7, .6, .6, .6, .6, .6, .6, .8, .9, .9, .9, .9, 1.0, 1.0},
      {.9, .9, .9, .9, .9, .9, .9, .8, .7, .6, .6, .5, .5, .5, .5, .6, .7, .8, .7, .7, .8, .9, .9},
  }};
  const double units = std::floor(bytes / 64);
  const int log_size = units < 1 ? 0 : static_cast<int>(std::floor(std::log2(units)));
  return log_size < 23 ? factor[index(protocol)][log_size] : 1.0;
}

double ring_latency_correction(config::Protocol protocol, double bytes, int ranks, int channels)
{
  return protocol == config::Protocol::simple && bytes / (channels * ranks) >= 64 ? 1.4 : 1.0;
}

} // namespace dtsim::training::nccl
