#include "iaf/count/plan.hpp"

#include <algorithm>
#include <stdexcept>

namespace iaf::count {

std::string Grouping::describe() const {
  std::string s;
  for (const auto& d : dims) s += (s.empty() ? "" : " × ") + d.name;
  if (!universe.empty()) s += " where " + universe;
  return s;
}

std::string Plan::universe_origin(const std::string& text) const {
  auto it = universe_where.find(text);
  return it != universe_where.end() ? it->second : "universe " + text;
}

size_t Plan::index(const Grouping& g) const {
  auto it = std::find(groupings.begin(), groupings.end(), g);
  if (it == groupings.end()) throw std::logic_error("grouping not in plan: " + g.describe());
  return static_cast<size_t>(it - groupings.begin());
}

Plan plan_counts(const pack::AuditPack& pack) {
  Plan plan;
  auto add = [&](Grouping g) {
    auto it = std::find(plan.groupings.begin(), plan.groupings.end(), g);
    if (it != plan.groupings.end()) return static_cast<size_t>(it - plan.groupings.begin());
    plan.groupings.push_back(std::move(g));
    return plan.groupings.size() - 1;
  };
  auto indicator = [&](const std::string& name, const std::string& text, const pack::ExprPtr& e) {
    plan.indicators[name] = Indicator{name, text, e};
    return Dim{Dim::indicator, name};
  };
  for (const auto& c : pack.checks) {
    std::string universe;
    if (c.universe) {
      universe = pack::to_text(*c.universe);
      plan.universes[universe] = c.universe;
      plan.universe_where.emplace(universe, c.universe_where + " (check '" + c.id + "')");
    }
    Grouping g;
    g.universe = universe;
    for (const auto& a : c.attributes) g.dims.push_back({Dim::attribute, a});
    if (c.type == pack::CheckType::rule) {
      g.dims = {indicator(c.id + ":scope", c.scope_text, c.scope), indicator(c.id + ":assert", c.assert_text, c.assertion)};
      plan.examples.push_back({c.id, c.id + ":scope", c.id + ":assert", universe});
    }
    if (c.type == pack::CheckType::bounds) g.dims.push_back(indicator(c.id + ":event", c.event_text, c.event));
    plan.check_grouping[c.id] = add(g);
    if (c.type == pack::CheckType::share && !c.standardise_attribute.empty()) {
      Grouping s;
      s.universe = universe;
      s.dims = {{Dim::attribute, c.attributes[0]}, {Dim::attribute, c.standardise_attribute}, {Dim::attribute, c.attributes[1]}};
      plan.check_standardise[c.id] = add(s);
    }
  }
  return plan;
}

}  // namespace iaf::count
