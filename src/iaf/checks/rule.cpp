// rule: rows in scope C must satisfy R. violations = #(C ∧ ¬R), where a row whose R is NULL (cannot
// be decided) counts as a violation and is also reported as undetermined; violation_rate =
// violations/#C; compliance = 1 − violation_rate with a Wilson 95% interval; fails when compliance
// is below min_compliance (default 1.0); up to 20 example ids of rows that violate it (rows mode).
#include "iaf/checks/checks.hpp"
#include "iaf/core/label.hpp"
#include "iaf/stats/interval.hpp"

namespace iaf::checks {

CheckResult run_rule(const CheckContext& ctx, const pack::Check& check) {
  CheckResult r = start_result(ctx, check);
  const auto& ref = ctx.pack.reference(check.reference);
  for (const auto& s : ref.statements)
    if (s.id == check.statement) r.details["statement"] = {{"id", s.id}, {"text", s.text}, {"source", s.source}};
  r.details["scope"] = check.scope_text;
  r.details["assert"] = check.assert_text;
  const auto& g = grouping_of(ctx, check);
  if (!g.missing.empty()) return mark(r, Status::incomputable, g.missing);

  double in_scope = 0, violations = 0, undetermined = 0;
  for (const auto& [key, mass] : g.table.cells()) {
    if (g.table.codebook(0).label(key[0]) != count::kTrueLabel) continue;
    in_scope += mass;
    const std::string& holds = g.table.codebook(1).label(key[1]);
    if (holds != count::kTrueLabel) violations += mass;
    if (holds == kMissingLabel) undetermined += mass;
  }
  r.deciding_metric = "compliance";
  r.band = band_for(r.type, check.thresholds);
  r.thresholds["min_compliance"] = r.band->pass;
  r.add("in_scope", in_scope);
  r.add("violations", violations);
  r.add("undetermined", undetermined);
  if (!(in_scope > 0)) {
    r.add("violation_rate", stats::Metric::none("no rows in scope"));
    r.add("compliance", stats::Metric::none("no rows in scope"));
    return mark(r, Status::not_applicable, "no synthetic rows are in the rule's scope (" + check.scope_text + ")");
  }
  double rate = violations / in_scope, compliance = 1 - rate;
  r.add("violation_rate", rate);
  r.add("compliance", compliance);
  if (auto ci = stats::wilson(in_scope - violations, in_scope)) r.ci["compliance"] = *ci;
  auto ex = ctx.counts.examples.find(check.id);
  r.details["example_ids"] = ex == ctx.counts.examples.end() ? std::vector<std::string>{} : ex->second;
  if (ctx.counts.mode != "rows") r.details["example_ids_note"] = "counts mode: no row ids";
  else if (ctx.pack.dataset.id_column.empty()) r.details["example_ids_note"] = "the dataset declares no id_column";
  r.status = compliance >= r.band->pass ? Status::pass : Status::fail;
  r.reason = num(violations) + " of " + num(in_scope) + " rows in scope violate the rule (compliance " +
             num(compliance) + (r.status == Status::pass ? ", at least " : ", below ") + num(r.band->pass) + ")";
  return r;
}

}  // namespace iaf::checks
