#pragma once
// The comparison marginal and joint checks share: divergences, the goodness-of-fit test of the
// right form for the reference's kind, the worst cells, per-cell flags (BH-adjusted, gated by
// effect size), coverage and the deciding metric's bounds under the unmapped mass.
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "iaf/checks/alignment.hpp"
#include "iaf/checks/result.hpp"
#include "iaf/pack/reference.hpp"
#include "iaf/stats/chi_square.hpp"

namespace iaf::checks {

inline constexpr double kCellAlpha = 0.05;          // BH q-value below which a cell may be flagged
inline constexpr double kCellMinRelative = 0.25;    // |p/q − 1|
inline constexpr double kCellMinAbsolute = 0.001;   // |p − q|
inline constexpr double kCellMinExpected = 5;       // testable cells

inline double nan_if(const stats::Metric& m) { return m.defined() ? *m : std::numeric_limits<double>::quiet_NaN(); }

// Per-cell tests: cells with an expected count of at least 5 are testable; a testable cell is
// flagged when its BH-adjusted two-sided p is below α and it deviates by ≥ 25% and ≥ 0.001.
struct CellTests {
  std::vector<size_t> testable;
  std::vector<double> q_values;  // parallel to testable
  std::vector<bool> flagged;     // per cell
  size_t flagged_count = 0;
};
CellTests test_cells(const DenseTable& p, const DenseTable& q, const stats::FitTest& fit);

// The fit test of the form the reference's kind calls for.
stats::FitTest fit_test(const DenseTable& p, const DenseTable& q, const pack::Reference& ref);

// Divergences, fit test, worst cells, cell flags, one-sided labels, unmapped labels.
void add_distribution_comparison(CheckResult& r, const Alignment& a, const pack::Reference& ref);

// min and max of TVD if the unmapped mass `u` (share of the synthetic total) were spread to
// minimise or maximise it: min = Σ max(m_i − q_i, 0), max over putting all of u on one cell.
std::pair<double, double> tvd_bounds(const DenseTable& mapped, double unmapped, const DenseTable& q);

// The band verdict, except that a fail no larger than the noise floor's 95th percentile becomes a
// flag (DESIGN: fail only above max(threshold, floor95)). For higher-is-better metrics `badness`
// is measured as the distance from the faithful value.
Status verdict(const Band& band, double value, std::optional<double> floor95, std::string& note);

// Coverage gate shared by crosswalked checks: false (and the result marked incomputable) when the
// mapped share is below the crosswalks' min_coverage.
bool coverage_ok(CheckResult& r, const Alignment& a, const pack::AuditPack& pack);

// Union labels of one dimension as JSON, with the one-sided ones marked.
nlohmann::ordered_json codebook_json(const Alignment& a, size_t d);

}  // namespace iaf::checks
