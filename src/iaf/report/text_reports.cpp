#include "iaf/report/text_reports.hpp"

#include <fmt/format.h>

#include <cmath>
#include <sstream>

#include "iaf/checks/status.hpp"
#include "iaf/core/csv_field.hpp"
#include "iaf/report/svg_charts.hpp"

namespace iaf::report {
namespace {

using json = nlohmann::ordered_json;

std::string md_cell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}


std::string joined(const json& arr, const char* sep) {
  std::string s;
  for (const auto& x : arr) s += (s.empty() ? "" : sep) + (x.is_string() ? x.get<std::string>() : x.dump());
  return s;
}

std::string sides(const json& c) {
  const auto& s = c["sides"];
  auto side = [](const json& x) {
    std::string t = x["name"].get<std::string>();
    if (!x["universe"].get<std::string>().empty()) t += " (" + x["universe"].get<std::string>() + ")";
    if (!x["vintage"].get<std::string>().empty()) t += ", " + x["vintage"].get<std::string>();
    return t;
  };
  return side(s["synthetic"]) + " vs " + side(s["reference"]);
}

}  // namespace

std::string fmt_number(const json& v) {
  if (v.is_null()) return "—";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (!v.is_number()) return v.dump();
  double x = v.get<double>();
  if (x == std::floor(x) && std::fabs(x) < 1e15) return fmt::format("{:.0f}", x);
  if (std::fabs(x) >= 1e6 || (std::fabs(x) < 1e-3 && x != 0)) return fmt::format("{:.3e}", x);
  return fmt::format("{:.4g}", x);
}

std::string headline(const json& c) {
  if (c["deciding_metric"].is_null()) return "—";
  std::string m = c["deciding_metric"];
  if (m == "bounds") return fmt::format("{} outside, {} straddling, {} reversed", fmt_number(c["metrics"]["strata_outside"]),
                                        fmt_number(c["metrics"]["strata_straddling"]), fmt_number(c["metrics"]["orderings_reversed"]));
  if (!c["metrics"].contains(m)) return "—";
  std::string s = m + " " + fmt_number(c["metrics"][m]);
  if (c["ci"].contains(m)) s += " [" + fmt_number(c["ci"][m][0]) + ", " + fmt_number(c["ci"][m][1]) + "]";
  return s;
}

std::string report_markdown(const json& r) {
  std::ostringstream o;
  o << "# iaf audit: " << r["audit"]["name"].get<std::string>() << "\n\n";
  o << "iaf " << r["tool"]["version"].get<std::string>() << ", report schema " << r["schema_version"].get<std::string>()
    << ". Pack sha256 `" << r["audit"]["pack_sha256"].get<std::string>() << "`, seed " << r["audit"]["seed"] << ", bootstrap B = "
    << r["audit"]["bootstrap"] << ", mode: " << r["audit"]["mode"].get<std::string>() << ".\n\n";
  o << "The metrics and bands are iaf's own reconstruction of the Independence-Assumption Footprint protocol "
       "(arXiv 2606.12433), defined in docs/metrics.md; they are not the paper's numbers.\n\n";

  o << "## Disclosure coverage\n\n| disclosure | combination | audited by | needed when unaudited |\n|---|---|---|---|\n";
  for (const auto& d : r["disclosures"]) {
    std::string by;
    for (size_t i = 0; i < d["checks"].size(); ++i)
      by += (i ? ", " : "") + d["checks"][i].get<std::string>() + " (" + d["statuses"][i].get<std::string>() + ")";
    o << "| " << md_cell(d["disclosure"]) << " | " << md_cell(joined(d["combination"], " × ")) << " | "
      << (by.empty() ? "no reference" : md_cell(by)) << " | " << (d["needed"].is_null() ? "" : md_cell(d["needed"])) << " |\n";
  }
  o << "\n## Summary\n\n| disclosure | check | type | verdict | deciding metric [95% CI] | coverage | min. detectable | sides |\n"
       "|---|---|---|---|---|---|---|---|\n";
  for (const auto& c : r["checks"])
    o << "| " << md_cell(c["disclosure"]) << " | " << md_cell(c["id"]) << " | " << c["type"].get<std::string>() << " | **"
      << c["status"].get<std::string>() << "**" << (c["mapping_dependent"].get<bool>() ? " (mapping-dependent)" : "") << " | "
      << md_cell(headline(c)) << " | " << fmt_number(c["coverage"]) << " | " << fmt_number(c["minimum_detectable"]) << " | "
      << md_cell(sides(c)) << " |\n";
  const auto& s = r["summary"];
  o << "\n" << s["pass"] << " pass, " << s["flag"] << " flag, " << s["fail"] << " fail, " << s["incomputable"] << " incomputable, "
    << s["not_applicable"] << " not applicable.\n\n## Findings\n";
  for (const auto& c : r["checks"]) {
    o << "\n### " << c["id"].get<std::string>() << " — " << c["status"].get<std::string>() << "\n\n";
    if (c.contains("description")) o << c["description"].get<std::string>() << "\n\n";
    o << c["reason"].get<std::string>() << "\n\n";
    o << "- sides: " << sides(c) << "\n";
    if (!c["coverage"].is_null()) {
      o << "- coverage: " << fmt_number(c["coverage"]);
      if (!c["metric_bounds"].is_null())
        o << " (deciding metric if the unmapped mass fell at either extreme: " << fmt_number(c["metric_bounds"][0]) << " … "
          << fmt_number(c["metric_bounds"][1]) << ")";
      o << "\n";
    }
    if (!c["by_variant"].empty()) {
      o << "- by crosswalk variant:";
      for (const auto& [v, st] : c["by_variant"].items()) o << " " << v << " → " << st.get<std::string>() << ";";
      o << (c["mapping_dependent"].get<bool>() ? " **mapping-dependent**" : " the variants agree") << "\n";
    }
    if (!c["standardised_status"].is_null())
      o << "- standardised verdict: " << c["standardised_status"].get<std::string>()
        << (c["standardised_status"] == c["status"] ? " (age-robust: crude and standardised agree)" : " (differs from the crude verdict)")
        << "\n";
    o << "- metrics:";
    int shown = 0;
    for (const auto& [k, v] : c["metrics"].items()) {
      if (shown++ >= 14) break;
      o << " " << k << " " << fmt_number(v) << (c["ci"].contains(k) ? " [" + fmt_number(c["ci"][k][0]) + ", " + fmt_number(c["ci"][k][1]) + "]" : "") << ";";
    }
    o << "\n";
    if (c["details"].contains("worst_cells")) {
      o << "- worst cells:";
      int n = 0;
      for (const auto& w : c["details"]["worst_cells"]) {
        if (n++ >= 3) break;
        o << " " << joined(w["cell"], " × ") << " (p " << fmt_number(w["p"]) << ", q " << fmt_number(w["q"]) << ");";
      }
      o << "\n";
    }
  }
  o << "\n## References\n\n| id | kind | publisher | table | vintage | universe | unit | n | licence | caveat |\n"
       "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& ref : r["references"])
    o << "| " << md_cell(ref["id"]) << " | " << ref["kind"].get<std::string>() << " | " << md_cell(ref["publisher"]) << " | "
      << md_cell(ref["table"]) << " | " << md_cell(ref["vintage"]) << " | " << md_cell(ref["universe"]) << " | "
      << md_cell(ref["unit"]) << " | " << fmt_number(ref["effective_n"]) << " | " << md_cell(ref["licence"]) << " | "
      << md_cell(ref["caveat"]) << " |\n";
  o << "\n## Thresholds\n\n| check type | metric | pass | flag | direction | why |\n|---|---|---|---|---|---|\n";
  for (const auto& b : r["thresholds"]["bands"])
    o << "| " << b["check_type"].get<std::string>() << " | " << b["metric"].get<std::string>() << " | " << fmt_number(b["pass"])
      << " | " << fmt_number(b["flag"]) << " | " << b["direction"].get<std::string>() << " | " << md_cell(b["why"]) << " |\n";
  o << "\nShare screening: τ = " << fmt_number(r["thresholds"]["share_screening"]["dominated_below"]) << ", δ = "
    << fmt_number(r["thresholds"]["share_screening"]["excess"]) << ". " << r["thresholds"]["noise_floor"].get<std::string>() << ".\n";
  o << "\n## Licences and attribution\n\n";
  for (const auto& l : r["licences"])
    o << "- " << l["what"].get<std::string>() << ": " << l["licence"].get<std::string>()
      << (l["source"].get<std::string>().empty() ? "" : " (" + l["source"].get<std::string>() + ")") << "\n";
  o << "\n## Inputs\n\n| role | path | bytes | fingerprint | rows |\n|---|---|---|---|---|\n";
  for (const auto& i : r["inputs"])
    o << "| " << md_cell(i["role"]) << " | " << md_cell(i["path"]) << " | " << i["bytes"] << " | `" << i["fingerprint"].get<std::string>()
      << "` | " << fmt_number(i["rows"]) << " |\n";
  return o.str();
}

std::string metrics_csv(const json& r) {
  std::ostringstream o;
  o << "check,type,status,metric,value,ci_lo,ci_hi,undefined_reason\n";
  for (const auto& c : r["checks"])
    for (const auto& [k, v] : c["metrics"].items()) {
      o << csv_field(c["id"]) << "," << c["type"].get<std::string>() << "," << c["status"].get<std::string>() << "," << csv_field(k) << ",";
      if (!v.is_null()) o << v.dump();
      o << ",";
      if (c["ci"].contains(k)) o << c["ci"][k][0].dump() << "," << c["ci"][k][1].dump();
      else o << ",";
      o << "," << (c["undefined"].contains(k) ? csv_field(c["undefined"][k]) : "") << "\n";
    }
  return o.str();
}

std::string junit_xml(const json& r, const std::string& fail_on) {
  int failures = 0, skipped = 0;
  std::ostringstream cases;
  for (const auto& c : r["checks"]) {
    std::string st = c["status"];
    cases << "  <testcase classname=\"" << svg::esc("iaf." + c["disclosure"].get<std::string>()) << "\" name=\""
          << svg::esc(c["id"].get<std::string>()) << "\">\n";
    if (checks::trips_fail_on(st, fail_on)) {
      ++failures;
      cases << "    <failure type=\"" << st << "\" message=\"" << svg::esc(headline(c)) << "\">" << svg::esc(c["reason"].get<std::string>()) << "</failure>\n";
    } else if (st == "incomputable" || st == "not_applicable") {
      ++skipped;
      cases << "    <skipped message=\"" << svg::esc(st + ": " + c["reason"].get<std::string>()) << "\"/>\n";
    }
    cases << "    <system-out>" << svg::esc(st + ": " + headline(c)) << "</system-out>\n  </testcase>\n";
  }
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"" << svg::esc("iaf: " + r["audit"]["name"].get<std::string>())
    << "\" tests=\"" << r["checks"].size() << "\" failures=\"" << failures << "\" skipped=\"" << skipped << "\" errors=\"0\">\n"
    << cases.str() << "</testsuite>\n";
  return o.str();
}

std::string summary_table(const json& r) {
  std::ostringstream o;
  o << "iaf audit: " << r["audit"]["name"].get<std::string>() << "\n";
  size_t w = 5;
  for (const auto& c : r["checks"]) w = std::max(w, c["id"].get<std::string>().size());
  o << fmt::format("  {:<{}}  {:<14}  {}\n", "check", w, "verdict", "deciding metric [95% CI]");
  for (const auto& c : r["checks"]) {
    std::string st = c["status"];
    if (c["mapping_dependent"].get<bool>()) st += "*";
    o << fmt::format("  {:<{}}  {:<14}  {}\n", c["id"].get<std::string>(), w, st, headline(c));
  }
  const auto& s = r["summary"];
  o << fmt::format("  {} pass, {} flag, {} fail, {} incomputable, {} not applicable", s["pass"].get<int>(), s["flag"].get<int>(),
                   s["fail"].get<int>(), s["incomputable"].get<int>(), s["not_applicable"].get<int>());
  bool any_dep = false;
  for (const auto& c : r["checks"]) any_dep = any_dep || c["mapping_dependent"].get<bool>();
  if (any_dep) o << " (* mapping-dependent)";
  o << "\n";
  return o.str();
}

}  // namespace iaf::report
