#include "iaf/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include "iaf/report/svg_charts.hpp"
#include "iaf/report/text_reports.hpp"

namespace iaf::report {
namespace {

using json = nlohmann::ordered_json;
using svg::esc;
using svg::pct;

constexpr size_t kMaxTableRows = 200;  // cell tables beyond this are cut to their largest deviations
constexpr size_t kMaxExampleIds = 100;

const json& null_json() {
  static const json n = nullptr;
  return n;
}
const json& empty_array() {
  static const json a = json::array();
  return a;
}
const json& empty_object() {
  static const json o = json::object();
  return o;
}

const json& at(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key)) return obj[key];
  return null_json();
}
const json& arr(const json& obj, const char* key) {
  const json& v = at(obj, key);
  return v.is_array() ? v : empty_array();
}
const json& obj(const json& o, const char* key) {
  const json& v = at(o, key);
  return v.is_object() ? v : empty_object();
}
// dump() that never throws on invalid UTF-8 inside the value.
std::string dump_safe(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }
// fmt_number for numbers, booleans and null; anything else as its (safe) text.
std::string fnum(const json& v) {
  if (v.is_number() || v.is_boolean() || v.is_null()) return fmt_number(v);
  return v.is_string() ? v.get<std::string>() : dump_safe(v);
}

std::string str(const json& o, const char* key) {
  const json& v = at(o, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return dump_safe(v);
}
std::optional<double> num(const json& v) {
  if (v.is_number()) {
    double x = v.get<double>();
    if (std::isfinite(x)) return x;
  }
  return std::nullopt;
}
std::optional<double> num(const json& o, const char* key) { return num(at(o, key)); }

// A JSON value as escaped text: strings as they are, numbers by fmt_number, null as "—".
std::string text(const json& v) {
  if (v.is_string()) return esc(v.get<std::string>());
  if (v.is_null()) return "—";
  if (v.is_number() || v.is_boolean()) return esc(fmt_number(v));
  if (v.is_array()) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + text(x);
    return s;
  }
  return esc(dump_safe(v));
}
std::string text_at(const json& o, const char* key) { return text(at(o, key)); }

std::string joined(const json& a, const char* sep) {
  std::string s;
  for (const auto& x : a) s += (s.empty() ? "" : sep) + (x.is_string() ? x.get<std::string>() : dump_safe(x));
  return s;
}

std::string badge(const std::string& status) {
  std::string s = status.empty() ? "—" : status;
  return "<span class=\"badge s-" + esc(s) + "\">" + esc(s == "not_applicable" ? "not applicable" : s) + "</span>";
}

// A link only for http(s) addresses; anything else is shown as text.
std::string url_html(const std::string& u) {
  if (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0)
    return "<a href=\"" + esc(u) + "\" rel=\"noopener noreferrer\">" + esc(u) + "</a>";
  return esc(u);
}

std::string code(const std::string& s) { return "<code>" + esc(s) + "</code>"; }


// As text_reports' headline(), "tvd 0.0412 [0.0398, 0.0431]", tolerant of a report with missing or
// mistyped fields.
std::string headline_html(const json& c) {
  const json& dm = at(c, "deciding_metric");
  if (!dm.is_string()) return "—";
  std::string m = dm.get<std::string>();
  const json& metrics = obj(c, "metrics");
  if (m == "bounds")
    return esc(fmt::format("{} outside, {} straddling, {} reversed", fnum(at(metrics, "strata_outside")),
                           fnum(at(metrics, "strata_straddling")), fnum(at(metrics, "orderings_reversed"))));
  if (!metrics.contains(m)) return "—";
  std::string s = m + " " + fnum(metrics[m]);
  const json& ci = at(obj(c, "ci"), m.c_str());
  if (ci.is_array() && ci.size() == 2) s += " [" + fnum(ci[0]) + ", " + fnum(ci[1]) + "]";
  return esc(s);
}

std::string side_text(const json& side) {
  std::string t = str(side, "name");
  if (!str(side, "universe").empty()) t += " — " + str(side, "universe");
  if (!str(side, "vintage").empty()) t += ", " + str(side, "vintage");
  return esc(t);
}

// ---- threshold sweep ------------------------------------------------------------------------------

struct SweepRow {
  std::string label;
  double pass, flag;
  std::string verdict;
  bool current;
};

std::string judge(bool higher, double pass, double flag, double value, std::optional<double> floor95) {
  std::string s;
  if (higher) s = value >= pass ? "pass" : value >= flag ? "flag" : "fail";
  else s = value <= pass ? "pass" : value <= flag ? "flag" : "fail";
  if (s == "fail" && floor95) {
    double badness = higher ? 1 - value : value;
    if (badness <= *floor95) s = "flag";
  }
  return s;
}

std::string sweep_html(const json& c) {
  const json& band = at(c, "band");
  std::string type = str(c, "type");
  if (!band.is_object()) {
    if (type == "bounds")
      return "<p class=\"note\">No band to move: each stratum is judged by its Wilson interval against its bounds "
             "(outside: fail; straddling: flag).</p>";
    return "";
  }
  std::string metric = str(band, "metric");
  auto value = num(obj(c, "metrics"), metric.c_str());
  auto pass = num(band, "pass"), flag = num(band, "flag");
  if (!value || !pass || !flag) return "<p class=\"note\">No value of " + esc(metric) + " to sweep the band over.</p>";
  bool higher = str(band, "direction") == "higher is better";
  auto floor95 = type == "rule" ? std::nullopt : num(c, "minimum_detectable");
  std::vector<SweepRow> rows;
  std::string sentence;
  if (type == "rule" || (higher && *pass >= 1 && *flag >= 1)) {
    std::vector<double> mins = {1.0, 0.999, 0.995, 0.99, 0.95};
    if (std::find(mins.begin(), mins.end(), *pass) == mins.end()) mins.push_back(*pass);
    std::sort(mins.rbegin(), mins.rend());
    for (double m : mins)
      rows.push_back({"min_compliance " + pct(m), m, m, *value >= m ? "pass" : "fail", m == *pass});
    sentence = fmt::format("The rule passes with min_compliance at or below {}.", pct(*value));
  } else {
    for (double k : {0.5, 0.75, 1.0, 1.5, 2.0}) {
      double p = higher ? 1 - (1 - *pass) * k : *pass * k, f = higher ? 1 - (1 - *flag) * k : *flag * k;
      rows.push_back({fmt::format("×{}", k), p, f, judge(higher, p, f, *value, floor95), k == 1.0});
    }
    // The band scale k at which the verdict changes, on the badness scale (value, or 1 − value for β).
    double bad = higher ? 1 - *value : *value, pb = higher ? 1 - *pass : *pass, fb = higher ? 1 - *flag : *flag;
    std::string what = higher ? "1 − " + metric : metric;
    if (bad <= 0) sentence = "It passes however narrow the band (" + esc(what) + " ≤ 0).";
    else {
      std::vector<std::string> parts;
      if (pb > 0) parts.push_back(fmt::format("passes with the band scaled ×{:.3g} or wider", bad / pb));
      if (fb > 0) parts.push_back(fmt::format("fails below ×{:.3g}", bad / fb));
      sentence = "On the " + esc(what) + " scale the check ";
      for (size_t i = 0; i < parts.size(); ++i) sentence += (i ? ", and " : "") + parts[i];
      sentence += ".";
      if (floor95) sentence += fmt::format(" A fail is softened to a flag while {} ≤ the noise floor {}.", esc(what), esc(fmt_number(json(*floor95))));
    }
  }
  std::string s = "<table class=\"sweep\"><caption>Threshold sweep (" + esc(metric) + " = " + esc(fmt_number(json(*value))) +
                  "): the verdict if the band moved</caption><thead><tr><th>band</th><th>pass at</th><th>flag at</th>"
                  "<th>verdict</th></tr></thead><tbody>";
  std::string rel = higher ? "≥ " : "≤ ";
  for (const auto& r : rows)
    s += fmt::format("<tr{}><td>{}</td><td>{}{}</td><td>{}{}</td><td>{}</td></tr>", r.current ? " class=\"current\"" : "", esc(r.label), rel,
                     esc(fmt_number(json(r.pass))), rel, esc(fmt_number(json(r.flag))), badge(r.verdict));
  s += "</tbody></table><p class=\"note\">" + sentence;
  for (const auto& r : rows)
    if (r.current && r.verdict != str(c, "status"))
      s += " The reported verdict (" + esc(str(c, "status")) + ") differs from the band alone: see the reason.";
  return s + "</p>";
}

// ---- per-check pieces ----------------------------------------------------------------------------

std::string context_html(const json& c, bool computed) {
  std::string s = "<dl class=\"context\">";
  const json& sides = obj(c, "sides");
  s += "<dt>synthetic</dt><dd>" + side_text(obj(sides, "synthetic")) + "</dd>";
  s += "<dt>reference</dt><dd>" + side_text(obj(sides, "reference")) + "</dd>";
  s += "<dt>headline</dt><dd>" + headline_html(c) + "</dd>";
  if (auto cov = num(c, "coverage")) {
    s += "<dt>coverage</dt><dd>" + esc(fmt_number(json(*cov))) + " of the synthetic mass mapped";
    const json& mb = at(c, "metric_bounds");
    if (mb.is_array() && mb.size() == 2)
      s += "; " + esc(str(c, "deciding_metric")) + " if the unmapped mass fell at either extreme: " + text(mb[0]) + " … " + text(mb[1]);
    s += "</dd>";
  } else {
    s += "<dt>coverage</dt><dd>— (no crosswalk)</dd>";
  }
  s += "<dt>minimum detectable</dt><dd>" + text_at(c, "minimum_detectable") +
       (num(c, "minimum_detectable") ? " (95th percentile of the metric for a perfect synthetic of this size)" : "") + "</dd>";
  if (!at(c, "standardised_status").is_null())
    s += "<dt>standardised</dt><dd>" + badge(str(c, "standardised_status")) + "</dd>";
  if (at(c, "mapping_dependent").is_boolean() && at(c, "mapping_dependent").get<bool>())
    s += "<dt>crosswalk</dt><dd><strong>mapping-dependent</strong>: the variants disagree</dd>";
  s += "</dl>";
  return computed ? s + sweep_html(c) : s;
}

std::string figure_html(const svg::Chart& ch) {
  return "<figure>" + ch.svg + "<figcaption>" + ch.caption + "</figcaption></figure>";
}

std::string metrics_table(const json& c) {
  const json& m = obj(c, "metrics");
  if (m.empty()) return "";
  const json& ci = obj(c, "ci");
  const json& undef = obj(c, "undefined");
  std::string s = fmt::format("<details><summary>Metrics ({})</summary><table class=\"num\"><thead><tr><th>metric</th><th>value</th>"
                              "<th>95% CI</th><th>note</th></tr></thead><tbody>",
                              m.size());
  for (const auto& [k, v] : m.items()) {
    std::string civ = ci.contains(k) && ci[k].is_array() && ci[k].size() == 2 ? "[" + text(ci[k][0]) + ", " + text(ci[k][1]) + "]" : "";
    s += "<tr" + std::string(k == str(c, "deciding_metric") ? " class=\"current\"" : "") + "><td>" + esc(k) + "</td><td>" + text(v) +
         "</td><td>" + civ + "</td><td>" + (undef.contains(k) ? text(undef[k]) : "") + "</td></tr>";
  }
  return s + "</tbody></table></details>";
}

std::string cells_table(const json& c) {
  const json& cells = arr(obj(c, "details"), "cells");
  if (cells.empty()) return "";
  std::vector<size_t> order(cells.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto absdiff = [&](size_t i) { return std::fabs(num(cells[i], "diff").value_or(0)); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return absdiff(a) > absdiff(b); });
  size_t shown = std::min(order.size(), kMaxTableRows);
  std::string s = fmt::format("<details><summary>Per cell ({} cells{})</summary>", cells.size(),
                              shown < cells.size() ? fmt::format(", the {} largest |p − q| shown", shown) : "");
  s += "<table class=\"num\"><thead><tr><th>cell</th><th>synthetic</th><th>reference</th><th>p</th><th>q</th><th>p − q</th><th>z</th>"
       "<th>q-value</th><th>flagged</th></tr></thead><tbody>";
  for (size_t k = 0; k < shown; ++k) {
    const json& x = cells[order[k]];
    bool flagged = at(x, "flagged").is_boolean() && at(x, "flagged").get<bool>();
    bool testable = at(x, "testable").is_boolean() && at(x, "testable").get<bool>();
    s += std::string("<tr") + (flagged ? " class=\"flagged\"" : "") + "><td class=\"lbl\">" + esc(joined(arr(x, "cell"), " × ")) + "</td><td>" +
         text_at(x, "synthetic") + "</td><td>" + text_at(x, "reference") + "</td><td>" + text_at(x, "p") + "</td><td>" + text_at(x, "q") +
         "</td><td>" + text_at(x, "diff") + "</td><td>" + text_at(x, "z") + "</td><td>" + (testable ? text_at(x, "q_value") : "not testable") +
         "</td><td>" + (flagged ? "yes" : "") + "</td></tr>";
  }
  s += "</tbody></table>";
  if (shown < cells.size())
    s += fmt::format("<p class=\"note\">{} more cells are left out here; report.json has them all.</p>", cells.size() - shown);
  const json& d = obj(c, "details");
  if (!str(d, "test").empty()) s += "<p class=\"note\">Test: " + esc(str(d, "test")) + ". " + esc(str(d, "test_cells")) + ".</p>";
  if (auto pooled = num(d, "pooled_cells"); pooled && *pooled > 0)
    s += "<p class=\"note\">" + esc(fmt_number(json(*pooled))) + " sparse cells were pooled for the chi-square tests.</p>";
  return s + "</details>";
}

std::string levels_tables(const json& c) {
  const json& d = obj(c, "details");
  const json& levels = arr(d, "levels");
  if (levels.empty()) return "";
  const json& outcomes = arr(d, "outcome_labels");
  std::string s = fmt::format("<details><summary>Per level ({} levels × {} outcomes)</summary>", levels.size(), outcomes.size());
  s += "<table class=\"num\"><thead><tr><th>level</th><th>p(level)</th><th>q(level)</th><th>TVD of p(b|a), q(b|a)</th>"
       "<th>largest |p(b|a) − q(b|a)|</th></tr></thead><tbody>";
  for (const auto& l : levels) {
    const json& pb = arr(l, "p_outcome_given_level");
    const json& qb = arr(l, "q_outcome_given_level");
    double best = -1;
    size_t bj = 0;
    for (size_t j = 0; j < pb.size() && j < qb.size(); ++j) {
      double dlt = std::fabs(num(pb[j]).value_or(0) - num(qb[j]).value_or(0));
      if (dlt > best) best = dlt, bj = j;
    }
    std::string worst = best >= 0 && bj < outcomes.size()
                            ? esc(outcomes[bj].is_string() ? outcomes[bj].get<std::string>() : dump_safe(outcomes[bj])) + " (" +
                                  esc(fmt_number(json(best))) + ")"
                            : "—";
    s += "<tr><td class=\"lbl\">" + text_at(l, "level") + "</td><td>" + text_at(l, "p_level") + "</td><td>" + text_at(l, "q_level") +
         "</td><td>" + text_at(l, "tvd") + (at(l, "reason").is_string() ? " (" + text_at(l, "reason") + ")" : "") + "</td><td>" + worst +
         "</td></tr>";
  }
  s += "</tbody></table>";
  if (!arr(d, "worst_levels").empty()) s += "<p class=\"note\">Worst levels by TVD: " + esc(joined(arr(d, "worst_levels"), ", ")) + ".</p>";
  // The conditional distributions themselves, p / q per level and outcome.
  if (outcomes.size() <= 60) {
    s += "<details><summary>p(b|a) / q(b|a) per level and outcome</summary><div class=\"wide\"><table class=\"num small\"><thead><tr><th>level</th>";
    for (const auto& o : outcomes) s += "<th>" + text(o) + "</th>";
    s += "</tr></thead><tbody>";
    for (const auto& l : levels) {
      s += "<tr><td class=\"lbl\">" + text_at(l, "level") + "</td>";
      const json& pb = arr(l, "p_outcome_given_level");
      const json& qb = arr(l, "q_outcome_given_level");
      for (size_t j = 0; j < outcomes.size(); ++j)
        s += "<td>" + (j < pb.size() ? esc(pct(num(pb[j]).value_or(0))) : "—") + " / " + (j < qb.size() ? esc(pct(num(qb[j]).value_or(0))) : "—") +
             "</td>";
      s += "</tr>";
    }
    s += "</tbody></table></div></details>";
  }
  return s + "</details>";
}

std::string absent_levels(const json& c) {
  const json& a = arr(obj(c, "details"), "levels_absent_from_synthetic");
  if (a.empty()) return "";
  std::string s = "<details open><summary>Levels absent from the synthetic (" + std::to_string(a.size()) +
                  ")</summary><table class=\"num\"><thead><tr><th>level</th><th>reference mass</th></tr></thead><tbody>";
  for (const auto& l : a) s += "<tr><td class=\"lbl\">" + text_at(l, "level") + "</td><td>" + text_at(l, "reference_mass") + "</td></tr>";
  return s + "</tbody></table></details>";
}

std::string share_tables(const json& c) {
  const json& d = obj(c, "details");
  const json& cats = arr(d, "categories");
  if (cats.empty()) return "";
  std::map<std::string, const json*> stdc;
  for (const auto& x : arr(obj(d, "standardised"), "categories")) stdc[str(x, "category")] = &x;
  std::string s = fmt::format("<details><summary>Per category ({})</summary><table class=\"num\"><thead><tr><th>category</th><th>s_p</th>"
                              "<th>s_q</th><th>weight</th><th>κ</th><th>κ parity</th><th>dominated</th><th>excess ≥ δ</th>{}<th>note</th></tr></thead><tbody>",
                              cats.size(), stdc.empty() ? "" : "<th>s_p standardised</th><th>missing weight</th>");
  for (const auto& x : cats) {
    bool dom = at(x, "dominated").is_boolean() && at(x, "dominated").get<bool>();
    bool exc = at(x, "excess").is_boolean() && at(x, "excess").get<bool>();
    s += "<tr><td class=\"lbl\">" + text_at(x, "category") + "</td><td>" + text_at(x, "s_p") + "</td><td>" + text_at(x, "s_q") + "</td><td>" +
         text_at(x, "weight") + "</td><td>" + text_at(x, "kappa") + "</td><td>" + text_at(x, "kappa_parity") + "</td><td>" + (dom ? "yes" : "") +
         "</td><td>" + (exc ? "yes" : "") + "</td>";
    std::string note = str(x, "reason");
    if (!stdc.empty()) {
      auto it = stdc.find(str(x, "category"));
      if (it != stdc.end()) {
        s += "<td>" + text_at(*it->second, "s_p_standardised") + "</td><td>" + text_at(*it->second, "missing_weight") + "</td>";
        if (!str(*it->second, "reason").empty()) note += (note.empty() ? "" : "; ") + str(*it->second, "reason");
      } else {
        s += "<td>—</td><td>—</td>";
      }
    }
    s += "<td>" + esc(note) + "</td></tr>";
  }
  s += "</tbody></table>";
  s += "<p class=\"note\">Screening (the dominated categories over-represented by at least δ): all → " + text_at(d, "screening_all") +
       "; majority → " + text_at(d, "screening_majority") + ".</p>";
  const json& st = obj(d, "standardised");
  if (!st.empty()) {
    s += "<p class=\"note\">Standardised by " + text_at(st, "attribute") + " with weights from " + text_at(st, "weights") + ": status " +
         text_at(st, "status") + (at(st, "age_robust").is_boolean() ? (st["age_robust"].get<bool>() ? " (age-robust)" : " (not age-robust)") : "");
    if (st.contains("screening_all")) s += "; screening all → " + text_at(st, "screening_all") + ", majority → " + text_at(st, "screening_majority");
    if (st.contains("reason")) s += "; " + text_at(st, "reason");
    s += ".</p>";
  }
  return s + "</details>";
}

std::string unmapped_table(const json& c) {
  const json& d = obj(c, "details");
  const json& un = arr(d, "unmapped_labels");
  if (!d.contains("unmapped_labels")) return "";
  double total = 0;
  for (const auto& u : un) total += num(u, "mass").value_or(0);
  std::vector<size_t> order(un.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return num(un[a], "mass").value_or(0) > num(un[b], "mass").value_or(0); });
  std::string s = fmt::format("<details><summary>Unmapped labels by mass ({}{})</summary>", un.size(),
                              num(d, "unmapped_label_count") && *num(d, "unmapped_label_count") > un.size()
                                  ? fmt::format(" of {}", fnum(d["unmapped_label_count"]))
                                  : "");
  if (un.empty()) return s + "<p class=\"note\">Every label is mapped.</p></details>";
  s += "<table class=\"num\"><thead><tr><th>attribute</th><th>label</th><th>mass</th><th>share of the unmapped shown</th></tr></thead><tbody>";
  for (size_t i : order) {
    double m = num(un[i], "mass").value_or(0);
    s += "<tr><td>" + text_at(un[i], "attribute") + "</td><td class=\"lbl\">" + text_at(un[i], "label") + "</td><td>" + text_at(un[i], "mass") +
         "</td><td>" + (total > 0 ? esc(pct(m / total)) : "—") + "</td></tr>";
  }
  return s + "</tbody></table></details>";
}

std::string codebooks_note(const json& c) {
  std::string s;
  for (const auto& b : arr(obj(c, "details"), "codebooks")) {
    const json& so = arr(b, "synthetic_only");
    const json& ro = arr(b, "reference_only");
    if (so.empty() && ro.empty()) continue;
    s += "<li>" + text_at(b, "attribute") + ": ";
    if (!so.empty()) s += "only in the synthetic: " + esc(joined(so, ", ")) + (ro.empty() ? "" : "; ");
    if (!ro.empty()) s += "only in the reference: " + esc(joined(ro, ", "));
    s += "</li>";
  }
  return s.empty() ? "" : "<details><summary>Labels on one side only</summary><ul>" + s + "</ul></details>";
}

std::string statement_html(const json& d) {
  const json& st = at(d, "statement");
  if (!st.is_object()) return "";
  return "<blockquote class=\"statement\">" + text_at(st, "text") + "<footer>" + text_at(st, "source") + " (statement " + text_at(st, "id") +
         ")</footer></blockquote>";
}

std::string rule_tables(const json& c) {
  const json& d = obj(c, "details");
  if (d.empty() || str(c, "type") != "rule") return "";
  std::string s = statement_html(d);
  s += "<p>Scope: " + code(str(d, "scope")) + " — assertion: " + code(str(d, "assert")) + "</p>";
  const json& ids = arr(d, "example_ids");
  s += fmt::format("<details{}><summary>Example violating ids ({})</summary>", ids.empty() ? "" : "", ids.size());
  if (ids.empty()) s += "<p class=\"note\">" + (str(d, "example_ids_note").empty() ? std::string("no violations") : esc(str(d, "example_ids_note"))) + "</p>";
  else {
    s += "<ul class=\"ids\">";
    for (size_t i = 0; i < ids.size() && i < kMaxExampleIds; ++i) s += "<li>" + code(ids[i].is_string() ? ids[i].get<std::string>() : dump_safe(ids[i])) + "</li>";
    s += "</ul>";
    if (ids.size() > kMaxExampleIds) s += fmt::format("<p class=\"note\">{} more in report.json.</p>", ids.size() - kMaxExampleIds);
  }
  return s + "</details>";
}

std::string bounds_tables(const json& c) {
  const json& d = obj(c, "details");
  if (d.empty() || str(c, "type") != "bounds") return "";
  std::string s = statement_html(d);
  s += "<p>Event: " + code(str(d, "event")) + "</p>";
  const json& strata = arr(d, "strata");
  s += fmt::format("<details><summary>Per stratum ({})</summary><table class=\"num\"><thead><tr><th>stratum</th><th>events</th><th>rows</th>"
                   "<th>rate</th><th>Wilson 95% CI</th><th>bounds</th><th>verdict</th></tr></thead><tbody>",
                   strata.size());
  for (const auto& x : strata) {
    const json& ci = at(x, "ci");
    const json& b = at(x, "bounds");
    s += "<tr><td class=\"lbl\">" + text_at(x, "stratum") + "</td><td>" + text_at(x, "events") + "</td><td>" + text_at(x, "rows") + "</td><td>" +
         text_at(x, "rate") + "</td><td>" + (ci.is_array() && ci.size() == 2 ? "[" + text(ci[0]) + ", " + text(ci[1]) + "]" : "—") + "</td><td>" +
         (b.is_array() && b.size() == 2 ? "[" + text(b[0]) + ", " + text(b[1]) + "]" : "") + "</td><td>" +
         (str(x, "status").empty() ? "" : badge(str(x, "status"))) + "</td></tr>";
  }
  s += "</tbody></table>";
  const json& ord = arr(d, "orderings");
  if (!ord.empty()) {
    s += "<table><thead><tr><th>ordering</th><th>verdict</th></tr></thead><tbody>";
    for (const auto& o : ord) s += "<tr><td>" + text_at(o, "ordering") + "</td><td>" + badge(str(o, "status")) + "</td></tr>";
    s += "</tbody></table>";
  }
  return s + "</details>";
}

std::string variants_table(const json& c) {
  const json& bv = obj(obj(c, "details"), "by_variant");
  if (bv.empty()) return "";
  std::string s = "<details><summary>By crosswalk variant (" + std::to_string(bv.size()) +
                  ")</summary><table class=\"num\"><thead><tr><th>variant</th><th>verdict</th><th>" + esc(str(c, "deciding_metric")) +
                  "</th><th>coverage</th><th>screening</th><th>standardised</th><th>reason</th></tr></thead><tbody>";
  for (const auto& [v, d] : bv.items())
    s += "<tr><td class=\"lbl\">" + esc(v) + "</td><td>" + badge(str(d, "status")) + "</td><td>" + text_at(d, "metric") + "</td><td>" +
         text_at(d, "coverage") + "</td><td>" + text_at(d, "screening_all") + "</td><td>" + text_at(d, "standardised_status") + "</td><td>" +
         text_at(d, "reason") + "</td></tr>";
  s += "</tbody></table>";
  const json& dep = arr(obj(c, "details"), "mapping_dependent_on");
  if (!dep.empty()) s += "<p class=\"note\">Mapping-dependent on: " + esc(joined(dep, ", ")) + ".</p>";
  return s + "</details>";
}

std::string check_section(const json& c, size_t index) {
  std::string status = str(c, "status"), type = str(c, "type");
  std::string uid = fmt::format("c{}", index);
  std::string s = fmt::format("<section class=\"check\" id=\"check-{}\" data-check=\"{}\" data-type=\"{}\" data-status=\"{}\">", index,
                              esc(str(c, "id")), esc(type), esc(status));
  s += "<h3>" + esc(str(c, "id")) + " " + badge(status) + " <span class=\"type\">" + esc(type) + "</span>";
  if (at(c, "mapping_dependent").is_boolean() && c["mapping_dependent"].get<bool>()) s += " <span class=\"tag\">mapping-dependent</span>";
  s += "</h3>";
  s += "<p class=\"meta\">Disclosure " + esc(str(c, "disclosure")) + " · attributes " + esc(joined(arr(c, "attributes"), " × ")) +
       " · reference " + esc(str(c, "reference")) + "</p>";
  if (!str(c, "description").empty()) s += "<p>" + esc(str(c, "description")) + "</p>";
  bool computed = status == "pass" || status == "flag" || status == "fail";
  if (!computed)
    s += "<div class=\"reason-box\" data-reason-box=\"" + esc(status) + "\"><strong>" +
         esc(status == "not_applicable" ? std::string("Not applicable") : std::string("Incomputable")) + ":</strong> " + esc(str(c, "reason")) +
         "<br><span class=\"note\">No data chart: the check has no verdict to draw.</span></div>";
  else
    s += "<p class=\"reason\">" + esc(str(c, "reason")) + "</p>";
  std::string charts;
  if (auto ch = svg::type_chart(c, uid)) charts += figure_html(*ch);
  else if (computed)
    charts += "<div class=\"reason-box\" data-reason-box=\"no-chart\">The report holds no " + esc(type) + " details to draw a chart from.</div>";
  if (auto vm = svg::variant_matrix(c, uid + "v")) charts += figure_html(*vm);
  s += "<div class=\"check-body\">" + (charts.empty() ? "" : "<div class=\"charts\">" + charts + "</div>") + "<aside>" + context_html(c, computed) +
       "</aside></div>";
  s += metrics_table(c);
  s += cells_table(c) + levels_tables(c) + absent_levels(c) + share_tables(c) + rule_tables(c) + bounds_tables(c) + unmapped_table(c) +
       variants_table(c) + codebooks_note(c);
  return s + "</section>";
}

// ---- page parts ------------------------------------------------------------------------------------

std::string counts_html(const json& summary) {
  std::string s = "<p class=\"counts\">";
  for (const char* k : {"pass", "flag", "fail", "incomputable", "not_applicable"})
    s += "<span class=\"count\">" + badge(k) + " " + text_at(summary, k) + "</span> ";
  return s + "</p>";
}

std::string coverage_table(const json& r, const std::map<std::string, size_t>& check_index, const std::map<std::string, std::string>& status_of) {
  const json& ds = arr(r, "disclosures");
  std::string s = "<table class=\"coverage\"><thead><tr><th>disclosure</th><th>combination</th><th>audited by</th><th>needed when unaudited</th></tr></thead><tbody>";
  for (const auto& d : ds) {
    const json& checks = arr(d, "checks");
    const json& statuses = arr(d, "statuses");
    std::string by;
    for (size_t i = 0; i < checks.size(); ++i) {
      std::string id = checks[i].is_string() ? checks[i].get<std::string>() : dump_safe(checks[i]);
      std::string st = i < statuses.size() && statuses[i].is_string() ? statuses[i].get<std::string>() : (status_of.count(id) ? status_of.at(id) : "");
      auto it = check_index.find(id);
      by += (by.empty() ? "" : "<br>") +
            (it != check_index.end() ? fmt::format("<a href=\"#check-{}\">{}</a>", it->second, esc(id)) : esc(id)) + " " + badge(st);
    }
    bool audited = !checks.empty();
    s += std::string("<tr") + (audited ? "" : " class=\"unaudited\"") + "><td>" + esc(str(d, "disclosure")) + "</td><td>" +
         esc(joined(arr(d, "combination"), " × ")) + "</td><td>" + (audited ? by : "<strong>no reference</strong>") + "</td><td>" +
         (audited ? "" : text_at(d, "needed")) + "</td></tr>";
  }
  return s + "</tbody></table>";
}

std::string summary_html(const json& r, const std::map<std::string, size_t>& check_index) {
  // Disclosures in order of first appearance (coverage rows, then the checks' own).
  std::vector<std::string> ids;
  std::map<std::string, const json*> first;
  for (const auto& d : arr(r, "disclosures")) {
    std::string id = str(d, "disclosure");
    if (!first.count(id)) first[id] = &d, ids.push_back(id);
  }
  for (const auto& c : arr(r, "checks"))
    if (!first.count(str(c, "disclosure"))) first[str(c, "disclosure")] = nullptr, ids.push_back(str(c, "disclosure"));
  std::string s;
  for (const auto& id : ids) {
    s += "<div class=\"disclosure\"><h3>" + esc(id) + "</h3>";
    if (const json* d = first[id]) {
      s += "<blockquote>" + esc(str(*d, "quote")) + (str(*d, "source").empty() ? "" : "<footer>" + esc(str(*d, "source")) + "</footer>") +
           "</blockquote>";
    }
    s += "<table class=\"summary\"><thead><tr><th>check</th><th>type</th><th>verdict</th><th>deciding metric [95% CI]</th>"
         "<th>synthetic vs reference</th><th>coverage</th><th>min. detectable</th></tr></thead><tbody>";
    size_t n = 0;
    for (const auto& c : arr(r, "checks")) {
      if (str(c, "disclosure") != id) continue;
      ++n;
      const json& sides = obj(c, "sides");
      s += fmt::format("<tr><td><a href=\"#check-{}\">{}</a></td><td>{}</td><td>{}{}{}</td><td>{}</td><td>{} <em>vs</em> {}</td><td>{}</td><td>{}</td></tr>",
                       check_index.at(str(c, "id")), esc(str(c, "id")), esc(str(c, "type")), badge(str(c, "status")),
                       at(c, "mapping_dependent").is_boolean() && c["mapping_dependent"].get<bool>() ? " <span class=\"tag\">mapping-dependent</span>" : "",
                       at(c, "standardised_status").is_string() ? " standardised " + badge(str(c, "standardised_status")) : "", headline_html(c),
                       side_text(obj(sides, "synthetic")), side_text(obj(sides, "reference")), text_at(c, "coverage"), text_at(c, "minimum_detectable"));
    }
    if (n == 0) s += "<tr><td colspan=\"7\" class=\"note\">no check audits this disclosure</td></tr>";
    s += "</tbody></table></div>";
  }
  return s;
}

std::string kv(const std::string& k, const std::string& v_html) { return "<dt>" + esc(k) + "</dt><dd>" + v_html + "</dd>"; }

std::string provenance_html(const json& r) {
  const json& a = obj(r, "audit");
  const json& ds = obj(a, "dataset");
  const json& tool = obj(r, "tool");
  std::string s = "<h3>Audit</h3><dl class=\"kv\">";
  s += kv("audit", text_at(a, "name")) + kv("description", text_at(a, "description")) + kv("locale", text_at(a, "locale"));
  s += kv("pack sha256", code(str(a, "pack_sha256"))) + kv("seed", text_at(a, "seed")) + kv("bootstrap B", text_at(a, "bootstrap")) +
       kv("mode", text_at(a, "mode"));
  s += kv("tool", esc(str(tool, "name") + " " + str(tool, "version"))) + kv("report schema", text_at(r, "schema_version")) +
       kv("generated at", text_at(r, "generated_at")) + "</dl>";
  s += "<h3>Dataset</h3><dl class=\"kv\">";
  for (const char* k : {"name", "revision", "universe", "vintage", "licence"}) s += kv(k, text_at(ds, k));
  s += kv("source", url_html(str(ds, "source")));
  if (!at(ds, "override").is_null()) s += kv("override", text_at(ds, "override"));
  s += kv("rows scanned", text_at(ds, "rows_scanned")) + "</dl>";

  s += "<h3>Inputs</h3><table class=\"num\"><thead><tr><th>role</th><th>path</th><th>bytes</th><th>fingerprint</th><th>rows</th></tr></thead><tbody>";
  for (const auto& i : arr(r, "inputs"))
    s += "<tr><td>" + text_at(i, "role") + "</td><td class=\"lbl\">" + text_at(i, "path") + "</td><td>" + text_at(i, "bytes") + "</td><td>" +
         code(str(i, "fingerprint")) + "</td><td>" + text_at(i, "rows") + "</td></tr>";
  s += "</tbody></table>";

  s += "<h3>References</h3>";
  for (const auto& ref : arr(r, "references")) {
    s += "<div class=\"ref\"><h4>" + text_at(ref, "id") + " <span class=\"type\">" + text_at(ref, "kind") + "</span></h4><dl class=\"kv\">";
    for (const char* k : {"publisher", "table", "vintage", "universe", "unit", "measure", "scale"}) s += kv(k, text_at(ref, k));
    std::string n = text_at(ref, "effective_n");
    if (!at(ref, "sample_size").is_null())
      n += " (sample " + text_at(ref, "sample_size") + " " + text_at(ref, "sample_unit") + ", design effect " + text_at(ref, "design_effect") +
           ", persons per unit " + text_at(ref, "persons_per_unit") + ")";
    s += kv("effective n", n);
    s += kv("licence", text_at(ref, "licence")) + kv("caveat", text_at(ref, "caveat")) + kv("url", url_html(str(ref, "url")));
    if (!str(ref, "citation").empty()) s += kv("citation", text_at(ref, "citation"));
    if (!at(ref, "file").is_null()) {
      s += kv("file", text_at(ref, "file")) + kv("rows", text_at(ref, "rows")) + kv("sha256", code(str(ref, "sha256")));
      if (at(ref, "sha256_changed").is_boolean() && ref["sha256_changed"].get<bool>())
        s += kv("sha256 declared", code(str(ref, "sha256_declared")) + " <strong>differs: the reference changed since the manifest</strong>");
    }
    const json& cols = obj(ref, "columns");
    if (!cols.empty()) {
      std::string cs;
      for (const auto& [k, v] : cols.items()) cs += (cs.empty() ? "" : ", ") + esc(k) + " ← " + text(v);
      s += kv("columns", cs);
    }
    s += "</dl>";
    const json& st = arr(ref, "statements");
    if (!st.empty()) {
      s += "<details><summary>Statements (" + std::to_string(st.size()) + ")</summary><ul>";
      for (const auto& x : st) s += "<li><strong>" + text_at(x, "id") + "</strong>: " + text_at(x, "text") + " <em>(" + text_at(x, "source") + ")</em></li>";
      s += "</ul></details>";
    }
    const json& up = arr(ref, "upstream");
    if (!up.empty()) {
      s += "<table class=\"num\"><caption>Upstream files</caption><thead><tr><th>file</th><th>sha256</th><th>origin</th></tr></thead><tbody>";
      for (const auto& u : up)
        s += "<tr><td class=\"lbl\">" + text_at(u, "file") + "</td><td>" + code(str(u, "sha256")) + "</td><td>" + text_at(u, "origin") + "</td></tr>";
      s += "</tbody></table>";
    }
    s += "</div>";
  }

  const json& cws = arr(r, "crosswalks");
  if (!cws.empty()) {
    s += "<h3>Crosswalks</h3><table class=\"num\"><thead><tr><th>crosswalk</th><th>variant</th><th>file</th><th>sha256</th><th>rows</th>"
         "<th>unmapped</th><th>min coverage</th></tr></thead><tbody>";
    for (const auto& c : cws)
      for (const auto& v : arr(c, "variants"))
        s += "<tr><td>" + text_at(c, "id") + "</td><td>" + text_at(v, "name") + (str(v, "name") == str(c, "default_variant") ? " (default)" : "") +
             "</td><td class=\"lbl\">" + text_at(v, "file") + "</td><td>" + code(str(v, "sha256")) + "</td><td>" + text_at(v, "rows") + "</td><td>" +
             text_at(c, "unmapped") + "</td><td>" + text_at(c, "min_coverage") + "</td></tr>";
    s += "</tbody></table>";
  }

  const json& th = obj(r, "thresholds");
  s += "<h3>Thresholds</h3><table class=\"num\"><thead><tr><th>check type</th><th>metric</th><th>direction</th><th>pass</th><th>flag</th><th>why</th></tr></thead><tbody>";
  for (const auto& b : arr(th, "bands"))
    s += "<tr><td>" + text_at(b, "check_type") + "</td><td>" + text_at(b, "metric") + "</td><td>" + text_at(b, "direction") + "</td><td>" +
         text_at(b, "pass") + "</td><td>" + text_at(b, "flag") + "</td><td>" + text_at(b, "why") + "</td></tr>";
  s += "</tbody></table><dl class=\"kv\">";
  const json& ss = obj(th, "share_screening");
  if (!ss.empty()) s += kv("share screening", "dominated below τ = " + text_at(ss, "dominated_below") + ", excess δ = " + text_at(ss, "excess"));
  if (!obj(th, "rule").empty()) s += kv("rule", "min_compliance " + text_at(obj(th, "rule"), "min_compliance"));
  if (!at(th, "bounds").is_null()) s += kv("bounds", text_at(th, "bounds"));
  const json& cells = obj(th, "cells");
  if (!cells.empty()) {
    std::string cs;
    for (const auto& [k, v] : cells.items()) cs += (cs.empty() ? "" : ", ") + esc(k) + " " + text(v);
    s += kv("cells", cs);
  }
  if (!at(th, "noise_floor").is_null()) s += kv("noise floor", text_at(th, "noise_floor"));
  s += "</dl><p class=\"note\">Per-check overrides appear in each check's metrics and sweep.</p>";
  return s;
}

std::string licences_html(const json& r) {
  std::string s = "<table><thead><tr><th>what</th><th>licence</th><th>source</th></tr></thead><tbody>";
  for (const auto& l : arr(r, "licences"))
    s += "<tr><td>" + text_at(l, "what") + "</td><td>" + text_at(l, "licence") + "</td><td>" + url_html(str(l, "source")) + "</td></tr>";
  return s + "</tbody></table>";
}

const char* kStyle = R"CSS(
:root{--pass:#1a7f37;--flag:#9a6700;--fail:#cf222e;--incomputable:#57606a;--na:#8c959f;--ink:#1f2328;--muted:#57606a;--line:#d0d7de;--bg2:#f6f8fa}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK KR","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:var(--ink);margin:0 auto;padding:16px 24px 48px;max-width:1280px;font-size:14px;line-height:1.45;background:#fff}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:28px 0 10px;border-bottom:2px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:16px 0 6px}h4{font-size:14px;margin:10px 0 4px}
a{color:#0969da}code{font-family:"Noto Sans Mono CJK KR",ui-monospace,monospace;font-size:12px;background:var(--bg2);padding:0 3px;border-radius:3px;word-break:break-all}
.meta,.note{color:var(--muted);font-size:12.5px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:700;line-height:18px;white-space:nowrap;vertical-align:1px}
.s-pass{background:var(--pass)}.s-flag{background:var(--flag)}.s-fail{background:var(--fail)}.s-incomputable{background:var(--incomputable)}.s-not_applicable,.s-—{background:var(--na)}
.tag{display:inline-block;padding:0 6px;border:1px solid var(--flag);color:var(--flag);border-radius:4px;font-size:11.5px}
.type{color:var(--muted);font-weight:400;font-size:12.5px}
.counts .count{margin-right:10px;font-size:15px}
nav{background:var(--bg2);border:1px solid var(--line);border-radius:6px;padding:8px 12px;font-size:13px;display:flex;flex-wrap:wrap;gap:2px 14px}
nav a{white-space:nowrap}
table{border-collapse:collapse;margin:6px 0 10px;font-size:12.5px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--bg2)}
table.num td{font-variant-numeric:tabular-nums}
table.small{font-size:11px}
td.lbl{max-width:340px;overflow-wrap:anywhere}
tr.current td{background:#fff8c5}tr.flagged td{background:#ffebe9}tr.unaudited td{background:#fff1e5}
caption{caption-side:top;text-align:left;font-weight:700;padding:2px 0;font-size:12.5px}
blockquote{margin:6px 0 8px;padding:6px 12px;border-left:4px solid var(--line);background:var(--bg2);font-style:italic}
blockquote footer{font-style:normal;color:var(--muted);font-size:12px;margin-top:2px}
section.check{border-top:1px solid var(--line);padding-top:6px;margin-top:18px}
.check-body{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}
.charts{flex:1 1 640px;min-width:0}
aside{flex:0 1 400px;min-width:280px;background:var(--bg2);border:1px solid var(--line);border-radius:6px;padding:8px 12px;font-size:12.5px}
dl.context,dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:4px 0}
dl dt{font-weight:700;color:var(--muted)}dl dd{margin:0;overflow-wrap:anywhere}
.reason-box{border:2px dashed var(--incomputable);background:#f6f8fa;padding:10px 14px;border-radius:6px;margin:8px 0}
.reason{margin:4px 0}
figure{margin:6px 0 12px;break-inside:avoid;page-break-inside:avoid}
figcaption{color:var(--muted);font-size:12px;max-width:760px}
svg.chart{max-width:100%;height:auto;display:block;font-family:inherit;font-size:12px;background:#fff}
svg.chart text{fill:var(--ink)}
svg.chart .label{font-size:12px}svg.chart .tick{font-size:10.5px;fill:var(--muted)}svg.chart .axis-title{font-size:11.5px;font-weight:700;fill:var(--muted)}
svg.chart .value{font-size:10.5px;fill:var(--muted)}
svg.chart .grid{stroke:#eaeef2;stroke-width:1}svg.chart .frame{fill:none;stroke:#8c959f;stroke-width:.8}
svg.chart .syn{fill:#3b6fb6}svg.chart .ref{fill:#fff;stroke:#57606a;stroke-width:1.1}
svg.chart .ci{stroke:#1f2328;stroke-width:1.3;fill:none}
svg.chart .flagmark{fill:var(--fail);font-size:10px}
svg.chart rect.undef{stroke:#fff;stroke-width:.5}
svg.chart .worst{fill:none;stroke:#111;stroke-width:2}
svg.chart .cell-label{font-size:10px;font-weight:700}svg.chart .cell-label.dark{fill:#fff}
svg.chart .dominated{fill:#fbeaea}
svg.chart .identity{stroke:#57606a;stroke-width:1.2}
svg.chart .parity{stroke:#8250df;stroke-width:1.2;stroke-dasharray:5 4}
svg.chart .fit{stroke:#cf222e;stroke-width:2}
svg.chart .means{fill:#cf222e}
svg.chart .pt{fill:#3b6fb6;fill-opacity:.72;stroke:#fff;stroke-width:1}
svg.chart .pt.dominated{fill:#d4a72c}svg.chart .pt.dominated-excess{fill:#cf222e}
svg.chart .pt-label{font-size:10.5px}
svg.chart .std{fill:none;stroke:#1a7f37;stroke-width:1.4}svg.chart .std-link{stroke:#1a7f37;stroke-width:.8;stroke-dasharray:2 2}
svg.chart .bounds{fill:#dafbe1;stroke:none}svg.chart .bound-line{stroke:var(--pass);stroke-width:1.4;stroke-dasharray:4 3;fill:none}
svg.chart .rate{stroke:#fff;stroke-width:1}
svg.chart .threshold{stroke:var(--fail);stroke-width:1.6;stroke-dasharray:5 3}
svg.chart .badge-text{fill:#fff;font-size:11.5px;font-weight:700}
.wide{overflow-x:auto}
details{margin:4px 0}summary{cursor:pointer;font-weight:700;font-size:13px;color:#24292f}
ul.ids{columns:4;font-size:12px}
table.sweep{margin-top:8px}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 nav{display:none}
 a{color:inherit;text-decoration:none}
 details::details-content{content-visibility:visible;display:block}
 figure,aside,.reason-box,blockquote,table.sweep,tr{break-inside:avoid;page-break-inside:avoid}
 h2,h3{break-after:avoid;page-break-after:avoid}
 .check-body{display:block}
 aside{max-width:none}
 .wide{overflow:visible}
 svg.chart{max-width:100%;height:auto}
}
)CSS";

// Opens every <details> for printing and restores them afterwards; no data in it.
const char* kScript = R"JS(
(function(){var shut=[];
window.addEventListener('beforeprint',function(){shut=[];document.querySelectorAll('details:not([open])').forEach(function(d){shut.push(d);d.open=true;});});
window.addEventListener('afterprint',function(){shut.forEach(function(d){d.open=false;});shut=[];});})();
)JS";

}  // namespace

std::string report_html(const json& r) {
  std::map<std::string, size_t> check_index;
  std::map<std::string, std::string> status_of;
  const json& checks = arr(r, "checks");
  for (size_t i = 0; i < checks.size(); ++i) {
    check_index.emplace(str(checks[i], "id"), i);
    status_of.emplace(str(checks[i], "id"), str(checks[i], "status"));
  }
  const json& a = obj(r, "audit");
  std::string name = str(a, "name");
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    << "<meta name=\"generator\" content=\"" << esc(str(obj(r, "tool"), "name") + " " + str(obj(r, "tool"), "version")) << "\">"
    << "<title>iaf audit: " << esc(name) << "</title><style>" << kStyle << "</style></head><body>\n";
  o << "<header><h1>iaf audit: " << esc(name) << "</h1>";
  const json& ds = obj(a, "dataset");
  o << "<p class=\"meta\">Dataset " << esc(str(ds, "name")) << (str(ds, "universe").empty() ? "" : " — " + esc(str(ds, "universe")))
    << (str(ds, "vintage").empty() ? "" : ", " + esc(str(ds, "vintage"))) << ". Generated " << esc(str(r, "generated_at")) << " by "
    << esc(str(obj(r, "tool"), "name") + " " + str(obj(r, "tool"), "version")) << " (report schema " << esc(str(r, "schema_version"))
    << "); pack sha256 " << code(str(a, "pack_sha256")) << ", seed " << text_at(a, "seed") << ", bootstrap B = " << text_at(a, "bootstrap")
    << ", mode " << esc(str(a, "mode")) << ".</p>";
  if (!str(a, "description").empty()) o << "<p>" << esc(str(a, "description")) << "</p>";
  o << counts_html(obj(r, "summary")) << "</header>\n";
  o << "<nav aria-label=\"contents\"><a href=\"#coverage\">Disclosure coverage</a><a href=\"#summary\">Summary</a><a href=\"#checks\">Checks</a>";
  for (size_t i = 0; i < checks.size(); ++i) o << "<a href=\"#check-" << i << "\">" << esc(str(checks[i], "id")) << "</a>";
  o << "<a href=\"#provenance\">Provenance</a><a href=\"#licences\">Licences</a></nav>\n";
  o << "<p class=\"note\">The metrics and bands are iaf's own reconstruction of the Independence-Assumption Footprint protocol "
       "(arXiv 2606.12433), defined in docs/metrics.md; they are not the paper's numbers.</p>";
  o << "<section id=\"coverage\"><h2>Disclosure coverage</h2><p class=\"note\">Each combination the card discloses, the check that "
       "audits it, or \"no reference\" with what would be needed.</p>"
    << coverage_table(r, check_index, status_of) << "</section>\n";
  o << "<section id=\"summary\"><h2>Summary</h2>" << summary_html(r, check_index) << "</section>\n";
  o << "<section id=\"checks\"><h2>Checks</h2>";
  for (size_t i = 0; i < checks.size(); ++i) o << check_section(checks[i], i) << "\n";
  o << "</section>\n";
  o << "<section id=\"provenance\"><h2>Provenance</h2>" << provenance_html(r) << "</section>\n";
  o << "<section id=\"licences\"><h2>Licences and attribution</h2>" << licences_html(r) << "</section>\n";
  o << "<footer class=\"note\"><p>Rendered from report.json by iaf; self-contained: no network, no external fonts, no script "
       "libraries.</p></footer>";
  o << "<script>" << kScript << "</script></body></html>\n";
  return o.str();
}

}  // namespace iaf::report
