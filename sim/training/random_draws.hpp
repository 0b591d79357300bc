#pragma once
/// @brief Random numbers addressed by (seed, stream, index) rather than drawn in sequence: a draw does not depend
/// on which draws were made before it, so results do not depend on the order in which events happen.
#include <cmath>
#include <cstdint>

namespace dtsim::training {

/// SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// a bijection of 64-bit words whose output bits each depend on every input bit.
constexpr std::uint64_t mix64(std::uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// A uniform number in (0, 1) from a hash's top 53 bits: never 0 or 1.
constexpr double unit_interval(std::uint64_t hash)
{
  return (static_cast<double>(hash >> 11) + 0.5) * 0x1.0p-53;
}

/// A uniform number in (0, 1), the same for the same seed, stream and index.
constexpr double uniform_draw(std::uint64_t seed, std::uint64_t stream, std::uint64_t index)
{
  return unit_interval(mix64(mix64(mix64(seed) ^ stream) ^ index));
}

/// An exponentially distributed time with mean `mean`, from a uniform draw.
inline double exponential_draw(double mean, double uniform)
{
  return -mean * std::log(uniform);
}

} // namespace dtsim::training
