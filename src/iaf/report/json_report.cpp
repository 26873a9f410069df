#include "iaf/report/json_report.hpp"

#include <cmath>

#include "iaf/checks/comparison.hpp"
#include "iaf/checks/status.hpp"

namespace iaf::report {
namespace {

using json = nlohmann::ordered_json;

json number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json optional_number(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }

json check_json(const checks::CheckResult& r) {
  json c;
  c["id"] = r.id;
  c["type"] = r.type;
  c["disclosure"] = r.disclosure;
  if (!r.description.empty()) c["description"] = r.description;
  c["attributes"] = r.attributes;
  c["reference"] = r.reference;
  c["status"] = checks::status_name(r.status);
  c["reason"] = r.reason;
  c["deciding_metric"] = r.deciding_metric.empty() ? json(nullptr) : json(r.deciding_metric);
  if (r.band)
    c["band"] = {{"metric", r.band->metric},
                 {"direction", r.band->higher_is_better ? "higher is better" : "lower is better"},
                 {"pass", r.band->pass},
                 {"flag", r.band->flag}};
  else
    c["band"] = nullptr;
  json thresholds = json::object();
  for (const auto& [k, v] : r.thresholds) thresholds[k] = v;
  c["thresholds"] = thresholds;
  json metrics = json::object(), undefined = json::object();
  for (const auto& [name, m] : r.metrics) {
    metrics[name] = m.defined() ? number(*m) : json(nullptr);
    if (!m.defined()) undefined[name] = m.reason;
  }
  c["metrics"] = metrics;
  c["undefined"] = undefined;
  json ci = json::object();
  for (const auto& [name, iv] : r.ci) ci[name] = {number(iv.lo), number(iv.hi)};
  c["ci"] = ci;
  c["coverage"] = optional_number(r.coverage);
  c["metric_bounds"] = r.metric_bounds ? json{number(r.metric_bounds->first), number(r.metric_bounds->second)} : json(nullptr);
  c["minimum_detectable"] = optional_number(r.minimum_detectable);
  c["sides"] = {{"synthetic", {{"name", r.synthetic.name}, {"universe", r.synthetic.universe}, {"vintage", r.synthetic.vintage}}},
                {"reference", {{"name", r.reference_side.name}, {"universe", r.reference_side.universe}, {"vintage", r.reference_side.vintage}}}};
  json by_variant = json::object();
  for (const auto& [v, s] : r.by_variant) by_variant[v] = checks::status_name(s);
  c["by_variant"] = by_variant;
  c["mapping_dependent"] = r.mapping_dependent;
  c["standardised_status"] = r.standardised_status ? json(checks::status_name(*r.standardised_status)) : json(nullptr);
  c["details"] = r.details;
  return c;
}

json reference_json(const pack::AuditPack& pack, const pack::Reference& r) {
  json j;
  j["id"] = r.id;
  j["kind"] = pack::reference_kind_name(r.kind);
  j["publisher"] = r.publisher;
  j["table"] = r.table;
  j["vintage"] = r.vintage;
  j["universe"] = r.universe;
  j["unit"] = r.unit;
  j["measure"] = r.measure;
  j["scale"] = r.scale;
  j["sample_size"] = optional_number(r.sample_size);
  j["sample_unit"] = r.sample_unit;
  j["design_effect"] = optional_number(r.design_effect);
  j["persons_per_unit"] = optional_number(r.persons_per_unit);
  j["effective_n"] = r.is_survey() ? number(r.effective_n()) : json(nullptr);
  j["licence"] = r.licence;
  j["caveat"] = r.caveat;
  j["url"] = r.url;
  j["citation"] = r.citation;
  j["file"] = r.file.empty() ? json(nullptr) : json(display_path(pack, r.file.string()));
  j["sha256"] = r.sha256_actual.empty() ? json(nullptr) : json(r.sha256_actual);
  j["sha256_declared"] = r.sha256_declared.empty() ? json(nullptr) : json(r.sha256_declared);
  j["sha256_changed"] = r.sha256_changed;
  j["rows"] = r.file.empty() ? json(nullptr) : json(r.rows);
  json columns = json::object();
  for (const auto& [a, col] : r.columns) columns[a] = col;
  if (!r.count_column.empty()) columns["count"] = r.count_column;
  j["columns"] = columns;
  json st = json::array();
  for (const auto& s : r.statements) st.push_back({{"id", s.id}, {"text", s.text}, {"source", s.source}});
  j["statements"] = st;
  json up = json::array();
  for (const auto& u : r.upstream) up.push_back({{"file", u.file}, {"sha256", u.sha256}, {"origin", u.origin}});
  j["upstream"] = up;
  return j;
}

json thresholds_json() {
  json bands = json::array();
  for (const auto& b : checks::default_bands())
    bands.push_back({{"check_type", b.check_type},
                     {"metric", b.metric},
                     {"direction", b.higher_is_better ? "higher is better" : "lower is better"},
                     {"pass", b.pass},
                     {"flag", b.flag},
                     {"why", b.why}});
  return {{"bands", bands},
          {"share_screening", {{"dominated_below", checks::kDominatedBelow}, {"excess", checks::kExcess}}},
          {"rule", {{"min_compliance", checks::kMinCompliance}}},
          {"bounds", "a stratum fails when its Wilson 95% interval lies outside its bounds, is flagged when the interval straddles a bound"},
          {"cells", {{"min_expected", checks::kCellMinExpected}, {"bh_alpha", checks::kCellAlpha},
                     {"min_relative_deviation", checks::kCellMinRelative}, {"min_absolute_deviation", checks::kCellMinAbsolute}}},
          {"noise_floor", "a check fails only above max(threshold, the noise floor's 95th percentile)"}};
}

}  // namespace

json summary_of(const json& checks) {
  json s = {{"pass", 0}, {"flag", 0}, {"fail", 0}, {"incomputable", 0}, {"not_applicable", 0}};
  for (const auto& c : checks) s[c["status"].get<std::string>()] = s[c["status"].get<std::string>()].get<int>() + 1;
  return s;
}

json report_json(const AuditRun& run) {
  const auto& pack = run.pack;
  json doc;
  doc["schema_version"] = kSchemaVersion;
  doc["tool"] = {{"name", "iaf"}, {"version", run.tool_version}};
  doc["generated_at"] = run.generated_at;
  doc["audit"] = {{"name", pack.audit.name},
                  {"locale", pack.audit.locale},
                  {"description", pack.audit.description},
                  {"pack_sha256", pack_sha256(run.pack_files)},
                  {"seed", run.seed},
                  {"bootstrap", run.bootstrap},
                  {"mode", run.counts.mode},
                  {"dataset", {{"name", pack.dataset.name},
                               {"revision", pack.dataset.revision},
                               {"universe", pack.dataset.universe},
                               {"vintage", pack.dataset.vintage},
                               {"licence", pack.dataset.licence},
                               {"source", pack.dataset.source},
                               {"override", run.dataset_override.empty() ? json(nullptr) : json(run.dataset_override)},
                               {"rows_scanned", run.counts.mode == "rows" ? json(run.counts.rows) : json(nullptr)}}}};
  json inputs = json::array();
  for (const auto& f : run.counts.inputs)
    inputs.push_back({{"role", f.role}, {"path", display_path(pack, f.path)}, {"bytes", f.bytes}, {"fingerprint", f.fingerprint},
                      {"rows", f.rows >= 0 ? json(f.rows) : json(nullptr)}});
  for (const auto& f : run.pack_files)
    inputs.push_back({{"role", f.role}, {"path", f.path}, {"bytes", f.bytes}, {"fingerprint", f.fingerprint}, {"rows", nullptr}});
  doc["inputs"] = inputs;
  json refs = json::array();
  for (const auto& r : pack.references) refs.push_back(reference_json(pack, r));
  doc["references"] = refs;
  json cws = json::array();
  for (const auto& c : pack.crosswalks) {
    json variants = json::array();
    for (size_t i = 0; i < c.variants.size(); ++i)
      variants.push_back({{"name", c.variants[i].first},
                          {"file", display_path(pack, c.variants[i].second.string())},
                          {"sha256", c.loaded[i].sha256},
                          {"rows", c.loaded[i].rows}});
    std::string policy = c.unmapped == pack::UnmappedPolicy::report ? "report"
                         : c.unmapped == pack::UnmappedPolicy::error ? "error"
                                                                     : "as:" + c.unmapped_label;
    cws.push_back({{"id", c.id}, {"default_variant", c.default_variant}, {"variants", variants}, {"unmapped", policy},
                   {"min_coverage", c.min_coverage}});
  }
  doc["crosswalks"] = cws;
  doc["thresholds"] = thresholds_json();
  json coverage = json::array();
  for (const auto& row : run.coverage) {
    const auto& d = pack.disclosure(row.disclosure);
    coverage.push_back({{"disclosure", row.disclosure},
                        {"quote", d.quote},
                        {"source", d.source},
                        {"combination", row.combination},
                        {"checks", row.checks},
                        {"statuses", row.statuses},
                        {"audited", !row.checks.empty()},
                        {"needed", row.checks.empty() ? json(row.needed) : json(nullptr)}});
  }
  doc["disclosures"] = coverage;
  json checks = json::array();
  for (const auto& r : run.results) checks.push_back(check_json(r));
  doc["checks"] = checks;
  doc["summary"] = summary_of(doc["checks"]);
  json licences = json::array();
  licences.push_back({{"what", "dataset: " + pack.dataset.name}, {"licence", pack.dataset.licence}, {"source", pack.dataset.source}});
  for (const auto& r : pack.references)
    licences.push_back({{"what", "reference " + r.id + ": " + r.publisher}, {"licence", r.licence}, {"source", r.url.empty() ? r.citation : r.url}});
  doc["licences"] = licences;
  return doc;
}

}  // namespace iaf::report
