#include "iaf/cli/audit.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <thread>

#include "iaf/checks/checks.hpp"
#include "iaf/checks/disclosure_coverage.hpp"
#include "iaf/checks/status.hpp"
#include "iaf/core/error.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/report/html_report.hpp"
#include "iaf/report/json_report.hpp"
#include "iaf/report/output_files.hpp"
#include "iaf/report/text_reports.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::cli {
namespace fs = std::filesystem;

int exit_code_for(const nlohmann::ordered_json& report, const std::string& fail_on) {
  bool hit = false;
  for (const auto& c : report["checks"]) hit = hit || checks::trips_fail_on(c["status"].get<std::string>(), fail_on);
  return hit ? static_cast<int>(ExitCode::findings) : static_cast<int>(ExitCode::ok);
}

pack::AuditPack load_for_run(const AuditOptions& options) {
  pack::AuditPack pack = pack::load_pack(options.pack, options.load);
  if (!options.dataset.empty() && !options.counts.empty())
    throw PackError("give --dataset (rows) or --counts (tables), not both");
  if (!options.dataset.empty()) {
    pack.dataset.path = fs::absolute(options.dataset).string();
    pack.dataset.counts.clear();
  }
  if (!options.counts.empty()) {
    pack.dataset.path.reset();
    pack.dataset.counts.clear();
    for (const auto& c : options.counts) {
      if (!fs::exists(c)) throw DataError(c + ": counts table not found (--counts)");
      pack::CountsSpec spec;
      spec.file = fs::weakly_canonical(c);
      pack.dataset.counts.push_back(spec);
    }
  }
  return pack;
}

unsigned worker_threads(const AuditOptions& options) {
  return options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
}

count::Counts count_for(const pack::AuditPack& pack, const count::Plan& plan, const AuditOptions& options,
                        const std::shared_ptr<count::Fingerprints>& fingerprints) {
  unsigned threads = worker_threads(options);
  if (pack.dataset.path) {
    count::RowOptions ro;
    fs::path base = options.dataset.empty() ? pack.root : fs::current_path();
    ro.files = source::expand_glob(*pack.dataset.path, base);
    if (options.dataset.empty() && !options.load.allow_outside_pack)
      for (const auto& f : ro.files) pack::resolve_in_pack(pack.root, f.string(), false, "[dataset] path");
    ro.threads = threads;
    ro.hash = options.hash;
    ro.kernel = options.kernel;
    ro.progress = options.progress;
    if (fingerprints && fingerprints->files() == ro.files) ro.fingerprints = fingerprints;
    return count::count_rows(pack, plan, ro);
  }
  return count::count_tables(pack, plan, pack.dataset.counts, threads, options.hash);
}

namespace {

std::string utc_now() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

AuditOutcome run_audit(const AuditOptions& options) {
  if (options.formats.empty()) throw PackError("--format: name at least one of json, md, html, csv, junit");
  for (const auto& f : options.formats)
    if (f != "json" && f != "md" && f != "html" && f != "csv" && f != "junit")
      throw PackError("--format: unknown format '" + f + "' (json, md, html, csv, junit)");
  if (options.fail_on != "fail" && options.fail_on != "flag" && options.fail_on != "incomputable")
    throw PackError("--fail-on must be fail, flag or incomputable");

  unsigned threads = worker_threads(options);
  // --dataset names the files before the pack is read: their hashing starts now, beside the load.
  // A glob that matches nothing is reported later, in the order of the usual checks.
  std::shared_ptr<count::Fingerprints> fingerprints;
  if (!options.dataset.empty() && options.counts.empty()) {
    try {
      fingerprints = std::make_shared<count::Fingerprints>(source::expand_glob(options.dataset, fs::current_path()),
                                                           options.hash, threads > 1);
    } catch (const DataError&) {
    }
  }
  AuditOutcome outcome;
  auto stage_start = std::chrono::steady_clock::now();
  auto stage = [&](const char* name) {
    auto now = std::chrono::steady_clock::now();
    outcome.stages.emplace_back(name, std::chrono::duration<double>(now - stage_start).count());
    stage_start = now;
  };
  pack::AuditPack pack = load_for_run(options);
  count::Plan plan = count::plan_counts(pack);
  stage("load");
  count::Counts counts = count_for(pack, plan, options, fingerprints);
  stage("count");
  if (fingerprints) outcome.fingerprint_seconds = fingerprints->seconds();

  checks::CheckContext ctx{pack, plan, counts, {options.seed.value_or(pack.audit.seed), options.bootstrap, threads}};
  report::AuditRun run{pack, counts, checks::run_checks(ctx), {}, report::pack_inputs(pack)};
  stage("checks");
  run.coverage = checks::disclosure_coverage(pack, run.results);
  run.seed = ctx.resampling.seed;
  run.bootstrap = options.bootstrap;
  run.generated_at = utc_now();
  run.tool_version = IAF_VERSION;
  if (!options.dataset.empty()) run.dataset_override = "--dataset " + options.dataset;
  for (const auto& c : options.counts) run.dataset_override += (run.dataset_override.empty() ? "--counts " : " ") + c;

  outcome.report = report::report_json(run);
  outcome.exit_code = exit_code_for(outcome.report, options.fail_on);
  outcome.out = options.out.empty() ? fs::path("out") / pack.root.filename() : options.out;
  if (options.write) {
    std::map<std::string, std::string> files;
    for (const auto& f : options.formats) {
      if (f == "json") files["report.json"] = outcome.report.dump(1) + "\n";
      if (f == "md") files["report.md"] = report::report_markdown(outcome.report);
      if (f == "html") files["report.html"] = report::report_html(outcome.report);
      if (f == "csv") files["metrics.csv"] = report::metrics_csv(outcome.report);
      if (f == "junit") files["report.junit.xml"] = report::junit_xml(outcome.report, options.fail_on);
    }
    report::write_outputs(outcome.out, files);
  }
  stage("report");
  return outcome;
}

std::string timings_line(const AuditOutcome& outcome) {
  std::string line = "timings:";
  double total = 0;
  char buf[64];
  for (const auto& [name, seconds] : outcome.stages) {
    std::snprintf(buf, sizeof buf, " %s %.4f s,", name.c_str(), seconds);
    line += buf;
    total += seconds;
  }
  std::snprintf(buf, sizeof buf, " total %.4f s", total);
  line += buf;
  if (outcome.fingerprint_seconds) {
    std::snprintf(buf, sizeof buf, "; fingerprint %.4f s on its own thread", *outcome.fingerprint_seconds);
    line += buf;
  }
  return line;
}

}  // namespace iaf::cli
