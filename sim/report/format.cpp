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

} // namespace dtsim::report
