// share: p(t|o) vs q(t|o) for one target level t by category o (female share by occupation),
// decided by the flattening slope β; κ, parity-centred variants, dominated-set screening ("all"
// is the paper's strict screening, and "majority"), and direct standardisation by a stratifier
// with q(g|o) from a named weights reference (docs/metrics.md).
#include <algorithm>

#include "iaf/checks/checks.hpp"
#include "iaf/checks/comparison.hpp"
#include "iaf/checks/rollup.hpp"
#include "iaf/checks/uncertainty.hpp"
#include "iaf/stats/share.hpp"
#include "iaf/stats/standardise.hpp"

namespace iaf::checks {
namespace {

nlohmann::ordered_json verdict_json(const std::optional<bool>& fails) {
  if (!fails) return nullptr;
  return *fails ? "fail" : "pass";
}

nlohmann::ordered_json number_or_null(const stats::Metric& m) {
  return m.defined() ? nlohmann::ordered_json(*m) : nlohmann::ordered_json(nullptr);
}

std::vector<double> values_or_zero(const std::vector<stats::Metric>& v) {
  std::vector<double> out;
  for (const auto& m : v) out.push_back(m.defined() ? *m : 0.0);
  return out;
}

// The standardised half of a share check: writes its metrics and details into `r`.
void standardise(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants,
                 const Alignment& crude, size_t target, const stats::ShareComparison& sc, double tau, double delta,
                 std::optional<double> floor95, CheckResult& r) {
  const auto& g = ctx.counts.groupings.at(ctx.plan.check_standardise.at(check.id));
  nlohmann::ordered_json detail;
  detail["attribute"] = check.standardise_attribute;
  detail["weights"] = check.standardise_weights;
  if (!g.missing.empty()) {
    r.standardised_status = Status::incomputable;
    detail["reason"] = g.missing;
    r.details["standardised"] = detail;
    return;
  }
  const std::string& o_attr = check.attributes[0];
  const std::string& t_attr = check.attributes[1];
  const auto& w = ctx.pack.reference(check.standardise_weights);
  CountTable weights = w.masses.marginal({o_attr, check.standardise_attribute});
  // A reference on o × g × t whose t-marginal is q(o, g): it lays the synthetic o × g × t on union
  // codebooks that share the crude check's t labels.
  const Codebook& t_book = crude.codebooks()[1];
  CountTable ref3({o_attr, check.standardise_attribute, t_attr});
  for (const auto& [key, mass] : weights.cells())
    for (const auto& t : t_book.labels())
      ref3.add({weights.codebook(0).label(key[0]), weights.codebook(1).label(key[1]), t}, mass / t_book.size());
  Alignment a3(g.table, ref3, ctx.pack, variants);
  DenseTable p3 = a3.synthetic(), r3 = a3.reference();
  size_t no = p3.shape()[0], ng = p3.shape()[1], nt = p3.shape()[2];
  DenseTable q_g(std::vector<size_t>{no, ng});
  for (size_t i = 0; i < r3.size(); ++i) q_g[i / nt] += r3[i];
  size_t t3 = *a3.codebooks()[2].find(t_book.label(static_cast<uint32_t>(target)));
  auto adj = stats::standardised_shares(p3, q_g, t3);

  // Match categories by label to the crude comparison.
  size_t k = crude.codebooks()[0].size();
  std::vector<double> s_adj(k, 0), s_q = values_or_zero(sc.s_q), weight = sc.weight;
  nlohmann::ordered_json cats = nlohmann::ordered_json::array();
  for (size_t o = 0; o < k; ++o) {
    const std::string& label = crude.codebooks()[0].label(static_cast<uint32_t>(o));
    auto o3 = a3.codebooks()[0].find(label);
    nlohmann::ordered_json c{{"category", label}};
    if (!o3 || !adj.share[*o3].defined()) {
      weight[o] = 0;
      c["s_p_standardised"] = nullptr;
      c["reason"] = o3 ? adj.share[*o3].reason : "no weights for this category";
    } else {
      s_adj[o] = *adj.share[*o3];
      c["s_p_standardised"] = s_adj[o];
    }
    c["missing_weight"] = o3 ? nlohmann::ordered_json(adj.missing_weight[*o3]) : nlohmann::ordered_json(nullptr);
    cats.push_back(std::move(c));
  }
  stats::Metric beta = stats::flattening_slope(s_adj, s_q, weight);
  stats::Metric beta_parity = stats::flattening_slope(s_adj, s_q, weight, 0.5);
  auto screen = stats::screen(s_adj, s_q, weight, tau, delta);
  r.add("beta_standardised", beta);
  r.add("beta_parity_standardised", beta_parity);
  detail["categories"] = cats;
  detail["screening_all"] = verdict_json(screen.all_fails);
  detail["screening_majority"] = verdict_json(screen.majority_fails);
  if (beta.defined()) {
    std::string note;
    r.standardised_status = verdict(*r.band, *beta, floor95, note);
  } else {
    r.standardised_status = Status::not_applicable;
    detail["reason"] = beta.reason;
  }
  detail["status"] = status_name(*r.standardised_status);
  detail["age_robust"] = r.standardised_status == r.status;
  r.details["standardised"] = detail;
}

}  // namespace

CheckResult run_share(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants) {
  CheckResult r = start_result(ctx, check);
  const auto& g = grouping_of(ctx, check);
  if (!g.missing.empty()) return mark(r, Status::incomputable, g.missing);
  const auto& ref = ctx.pack.reference(check.reference);
  Alignment a(g.table, ref.masses.marginal(check.attributes), ctx.pack, variants);
  if (!(a.total(a.raw()) > 0)) return mark(r, Status::incomputable, "the universe selects no synthetic rows");
  if (!coverage_ok(r, a, ctx.pack)) return r;
  DenseTable p = a.synthetic(), q = a.reference();
  if (!(p.total() > 0)) return mark(r, Status::incomputable, "no synthetic mass is mapped by the crosswalk");
  auto target_code = a.codebooks()[1].find(check.target.second);
  if (!target_code)
    return mark(r, Status::incomputable, "the target level '" + check.target.second + "' appears on neither side");
  size_t target = *target_code;

  auto threshold = [&](const char* key, double fallback) {
    auto it = check.thresholds.find(key);
    return it == check.thresholds.end() ? fallback : it->second;
  };
  double tau = threshold("dominated_below", kDominatedBelow), delta = threshold("excess", kExcess);
  r.thresholds["dominated_below"] = tau;
  r.thresholds["excess"] = delta;
  r.deciding_metric = "beta";
  r.band = band_for(r.type, check.thresholds);

  auto sc = stats::compare_shares(p, q, target, tau, delta);
  r.add("beta", sc.beta);
  r.add("beta_parity", sc.beta_parity);
  double wsum = 0, mp = 0, mq = 0;
  for (size_t o = 0; o < sc.weight.size(); ++o) {
    if (!(sc.weight[o] > 0)) continue;
    wsum += sc.weight[o];
    mp += sc.weight[o] * *sc.s_p[o];
    mq += sc.weight[o] * *sc.s_q[o];
  }
  r.add("mean_share_synthetic", wsum > 0 ? stats::Metric::of(mp / wsum) : stats::Metric::none("no category on both sides"));
  r.add("mean_share_reference", wsum > 0 ? stats::Metric::of(mq / wsum) : stats::Metric::none("no category on both sides"));
  r.add("dominated_categories", static_cast<double>(sc.screening.dominated.size()));
  r.add("dominated_with_excess", static_cast<double>(sc.screening.excess.size()));
  r.add("n_synthetic", p.total());

  nlohmann::ordered_json cats = nlohmann::ordered_json::array();
  for (size_t o = 0; o < sc.s_p.size(); ++o) {
    nlohmann::ordered_json c;
    c["category"] = a.codebooks()[0].label(static_cast<uint32_t>(o));
    c["s_p"] = number_or_null(sc.s_p[o]);
    c["s_q"] = number_or_null(sc.s_q[o]);
    c["weight"] = sc.weight[o];
    c["kappa"] = number_or_null(sc.kappa[o]);
    c["kappa_parity"] = number_or_null(sc.kappa_parity[o]);
    bool dom = std::find(sc.screening.dominated.begin(), sc.screening.dominated.end(), o) != sc.screening.dominated.end();
    c["dominated"] = dom;
    c["excess"] = std::find(sc.screening.excess.begin(), sc.screening.excess.end(), o) != sc.screening.excess.end();
    if (!sc.s_p[o].defined()) c["reason"] = sc.s_p[o].reason;
    cats.push_back(std::move(c));
  }
  r.details["target"] = {{"attribute", check.target.first}, {"level", check.target.second}};
  r.details["categories"] = cats;
  r.details["screening_all"] = verdict_json(sc.screening.all_fails);
  r.details["screening_majority"] = verdict_json(sc.screening.majority_fails);
  nlohmann::ordered_json books = nlohmann::ordered_json::array();
  for (size_t d = 0; d < 2; ++d) books.push_back(codebook_json(a, d));
  r.details["codebooks"] = books;
  if (a.crosswalked()) {
    // β if all unmapped mass (with its own target split) fell into one category, over categories.
    auto u = a.unmapped_by(1);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t o = 0; o < p.rows(); ++o) {
      DenseTable pp = p;
      for (size_t t = 0; t < p.cols(); ++t) pp.at(o, t) += u[t];
      auto b = stats::compare_shares(pp, q, target, tau, delta).beta;
      if (b.defined()) {
        lo = std::min(lo, *b);
        hi = std::max(hi, *b);
      }
    }
    if (lo <= hi) r.metric_bounds = std::make_pair(lo, hi);
  }

  if (!sc.beta.defined()) return mark(r, Status::not_applicable, sc.beta.reason);
  std::optional<double> floor95;
  if (ctx.resampling.replicates > 0) {
    MetricsOf betas = [&](const DenseTable& x, const DenseTable& y) {
      if (!(x.total() > 0)) return std::vector<double>{NAN, NAN};
      auto s = stats::compare_shares(x, y, target, tau, delta);
      return std::vector<double>{nan_if(s.beta), nan_if(s.beta_parity)};
    };
    auto boot = bootstrap_replicates(a, ref.effective_n(), betas, ctx.resampling,
                                     purpose_seed(ctx.resampling.seed, check.id, "bootstrap"));
    if (auto ci = column_interval(boot, 0)) r.ci["beta"] = *ci;
    if (auto ci = column_interval(boot, 1)) r.ci["beta_parity"] = *ci;
    // A perfect synthetic's β scatters around 1: the floor is on 1 − β.
    auto noise = noise_replicates(q, p.total(), ref.effective_n(),
                                  [&](const DenseTable& x, const DenseTable& y) {
                                    auto b = betas(x, y);
                                    return std::vector<double>{1 - b[0]};
                                  },
                                  ctx.resampling, purpose_seed(ctx.resampling.seed, check.id, "noise"));
    floor95 = column_p95(noise, 0);
    r.minimum_detectable = floor95;
  }
  std::string note;
  r.status = verdict(*r.band, *sc.beta, floor95, note);
  r.reason = "β " + num(*sc.beta) + (r.status == Status::pass ? " within" : " outside") + " the pass band (≥ " +
             num(r.band->pass) + "); strict screening (all dominated categories over-represented by ≥ δ): " +
             (sc.screening.all_fails ? (*sc.screening.all_fails ? "fails" : "passes") : "no dominated category");
  if (!note.empty()) r.reason += "; " + note;
  if (!check.standardise_attribute.empty()) standardise(ctx, check, variants, a, target, sc, tau, delta, floor95, r);
  add_rollup(r, ctx, check, a.codebooks(), p, q);
  return r;
}

}  // namespace iaf::checks
