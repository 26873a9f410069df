// conditional: p(B|a) vs q(B|a) for each level a of A, decided by the footprint index FI
// (docs/metrics.md): CM, FI, FI_ref, per-level TVD and the worst levels, the levels the synthetic
// lacks, the denominators and their noise floor, and ρ, π of the joint.
#include <algorithm>
#include <numeric>

#include "iaf/checks/checks.hpp"
#include "iaf/checks/comparison.hpp"
#include "iaf/checks/rollup.hpp"
#include "iaf/checks/uncertainty.hpp"
#include "iaf/stats/conditional.hpp"
#include "iaf/stats/dependence.hpp"

namespace iaf::checks {
namespace {

// cm, fi, fi_ref, rho, pi of one pair (NaN where undefined).
std::vector<double> footprint_metrics(const DenseTable& p, const DenseTable& q) {
  if (!(p.total() > 0) || !(q.total() > 0)) return std::vector<double>(5, NAN);
  auto c = stats::conditional_mismatch(p, q);
  return {nan_if(c.cm), nan_if(c.fi), nan_if(c.fi_ref), nan_if(stats::dependence_retained(p, q)),
          nan_if(stats::pattern_agreement(p, q))};
}

}  // namespace

CheckResult run_conditional(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants) {
  CheckResult r = start_result(ctx, check);
  const auto& g = grouping_of(ctx, check);
  if (!g.missing.empty()) return mark(r, Status::incomputable, g.missing);
  const auto& ref = ctx.pack.reference(check.reference);
  Alignment a(g.table, ref.masses.marginal(check.attributes), ctx.pack, variants);
  if (!(a.total(a.raw()) > 0)) return mark(r, Status::incomputable, "the universe selects no synthetic rows");
  if (!coverage_ok(r, a, ctx.pack)) return r;
  DenseTable p = a.synthetic(), q = a.reference();
  if (!(p.total() > 0)) return mark(r, Status::incomputable, "no synthetic mass is mapped by the crosswalk");

  auto c = stats::conditional_mismatch(p, q);
  r.deciding_metric = "fi";
  r.band = band_for(r.type, check.thresholds);
  r.add("cm", c.cm);
  r.add("fi", c.fi);
  r.add("fi_ref", c.fi_ref);
  r.add("fi_denominator", c.fi_denominator);
  r.add("fi_ref_denominator", c.fi_ref_denominator);
  r.add("excluded_reference_mass", c.excluded_ref_mass);
  r.add("d_synthetic", stats::dependence_mass(p));
  r.add("d_reference", stats::dependence_mass(q));
  stats::Metric rho = stats::dependence_retained(p, q), pi = stats::pattern_agreement(p, q);
  double n = p.total();
  r.add("n_synthetic", n);
  r.add("n_reference", ref.is_survey() ? stats::Metric::of(ref.effective_n()) : stats::Metric::none("census or register"));

  // Per level: weights, TVD, and the levels the synthetic lacks.
  auto pa = p.marginal(0), qa = q.marginal(0);
  double qt = q.total();
  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  std::vector<size_t> order;
  for (size_t i = 0; i < p.rows(); ++i) {
    nlohmann::ordered_json l;
    l["level"] = a.codebooks()[0].label(static_cast<uint32_t>(i));
    l["p_level"] = pa[i] / n;
    l["q_level"] = qa[i] / qt;
    l["tvd"] = c.tvd_level[i].defined() ? nlohmann::ordered_json(*c.tvd_level[i]) : nlohmann::ordered_json(nullptr);
    if (!c.tvd_level[i].defined()) l["reason"] = c.tvd_level[i].reason;
    else order.push_back(i);
    nlohmann::ordered_json pb = nlohmann::ordered_json::array(), qb = nlohmann::ordered_json::array();
    for (size_t j = 0; j < p.cols(); ++j) {
      pb.push_back(pa[i] > 0 ? p.at(i, j) / pa[i] : 0.0);
      qb.push_back(qa[i] > 0 ? q.at(i, j) / qa[i] : 0.0);
    }
    l["p_outcome_given_level"] = pb;
    l["q_outcome_given_level"] = qb;
    levels.push_back(std::move(l));
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return *c.tvd_level[x] > *c.tvd_level[y]; });
  nlohmann::ordered_json worst = nlohmann::ordered_json::array();
  for (size_t k = 0; k < order.size() && k < 5; ++k) worst.push_back(levels[order[k]]["level"]);
  nlohmann::ordered_json absent = nlohmann::ordered_json::array();
  for (size_t e : c.excluded) absent.push_back({{"level", levels[e]["level"]}, {"reference_mass", qa[e] / qt}});
  r.details["levels"] = levels;
  r.details["outcome_labels"] = a.codebooks()[1].labels();
  r.details["worst_levels"] = worst;
  r.details["levels_absent_from_synthetic"] = absent;
  nlohmann::ordered_json books = nlohmann::ordered_json::array();
  for (size_t d = 0; d < 2; ++d) books.push_back(codebook_json(a, d));
  r.details["codebooks"] = books;

  if (c.incomputable) {
    r.add("rho", rho);
    r.add("pi", pi);
    return mark(r, Status::incomputable,
                "levels absent from the synthetic carry " + num(c.excluded_ref_mass) +
                    " of the reference mass (over 5%): the compared levels cannot stand for the whole");
  }

  std::optional<double> fi_floor;
  if (ctx.resampling.replicates > 0) {
    auto boot = bootstrap_replicates(a, ref.effective_n(), footprint_metrics, ctx.resampling,
                                     purpose_seed(ctx.resampling.seed, check.id, "bootstrap"));
    const char* names[] = {"cm", "fi", "fi_ref", "rho", "pi"};
    for (size_t m = 0; m < 5; ++m)
      if (auto ci = column_interval(boot, m)) r.ci[names[m]] = *ci;
    // What a perfect synthetic (a size-N sample of q) scores: the noise floor of CM and FI.
    auto noise = noise_replicates(q, n, ref.effective_n(), footprint_metrics, ctx.resampling,
                                  purpose_seed(ctx.resampling.seed, check.id, "noise"));
    auto cm_floor = column_p95(noise, 0);
    fi_floor = column_p95(noise, 1);
    r.minimum_detectable = fi_floor;
    if (cm_floor) {
      r.add("cm_floor95", *cm_floor);
      // A denominator no larger than the mismatch sampling noise alone produces: the reference
      // shows no dependence that FI could measure the loss of.
      if (c.fi.defined() && c.fi_denominator <= *cm_floor)
        r.set("fi", stats::Metric::none("the FI denominator is inside its noise floor: the reference shows no dependence to preserve"));
      if (c.fi_ref.defined() && c.fi_ref_denominator <= *cm_floor)
        r.set("fi_ref", stats::Metric::none("the FI_ref denominator is inside its noise floor"));
    }
  }
  if (rho.defined()) {
    double dq = stats::dependence_mass(q), m = std::min(n, ref.effective_n());
    if (ctx.resampling.replicates > 0) {
      auto noise = noise_replicates(stats::independence_product(q), m, std::numeric_limits<double>::infinity(),
                                    [](const DenseTable& x, const DenseTable&) {
                                      return std::vector<double>{x.total() > 0 ? stats::dependence_mass(x) : NAN};
                                    },
                                    ctx.resampling, purpose_seed(ctx.resampling.seed, check.id, "dependence-floor"));
      if (auto floor = column_p95(noise, 0); floor && dq <= *floor) {
        rho = stats::Metric::none("the reference's dependence is inside its noise floor");
        pi = rho;
      }
    }
  }
  r.add("rho", rho);
  r.add("pi", pi);
  // An undefined metric has no interval (as for joints), and neither has an FI undone by its floor.
  for (const char* m : {"rho", "pi", "fi", "fi_ref"})
    if (const stats::Metric* x = r.metric(m); x && !x->defined()) r.ci.erase(m);
  const stats::Metric* fi = r.metric("fi");
  if (!fi->defined()) return mark(r, Status::not_applicable, fi->reason);
  std::string note;
  r.status = verdict(*r.band, **fi, fi_floor, note);
  r.reason = "FI " + num(**fi) + " (CM " + num(*c.cm) + ")" +
             (r.status == Status::pass ? " within" : " outside") + " the pass band (≤ " + num(r.band->pass) + ")";
  if (!note.empty()) r.reason += "; " + note;
  add_rollup(r, ctx, check, a.codebooks(), p, q);
  return r;
}

}  // namespace iaf::checks
