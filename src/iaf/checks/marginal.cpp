// marginal: p(A) vs q(A), decided by TVD (DESIGN.md, Checks).
#include "iaf/checks/checks.hpp"
#include "iaf/checks/comparison.hpp"
#include "iaf/checks/rollup.hpp"
#include "iaf/checks/uncertainty.hpp"
#include "iaf/stats/divergence.hpp"

namespace iaf::checks {

namespace {

std::vector<double> divergence_metrics(const DenseTable& p, const DenseTable& q) {
  if (!(p.total() > 0)) return std::vector<double>(4, std::numeric_limits<double>::quiet_NaN());
  return {stats::total_variation(p.values(), q.values()), stats::jensen_shannon(p.values(), q.values()),
          stats::hellinger(p.values(), q.values()), stats::max_abs_difference(p.values(), q.values())};
}

}  // namespace

// Shared by marginal and joint: everything up to the verdict on TVD. Returns false when the
// check stopped early (incomputable), with `r` marked.
bool compare_distributions(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants,
                           CheckResult& r, std::optional<Alignment>& aligned, const MetricsOf& extra, size_t extra_count,
                           const std::vector<std::string>& extra_names) {
  const auto& g = grouping_of(ctx, check);
  if (!g.missing.empty()) {
    mark(r, Status::incomputable, g.missing);
    return false;
  }
  const auto& ref = ctx.pack.reference(check.reference);
  aligned.emplace(g.table, ref.masses.marginal(check.attributes), ctx.pack, variants);
  const Alignment& a = *aligned;
  if (!(a.total(a.raw()) > 0)) {
    mark(r, Status::incomputable, "the universe selects no synthetic rows");
    return false;
  }
  if (!coverage_ok(r, a, ctx.pack)) return false;
  if (!(a.synthetic().total() > 0)) {
    mark(r, Status::incomputable, "no synthetic mass is mapped by the crosswalk");
    return false;
  }
  add_distribution_comparison(r, a, ref);
  r.deciding_metric = "tvd";
  r.band = band_for(r.type, check.thresholds);
  double tvd = **r.metric("tvd");

  std::optional<double> floor95;
  if (ctx.resampling.replicates > 0) {
    MetricsOf all = [&](const DenseTable& p, const DenseTable& q) {
      auto v = divergence_metrics(p, q);
      if (extra) {
        auto e = extra(p, q);
        v.insert(v.end(), e.begin(), e.end());
      } else {
        v.resize(4 + extra_count, std::numeric_limits<double>::quiet_NaN());
      }
      return v;
    };
    auto boot = bootstrap_replicates(a, ref.effective_n(), all, ctx.resampling,
                                     purpose_seed(ctx.resampling.seed, check.id, "bootstrap"));
    std::vector<std::string> names = {"tvd", "jsd", "hellinger", "max_abs_diff"};
    names.insert(names.end(), extra_names.begin(), extra_names.end());
    for (size_t m = 0; m < names.size(); ++m)
      if (auto ci = column_interval(boot, m)) r.ci[names[m]] = *ci;
    auto noise = noise_replicates(a.reference(), a.synthetic().total(), ref.effective_n(), divergence_metrics,
                                  ctx.resampling, purpose_seed(ctx.resampling.seed, check.id, "noise"));
    floor95 = column_p95(noise, 0);
    r.minimum_detectable = floor95;
  }
  std::string note;
  r.status = verdict(*r.band, tvd, floor95, note);
  r.reason = "TVD " + num(tvd) + (r.status == Status::pass ? " within" : " outside") + " the pass band (≤ " +
             num(r.band->pass) + ")";
  if (!note.empty()) r.reason += "; " + note;
  if (a.crosswalked()) r.metric_bounds = tvd_bounds(a.synthetic(), a.unmapped(a.raw()), a.reference());
  add_rollup(r, ctx, check, a.codebooks(), a.synthetic(), a.reference());
  return true;
}

CheckResult run_marginal(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants) {
  CheckResult r = start_result(ctx, check);
  std::optional<Alignment> a;
  compare_distributions(ctx, check, variants, r, a, nullptr, 0, {});
  return r;
}

}  // namespace iaf::checks
