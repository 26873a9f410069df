// bounds: r_s = P(event | s) per stratum with a Wilson interval. A stratum fails when its interval
// lies wholly outside [lo, hi], is flagged when it straddles a bound, passes when inside; an empty
// stratum is not_applicable. An ordering "A > B" passes when the intervals are separated the right
// way, fails when separated the wrong way, and is flagged when they overlap. The check takes the
// worst of its strata and orderings.
#include <algorithm>

#include "iaf/checks/checks.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/stats/interval.hpp"

namespace iaf::checks {
namespace {

Status worse(Status a, Status b) { return severity(b) > severity(a) ? b : a; }

}  // namespace

CheckResult run_bounds(const CheckContext& ctx, const pack::Check& check) {
  CheckResult r = start_result(ctx, check);
  const auto& ref = ctx.pack.reference(check.reference);
  for (const auto& s : ref.statements)
    if (s.id == check.statement) r.details["statement"] = {{"id", s.id}, {"text", s.text}, {"source", s.source}};
  r.details["event"] = check.event_text;
  const auto& g = grouping_of(ctx, check);
  if (!g.missing.empty()) return mark(r, Status::incomputable, g.missing);

  const CountTable& t = g.table;
  std::map<std::string, std::pair<double, double>> counts;  // stratum → (events, total)
  for (const auto& [key, mass] : t.cells()) {
    auto& c = counts[t.codebook(0).label(key[0])];
    c.second += mass;
    if (t.codebook(1).label(key[1]) == count::kTrueLabel) c.first += mass;
  }
  const pack::Attribute& strata = ctx.pack.attribute(check.attributes[0]);
  auto declared = strata.declared_labels();
  auto known = [&](const std::string& s) {
    if (counts.count(s)) return true;
    if (!declared) return false;
    return std::find(declared->begin(), declared->end(), s) != declared->end();
  };
  auto interval = [&](const std::string& s) -> std::optional<stats::Interval> {
    auto it = counts.find(s);
    if (it == counts.end()) return std::nullopt;
    return stats::wilson(it->second.first, it->second.second);
  };
  r.deciding_metric = "bounds";
  Status overall = Status::not_applicable;
  nlohmann::ordered_json strata_json = nlohmann::ordered_json::array();
  size_t outside = 0, straddling = 0;
  // Strata in the attribute's declared order, then any other seen label in label order: never in
  // the order the data happened to arrive. The catch-all labels (missing values, values below the
  // first bin) are listed only when seen.
  std::vector<std::string> order;
  if (declared)
    for (const auto& l : *declared) {
      bool catch_all = l == kMissingLabel || (strata.kind() == pack::Attribute::Kind::bins && l == strata.below_label());
      if (!catch_all || counts.count(l)) order.push_back(l);
    }
  for (const auto& [label, unused] : counts)
    if (std::find(order.begin(), order.end(), label) == order.end()) order.push_back(label);
  for (const auto& s : order) {
    nlohmann::ordered_json j{{"stratum", s}};
    auto it = counts.find(s);
    double events = it == counts.end() ? 0 : it->second.first, total = it == counts.end() ? 0 : it->second.second;
    j["events"] = events;
    j["rows"] = total;
    auto ci = interval(s);
    j["rate"] = total > 0 ? nlohmann::ordered_json(events / total) : nlohmann::ordered_json(nullptr);
    j["ci"] = ci ? nlohmann::ordered_json{ci->lo, ci->hi} : nlohmann::ordered_json(nullptr);
    if (total > 0) r.add("rate:" + s, events / total);
    if (ci) r.ci["rate:" + s] = *ci;
    auto b = std::find_if(check.bounds.begin(), check.bounds.end(), [&](const auto& x) { return x.stratum == s; });
    if (b != check.bounds.end()) {
      j["bounds"] = {b->lo, b->hi};
      Status st;
      if (!ci) st = Status::not_applicable;
      else if (ci->hi < b->lo || ci->lo > b->hi) st = Status::fail, ++outside;
      else if (ci->lo < b->lo || ci->hi > b->hi) st = Status::flag, ++straddling;
      else st = Status::pass;
      j["status"] = status_name(st);
      if (st != Status::not_applicable) overall = overall == Status::not_applicable ? st : worse(overall, st);
    }
    strata_json.push_back(std::move(j));
  }
  for (const auto& b : check.bounds)
    if (!known(b.stratum))
      throw PackError("check '" + check.id + "': bounds name stratum '" + b.stratum + "', which is not a label of attribute '" +
                      strata.name + "'");
  nlohmann::ordered_json orderings = nlohmann::ordered_json::array();
  size_t reversed = 0;
  for (const auto& o : check.orderings) {
    if (!known(o.higher) || !known(o.lower))
      throw PackError("check '" + check.id + "': ordering '" + o.text + "' names a stratum that is not a label of attribute '" +
                      strata.name + "'");
    auto a = interval(o.higher), b = interval(o.lower);
    Status st;
    if (!a || !b) st = Status::not_applicable;
    else if (a->lo > b->hi) st = Status::pass;
    else if (a->hi < b->lo) st = Status::fail, ++reversed;
    else st = Status::flag;
    orderings.push_back({{"ordering", o.text}, {"status", status_name(st)}});
    if (st != Status::not_applicable) overall = overall == Status::not_applicable ? st : worse(overall, st);
  }
  r.details["strata"] = strata_json;
  r.details["orderings"] = orderings;
  r.add("strata_outside", static_cast<double>(outside));
  r.add("strata_straddling", static_cast<double>(straddling));
  r.add("orderings_reversed", static_cast<double>(reversed));
  r.status = overall;
  if (overall == Status::not_applicable) r.reason = "every bounded stratum is empty";
  else
    r.reason = std::to_string(outside) + " strata with the interval outside their bounds, " + std::to_string(straddling) +
               " straddling a bound, " + std::to_string(reversed) + " orderings reversed";
  return r;
}

}  // namespace iaf::checks
