// Golden vectors: iaf's statistics against the independent oracle (scripts/oracle/make_golden.py:
// the definitions of docs/metrics.md evaluated in 50-digit mpmath, cross-checked with scipy and
// statsmodels). Tolerance, as each file states it: |got − expect| ≤ max(1e-12·|expect|, abs),
// abs = the file's default_abs, the metric's own abs, or the case's propagated tolerance.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "iaf/core/dense_table.hpp"
#include "iaf/stats/association.hpp"
#include "iaf/stats/chi_square.hpp"
#include "iaf/stats/conditional.hpp"
#include "iaf/stats/dependence.hpp"
#include "iaf/stats/divergence.hpp"
#include "iaf/stats/interval.hpp"
#include "iaf/stats/multiplicity.hpp"
#include "iaf/stats/share.hpp"
#include "iaf/stats/standardise.hpp"

using namespace iaf;
using namespace iaf::stats;
using nlohmann::json;

namespace {

json load(const std::string& name) {
  std::ifstream in(std::string(IAF_SOURCE_DIR) + "/tests/golden/" + name);
  EXPECT_TRUE(in) << name;
  return json::parse(in);
}

// The tolerance rule of one golden file.
class Tolerance {
 public:
  explicit Tolerance(const json& file) : spec_(file.at("tolerance")) {}
  double abs_for(const json& c, const std::string& metric) const {
    double abs = spec_.at("default_abs");
    if (spec_.contains(metric) && spec_[metric].is_object()) abs = spec_[metric].at("abs");
    if (c.contains("tolerance") && c["tolerance"].contains(metric)) abs = std::max(abs, c["tolerance"][metric].get<double>());
    return abs;
  }
  double rel() const { return spec_.at("default_rel"); }

 private:
  json spec_;
};

void expect_value(const Metric& got, const json& want, double rel, double abs, const std::string& what) {
  if (want.is_null()) {
    EXPECT_FALSE(got.defined()) << what << ": expected undefined, got " << (got.defined() ? *got : 0);
    return;
  }
  ASSERT_TRUE(got.defined()) << what << ": undefined (" << got.reason << "), expected " << want;
  double w = want.get<double>();
  EXPECT_LE(std::fabs(*got - w), std::max(rel * std::fabs(w), abs)) << what << ": got " << *got << " expected " << w;
}

void expect_value(double got, const json& want, double rel, double abs, const std::string& what) {
  expect_value(Metric::of(got), want, rel, abs, what);
}

// Runs `check(case, expect-one-metric)` over every case of a file.
struct Golden {
  json file;
  Tolerance tol;
  explicit Golden(const std::string& name) : file(load(name)), tol(file) {}
  template <typename Value>
  void expect(const json& c, const std::string& metric, const Value& got) const {
    expect_value(got, c.at("expect").at(metric), tol.rel(), tol.abs_for(c, metric),
                 c.at("name").get<std::string>() + " " + metric);
  }
  template <typename Value>
  void expect_list(const json& c, const std::string& metric, const std::vector<Value>& got) const {
    const auto& want = c.at("expect").at(metric);
    ASSERT_EQ(got.size(), want.size()) << c.at("name") << " " << metric;
    for (size_t i = 0; i < got.size(); ++i)
      expect_value(got[i], want[i], tol.rel(), tol.abs_for(c, metric),
                   c.at("name").get<std::string>() + " " + metric + "[" + std::to_string(i) + "]");
  }
};

std::vector<double> vec(const json& j) { return j.get<std::vector<double>>(); }
DenseTable matrix(const json& j) { return DenseTable::matrix(j.get<std::vector<std::vector<double>>>()); }
std::vector<size_t> indices(const json& j) { return j.get<std::vector<size_t>>(); }

}  // namespace

TEST(Golden, Divergences) {
  Golden g("divergences.json");
  ASSERT_GE(g.file["cases"].size(), 20u);
  for (const auto& c : g.file["cases"]) {
    auto p = vec(c["p"]), q = vec(c["q"]);
    const auto& e = c["expect"];
    auto guarded = [&](const std::string& metric, auto fn) {
      if (e[metric].is_null()) {
        EXPECT_THROW(fn(), std::domain_error) << c["name"] << " " << metric;
        return;
      }
      g.expect(c, metric, fn());
    };
    guarded("tvd", [&] { return total_variation(p, q); });
    guarded("jsd", [&] { return jensen_shannon(p, q); });
    guarded("js_distance", [&] { return js_distance(p, q); });
    guarded("js_distance_nats", [&] { return std::sqrt(jensen_shannon(p, q) * std::log(2.0)); });
    guarded("hellinger", [&] { return hellinger(p, q); });
    guarded("max_abs_diff", [&] { return max_abs_difference(p, q); });
    guarded("impossible_mass", [&] { return impossible_mass(p, q); });
    if (!e["tvd"].is_null()) {
      g.expect(c, "kl", kullback_leibler(p, q, 0.0));
      g.expect(c, "kl_smoothed", kullback_leibler(p, q, c["eps"].get<double>()));
    }
  }
}

TEST(Golden, GoodnessOfFit) {
  Golden g("goodness_of_fit.json");
  for (const auto& c : g.file["cases"]) {
    auto o = vec(c["observed"]), q = vec(c["q"]);
    bool survey = c["kind"] == "survey";
    FitTest t = survey ? homogeneity(o, q, c["n_ref"].get<double>()) : goodness_of_fit(o, q);
    for (const char* m : {"chi2", "g", "freeman_tukey", "cohen_w", "log10_p", "g_log10_p"}) {
      const Metric& got = std::string(m) == "chi2"            ? t.chi2
                          : std::string(m) == "g"             ? t.g
                          : std::string(m) == "freeman_tukey" ? t.freeman_tukey
                          : std::string(m) == "cohen_w"       ? t.cohen_w
                          : std::string(m) == "log10_p"       ? t.log10_p
                                                              : t.g_log10_p;
      g.expect(c, m, got);
    }
    const auto& e = c["expect"];
    if (e["df"].is_null()) EXPECT_FALSE(t.chi2.defined()) << c["name"];
    else EXPECT_EQ(t.df, e["df"].get<double>()) << c["name"];
    EXPECT_EQ(t.pooled_cells, e["pooled_cells"].get<size_t>()) << c["name"];
    g.expect(c, "n_used", t.n_used);
    g.expect(c, "impossible_mass", t.impossible_mass);
    g.expect_list(c, "z", t.z);
  }
}

TEST(Golden, Contingency) {
  Golden g("contingency.json");
  ASSERT_GE(g.file["cases"].size(), 45u);
  for (const auto& c : g.file["cases"]) {
    auto a = association(matrix(c["table"]));
    const auto& e = c["expect"];
    EXPECT_EQ(a.n, e["n"].get<double>());
    EXPECT_EQ(a.rows_used, e["rows_used"].get<size_t>()) << c["name"];
    EXPECT_EQ(a.cols_used, e["cols_used"].get<size_t>()) << c["name"];
    if (e["df"].is_null()) EXPECT_FALSE(a.chi2.defined()) << c["name"];
    else EXPECT_EQ(a.df, e["df"].get<double>()) << c["name"];
    g.expect(c, "chi2_independence", a.chi2);
    g.expect(c, "log10_p", a.log10_p);
    g.expect(c, "chi2_yates", a.chi2_yates);
    g.expect(c, "g", a.g);
    g.expect(c, "cramers_v", a.cramers_v);
    g.expect(c, "cramers_v_bc", a.cramers_v_bc);
    g.expect(c, "tschuprow_t", a.tschuprow_t);
    g.expect(c, "h_rows", a.h_rows);
    g.expect(c, "h_cols", a.h_cols);
    g.expect(c, "h_joint", a.h_joint);
    g.expect(c, "mi", a.mi);
    g.expect(c, "mi_bits", a.mi_bits);
    g.expect(c, "nmi", a.nmi);
    g.expect(c, "u_cols_given_rows", a.u_cols_given_rows);
    g.expect(c, "u_rows_given_cols", a.u_rows_given_cols);
    if (e["dependence_mass"].is_null()) EXPECT_THROW(dependence_mass(matrix(c["table"])), std::domain_error);
    else g.expect(c, "dependence_mass", dependence_mass(matrix(c["table"])));
  }
}

TEST(Golden, DependenceAnyDimension) {
  Golden g("dependence.json");
  for (const auto& c : g.file["cases"]) {
    auto shape = c["shape"].get<std::vector<size_t>>();
    DenseTable p(shape, vec(c["p"])), q(shape, vec(c["q"]));
    const auto& e = c["expect"];
    if (e["d_p"].is_null()) EXPECT_THROW(dependence_mass(p), std::domain_error);
    else g.expect(c, "d_p", dependence_mass(p));
    if (e["d_q"].is_null()) EXPECT_THROW(dependence_mass(q), std::domain_error);
    else g.expect(c, "d_q", dependence_mass(q));
    if (e["d_p"].is_null() || e["d_q"].is_null()) continue;
    g.expect(c, "rho", dependence_retained(p, q));
    g.expect(c, "pi", pattern_agreement(p, q));
  }
}

TEST(Golden, ConditionalMismatchAndFootprint) {
  Golden g("footprint.json");
  for (const auto& c : g.file["cases"]) {
    const auto& e = c["expect"];
    DenseTable p = matrix(c["p"]), q = matrix(c["q"]);
    if (e["cm"].is_null() && p.total() == 0) {
      EXPECT_THROW(conditional_mismatch(p, q), std::domain_error) << c["name"];
      continue;
    }
    auto r = conditional_mismatch(p, q);
    g.expect(c, "cm", r.cm);
    g.expect(c, "fi", r.fi);
    g.expect(c, "fi_ref", r.fi_ref);
    if (r.cm.defined()) {
      g.expect(c, "fi_denominator", r.fi_denominator);
      g.expect(c, "fi_ref_denominator", r.fi_ref_denominator);
    }
    g.expect_list(c, "tvd_level", r.tvd_level);
    EXPECT_EQ(r.excluded, indices(e["excluded_levels"])) << c["name"];
    g.expect(c, "excluded_ref_mass", r.excluded_ref_mass);
    EXPECT_EQ(r.incomputable, e["incomputable"].get<bool>()) << c["name"];
  }
}

TEST(Golden, SharesAndScreening) {
  Golden g("share.json");
  for (const auto& c : g.file["cases"]) {
    const auto& e = c["expect"];
    auto r = compare_shares(matrix(c["p"]), matrix(c["q"]), c["target"].get<size_t>(), c["tau"].get<double>(),
                            c["delta"].get<double>());
    g.expect_list(c, "s_p", r.s_p);
    g.expect_list(c, "s_q", r.s_q);
    EXPECT_EQ(r.excluded, indices(e["excluded"])) << c["name"];
    g.expect(c, "beta", r.beta);
    g.expect(c, "beta_parity", r.beta_parity);
    g.expect_list(c, "kappa", r.kappa);
    g.expect_list(c, "kappa_parity", r.kappa_parity);
    EXPECT_EQ(r.screening.dominated, indices(e["dominated"])) << c["name"];
    auto verdict = [](const std::optional<bool>& fails) -> json {
      if (!fails) return nullptr;
      return *fails ? "fail" : "pass";
    };
    EXPECT_EQ(verdict(r.screening.all_fails), e["screening_all"]) << c["name"];
    EXPECT_EQ(verdict(r.screening.majority_fails), e["screening_majority"]) << c["name"];
  }
}

TEST(Golden, DirectStandardisation) {
  Golden g("standardise.json");
  for (const auto& c : g.file["cases"]) {
    auto nested = c["p"].get<std::vector<std::vector<std::vector<double>>>>();
    std::vector<double> flat;
    for (const auto& o : nested)
      for (const auto& gg : o) flat.insert(flat.end(), gg.begin(), gg.end());
    DenseTable p({nested.size(), nested[0].size(), nested[0][0].size()}, flat);
    auto r = standardised_shares(p, matrix(c["q_g_given_o"]), c["target"].get<size_t>());
    g.expect_list(c, "s_adj", r.share);
    EXPECT_EQ(r.incomputable, indices(c["expect"]["incomputable"])) << c["name"];
    const auto& mw = c["expect"]["missing_weight"];
    for (size_t o = 0; o < mw.size(); ++o)
      if (!mw[o].is_null()) g.expect_list(c, "missing_weight", r.missing_weight);
  }
}

TEST(Golden, IntervalsMultiplicityAndTails) {
  json file = load("intervals.json");
  Tolerance tol(file);
  for (const auto& c : file["wilson"]) {
    auto w = wilson(c["x"].get<double>(), c["n"].get<double>());
    if (c["expect"]["lo"].is_null()) {
      EXPECT_FALSE(w.has_value());
      continue;
    }
    ASSERT_TRUE(w.has_value());
    expect_value(w->lo, c["expect"]["lo"], tol.rel(), tol.abs_for(c, "lo"), "wilson lo " + c.dump());
    expect_value(w->hi, c["expect"]["hi"], tol.rel(), tol.abs_for(c, "hi"), "wilson hi " + c.dump());
  }
  for (const auto& c : file["bh"]) {
    auto q = benjamini_hochberg(vec(c["p"]));
    auto want = vec(c["expect"]["q"]);
    ASSERT_EQ(q.size(), want.size());
    for (size_t i = 0; i < q.size(); ++i) expect_value(q[i], want[i], tol.rel(), tol.abs_for(c, "q"), "bh " + c.dump());
  }
  for (const auto& c : file["chi2_tail"])
    expect_value(chi2_log10_sf(c["x"].get<double>(), c["df"].get<double>()), c["expect"]["log10_p"], tol.rel(),
                 tol.abs_for(c, "log10_p"), "chi2 tail " + c.dump());
}
