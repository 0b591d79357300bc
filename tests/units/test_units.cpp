// Quantities written with their unit: parsing into SI values, rejection of bad text, formatting back.
#include "units/units.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <limits>
#include <string>

using dtsim::units::Dimension;
using dtsim::units::format;
using dtsim::units::parse;
using dtsim::units::UnitError;

namespace {

/// The UnitError message `parse(text, dim)` throws, or "" when it does not throw.
std::string parse_error(const std::string& text, Dimension dim)
{
  try {
    parse(text, dim);
  } catch (const UnitError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("units: bandwidth in bits and bytes, with and without a space")
{
  CHECK(parse("200 Gb/s", Dimension::bandwidth) == Approx(25e9));
  CHECK(parse("200Gb/s", Dimension::bandwidth) == Approx(25e9));
  CHECK(parse("200 Gbps", Dimension::bandwidth) == Approx(25e9));
  CHECK(parse("25 GB/s", Dimension::bandwidth) == Approx(25e9));
  CHECK(parse("25GB/s", Dimension::bandwidth) == Approx(25e9));
  CHECK(parse("10000 MB/s", Dimension::bandwidth) == Approx(1e10));
  CHECK(parse("1 GiB/s", Dimension::bandwidth) == Approx(1073741824.0));
  CHECK(parse("8 b/s", Dimension::bandwidth) == Approx(1.0));
  CHECK(parse("100 Mb/s", Dimension::bandwidth) == Approx(12.5e6));
  CHECK(parse("1 kB/s", Dimension::bandwidth) == Approx(1000.0));
  CHECK(parse("1 KiB/s", Dimension::bandwidth) == Approx(1024.0));
}

TEST_CASE("units: bits and bytes differ by a factor of eight")
{
  CHECK(parse("1 Gb/s", Dimension::bandwidth) * 8 == Approx(parse("1 GB/s", Dimension::bandwidth)));
  CHECK(parse("400 Gb/s", Dimension::bandwidth) == Approx(50e9));
  CHECK(parse("400 GB/s", Dimension::bandwidth) == Approx(400e9));
  // Case matters: "gb/s" is neither bits nor bytes.
  CHECK_THROWS_AS(parse("200 gb/s", Dimension::bandwidth), UnitError);
}

TEST_CASE("units: sizes with decimal and binary prefixes")
{
  CHECK(parse("25 MiB", Dimension::size) == 26214400.0);
  CHECK(parse("25MiB", Dimension::size) == 26214400.0);
  CHECK(parse("25 MB", Dimension::size) == 25e6);
  CHECK(parse("1 KiB", Dimension::size) == 1024.0);
  CHECK(parse("1 kB", Dimension::size) == 1000.0);
  CHECK(parse("1 KB", Dimension::size) == 1000.0);
  CHECK(parse("1 GiB", Dimension::size) == 1073741824.0);
  CHECK(parse("80 GB", Dimension::size) == 80e9);
  CHECK(parse("7.68 TB", Dimension::size) == Approx(7.68e12));
  CHECK(parse("1 TiB", Dimension::size) == Approx(1099511627776.0));
  CHECK(parse("114660 B", Dimension::size) == 114660.0);
  CHECK(parse("32 bytes", Dimension::size) == 32.0);
  CHECK(parse("  25 MiB  ", Dimension::size) == 26214400.0);
}

TEST_CASE("units: durations")
{
  CHECK(parse("2 us", Dimension::time) == Approx(2e-6));
  CHECK(parse("2us", Dimension::time) == Approx(2e-6));
  CHECK(parse("2 µs", Dimension::time) == Approx(2e-6));
  CHECK(parse("600 ns", Dimension::time) == Approx(600e-9));
  CHECK(parse("6 ms", Dimension::time) == Approx(6e-3));
  CHECK(parse("1.5 s", Dimension::time) == Approx(1.5));
  CHECK(parse("2 min", Dimension::time) == Approx(120.0));
  CHECK(parse("1 h", Dimension::time) == Approx(3600.0));
  CHECK(parse("0 s", Dimension::time) == 0.0);
}

TEST_CASE("units: operation counts and compute rates")
{
  CHECK(parse("312 TFLOPS", Dimension::flop_rate) == Approx(312e12));
  CHECK(parse("312TFLOPS", Dimension::flop_rate) == Approx(312e12));
  CHECK(parse("312 TFLOP/s", Dimension::flop_rate) == Approx(312e12));
  CHECK(parse("1.3 PFLOPS", Dimension::flop_rate) == Approx(1.3e15));
  CHECK(parse("275 TOPS", Dimension::flop_rate) == Approx(275e12));
  CHECK(parse("8.2 GFLOP", Dimension::flop_count) == Approx(8.2e9));
  CHECK(parse("8.2GFLOP", Dimension::flop_count) == Approx(8.2e9));
  CHECK(parse("1 EFLOP", Dimension::flop_count) == Approx(1e18));
  // A count is not a rate and a rate is not a count.
  CHECK_THROWS_AS(parse("8.2 GFLOPS", Dimension::flop_count), UnitError);
  CHECK_THROWS_AS(parse("312 TFLOP", Dimension::flop_rate), UnitError);
}

TEST_CASE("units: power")
{
  CHECK(parse("400 W", Dimension::power) == 400.0);
  CHECK(parse("400W", Dimension::power) == 400.0);
  CHECK(parse("1.5 kW", Dimension::power) == Approx(1500.0));
  CHECK(parse("2 MW", Dimension::power) == Approx(2e6));
}

TEST_CASE("units: plain numbers")
{
  CHECK(parse("0.2", Dimension::number) == Approx(0.2));
  CHECK(parse("25557032", Dimension::number) == 25557032.0);
  CHECK(parse("1e3", Dimension::number) == 1000.0);
  CHECK(parse("-4", Dimension::number) == -4.0);
  const std::string message = parse_error("5 GB", Dimension::number);
  CHECK(message.find("expected a plain number") != std::string::npos);
  CHECK(message.find("\"5 GB\"") != std::string::npos);
}

TEST_CASE("units: a bare number is rejected for a dimensioned value")
{
  for (const auto dim : {Dimension::size, Dimension::bandwidth, Dimension::time, Dimension::flop_count,
                         Dimension::flop_rate, Dimension::power}) {
    INFO(dtsim::units::si_symbol(dim));
    CHECK_THROWS_AS(parse("200", dim), UnitError);
  }
  const std::string message = parse_error("200", Dimension::bandwidth);
  CHECK(message.find("bare number \"200\"") != std::string::npos);
  CHECK(message.find("the unit is part of the value") != std::string::npos);
  CHECK(message.find("200 Gb/s") != std::string::npos); // the expected form is shown
}

TEST_CASE("units: an unknown unit is rejected with the list of known units")
{
  const std::string message = parse_error("200 Gbs", Dimension::bandwidth);
  REQUIRE_FALSE(message.empty());
  CHECK(message.find("unknown unit \"Gbs\"") != std::string::npos);
  CHECK(message.find("known units: b/s, kb/s, Mb/s, Gb/s") != std::string::npos);
  CHECK(message.find("GiB/s") != std::string::npos);

  const std::string size_message = parse_error("25 MIB", Dimension::size);
  CHECK(size_message.find("unknown unit \"MIB\"") != std::string::npos);
  CHECK(size_message.find("MiB") != std::string::npos);
  CHECK(size_message.find("a size such as \"25 MiB\"") != std::string::npos);
}

TEST_CASE("units: a unit of another dimension is rejected")
{
  const std::string message = parse_error("25 MiB", Dimension::time);
  REQUIRE_FALSE(message.empty());
  CHECK(message.find("a duration such as \"2 us\"") != std::string::npos);
  CHECK(message.find("unknown unit \"MiB\"") != std::string::npos);
  CHECK(message.find("known units: ns, us") != std::string::npos);

  CHECK_THROWS_AS(parse("200 Gb/s", Dimension::size), UnitError);
  CHECK_THROWS_AS(parse("25 MiB", Dimension::bandwidth), UnitError);
  CHECK_THROWS_AS(parse("400 W", Dimension::flop_rate), UnitError);
  CHECK_THROWS_AS(parse("2 us", Dimension::power), UnitError);
}

TEST_CASE("units: text that is not a quantity is rejected")
{
  const std::string message = parse_error("fast", Dimension::bandwidth);
  REQUIRE_FALSE(message.empty());
  CHECK(message.find("expected a bandwidth such as \"200 Gb/s\"") != std::string::npos);
  CHECK(message.find("found \"fast\"") != std::string::npos);

  CHECK_THROWS_AS(parse("", Dimension::size), UnitError);
  CHECK_THROWS_AS(parse("   ", Dimension::size), UnitError);
  CHECK_THROWS_AS(parse("MiB", Dimension::size), UnitError);
  CHECK_THROWS_AS(parse("fast", Dimension::number), UnitError);
  CHECK_THROWS_AS(parse("12abc", Dimension::number), UnitError);
  CHECK(parse_error("inf", Dimension::number).find("finite") != std::string::npos);
  CHECK(parse_error("nan GB", Dimension::size).find("finite") != std::string::npos);
}

TEST_CASE("units: a value that overflows, or is too small to keep its digits, before or after its unit")
{
  const std::string bounds = "of magnitude between 2.22507e-308 and 1.79769e+308";
  for (const auto& [text, dim] : {std::pair{"1e-310 GB/s", Dimension::bandwidth}, // subnormal as written
                                  std::pair{"1e-300 ns", Dimension::time},        // subnormal once scaled
                                  std::pair{"1e300 PB", Dimension::size},         // infinite once scaled
                                  std::pair{"1e400 GB/s", Dimension::bandwidth},  // past a double as written
                                  std::pair{"1e-400 s", Dimension::time}, std::pair{"1e-310", Dimension::number}}) {
    INFO(text);
    CHECK_THAT(parse_error(text, dim), Catch::Contains(bounds) && Catch::EndsWith(fmt::format("found \"{}\"", text)));
  }
  CHECK(parse("0 GB/s", Dimension::bandwidth) == 0);
  CHECK(parse("2.2250738585072014e-308", Dimension::number) == std::numeric_limits<double>::min());
  CHECK(parse("1e296 TB", Dimension::size) == Approx(1e308));
}

TEST_CASE("units: format picks a readable prefix")
{
  CHECK(format(26214400, Dimension::size) == "25 MiB");
  CHECK(format(1024, Dimension::size) == "1 KiB");
  CHECK(format(1000, Dimension::size) == "1000 B");
  CHECK(format(80e9, Dimension::size) == "74.51 GiB");
  CHECK(format(25e9, Dimension::bandwidth) == "25 GB/s");
  CHECK(format(2e-6, Dimension::time) == "2 us");
  CHECK(format(0.25, Dimension::time) == "250 ms");
  // Long durations in minutes, hours and days, never as 1.2e+04 s.
  CHECK(format(59, Dimension::time) == "59 s");
  CHECK(format(90, Dimension::time) == "1.5 min");
  CHECK(format(12000, Dimension::time) == "3.333 h");
  CHECK(format(3 * 86400, Dimension::time) == "3 d");
  CHECK(parse("3 d", Dimension::time) == Approx(259200));
  CHECK(format(312e12, Dimension::flop_rate) == "312 TFLOPS");
  CHECK(format(8.2e9, Dimension::flop_count) == "8.2 GFLOP");
  CHECK(format(400, Dimension::power) == "400 W");
  CHECK(format(0, Dimension::size) == "0 B");
  CHECK(format(0, Dimension::bandwidth) == "0 B/s");
  CHECK(format(1.5, Dimension::number) == "1.5");
}

TEST_CASE("units: format then parse gives the value back")
{
  struct Case {
    double value;
    Dimension dim;
  };
  for (const Case c :
       {Case{26214400, Dimension::size}, Case{1073741824, Dimension::size}, Case{3 * 1099511627776.0, Dimension::size},
        Case{25e9, Dimension::bandwidth}, Case{7e9, Dimension::bandwidth}, Case{12.5e6, Dimension::bandwidth},
        Case{2e-6, Dimension::time}, Case{600e-9, Dimension::time}, Case{6e-3, Dimension::time},
        Case{42, Dimension::time}, Case{312e12, Dimension::flop_rate}, Case{989.4e12, Dimension::flop_rate},
        Case{8.2e9, Dimension::flop_count}, Case{400, Dimension::power}, Case{1500, Dimension::power},
        Case{0.2, Dimension::number}}) {
    const std::string text = format(c.value, c.dim);
    INFO(text);
    CHECK(parse(text, c.dim) == Approx(c.value).epsilon(1e-9));
  }
}

TEST_CASE("units: parse then format gives the text back")
{
  for (const auto& text : {"25 MiB", "390 MiB", "2 us", "312 TFLOPS", "400 W", "25 GB/s", "8.2 GFLOP"}) {
    Dimension dim = Dimension::size;
    const std::string t = text;
    if (t.ends_with("us"))
      dim = Dimension::time;
    else if (t.ends_with("FLOPS"))
      dim = Dimension::flop_rate;
    else if (t.ends_with("FLOP"))
      dim = Dimension::flop_count;
    else if (t.ends_with("W"))
      dim = Dimension::power;
    else if (t.ends_with("/s"))
      dim = Dimension::bandwidth;
    CHECK(format(parse(t, dim), dim) == t);
  }
}

TEST_CASE("units: SI symbols and expected forms")
{
  CHECK(dtsim::units::si_symbol(Dimension::size) == "B");
  CHECK(dtsim::units::si_symbol(Dimension::bandwidth) == "B/s");
  CHECK(dtsim::units::si_symbol(Dimension::time) == "s");
  CHECK(dtsim::units::si_symbol(Dimension::flop_count) == "FLOP");
  CHECK(dtsim::units::si_symbol(Dimension::flop_rate) == "FLOP/s");
  CHECK(dtsim::units::si_symbol(Dimension::power) == "W");
  CHECK(dtsim::units::si_symbol(Dimension::number).empty());
  CHECK(dtsim::units::expected_form(Dimension::flop_rate) == "a compute rate such as \"312 TFLOPS\"");
}

TEST_CASE("units: the display unit of a value is the one format() shows it in")
{
  CHECK(display_unit(90, Dimension::time).symbol == "min");
  CHECK(display_unit(90, Dimension::time).factor == 60);
  CHECK(display_unit(0.5, Dimension::time).symbol == "ms");
  CHECK(display_unit(3e9, Dimension::size).symbol == "GiB");
  CHECK(display_unit(7, Dimension::number).symbol.empty());
}
