// joint: p(A,B[,C]) vs q(A,B[,C]), decided by the TVD of the joint; also the association on both
// sides, dependence retained ρ and pattern agreement π (DESIGN.md, Checks).
#include "iaf/checks/checks.hpp"
#include "iaf/checks/comparison.hpp"
#include "iaf/checks/uncertainty.hpp"
#include "iaf/stats/association.hpp"
#include "iaf/stats/dependence.hpp"

namespace iaf::checks {

bool compare_distributions(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants,
                           CheckResult& r, std::optional<Alignment>& aligned, const MetricsOf& extra, size_t extra_count,
                           const std::vector<std::string>& extra_names);

namespace {

std::vector<double> dependence_metrics(const DenseTable& p, const DenseTable& q) {
  if (!(p.total() > 0) || !(q.total() > 0)) return {NAN, NAN, NAN};
  return {stats::dependence_mass(p), nan_if(stats::dependence_retained(p, q)), nan_if(stats::pattern_agreement(p, q))};
}

void add_association(CheckResult& r, const DenseTable& t, const std::string& side) {
  auto a = stats::association(t);
  r.add("cramers_v_" + side, a.cramers_v);
  r.add("cramers_v_bc_" + side, a.cramers_v_bc);
  r.add("tschuprow_t_" + side, a.tschuprow_t);
  r.add("theils_u_" + side, a.u_cols_given_rows);
  r.add("theils_u_reverse_" + side, a.u_rows_given_cols);
  r.add("nmi_" + side, a.nmi);
  r.add("mi_bits_" + side, a.mi_bits);
}

}  // namespace

CheckResult run_joint(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants) {
  CheckResult r = start_result(ctx, check);
  std::optional<Alignment> aligned;
  if (!compare_distributions(ctx, check, variants, r, aligned, dependence_metrics, 3, {"d_synthetic", "rho", "pi"}))
    return r;
  const Alignment& a = *aligned;
  DenseTable p = a.synthetic(), q = a.reference();
  double dq = stats::dependence_mass(q);
  r.add("d_synthetic", stats::dependence_mass(p));
  r.add("d_reference", dq);
  stats::Metric rho = stats::dependence_retained(p, q), pi = stats::pattern_agreement(p, q);
  if (ctx.resampling.replicates > 0 && rho.defined()) {
    // D(q) inside the noise floor: what D a size-m sample of the independent ⊗q shows, m the smaller side.
    const auto& ref = ctx.pack.reference(check.reference);
    double m = std::min(p.total(), ref.effective_n());
    DenseTable indep = stats::independence_product(q);
    auto noise = noise_replicates(indep, m, std::numeric_limits<double>::infinity(),
                                  [](const DenseTable& x, const DenseTable&) {
                                    return std::vector<double>{x.total() > 0 ? stats::dependence_mass(x) : NAN};
                                  },
                                  ctx.resampling, purpose_seed(ctx.resampling.seed, check.id, "dependence-floor"));
    if (auto floor = column_p95(noise, 0)) {
      r.add("d_reference_floor95", *floor);
      if (dq <= *floor) {
        rho = stats::Metric::none("the reference's dependence is inside its noise floor: no dependence to preserve");
        pi = rho;
      }
    }
  }
  r.add("rho", rho);
  r.add("pi", pi);
  if (!rho.defined()) r.ci.erase("rho");
  if (!pi.defined()) r.ci.erase("pi");
  if (p.rank() == 2) {
    add_association(r, p, "synthetic");
    add_association(r, q, "reference");
  }
  return r;
}

}  // namespace iaf::checks
