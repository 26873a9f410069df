#include "iaf/stats/standardise.hpp"

#include <stdexcept>

namespace iaf::stats {

StandardisedShares standardised_shares(const DenseTable& p, const DenseTable& q_g_given_o, size_t target) {
  if (p.rank() != 3 || q_g_given_o.rank() != 2 || p.shape()[0] != q_g_given_o.rows() ||
      p.shape()[1] != q_g_given_o.cols())
    throw std::invalid_argument("standardised_shares: p must be o x g x t and the weights o x g");
  size_t no = p.shape()[0], ng = p.shape()[1], nt = p.shape()[2];
  if (target >= nt) throw std::invalid_argument("standardised_shares: target out of range");
  StandardisedShares r;
  r.share.assign(no, Metric::none(""));
  r.missing_weight.assign(no, 0);
  for (size_t o = 0; o < no; ++o) {
    double wt = 0;
    for (size_t g = 0; g < ng; ++g) wt += q_g_given_o.at(o, g);
    if (!(wt > 0)) {
      r.missing_weight[o] = 1;
      r.incomputable.push_back(o);
      r.share[o] = Metric::none("the weights reference has no strata for this category");
      continue;
    }
    double covered = 0, s = 0;
    for (size_t g = 0; g < ng; ++g) {
      double w = q_g_given_o.at(o, g) / wt, cell = 0;
      for (size_t t = 0; t < nt; ++t) cell += p[(o * ng + g) * nt + t];
      if (cell > 0) {
        covered += w;
        s += w * p[(o * ng + g) * nt + target] / cell;
      } else {
        r.missing_weight[o] += w;
      }
    }
    if (r.missing_weight[o] > kMaxMissingStratumWeight || !(covered > 0)) {
      r.incomputable.push_back(o);
      r.share[o] = Metric::none("over 20% of the reference's strata weight has no synthetic rows");
    } else {
      // Missing strata's weight is spread over the others: renormalise over covered strata.
      r.share[o] = Metric::of(s / covered);
    }
  }
  return r;
}

}  // namespace iaf::stats
