#pragma once
// Conditional mismatch CM(B|A) and the footprint index FI (docs/metrics.md): how far the
// synthetic's p(B|a) is from the reference's q(B|a), relative to what drawing B from the
// synthetic's own marginal, independently of A, would score.
#include <cstddef>
#include <vector>

#include "iaf/core/dense_table.hpp"
#include "iaf/stats/metric.hpp"

namespace iaf::stats {

// Above this share of reference mass on levels the synthetic lacks, CM is not a fair summary.
inline constexpr double kMaxExcludedReferenceMass = 0.05;

struct ConditionalMismatch {
  std::vector<Metric> tvd_level;   // per level a of A; undefined outside A⁺
  std::vector<size_t> excluded;    // levels with p(a) = 0 < q(a)
  double excluded_ref_mass = 0;    // Σ q(a) over the excluded levels
  bool incomputable = false;       // excluded_ref_mass > kMaxExcludedReferenceMass
  Metric cm, fi, fi_ref;
  double fi_denominator = 0, fi_ref_denominator = 0;
};

// p and q: joint masses, rows = levels of A, columns = levels of B, same shape.
ConditionalMismatch conditional_mismatch(const DenseTable& p, const DenseTable& q);

}  // namespace iaf::stats
