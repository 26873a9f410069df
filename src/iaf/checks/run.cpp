#include <exception>
#include <optional>
#include <set>
#include <stdexcept>

#include "iaf/checks/checks.hpp"
#include "iaf/checks/uncertainty.hpp"
#include "iaf/core/error.hpp"

namespace iaf::checks {
namespace {

CheckResult dispatch(const CheckContext& ctx, const pack::Check& check, const VariantChoice& variants) {
  switch (check.type) {
    case pack::CheckType::marginal: return run_marginal(ctx, check, variants);
    case pack::CheckType::joint: return run_joint(ctx, check, variants);
    case pack::CheckType::conditional: return run_conditional(ctx, check, variants);
    case pack::CheckType::share: return run_share(ctx, check, variants);
    case pack::CheckType::rule: return run_rule(ctx, check);
    case pack::CheckType::bounds: return run_bounds(ctx, check);
  }
  throw std::logic_error("unknown check type");
}

}  // namespace

CheckResult run_check(const CheckContext& context, const pack::Check& check) {
  try {
    CheckContext ctx = context;
    if (!check.sensitivity.empty()) ctx.resampling.shared_draws = std::make_shared<BootstrapDraws>();
    CheckResult r = dispatch(ctx, check, variants_for(ctx.pack));
    if (check.sensitivity.empty()) return r;
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (const auto& s : check.sensitivity) {
      CheckResult v = dispatch(ctx, check, variants_for(ctx.pack, {s}));
      r.by_variant.emplace_back(s, v.status);
      const stats::Metric* m = v.deciding_metric.empty() ? nullptr : v.metric(v.deciding_metric);
      nlohmann::ordered_json entry{{"status", status_name(v.status)}, {"reason", v.reason}};
      entry["metric"] = m && m->defined() ? nlohmann::ordered_json(**m) : nlohmann::ordered_json(nullptr);
      entry["coverage"] = v.coverage ? nlohmann::ordered_json(*v.coverage) : nlohmann::ordered_json(nullptr);
      if (v.standardised_status) entry["standardised_status"] = status_name(*v.standardised_status);
      if (v.details.contains("screening_all")) entry["screening_all"] = v.details["screening_all"];
      metrics[s] = entry;
    }
    // Mapping-dependent: the status, or the strict screening verdict of a share check, differs
    // between the default run and the variants, or between variants.
    std::set<std::string> statuses = {status_name(r.status)}, screenings;
    if (r.details.contains("screening_all")) screenings.insert(r.details["screening_all"].dump());
    for (const auto& [s, entry] : metrics.items()) {
      statuses.insert(entry["status"].get<std::string>());
      if (entry.contains("screening_all")) screenings.insert(entry["screening_all"].dump());
    }
    r.mapping_dependent = statuses.size() > 1 || screenings.size() > 1;
    r.details["by_variant"] = metrics;
    r.details["mapping_dependent_on"] = nlohmann::ordered_json::array();
    if (statuses.size() > 1) r.details["mapping_dependent_on"].push_back("status");
    if (screenings.size() > 1) r.details["mapping_dependent_on"].push_back("screening_all");
    return r;
  } catch (const std::invalid_argument& e) {
    throw PackError("check '" + check.id + "': " + e.what());
  }
}

// Checks read only the pack and the counts, so they run side by side; results keep the pack's
// order, and of several failing checks the first in that order is reported.
std::vector<CheckResult> run_checks(const CheckContext& ctx) {
  const auto& checks = ctx.pack.checks;
  std::vector<std::optional<CheckResult>> results(checks.size());
  std::vector<std::exception_ptr> failures(checks.size());
  parallel_for(static_cast<unsigned>(checks.size()), ctx.resampling.threads, [&](unsigned i) {
    try {
      results[i] = run_check(ctx, checks[i]);
    } catch (...) {
      failures[i] = std::current_exception();
    }
  });
  std::vector<CheckResult> out;
  for (size_t i = 0; i < checks.size(); ++i) {
    if (failures[i]) std::rethrow_exception(failures[i]);
    out.push_back(std::move(*results[i]));
  }
  return out;
}

}  // namespace iaf::checks
