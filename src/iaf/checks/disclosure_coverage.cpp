#include "iaf/checks/disclosure_coverage.hpp"

#include <set>

namespace iaf::checks {
namespace {

std::set<std::string> columns_of(const pack::AuditPack& pack, const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) {
    if (const pack::Attribute* a = pack.find_attribute(n)) {
      auto r = a->reads();
      out.insert(r.begin(), r.end());
    } else {
      out.insert(n);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

std::vector<CoverageRow> disclosure_coverage(const pack::AuditPack& pack, const std::vector<CheckResult>& results) {
  std::vector<CoverageRow> rows;
  for (const auto& d : pack.disclosures)
    for (const auto& combo : d.combinations) {
      CoverageRow row{d.id, combo, {}, {}, {}};
      auto want = columns_of(pack, combo);
      for (const auto& c : pack.checks) {
        if (c.disclosure != d.id) continue;
        auto have = columns_of(pack, c.covers.empty() ? c.attributes : c.covers);
        if (have != want) continue;
        row.checks.push_back(c.id);
        for (const auto& r : results)
          if (r.id == c.id) row.statuses.push_back(status_name(r.status));
      }
      if (row.checks.empty()) {
        auto it = d.needs.find(joined(combo, ","));
        row.needed = it != d.needs.end() ? it->second
                                         : "an official joint table of " + joined(combo, " × ") +
                                               " for the dataset's universe (counts, or shares with their base)";
      }
      rows.push_back(std::move(row));
    }
  return rows;
}

}  // namespace iaf::checks
