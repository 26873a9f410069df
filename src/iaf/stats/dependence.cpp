#include "iaf/stats/dependence.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace iaf::stats {
namespace {

std::vector<double> residuals(const DenseTable& t) {
  double total = t.total();
  if (!(total > 0)) throw std::domain_error("joint distribution with zero total mass");
  DenseTable prod = independence_product(t);
  std::vector<double> r(t.size());
  for (size_t i = 0; i < t.size(); ++i) r[i] = t[i] / total - prod[i];
  return r;
}

double half_l1(const std::vector<double>& r) {
  double s = 0;
  for (double v : r) s += std::fabs(v);
  return 0.5 * s;
}

}  // namespace

DenseTable independence_product(const DenseTable& t) {
  double total = t.total();
  if (!(total > 0)) throw std::domain_error("joint distribution with zero total mass");
  std::vector<std::vector<double>> margins;
  for (size_t d = 0; d < t.rank(); ++d) {
    margins.push_back(t.marginal(d));
    for (double& v : margins.back()) v /= total;
  }
  DenseTable out(t.shape());
  for (size_t i = 0; i < t.size(); ++i) {
    auto idx = t.index(i);
    double v = 1;
    for (size_t d = 0; d < idx.size(); ++d) v *= margins[d][idx[d]];
    out[i] = v;
  }
  return out;
}

double dependence_mass(const DenseTable& t) { return half_l1(residuals(t)); }

Metric dependence_retained(const DenseTable& p, const DenseTable& q) {
  if (p.shape() != q.shape()) throw std::invalid_argument("p and q have different shapes");
  double dq = dependence_mass(q);
  if (dq < kNoDependence) return Metric::none("the reference shows no dependence to preserve (D(q) = 0)");
  return Metric::of(dependence_mass(p) / dq);
}

Metric pattern_agreement(const DenseTable& p, const DenseTable& q) {
  if (p.shape() != q.shape()) throw std::invalid_argument("p and q have different shapes");
  auto rp = residuals(p), rq = residuals(q);
  if (half_l1(rq) < kNoDependence) return Metric::none("the reference has no interaction residuals");
  if (half_l1(rp) < kNoDependence) return Metric::none("the synthetic has no interaction residuals");
  double dot = 0, np = 0, nq = 0;
  for (size_t i = 0; i < rp.size(); ++i) {
    dot += rp[i] * rq[i];
    np += rp[i] * rp[i];
    nq += rq[i] * rq[i];
  }
  return Metric::of(dot / (std::sqrt(np) * std::sqrt(nq)));
}

}  // namespace iaf::stats
