#pragma once
// Direct standardisation of a share: s_p^adj(o) = Σ_g q(g|o)·p(t|o,g), so a synthetic share is
// compared with the reference's crude share at the reference's own mix of strata g (age bands).
#include <cstddef>
#include <vector>

#include "iaf/core/dense_table.hpp"
#include "iaf/stats/metric.hpp"

namespace iaf::stats {

// Above this share of q(g|o) on strata the synthetic lacks, a category's standardised share is
// not a fair estimate.
inline constexpr double kMaxMissingStratumWeight = 0.20;

struct StandardisedShares {
  std::vector<Metric> share;          // per category o; undefined when incomputable
  std::vector<double> missing_weight; // Σ q(g|o) over strata with p(o,g) = 0
  std::vector<size_t> incomputable;
};

// p: masses over o × g × t; q_g_given_o: o × g weights (any scale per row); target: the column t.
StandardisedShares standardised_shares(const DenseTable& p, const DenseTable& q_g_given_o, size_t target);

}  // namespace iaf::stats
