#include "iaf/checks/rollup.hpp"

#include "iaf/checks/comparison.hpp"
#include "iaf/stats/conditional.hpp"
#include "iaf/stats/divergence.hpp"
#include "iaf/stats/share.hpp"

namespace iaf::checks {
namespace {

// `t` with dimension `d` relabelled through `cw` onto `target`; unmapped mass is dropped and
// returned in `unmapped`.
DenseTable relabelled(const DenseTable& t, const Codebook& from, size_t d, const pack::Crosswalk& cw, Codebook& target,
                      double& unmapped) {
  std::vector<std::vector<std::pair<uint32_t, double>>> to(from.size());
  for (uint32_t c = 0; c < from.size(); ++c)
    for (const auto& [label, w] : cw.targets(from.label(c))) to[c].emplace_back(target.intern(label), w);
  std::vector<size_t> shape = t.shape();
  shape[d] = target.size();
  DenseTable out(shape);
  unmapped = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == 0) continue;
    auto idx = t.index(i);
    if (to[idx[d]].empty()) {
      unmapped += t[i];
      continue;
    }
    for (const auto& [code, w] : to[idx[d]]) {
      idx[d] = code;
      size_t flat = 0;
      for (size_t k = 0; k < idx.size(); ++k) flat = flat * shape[k] + idx[k];
      out[flat] += t[i] * w;
    }
  }
  return out;
}

}  // namespace

void add_rollup(CheckResult& r, const CheckContext& ctx, const pack::Check& check, const std::vector<Codebook>& books,
                const DenseTable& p, const DenseTable& q) {
  if (check.rollup_attribute.empty() || r.status == Status::incomputable) return;
  size_t d = 0;
  while (check.attributes[d] != check.rollup_attribute) ++d;
  const auto& spec = ctx.pack.crosswalk(check.rollup_crosswalk);
  const pack::Crosswalk& cw = spec.variant(spec.default_variant);
  // Both sides onto one target codebook: intern the labels of every aligned category first.
  Codebook target;
  for (const auto& l : books[d].labels())
    for (const auto& [t, w] : cw.targets(l)) target.intern(t);
  double lost_p = 0, lost_q = 0;
  DenseTable rp = relabelled(p, books[d], d, cw, target, lost_p), rq = relabelled(q, books[d], d, cw, target, lost_q);

  nlohmann::ordered_json j;
  j["taxonomy"] = check.rollup_crosswalk;
  j["attribute"] = check.rollup_attribute;
  j["k_before"] = books[d].size();
  j["k"] = target.size();
  j["labels"] = target.labels();
  j["coverage_synthetic"] = p.total() > 0 ? 1 - lost_p / p.total() : 0.0;
  j["coverage_reference"] = q.total() > 0 ? 1 - lost_q / q.total() : 0.0;
  if (!(rp.total() > 0) || !(rq.total() > 0)) {
    j["status"] = status_name(Status::incomputable);
    j["reason"] = "nothing maps to the shared taxonomy";
    r.details["rollup"] = j;
    return;
  }
  const auto& ref = ctx.pack.reference(check.reference);
  Band band = band_for(r.type, check.thresholds);
  std::optional<double> value;
  if (check.type == pack::CheckType::marginal || check.type == pack::CheckType::joint) {
    value = stats::total_variation(rp.values(), rq.values());
    j["metric"] = "tvd";
    stats::FitTest fit = fit_test(rp, rq, ref);
    CellTests cells = test_cells(rp, rq, fit);
    j["cells"] = rp.size();
    j["testable_cells"] = cells.testable.size();
    j["flagged_cells"] = cells.flagged_count;
    j["flag_rate"] = cells.testable.empty() ? nlohmann::ordered_json(nullptr)
                                             : nlohmann::ordered_json(static_cast<double>(cells.flagged_count) / cells.testable.size());
  } else if (check.type == pack::CheckType::conditional) {
    auto c = stats::conditional_mismatch(rp, rq);
    j["metric"] = "fi";
    if (c.fi.defined()) value = *c.fi;
    else j["reason"] = c.fi.reason;
  } else if (check.type == pack::CheckType::share) {
    auto target_level = books[1].find(check.target.second);
    j["metric"] = "beta";
    if (target_level) {
      // The check's own τ and δ (run_share records them), so the rollup reads the shares alike.
      auto th = [&](const char* key, double fallback) {
        auto it = r.thresholds.find(key);
        return it == r.thresholds.end() ? fallback : it->second;
      };
      auto s = stats::compare_shares(rp, rq, *target_level, th("dominated_below", kDominatedBelow), th("excess", kExcess));
      if (s.beta.defined()) value = *s.beta;
      else j["reason"] = s.beta.reason;
    }
  }
  j["value"] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  j["status"] = status_name(value ? judge(band, *value) : Status::not_applicable);
  r.details["rollup"] = j;
}

}  // namespace iaf::checks
