#pragma once
/// @brief How reports write numbers and text for people: grouped digits, dollars, text inside SVG and HTML.
#include <string>
#include <string_view>

namespace dtsim::report {

/// 1234567.8 -> "1,234,568".
std::string thousands(double value);

/// Dollars: four significant digits below $100 ("$0.4903"), whole dollars with grouped digits above.
std::string usd(double amount);

/// `text` safe inside XML or HTML text and attributes: &, <, >, " and ' escaped, control characters that XML 1.0
/// forbids left out.
std::string xml_escaped(std::string_view text);

} // namespace dtsim::report
