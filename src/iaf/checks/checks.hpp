#pragma once
// One function per check type (one file each), and the runner that applies a check under every
// crosswalk variant it names and sets the sensitivity fields.
#include <vector>

#include "iaf/checks/alignment.hpp"
#include "iaf/checks/context.hpp"
#include "iaf/checks/result.hpp"

namespace iaf::checks {

CheckResult run_marginal(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants);
CheckResult run_joint(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants);
CheckResult run_conditional(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants);
CheckResult run_share(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants);
CheckResult run_rule(const CheckContext& ctx, const pack::Check& check);
CheckResult run_bounds(const CheckContext& ctx, const pack::Check& check);

// The check under the pack's default variants, plus by_variant and mapping_dependent from its
// sensitivity entries.
CheckResult run_check(const CheckContext& ctx, const pack::Check& check);
std::vector<CheckResult> run_checks(const CheckContext& ctx);

}  // namespace iaf::checks
