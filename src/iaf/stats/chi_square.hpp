#pragma once
// χ² upper tails that never underflow, and the goodness-of-fit tests of DESIGN.md: against a fixed
// reference (census, register) and the two-sample homogeneity form against a survey of size n.
#include <cstddef>
#include <span>
#include <vector>

#include "iaf/stats/metric.hpp"

namespace iaf::stats {

// log10 P(χ²_df ≥ x), finite however far the tail (χ² = 69,759 on 10 df gives ≈ −15,130).
double chi2_log10_sf(double x, double df);

struct FitTest {
  Metric chi2, g, freeman_tukey, cohen_w, log10_p, g_log10_p;
  double df = 0;
  size_t pooled_cells = 0;    // cells merged into the pooled cell (expected count < 5)
  double n_used = 0;          // synthetic mass on the q > 0 cells, N'
  Metric impossible_mass;     // share of synthetic mass on q = 0 cells, outside the test
  std::vector<Metric> z;      // per original cell; undefined where q = 0
};

// Observed synthetic counts against fixed reference shares q (normalised here): E = N'·q.
FitTest goodness_of_fit(std::span<const double> observed, std::span<const double> q);
// Observed synthetic counts against a survey reference of effective size n: a 2 × K homogeneity
// test with the reference row n·q.
FitTest homogeneity(std::span<const double> observed, std::span<const double> q, double n_ref);

}  // namespace iaf::stats
