#pragma once
/// @brief How reports write numbers for people: grouped digits and dollars.
#include <string>

namespace dtsim::report {

/// 1234567.8 -> "1,234,568".
std::string thousands(double value);

/// Dollars: four significant digits below $100 ("$0.4903"), whole dollars with grouped digits above.
std::string usd(double amount);

} // namespace dtsim::report
