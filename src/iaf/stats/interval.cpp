#include "iaf/stats/interval.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace iaf::stats {

std::optional<Interval> wilson(double x, double n, double z) {
  if (!(n > 0)) return std::nullopt;
  if (x < 0 || x > n) throw std::domain_error("wilson: successes outside 0..n");
  double p = x / n, z2 = z * z;
  double denom = 1 + z2 / n;
  double centre = (p + z2 / (2 * n)) / denom;
  double half = z / denom * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // At x = 0 (x = n) the bound is 0 (1) exactly; the formula leaves a rounding residue there.
  return Interval{x == 0 ? 0.0 : std::max(0.0, centre - half), x == n ? 1.0 : std::min(1.0, centre + half)};
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) throw std::domain_error("quantile of no values");
  std::sort(values.begin(), values.end());
  double pos = q * static_cast<double>(values.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, values.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return values[lo] + frac * (values[hi] - values[lo]);
}

Interval percentile_interval(const std::vector<double>& replicates, double level) {
  double tail = (1 - level) / 2;
  return {quantile(replicates, tail), quantile(replicates, 1 - tail)};
}

}  // namespace iaf::stats
