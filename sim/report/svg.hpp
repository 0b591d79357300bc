#pragma once
/// @brief What the SVG charts and the HTML report share: their colours and appending formatted text.
#include <array>
#include <fmt/format.h>
#include <iterator>
#include <string>
#include <utility>

namespace dtsim::report::svg {

/// Okabe-Ito, colour-blind safe, with the yellow that is hard to see on white last.
inline constexpr std::array<const char*, 8> palette{"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                   "#56B4E9", "#CC79A7", "#000000", "#F0E442"};

/// Appends `format` filled with `args` to `out`.
template <class... Args> void put(std::string& out, fmt::format_string<Args...> format, Args&&... args)
{
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}

} // namespace dtsim::report::svg
