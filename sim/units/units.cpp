#include "units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <span>

namespace dtsim::units {
namespace {

struct Unit {
  std::string_view symbol;
  double factor; // SI value of one unit
};

constexpr double kilo = 1e3, mega = 1e6, giga = 1e9, tera = 1e12, peta = 1e15, exa = 1e18;
constexpr double kibi = 1024.0, mebi = kibi * 1024, gibi = mebi * 1024, tebi = gibi * 1024, pebi = tebi * 1024;

constexpr std::array size_units{
    Unit{"B", 1},      Unit{"kB", kilo},  Unit{"KB", kilo},  Unit{"MB", mega},  Unit{"GB", giga},
    Unit{"TB", tera},  Unit{"PB", peta},  Unit{"EB", exa},   Unit{"KiB", kibi}, Unit{"MiB", mebi},
    Unit{"GiB", gibi}, Unit{"TiB", tebi}, Unit{"PiB", pebi}, Unit{"bytes", 1},  Unit{"byte", 1},
};

constexpr std::array bandwidth_units{
    Unit{"b/s", 1.0 / 8},   Unit{"kb/s", kilo / 8}, Unit{"Mb/s", mega / 8}, Unit{"Gb/s", giga / 8},
    Unit{"Tb/s", tera / 8}, Unit{"bps", 1.0 / 8},   Unit{"kbps", kilo / 8}, Unit{"Mbps", mega / 8},
    Unit{"Gbps", giga / 8}, Unit{"Tbps", tera / 8}, Unit{"B/s", 1},         Unit{"kB/s", kilo},
    Unit{"KB/s", kilo},     Unit{"MB/s", mega},     Unit{"GB/s", giga},     Unit{"TB/s", tera},
    Unit{"PB/s", peta},     Unit{"EB/s", exa},      Unit{"KiB/s", kibi},    Unit{"MiB/s", mebi},
    Unit{"GiB/s", gibi},    Unit{"TiB/s", tebi},    Unit{"Bps", 1},         Unit{"kBps", kilo},
    Unit{"MBps", mega},     Unit{"GBps", giga},     Unit{"TBps", tera},
};

constexpr std::array time_units{
    Unit{"ns", 1e-9}, Unit{"us", 1e-6}, Unit{"µs", 1e-6}, Unit{"ms", 1e-3},
    Unit{"s", 1},     Unit{"min", 60},  Unit{"h", 3600},  Unit{"d", 86400},
};

constexpr std::array flop_count_units{
    Unit{"FLOP", 1},     Unit{"kFLOP", kilo}, Unit{"MFLOP", mega}, Unit{"GFLOP", giga},
    Unit{"TFLOP", tera}, Unit{"PFLOP", peta}, Unit{"EFLOP", 1e18},
};

constexpr std::array flop_rate_units{
    Unit{"FLOPS", 1},      Unit{"kFLOPS", kilo},  Unit{"MFLOPS", mega},  Unit{"GFLOPS", giga},
    Unit{"TFLOPS", tera},  Unit{"PFLOPS", peta},  Unit{"EFLOPS", 1e18},  Unit{"FLOP/s", 1},
    Unit{"kFLOP/s", kilo}, Unit{"MFLOP/s", mega}, Unit{"GFLOP/s", giga}, Unit{"TFLOP/s", tera},
    Unit{"PFLOP/s", peta}, Unit{"EFLOP/s", 1e18}, Unit{"TOPS", tera},    Unit{"TOP/s", tera},
};

constexpr std::array power_units{Unit{"W", 1}, Unit{"kW", kilo}, Unit{"MW", mega}};

std::span<const Unit> units_of(Dimension dim)
{
  switch (dim) {
  case Dimension::size:
    return size_units;
  case Dimension::bandwidth:
    return bandwidth_units;
  case Dimension::time:
    return time_units;
  case Dimension::flop_count:
    return flop_count_units;
  case Dimension::flop_rate:
    return flop_rate_units;
  case Dimension::power:
    return power_units;
  case Dimension::number:
    return {};
  }
  return {};
}

std::string_view trim(std::string_view s)
{
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

std::string unit_list(Dimension dim)
{
  std::string list;
  for (const auto& unit : units_of(dim))
    list += (list.empty() ? "" : ", ") + std::string(unit.symbol);
  return list;
}

} // namespace

std::vector<std::string> unit_symbols(Dimension dim)
{
  std::vector<std::string> symbols;
  for (const auto& unit : units_of(dim))
    symbols.emplace_back(unit.symbol);
  return symbols;
}

namespace {

[[noreturn]] void refuse_magnitude(std::string_view text, Dimension dim)
{
  const std::string symbol = si_symbol(dim);
  throw UnitError(fmt::format("expected {} of magnitude between {:g} and {:g}{} (or 0), found \"{}\"",
                              expected_form(dim), std::numeric_limits<double>::min(),
                              std::numeric_limits<double>::max(), symbol.empty() ? "" : " " + symbol, text));
}

/// `written` times `factor`, refused when either is infinite or subnormal (too small to keep its digits).
double scaled(double written, double factor, std::string_view text, Dimension dim)
{
  const double value = written * factor;
  const auto representable = [](double v) { return v == 0 || std::isnormal(v); };
  if (!representable(written) || !representable(value))
    refuse_magnitude(text, dim);
  return value;
}

} // namespace

double parse(std::string_view text, Dimension dim)
{
  const std::string_view input = trim(text);
  double number = 0;
  const auto [rest, ec] = std::from_chars(input.data(), input.data() + input.size(), number);
  if (ec == std::errc::result_out_of_range)
    refuse_magnitude(text, dim);
  if (ec != std::errc() || input.empty())
    throw UnitError(fmt::format("expected {}, found \"{}\"", expected_form(dim), text));
  if (!std::isfinite(number))
    throw UnitError(fmt::format("expected a finite number, found \"{}\"", text));
  const std::string_view unit = trim(std::string_view(rest, input.data() + input.size() - rest));
  if (dim == Dimension::number) {
    if (!unit.empty())
      throw UnitError(fmt::format("expected a plain number, found \"{}\"", text));
    return scaled(number, 1, text, dim);
  }
  if (unit.empty())
    throw UnitError(fmt::format("expected {} (the unit is part of the value), found the bare number \"{}\"",
                                expected_form(dim), text));
  for (const auto& candidate : units_of(dim))
    if (candidate.symbol == unit)
      return scaled(number, candidate.factor, text, dim);
  throw UnitError(fmt::format("expected {}, found unknown unit \"{}\" (known units: {})", expected_form(dim), unit,
                              unit_list(dim)));
}

std::string expected_form(Dimension dim)
{
  switch (dim) {
  case Dimension::size:
    return "a size such as \"25 MiB\"";
  case Dimension::bandwidth:
    return "a bandwidth such as \"200 Gb/s\" or \"25 GB/s\"";
  case Dimension::time:
    return "a duration such as \"2 us\"";
  case Dimension::flop_count:
    return "an operation count such as \"8.2 GFLOP\"";
  case Dimension::flop_rate:
    return "a compute rate such as \"312 TFLOPS\"";
  case Dimension::power:
    return "a power such as \"400 W\"";
  case Dimension::number:
    return "a number";
  }
  return "a value";
}

std::string si_symbol(Dimension dim)
{
  switch (dim) {
  case Dimension::size:
    return "B";
  case Dimension::bandwidth:
    return "B/s";
  case Dimension::time:
    return "s";
  case Dimension::flop_count:
    return "FLOP";
  case Dimension::flop_rate:
    return "FLOP/s";
  case Dimension::power:
    return "W";
  case Dimension::number:
    return "";
  }
  return "";
}

namespace {
/// The units format() writes values of `dim` in, smallest first.
std::span<const Unit> display_scale(Dimension dim)
{
  static constexpr std::array size_scale{Unit{"B", 1},      Unit{"KiB", kibi}, Unit{"MiB", mebi},
                                         Unit{"GiB", gibi}, Unit{"TiB", tebi}, Unit{"PiB", pebi}};
  static constexpr std::array bandwidth_scale{Unit{"B/s", 1},     Unit{"kB/s", kilo}, Unit{"MB/s", mega},
                                              Unit{"GB/s", giga}, Unit{"TB/s", tera}, Unit{"PB/s", peta}};
  static constexpr std::array time_scale{Unit{"ns", 1e-9}, Unit{"us", 1e-6}, Unit{"ms", 1e-3}, Unit{"s", 1},
                                         Unit{"min", 60},  Unit{"h", 3600},  Unit{"d", 86400}};
  static constexpr std::array flop_scale{Unit{"FLOP", 1}, Unit{"MFLOP", mega}, Unit{"GFLOP", giga}, Unit{"TFLOP", tera},
                                         Unit{"PFLOP", peta}};
  static constexpr std::array rate_scale{Unit{"FLOPS", 1}, Unit{"GFLOPS", giga}, Unit{"TFLOPS", tera},
                                         Unit{"PFLOPS", peta}};
  static constexpr std::array power_scale{Unit{"W", 1}, Unit{"kW", kilo}, Unit{"MW", mega}};
  static constexpr std::array plain{Unit{"", 1}};
  switch (dim) {
  case Dimension::size:
    return size_scale;
  case Dimension::bandwidth:
    return bandwidth_scale;
  case Dimension::time:
    return time_scale;
  case Dimension::flop_count:
    return flop_scale;
  case Dimension::flop_rate:
    return rate_scale;
  case Dimension::power:
    return power_scale;
  case Dimension::number:
    return plain;
  }
  return plain;
}
} // namespace

DisplayUnit display_unit(double si_value, Dimension dim)
{
  const auto scale = display_scale(dim);
  const Unit* best = &scale.front();
  for (const auto& unit : scale)
    if (std::abs(si_value) >= unit.factor)
      best = &unit;
  return {std::string(best->symbol), best->factor};
}

std::string format(double si_value, Dimension dim)
{
  if (si_value == 0 && dim != Dimension::number)
    return "0 " + si_symbol(dim);
  if (dim == Dimension::number)
    return fmt::format("{:.6g}", si_value);
  const DisplayUnit unit = display_unit(si_value, dim);
  return fmt::format("{:.4g} {}", si_value / unit.factor, unit.symbol);
}

} // namespace dtsim::units
