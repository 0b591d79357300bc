#pragma once
/// @brief NCCL's protocols and its own model of collective latency, with the figures NCCL tunes by.
///
/// From NVIDIA/nccl 2.20.3 (commit b6475625, src/graph/tuning.cc): the base latency of a
/// collective and the latency of one pipeline step over an NVLink, PCIe or network hop, per
/// algorithm and protocol (baseLat, hwLat); the share of a link's bandwidth that carries data,
/// relative to Simple rings (the "model refinements": LL rings 1/4, LL128 0.92, trees 0.92 of
/// that, LL trees a further 1/3.8, LL128 trees 120/128 -- an LL line of 16 bytes holds 8 bytes of
/// data, an LL128 line of 128 bytes 120, src/include/device.h); and the two empirical corrections
/// NCCL applies only when it picks an algorithm and protocol (treeCorrectionFactor, and the ring
/// "plateau" of a Simple all-reduce across nodes, 1.4 for Ampere and later). Not modelled: the
/// per-channel bandwidth caps of LL and LL128, which NCCL measures per GPU generation.
#include "config/scenario.hpp"

#include <array>

namespace dtsim::training::nccl {

enum class Link { nvlink, pci, net };
enum class Algorithm { ring, tree };

/// The protocols in NCCL's order, for iterating.
inline constexpr std::array<config::Protocol, 3> protocols{config::Protocol::ll, config::Protocol::ll128,
                                                           config::Protocol::simple};

/// Share of a link's bandwidth that carries data.
double data_share(Algorithm algorithm, config::Protocol protocol);
/// s of fixed cost of one collective.
double base_latency(Algorithm algorithm, config::Protocol protocol);
/// s of one pipeline step over a hop of this kind.
double step_latency(Link link, Algorithm algorithm, config::Protocol protocol);
/// Factor on the tree's bandwidth NCCL assumes for a collective of `bytes`.
double tree_bandwidth_correction(config::Protocol protocol, double bytes);
/// Factor on the latency NCCL assumes for a ring all-reduce of `bytes` across nodes.
double ring_latency_correction(config::Protocol protocol, double bytes, int ranks, int channels);

} // namespace dtsim::training::nccl
