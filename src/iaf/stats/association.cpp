#include "iaf/stats/association.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "iaf/stats/chi_square.hpp"

namespace iaf::stats {

double entropy_nats(const std::vector<double>& masses) {
  double total = 0;
  for (double m : masses) total += m;
  double h = 0;
  for (double m : masses)
    if (m > 0) h -= (m / total) * std::log(m / total);
  return h;
}

Association association(const DenseTable& table) {
  if (table.rank() != 2) throw std::invalid_argument("association needs a two-way table");
  auto row_totals = table.marginal(0), col_totals = table.marginal(1);
  std::vector<size_t> rows, cols;
  for (size_t i = 0; i < row_totals.size(); ++i)
    if (row_totals[i] > 0) rows.push_back(i);
  for (size_t j = 0; j < col_totals.size(); ++j)
    if (col_totals[j] > 0) cols.push_back(j);

  Association a;
  a.rows_used = rows.size();
  a.cols_used = cols.size();
  for (double v : row_totals) a.n += v;
  if (!(a.n > 0)) {
    const char* why = "empty table";
    a.chi2 = a.log10_p = a.chi2_yates = a.g = a.cramers_v = a.cramers_v_bc = a.tschuprow_t = Metric::none(why);
    a.h_rows = a.h_cols = a.h_joint = a.mi = a.mi_bits = a.nmi = Metric::none(why);
    a.u_cols_given_rows = a.u_rows_given_cols = Metric::none(why);
    return a;
  }

  std::vector<double> cells;
  for (size_t i : rows)
    for (size_t j : cols) cells.push_back(table.at(i, j));
  double hr = entropy_nats(row_totals), hc = entropy_nats(col_totals), hj = entropy_nats(cells);
  double mi = std::max(0.0, hr + hc - hj);
  a.h_rows = Metric::of(hr);
  a.h_cols = Metric::of(hc);
  a.h_joint = Metric::of(hj);
  a.mi = Metric::of(mi);
  a.mi_bits = Metric::of(mi / std::log(2.0));
  a.nmi = hr + hc > 0 ? Metric::of(mi / ((hr + hc) / 2)) : Metric::none("both margins have zero entropy");
  a.u_cols_given_rows = hc > 0 ? Metric::of(mi / hc) : Metric::none("the column variable has zero entropy");
  a.u_rows_given_cols = hr > 0 ? Metric::of(mi / hr) : Metric::none("the row variable has zero entropy");

  double r = static_cast<double>(rows.size()), c = static_cast<double>(cols.size());
  if (rows.size() < 2 || cols.size() < 2) {
    const char* why = "fewer than two non-empty rows or columns";
    a.chi2 = a.log10_p = a.chi2_yates = a.g = a.cramers_v = a.cramers_v_bc = a.tschuprow_t = Metric::none(why);
    return a;
  }
  a.df = (r - 1) * (c - 1);
  double x2 = 0, yates = 0, g = 0;
  for (size_t i : rows)
    for (size_t j : cols) {
      double e = row_totals[i] * col_totals[j] / a.n, o = table.at(i, j);
      double d = o - e;
      x2 += d * d / e;
      double dy = std::fabs(d) - std::min(0.5, std::fabs(d));  // Yates, never past the expected count
      yates += dy * dy / e;
      if (o > 0) g += 2 * o * std::log(o / e);
    }
  a.chi2 = Metric::of(x2);
  a.log10_p = Metric::of(chi2_log10_sf(x2, a.df));
  a.chi2_yates = a.df == 1 ? Metric::of(yates) : Metric::none("Yates' correction applies to 2 x 2 tables only");
  a.g = Metric::of(g);
  double phi2 = x2 / a.n;
  a.cramers_v = Metric::of(std::sqrt(phi2 / std::min(r - 1, c - 1)));
  a.tschuprow_t = Metric::of(std::sqrt(phi2 / std::sqrt((r - 1) * (c - 1))));
  // Bergsma (2013), bias-corrected V.
  if (a.n > 1) {
    double phi2c = std::max(0.0, phi2 - (r - 1) * (c - 1) / (a.n - 1));
    double rc = r - (r - 1) * (r - 1) / (a.n - 1), cc = c - (c - 1) * (c - 1) / (a.n - 1);
    double m = std::min(rc - 1, cc - 1);
    a.cramers_v_bc = m > 0 ? Metric::of(std::sqrt(phi2c / m)) : Metric::none("too few observations for the bias correction");
  } else {
    a.cramers_v_bc = Metric::none("too few observations for the bias correction");
  }
  return a;
}

}  // namespace iaf::stats
