#pragma once
// Shares of one target level by category (female share by occupation): the flattening slope β,
// κ, their parity-centred variants and the dominated-set screening (docs/metrics.md).
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "iaf/core/dense_table.hpp"
#include "iaf/stats/metric.hpp"

namespace iaf::stats {

// κ is undefined where the reference share is this close to its centre.
inline constexpr double kKappaMinDeviation = 0.05;

struct Screening {
  std::vector<size_t> dominated;     // categories with s_q ≤ τ
  std::vector<size_t> excess;        // dominated categories with s_p − s_q ≥ δ
  std::optional<bool> all_fails;     // unset when the dominated set is empty
  std::optional<bool> majority_fails;
};

struct ShareComparison {
  std::vector<Metric> s_p, s_q;  // per category; undefined for excluded categories
  std::vector<size_t> excluded;  // p(o) = 0 or q(o) = 0
  std::vector<double> weight;    // q(o), zero for excluded categories
  Metric beta, beta_parity;
  std::vector<Metric> kappa, kappa_parity;
  Screening screening;
};

// Weighted regression slope of s_p on s_q around the weighted means (centre = nullopt) or around
// a fixed centre (½ for the parity variant). Entries with zero weight are ignored.
Metric flattening_slope(std::span<const double> s_p, std::span<const double> s_q, std::span<const double> w,
                        std::optional<double> centre = std::nullopt);
Screening screen(std::span<const double> s_p, std::span<const double> s_q, std::span<const double> w,
                 double tau, double delta);

// p, q: joint masses, rows = categories o, columns = levels of B; `target` is the column of t.
ShareComparison compare_shares(const DenseTable& p, const DenseTable& q, size_t target, double tau, double delta);

}  // namespace iaf::stats
