#pragma once
// Confidence intervals: Wilson for proportions, percentile intervals for bootstrap replicates.
#include <optional>
#include <vector>

namespace iaf::stats {

struct Interval {
  double lo = 0, hi = 0;
};

inline constexpr double kZ975 = 1.959963984540054;  // Φ⁻¹(0.975)

// Wilson score interval for x successes of n; nullopt for n = 0.
std::optional<Interval> wilson(double x, double n, double z = kZ975);

// The q-quantile of `values` with linear interpolation between order statistics (numpy's default).
double quantile(std::vector<double> values, double q);
// Central percentile interval of bootstrap replicates at the given level (0.95 → 2.5%, 97.5%).
Interval percentile_interval(const std::vector<double>& replicates, double level = 0.95);

}  // namespace iaf::stats
