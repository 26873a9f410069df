#include "iaf/report/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "iaf/checks/status.hpp"
#include "iaf/report/svg_charts.hpp"
#include "iaf/report/text_reports.hpp"

namespace iaf::report {
namespace {

using json = nlohmann::ordered_json;

const json* find_check(const json& report, const std::string& id) {
  for (const auto& c : report["checks"])
    if (c["id"] == id) return &c;
  return nullptr;
}

// The reference taxonomy's size: the most reference labels of any of the check's dimensions.
std::string taxonomy_k(const json& c) {
  if (!c["details"].contains("codebooks")) return "—";
  size_t k = 0;
  for (const auto& b : c["details"]["codebooks"]) k = std::max(k, b["labels"].size() - b["synthetic_only"].size());
  return std::to_string(k);
}

std::string flags(const json& flagged, const json& testable, const json& rate) {
  if (flagged.is_null() || testable.is_null()) return "—";
  return fmt_number(flagged) + "/" + fmt_number(testable) + (rate.is_null() ? "" : " (" + fmt::format("{:.0f}%", 100 * rate.get<double>()) + ")");
}

struct Cell {
  std::string status, headline, k, df, flags, common_status, common_value, common_k, common_flags;
};

Cell cell_of(const json* c) {
  if (!c) return {"—", "", "", "", "", "", "", "", ""};
  const auto& m = c->at("metrics");
  auto get = [&](const char* name) { return m.contains(name) ? m[name] : json(nullptr); };
  Cell out{(*c)["status"].get<std::string>() + ((*c)["mapping_dependent"].get<bool>() ? "*" : ""), headline(*c), taxonomy_k(*c),
           fmt_number(get("df")), flags(get("flagged_cells"), get("testable_cells"), get("flag_rate")), "—", "", "", ""};
  if ((*c)["details"].contains("rollup")) {
    const auto& r = (*c)["details"]["rollup"];
    out.common_status = r["status"];
    out.common_value = r.contains("metric") ? r["metric"].get<std::string>() + " " + fmt_number(r["value"]) : "";
    out.common_k = fmt_number(r["k"]);
    out.common_flags = r.contains("flagged_cells") ? flags(r["flagged_cells"], r["testable_cells"], r["flag_rate"]) : "—";
  }
  return out;
}


}  // namespace

std::string compare_reports(const std::vector<NamedReport>& reports, const std::string& format) {
  std::vector<std::pair<std::string, const json*>> ids;  // check id → its first occurrence
  for (const auto& r : reports)
    for (const auto& c : r.report["checks"])
      if (std::none_of(ids.begin(), ids.end(), [&](const auto& x) { return x.first == c["id"]; })) ids.emplace_back(c["id"], &c);
  const std::vector<std::string> heads = {"verdict", "headline [95% CI]", "k", "df", "flagged/testable", "common verdict",
                                          "common metric", "common k", "common flagged/testable"};
  std::ostringstream o;
  auto audit_name = [](const NamedReport& r) {
    return r.report["audit"]["name"].get<std::string>() + " (" + r.report["audit"]["locale"].get<std::string>() + ")";
  };
  if (format == "html") {
    o << "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>iaf compare</title><style>body{font-family:\"Noto Sans CJK KR\",\"Noto Sans KR\",sans-serif;margin:2em}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;vertical-align:top}"
         ".pass{color:#176b2c}.flag{color:#8a5a00}.fail{color:#b3261e}</style></head><body><h1>iaf compare</h1>";
    o << "<p>Flag counts depend on the size of each reference's taxonomy (k); compare the rates, and the verdicts at the shared taxonomy.</p><table><tr><th>check</th><th>type</th>";
    for (const auto& r : reports) o << "<th colspan=\"" << heads.size() << "\">" << svg::esc(audit_name(r)) << "</th>";
    o << "</tr><tr><th></th><th></th>";
    for (size_t i = 0; i < reports.size(); ++i)
      for (const auto& h : heads) o << "<th>" << svg::esc(h) << "</th>";
    o << "</tr>";
    for (const auto& [id, any] : ids) {
      o << "<tr><td>" << svg::esc(id) << "</td><td>" << svg::esc((*any)["type"].get<std::string>()) << "</td>";
      for (const auto& r : reports) {
        Cell c = cell_of(find_check(r.report, id));
        for (const auto& v : {c.status, c.headline, c.k, c.df, c.flags, c.common_status, c.common_value, c.common_k, c.common_flags})
          o << "<td class=\"" << svg::esc(v.substr(0, 4)) << "\">" << svg::esc(v) << "</td>";
      }
      o << "</tr>";
    }
    o << "</table></body></html>\n";
    return o.str();
  }
  if (format == "md") {
    o << "| check | type | audit | " ;
    for (const auto& h : heads) o << h << " | ";
    o << "\n|---|---|---|";
    for (size_t i = 0; i < heads.size(); ++i) o << "---|";
    o << "\n";
    for (const auto& [id, any] : ids)
      for (const auto& r : reports) {
        Cell c = cell_of(find_check(r.report, id));
        o << "| " << id << " | " << (*any)["type"].get<std::string>() << " | " << audit_name(r) << " | " << c.status << " | " << c.headline
          << " | " << c.k << " | " << c.df << " | " << c.flags << " | " << c.common_status << " | " << c.common_value << " | " << c.common_k
          << " | " << c.common_flags << " |\n";
      }
    return o.str();
  }
  for (size_t i = 0; i < reports.size(); ++i) o << "[" << i + 1 << "] " << audit_name(reports[i]) << "  " << reports[i].name << "\n";
  o << fmt::format("{:<30} {:>3}  {:<13} {:<32} {:>5} {:>5} {:<16} {:<13} {:<16} {:>4} {:<16}\n", "check", "", "verdict", "headline [95% CI]", "k",
                   "df", "flagged/testable", "common", "common metric", "k", "flagged/testable");
  for (const auto& [id, any] : ids)
    for (size_t i = 0; i < reports.size(); ++i) {
      Cell c = cell_of(find_check(reports[i].report, id));
      o << fmt::format("{:<30} {:>3}  {:<13} {:<32} {:>5} {:>5} {:<16} {:<13} {:<16} {:>4} {:<16}\n", i == 0 ? id : "",
                       "[" + std::to_string(i + 1) + "]", c.status, c.headline.substr(0, 32), c.k, c.df, c.flags, c.common_status,
                       c.common_value, c.common_k, c.common_flags);
    }
  o << "k: the reference taxonomy's size. Flag counts grow with k; the rates (flagged / testable cells) and the verdicts at the shared\n"
       "taxonomy (where a pack declares a rollup) are what compare across locales. * mapping-dependent.\n";
  return o.str();
}

DiffResult diff_reports(const NamedReport& before, const NamedReport& after, const std::string& fail_on, const std::string& format) {
  auto sev = [](const std::string& s) { return s == "pass" ? 0 : s == "flag" ? 1 : s == "fail" ? 2 : s == "incomputable" ? 3 : -1; };
  std::vector<std::string> ids;
  for (const auto* r : {&before.report, &after.report})
    for (const auto& c : (*r)["checks"])
      if (std::find(ids.begin(), ids.end(), c["id"].get<std::string>()) == ids.end()) ids.push_back(c["id"]);
  DiffResult d;
  std::ostringstream o;
  bool md = format == "md";
  if (md) o << "| check | before | after | change | deciding metric before → after | coverage before → after |\n|---|---|---|---|---|---|\n";
  else o << fmt::format("{:<30} {:<15} {:<15} {:<11} {}\n", "check", "before", "after", "change", "deciding metric before → after");
  for (const auto& id : ids) {
    const json* a = find_check(before.report, id);
    const json* b = find_check(after.report, id);
    std::string sa = a ? (*a)["status"].get<std::string>() : "(absent)", sb = b ? (*b)["status"].get<std::string>() : "(absent)";
    int va = a ? sev(sa) : -1, vb = b ? sev(sb) : -1;
    std::string change = !a ? "added" : !b ? "removed" : va == vb ? "same" : vb > va && vb >= 0 ? "worse" : "better";
    // A regression: the check now trips --fail-on and did not before (absent, passing, or below
    // the level), or a flag has become a fail.
    bool regressed = b && checks::trips_fail_on(sb, fail_on) &&
                     (!a || !checks::trips_fail_on(sa, fail_on) || (sa == "flag" && sb == "fail"));
    if (regressed) {
      ++d.regressions;
      change = "REGRESSED";
    }
    std::string metric = (a ? headline(*a) : "—") + " → " + (b ? headline(*b) : "—");
    std::string coverage = (a ? fmt_number((*a)["coverage"]) : "—") + " → " + (b ? fmt_number((*b)["coverage"]) : "—");
    if (md) o << "| " << id << " | " << sa << " | " << sb << " | " << change << " | " << metric << " | " << coverage << " |\n";
    else o << fmt::format("{:<30} {:<15} {:<15} {:<11} {}  (coverage {})\n", id, sa, sb, change, metric, coverage);
  }
  o << d.regressions << " regression(s) at or above --fail-on " << fail_on << "\n";
  d.text = o.str();
  return d;
}

}  // namespace iaf::report
