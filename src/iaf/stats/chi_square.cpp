#include "iaf/stats/chi_square.hpp"

#include <algorithm>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace iaf::stats {
namespace {

// ln Q(a, x) by the Legendre continued fraction for Γ(a, x) (modified Lentz), all in log space;
// converges quickly for x > a + 1, which is where Q underflows.
double log_gamma_q_continued_fraction(double a, double x) {
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 100000; ++i) {
    double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-16) break;
  }
  return -x + a * std::log(x) - boost::math::lgamma(a) + std::log(h);
}

struct Cells {
  std::vector<double> o, e;  // observed and expected, after pooling (fixed form)
};

// Pools cells (DESIGN: "expected count below 5 … pooled for these tests only"; docs/metrics.md
// gives the rule): `size[k]` orders and measures the cells, `small(k-set total)` says when a cell or
// the pool is still too small. Returns the groups: one per unpooled cell, then the pool.
template <typename Small>
std::vector<std::vector<size_t>> pooled_groups(const std::vector<double>& size, Small small, size_t& pooled) {
  std::vector<size_t> order(size.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size[a] < size[b]; });
  std::vector<bool> in_pool(size.size(), false);
  double pool = 0;
  size_t members = 0;
  for (size_t k : order)
    if (small(size[k])) {
      in_pool[k] = true;
      pool += size[k];
      ++members;
    }
  if (members > 0)
    for (size_t k : order) {
      if (!small(pool)) break;
      if (in_pool[k]) continue;
      in_pool[k] = true;
      pool += size[k];
      ++members;
    }
  std::vector<std::vector<size_t>> groups;
  std::vector<size_t> pool_group;
  for (size_t k = 0; k < size.size(); ++k) {
    if (in_pool[k]) pool_group.push_back(k);
    else groups.push_back({k});
  }
  if (!pool_group.empty()) groups.push_back(pool_group);
  pooled = members;
  return groups;
}

void fill_tests(FitTest& t, const std::vector<std::vector<double>>& o, const std::vector<std::vector<double>>& e,
                double effect_n) {
  double x2 = 0, g = 0, ft = 0;
  for (size_t s = 0; s < o.size(); ++s)
    for (size_t k = 0; k < o[s].size(); ++k) {
      double d = o[s][k] - e[s][k];
      x2 += d * d / e[s][k];
      if (o[s][k] > 0) g += 2 * o[s][k] * std::log(o[s][k] / e[s][k]);
      double r = std::sqrt(o[s][k]) - std::sqrt(e[s][k]);
      ft += 4 * r * r;
    }
  t.chi2 = Metric::of(x2);
  t.g = Metric::of(g);
  t.freeman_tukey = Metric::of(ft);
  t.cohen_w = Metric::of(std::sqrt(x2 / effect_n));
  t.log10_p = Metric::of(chi2_log10_sf(x2, t.df));
  t.g_log10_p = Metric::of(chi2_log10_sf(g, t.df));
}

void mark_single_cell(FitTest& t) {
  const char* why = "fewer than two cells after pooling";
  t.chi2 = t.g = t.freeman_tukey = t.cohen_w = t.log10_p = t.g_log10_p = Metric::none(why);
}

// The q > 0 cells, q renormalised over them, and the synthetic mass outside them.
struct Possible {
  std::vector<size_t> cells;
  std::vector<double> q;
  double n = 0, total = 0;
};

Possible possible_cells(std::span<const double> observed, std::span<const double> q) {
  if (observed.size() != q.size()) throw std::invalid_argument("observed and q have different numbers of cells");
  Possible out;
  double qt = 0;
  for (size_t k = 0; k < q.size(); ++k) {
    out.total += observed[k];
    if (q[k] > 0) {
      out.cells.push_back(k);
      qt += q[k];
      out.n += observed[k];
    }
  }
  if (!(qt > 0)) throw std::domain_error("reference with zero total mass");
  for (size_t k : out.cells) out.q.push_back(q[k] / qt);
  return out;
}

}  // namespace

double chi2_log10_sf(double x, double df) {
  if (!(df > 0)) throw std::domain_error("chi-square with non-positive degrees of freedom");
  if (x <= 0) return 0;
  double a = df / 2, h = x / 2;
  double q = boost::math::gamma_q(a, h);
  if (q > 1e-300) return std::log10(q);
  return log_gamma_q_continued_fraction(a, h) / std::log(10.0);
}

FitTest goodness_of_fit(std::span<const double> observed, std::span<const double> q) {
  Possible poss = possible_cells(observed, q);
  FitTest t;
  t.n_used = poss.n;
  t.impossible_mass = poss.total > 0 ? Metric::of((poss.total - poss.n) / poss.total) : Metric::none("no synthetic mass");
  t.z.assign(observed.size(), Metric::none("impossible cell: the reference has zero mass here"));
  std::vector<double> e(poss.cells.size());
  for (size_t i = 0; i < poss.cells.size(); ++i) {
    e[i] = poss.n * poss.q[i];
    double o = observed[poss.cells[i]];
    t.z[poss.cells[i]] = e[i] > 0 ? Metric::of((o - e[i]) / std::sqrt(e[i])) : Metric::none("no synthetic mass");
  }
  auto groups = pooled_groups(e, [](double v) { return v < 5; }, t.pooled_cells);
  t.df = static_cast<double>(groups.size()) - 1;
  if (groups.size() < 2 || !(poss.n > 0)) {
    mark_single_cell(t);
    return t;
  }
  std::vector<std::vector<double>> og(1), eg(1);
  for (const auto& grp : groups) {
    double os = 0, es = 0;
    for (size_t i : grp) {
      os += observed[poss.cells[i]];
      es += e[i];
    }
    og[0].push_back(os);
    eg[0].push_back(es);
  }
  fill_tests(t, og, eg, poss.n);
  return t;
}

FitTest homogeneity(std::span<const double> observed, std::span<const double> q, double n_ref) {
  if (!(n_ref > 0)) throw std::domain_error("survey reference with non-positive effective size");
  Possible poss = possible_cells(observed, q);
  FitTest t;
  t.n_used = poss.n;
  t.impossible_mass = poss.total > 0 ? Metric::of((poss.total - poss.n) / poss.total) : Metric::none("no synthetic mass");
  t.z.assign(observed.size(), Metric::none("impossible cell: the reference has zero mass here"));
  size_t k = poss.cells.size();
  std::vector<double> o(k), r(k), col(k);
  for (size_t i = 0; i < k; ++i) {
    o[i] = observed[poss.cells[i]];
    r[i] = n_ref * poss.q[i];
    col[i] = o[i] + r[i];
    double p = poss.n > 0 ? o[i] / poss.n : 0, qq = poss.q[i];
    double var = p * (1 - p) / poss.n + qq * (1 - qq) / n_ref;
    t.z[poss.cells[i]] = var > 0 && poss.n > 0 ? Metric::of((p - qq) / std::sqrt(var)) : Metric::none("zero variance");
  }
  double total = poss.n + n_ref;
  double smaller_row = std::min(poss.n, n_ref);
  auto groups = pooled_groups(col, [&](double c) { return smaller_row * c / total < 5; }, t.pooled_cells);
  t.df = static_cast<double>(groups.size()) - 1;
  if (groups.size() < 2 || !(poss.n > 0)) {
    mark_single_cell(t);
    return t;
  }
  std::vector<std::vector<double>> og(2), eg(2);
  for (const auto& grp : groups) {
    double os = 0, rs = 0;
    for (size_t i : grp) {
      os += o[i];
      rs += r[i];
    }
    og[0].push_back(os);
    og[1].push_back(rs);
    eg[0].push_back(poss.n * (os + rs) / total);
    eg[1].push_back(n_ref * (os + rs) / total);
  }
  fill_tests(t, og, eg, total);
  return t;
}

}  // namespace iaf::stats
