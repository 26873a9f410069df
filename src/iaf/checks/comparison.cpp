#include "iaf/checks/comparison.hpp"

#include <algorithm>
#include <numeric>

#include "iaf/checks/context.hpp"
#include "iaf/stats/chi_square.hpp"
#include "iaf/stats/divergence.hpp"
#include "iaf/stats/multiplicity.hpp"

namespace iaf::checks {

std::pair<double, double> tvd_bounds(const DenseTable& mapped, double unmapped, const DenseTable& q) {
  double m_total = mapped.total(), q_total = q.total(), total = m_total + unmapped;
  size_t k = mapped.size();
  std::vector<double> d(k);
  double lo = 0;
  for (size_t i = 0; i < k; ++i) {
    double m = mapped[i] / total, qi = q[i] / q_total;
    d[i] = qi - m;
    lo += std::max(m - qi, 0.0);
  }
  double u = unmapped / total, abs_sum = 0;
  for (double v : d) abs_sum += std::fabs(v);
  double hi = 0;
  for (size_t i = 0; i < k; ++i) hi = std::max(hi, 0.5 * (abs_sum - std::fabs(d[i]) + std::fabs(d[i] - u)));
  return {lo, hi};
}

Status verdict(const Band& band, double value, std::optional<double> floor95, std::string& note) {
  Status s = judge(band, value);
  if (s == Status::fail && floor95) {
    double badness = band.higher_is_better ? 1 - value : value;
    if (badness <= *floor95) {
      note = "beyond the fail threshold but within the noise floor (95th percentile " + num(*floor95) +
             "): flagged, not failed";
      return Status::flag;
    }
  }
  return s;
}

bool coverage_ok(CheckResult& r, const Alignment& a, const pack::AuditPack& pack) {
  if (!a.crosswalked()) return true;
  double cov = a.coverage();
  r.coverage = cov;
  // Listed whatever the verdict: when coverage is too low they are what the crosswalk needs.
  nlohmann::ordered_json un = nlohmann::ordered_json::array();
  for (size_t i = 0; i < a.unmapped_labels().size() && i < 50; ++i) {
    const auto& [dim, label, mass] = a.unmapped_labels()[i];
    un.push_back({{"attribute", dim}, {"label", label}, {"mass", mass}});
  }
  r.details["unmapped_labels"] = un;
  r.details["unmapped_label_count"] = a.unmapped_labels().size();
  double need = 0;
  for (const auto& d : a.dims()) {
    const auto& attr = pack.attribute(d);
    if (!attr.crosswalk.empty()) need = std::max(need, pack.crosswalk(attr.crosswalk).min_coverage);
  }
  if (cov < need) {
    mark(r, Status::incomputable,
         "crosswalk coverage " + num(cov) + " is below min_coverage " + num(need) +
             ": the mapped mass cannot stand for the whole");
    return false;
  }
  return true;
}

nlohmann::ordered_json codebook_json(const Alignment& a, size_t d) {
  nlohmann::ordered_json j;
  j["attribute"] = a.dims()[d];
  j["labels"] = a.codebooks()[d].labels();
  j["synthetic_only"] = a.synthetic_only(d);
  j["reference_only"] = a.reference_only(d);
  return j;
}

stats::FitTest fit_test(const DenseTable& p, const DenseTable& q, const pack::Reference& ref) {
  return ref.is_survey() ? stats::homogeneity(p.values(), q.values(), ref.effective_n())
                         : stats::goodness_of_fit(p.values(), q.values());
}

CellTests test_cells(const DenseTable& p, const DenseTable& q, const stats::FitTest& fit) {
  CellTests c;
  double n = p.total(), q_total = q.total();
  std::vector<double> pvals;
  for (size_t i = 0; i < p.size(); ++i) {
    if (q[i] <= 0 || !fit.z[i].defined()) continue;
    if (n * q[i] / q_total < kCellMinExpected) continue;
    c.testable.push_back(i);
    pvals.push_back(std::erfc(std::fabs(*fit.z[i]) / std::sqrt(2.0)));
  }
  c.q_values = stats::benjamini_hochberg(pvals);
  c.flagged.assign(p.size(), false);
  for (size_t t = 0; t < c.testable.size(); ++t) {
    size_t i = c.testable[t];
    double ps = p[i] / n, qs = q[i] / q_total;
    bool f = c.q_values[t] < kCellAlpha && std::fabs(ps / qs - 1) >= kCellMinRelative && std::fabs(ps - qs) >= kCellMinAbsolute;
    c.flagged[i] = f;
    c.flagged_count += f;
  }
  return c;
}

void add_distribution_comparison(CheckResult& r, const Alignment& a, const pack::Reference& ref) {
  DenseTable p = a.synthetic(), q = a.reference();
  auto pv = p.values(), qv = q.values();
  double n = p.total(), q_total = q.total();
  bool survey = ref.is_survey();
  double n_ref = ref.effective_n();

  r.add("tvd", stats::total_variation(pv, qv));
  r.add("jsd", stats::jensen_shannon(pv, qv));
  r.add("js_distance", stats::js_distance(pv, qv));
  r.add("hellinger", stats::hellinger(pv, qv));
  r.add("max_abs_diff", stats::max_abs_difference(pv, qv));
  r.add("impossible_mass", stats::impossible_mass(pv, qv));
  stats::FitTest fit = fit_test(p, q, ref);
  r.add("chi2", fit.chi2);
  r.add("df", fit.chi2.defined() ? stats::Metric::of(fit.df) : stats::Metric::none(fit.chi2.reason));
  r.add("log10_p", fit.log10_p);
  r.add("g", fit.g);
  r.add("g_log10_p", fit.g_log10_p);
  r.add("freeman_tukey", fit.freeman_tukey);
  r.add("cohen_w", fit.cohen_w);
  r.add("n_synthetic", n);
  r.add("n_reference", survey ? stats::Metric::of(n_ref) : stats::Metric::none("census or register: no sampling error"));
  r.add("cells", static_cast<double>(p.size()));

  CellTests cells_tested = test_cells(p, q, fit);
  const auto& testable = cells_tested.testable;
  const auto& qvals = cells_tested.q_values;
  const auto& flag = cells_tested.flagged;
  size_t flagged = cells_tested.flagged_count;
  nlohmann::ordered_json cells = nlohmann::ordered_json::array();
  for (size_t i = 0; i < p.size(); ++i) {
    nlohmann::ordered_json c;
    c["cell"] = a.cell_labels(i);
    c["synthetic"] = p[i];
    c["reference"] = q[i];
    c["p"] = n > 0 ? p[i] / n : 0.0;
    c["q"] = q[i] / q_total;
    c["diff"] = (n > 0 ? p[i] / n : 0.0) - q[i] / q_total;
    c["z"] = fit.z[i].defined() ? nlohmann::ordered_json(*fit.z[i]) : nlohmann::ordered_json(nullptr);
    auto it = std::find(testable.begin(), testable.end(), i);
    c["testable"] = it != testable.end();
    c["q_value"] = it != testable.end() ? nlohmann::ordered_json(qvals[it - testable.begin()]) : nlohmann::ordered_json(nullptr);
    c["flagged"] = static_cast<bool>(flag[i]);
    cells.push_back(std::move(c));
  }
  r.add("testable_cells", static_cast<double>(testable.size()));
  r.add("flagged_cells", static_cast<double>(flagged));
  r.add("flag_rate", testable.empty() ? stats::Metric::none("no testable cells (expected count ≥ 5)")
                                      : stats::Metric::of(static_cast<double>(flagged) / testable.size()));

  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::fabs(cells[x]["diff"].get<double>()) > std::fabs(cells[y]["diff"].get<double>());
  });
  nlohmann::ordered_json worst = nlohmann::ordered_json::array();
  for (size_t k = 0; k < order.size() && k < 10; ++k) worst.push_back(cells[order[k]]);
  r.details["worst_cells"] = worst;
  r.details["cells"] = cells;
  r.details["pooled_cells"] = fit.pooled_cells;
  r.details["test"] = survey ? "two-sample homogeneity against the survey's effective size n"
                             : "goodness of fit against fixed reference shares";
  r.details["test_cells"] = "the chi-square tests, G and z run over cells where the reference is positive; "
                            "synthetic mass elsewhere is impossible_mass";
  nlohmann::ordered_json books = nlohmann::ordered_json::array();
  for (size_t d = 0; d < a.dims().size(); ++d) books.push_back(codebook_json(a, d));
  r.details["codebooks"] = books;
}

}  // namespace iaf::checks
