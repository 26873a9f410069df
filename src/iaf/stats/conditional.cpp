#include "iaf/stats/conditional.hpp"

#include <stdexcept>

#include "iaf/stats/divergence.hpp"

namespace iaf::stats {

ConditionalMismatch conditional_mismatch(const DenseTable& p, const DenseTable& q) {
  if (p.rank() != 2 || p.shape() != q.shape()) throw std::invalid_argument("conditional_mismatch: p and q must be same-shape two-way tables");
  auto pa = p.marginal(0), qa = q.marginal(0);
  auto pb = p.marginal(1), qb = q.marginal(1);
  double q_total = q.total();
  if (!(p.total() > 0) || !(q_total > 0)) throw std::domain_error("conditional_mismatch: a side has zero total mass");

  ConditionalMismatch r;
  r.tvd_level.assign(p.rows(), Metric::none("not compared"));
  double weight = 0;
  for (size_t a = 0; a < p.rows(); ++a) {
    if (qa[a] > 0 && pa[a] == 0) {
      r.excluded.push_back(a);
      r.excluded_ref_mass += qa[a] / q_total;
      r.tvd_level[a] = Metric::none("level absent from the synthetic");
    } else if (qa[a] == 0) {
      r.tvd_level[a] = Metric::none("level absent from the reference");
    } else {
      weight += qa[a];
    }
  }
  r.incomputable = r.excluded_ref_mass > kMaxExcludedReferenceMass;
  if (!(weight > 0)) {
    r.cm = r.fi = r.fi_ref = Metric::none("no level present on both sides");
    return r;
  }
  // CM(B|A) = Σ_a q(a)·TVD(p(·|a), q(·|a)), weights renormalised over the compared levels.
  double cm = 0, den = 0, den_ref = 0;
  for (size_t a = 0; a < p.rows(); ++a) {
    if (!(qa[a] > 0 && pa[a] > 0)) continue;
    double w = qa[a] / weight;
    double t = total_variation(p.row(a), q.row(a));
    r.tvd_level[a] = Metric::of(t);
    cm += w * t;
    den += w * total_variation(pb, q.row(a));
    den_ref += w * total_variation(qb, q.row(a));
  }
  r.cm = Metric::of(cm);
  r.fi_denominator = den;
  r.fi_ref_denominator = den_ref;
  // FI(B|A) = CM / Σ_a q(a)·TVD(p(B), q(·|a)); FI_ref with q(B).
  r.fi = den > 0 ? Metric::of(cm / den) : Metric::none("the reference shows no dependence to preserve");
  r.fi_ref = den_ref > 0 ? Metric::of(cm / den_ref) : Metric::none("the reference shows no dependence to preserve");
  return r;
}

}  // namespace iaf::stats
