#pragma once
// Uncertainty (DESIGN.md, Checks → Uncertainty): a seeded multinomial bootstrap of the synthetic's
// raw-label counts (before any crosswalk), with the reference resampled at its effective size n for
// survey references; and noise floors — the metric between q and size-N samples of q (census) or
// between size-n and size-N samples of q (survey) — whose 95th percentile is the minimum detectable
// value. Replicate r always draws from stream r of the check's seed, so results do not depend on
// the thread count.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "iaf/checks/alignment.hpp"
#include "iaf/checks/context.hpp"
#include "iaf/core/dense_table.hpp"
#include "iaf/stats/interval.hpp"

namespace iaf::checks {

// Metric values of one (synthetic, reference) pair on the aligned grid; NaN where undefined.
using MetricsOf = std::function<std::vector<double>(const DenseTable& p, const DenseTable& q)>;

// A 64-bit seed for one purpose of one check, from the audit's seed (adding or removing another
// check leaves it unchanged).
uint64_t purpose_seed(uint64_t audit_seed, const std::string& check, const std::string& purpose);

// The B multinomial redraws of one raw table, kept for every run of a check that asks again for
// the same table, size and seed: a check's crosswalk variants resample the same raw-label counts
// (the crosswalk applies after the draw), and the draws were most of the uncertainty stage.
class BootstrapDraws {
 public:
  using Draws = std::vector<std::vector<uint32_t>>;  // [replicate][raw cell]
  // The draws of round(n) rows from `raw`, replicate r from stream r of `seed`.
  const Draws& of(const std::vector<double>& raw, double n, uint64_t seed, const Resampling& r);

 private:
  struct Entry {
    std::vector<double> raw;
    double n;
    uint64_t seed;
    Draws draws;
  };
  std::deque<Entry> entries_;  // a deque: references to earlier entries stay valid
};

// Replicates of `metrics` under the bootstrap of the synthetic raw counts ([replicate][metric]).
std::vector<std::vector<double>> bootstrap_replicates(const Alignment& a, double n_ref, const MetricsOf& metrics,
                                                      const Resampling& r, uint64_t seed);
// Replicates of `metrics` between q and size-N samples of q (or size-n and size-N samples).
std::vector<std::vector<double>> noise_replicates(const DenseTable& q, double n_synthetic, double n_ref,
                                                  const MetricsOf& metrics, const Resampling& r, uint64_t seed);
// Runs `body(i)` for i = 0..count−1 on `threads` threads, each taking the next index when it is
// free; callers make each index's work independent of the thread that does it.
void parallel_for(unsigned count, unsigned threads, const std::function<void(unsigned)>& body);
// Runs `replicate(r)` for r = 0..B−1 on `threads` threads; results by replicate index.
std::vector<std::vector<double>> parallel_replicates(unsigned replicates, unsigned threads,
                                                     const std::function<std::vector<double>(unsigned)>& replicate);

// Percentile interval of column `m`; nullopt when over half the replicates are undefined.
std::optional<stats::Interval> column_interval(const std::vector<std::vector<double>>& reps, size_t m);
// 95th percentile of column `m` over its defined replicates.
std::optional<double> column_p95(const std::vector<std::vector<double>>& reps, size_t m);

// A multinomial sample of size round(n) from the masses of `t` (same shape).
DenseTable sample_like(const DenseTable& t, double n, uint64_t seed, uint64_t stream);

}  // namespace iaf::checks
