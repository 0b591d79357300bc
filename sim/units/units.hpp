#pragma once
/// @brief Physical quantities written with their unit ("200 Gb/s", "25 MiB", "2 us", "312 TFLOPS").
///
/// Every value a user or a data file writes carries its unit; this is the one place that turns such
/// a string into an SI number (bytes, bytes/s, seconds, FLOP, FLOP/s, watts) and back into text.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace dtsim::units {

enum class Dimension { size, bandwidth, time, flop_count, flop_rate, power, number };

/// @brief A value could not be read as a quantity of the wanted dimension.
class UnitError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Parses `text` as a quantity of dimension `dim` and returns it in SI units; a space between number
/// and unit is optional. A plain number is accepted only for Dimension::number. Throws UnitError.
double parse(std::string_view text, Dimension dim);

/// A short phrase naming what a value of `dim` looks like, for error messages ("a size such as \"25 MiB\"").
std::string expected_form(Dimension dim);

/// Every unit symbol a value of `dim` may carry, as parse() reads them ("B", "KiB", ...); none for a plain number.
std::vector<std::string> unit_symbols(Dimension dim);

/// The SI unit symbol the value of `dim` is expressed in ("B", "B/s", "s", "FLOP", "FLOP/s", "W", "").
std::string si_symbol(Dimension dim);

/// @brief A unit values are shown in: its symbol and its size in SI units.
struct DisplayUnit {
  std::string symbol;
  double factor = 1;
};

/// The unit format() shows `si_value` in: the largest of its dimension's display units not larger than the value.
/// A column of values shown in the unit of its largest reads in one unit.
DisplayUnit display_unit(double si_value, Dimension dim);

/// Formats an SI value for people, with a binary prefix for sizes and decimal ones elsewhere ("25 MiB", "200 Gb/s").
std::string format(double si_value, Dimension dim);

} // namespace dtsim::units
