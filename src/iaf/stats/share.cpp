#include "iaf/stats/share.hpp"

#include <cmath>
#include <stdexcept>

namespace iaf::stats {
namespace {

double weighted_mean(std::span<const double> s, std::span<const double> w) {
  double sw = 0, sx = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (!(w[i] > 0)) continue;
    sw += w[i];
    sx += w[i] * s[i];
  }
  return sw > 0 ? sx / sw : 0;
}

}  // namespace

Metric flattening_slope(std::span<const double> s_p, std::span<const double> s_q, std::span<const double> w,
                        std::optional<double> centre) {
  double cp = centre ? *centre : weighted_mean(s_p, w);
  double cq = centre ? *centre : weighted_mean(s_q, w);
  // β = Σw(s_q−s̄_q)(s_p−s̄_p) / Σw(s_q−s̄_q)²
  double num = 0, den = 0;
  for (size_t i = 0; i < s_p.size(); ++i) {
    if (!(w[i] > 0)) continue;
    num += w[i] * (s_q[i] - cq) * (s_p[i] - cp);
    den += w[i] * (s_q[i] - cq) * (s_q[i] - cq);
  }
  if (!(den > 0)) return Metric::none("the reference shares do not vary across categories");
  return Metric::of(num / den);
}

Screening screen(std::span<const double> s_p, std::span<const double> s_q, std::span<const double> w,
                 double tau, double delta) {
  Screening s;
  for (size_t i = 0; i < s_q.size(); ++i) {
    if (!(w[i] > 0) || s_q[i] > tau) continue;
    s.dominated.push_back(i);
    if (s_p[i] - s_q[i] >= delta) s.excess.push_back(i);
  }
  if (!s.dominated.empty()) {
    s.all_fails = s.excess.size() == s.dominated.size();
    s.majority_fails = 2 * s.excess.size() > s.dominated.size();
  }
  return s;
}

ShareComparison compare_shares(const DenseTable& p, const DenseTable& q, size_t target, double tau, double delta) {
  if (p.rank() != 2 || p.shape() != q.shape()) throw std::invalid_argument("compare_shares: p and q must be same-shape two-way tables");
  if (target >= p.cols()) throw std::invalid_argument("compare_shares: target column out of range");
  auto po = p.marginal(0), qo = q.marginal(0);
  double q_total = q.total();
  size_t k = p.rows();
  ShareComparison r;
  r.s_p.assign(k, Metric::none("category absent from one side"));
  r.s_q.assign(k, Metric::none("category absent from one side"));
  r.weight.assign(k, 0);
  std::vector<double> sp(k, 0), sq(k, 0);
  for (size_t o = 0; o < k; ++o) {
    if (!(po[o] > 0 && qo[o] > 0)) {  // a share on one side only cannot be compared
      r.excluded.push_back(o);
      continue;
    }
    sq[o] = q.at(o, target) / qo[o];
    sp[o] = p.at(o, target) / po[o];
    r.s_q[o] = Metric::of(sq[o]);
    r.s_p[o] = Metric::of(sp[o]);
    r.weight[o] = qo[o] / q_total;
  }
  r.beta = flattening_slope(sp, sq, r.weight);
  r.beta_parity = flattening_slope(sp, sq, r.weight, 0.5);
  double mp = weighted_mean(sp, r.weight), mq = weighted_mean(sq, r.weight);
  r.kappa.assign(k, Metric::none("category excluded"));
  r.kappa_parity.assign(k, Metric::none("category excluded"));
  for (size_t o = 0; o < k; ++o) {
    if (!(r.weight[o] > 0)) continue;
    // κ(o) = (s_p(o) − s̄_p) / (s_q(o) − s̄_q)
    r.kappa[o] = std::fabs(sq[o] - mq) < kKappaMinDeviation ? Metric::none("reference share too close to its mean")
                                                             : Metric::of((sp[o] - mp) / (sq[o] - mq));
    r.kappa_parity[o] = std::fabs(sq[o] - 0.5) < kKappaMinDeviation ? Metric::none("reference share too close to parity")
                                                                    : Metric::of((sp[o] - 0.5) / (sq[o] - 0.5));
  }
  r.screening = screen(sp, sq, r.weight, tau, delta);
  return r;
}

}  // namespace iaf::stats
