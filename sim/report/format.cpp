#include "report/format.hpp"

#include <fmt/format.h>

namespace dtsim::report {

std::string thousands(double value)
{
  const std::string digits = fmt::format("{:.0f}", value);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-')
      grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::string usd(double amount)
{
  if (amount < 0)
    return "-" + usd(-amount);
  return amount < 100 ? fmt::format("${:.4g}", amount) : "$" + thousands(amount);
}

std::string xml_escaped(std::string_view text)
{
  std::string out;
  for (const char c : text)
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      // XML 1.0 allows no other control characters.
      if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r')
        out += c;
    }
  return out;
}

} // namespace dtsim::report
