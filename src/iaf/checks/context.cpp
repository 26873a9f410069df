#include "iaf/checks/context.hpp"

namespace iaf::checks {

const count::GroupingCounts& grouping_of(const CheckContext& ctx, const pack::Check& check) {
  return ctx.counts.groupings.at(ctx.plan.check_grouping.at(check.id));
}

CheckResult start_result(const CheckContext& ctx, const pack::Check& check) {
  CheckResult r;
  r.id = check.id;
  r.type = pack::check_type_name(check.type);
  r.disclosure = check.disclosure;
  r.description = check.description;
  r.reference = check.reference;
  r.attributes = check.attributes;
  const auto& ds = ctx.pack.dataset;
  std::string universe = ds.universe;
  if (!check.universe_text.empty()) universe += (universe.empty() ? "" : "; ") + std::string("where ") + check.universe_text;
  r.synthetic = {ds.name, universe, ds.vintage};
  const auto& ref = ctx.pack.reference(check.reference);
  r.reference_side = {ref.publisher + (ref.table.empty() ? "" : ", " + ref.table), ref.universe, ref.vintage};
  r.thresholds = check.thresholds;
  return r;
}

CheckResult& mark(CheckResult& r, Status s, std::string reason) {
  r.status = s;
  r.reason = std::move(reason);
  return r;
}

}  // namespace iaf::checks
