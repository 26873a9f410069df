#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "iaf/cli/audit.hpp"
#include "iaf/cli/commands.hpp"
#include "iaf/cli/progress_line.hpp"
#include "iaf/core/error.hpp"
#include "iaf/report/text_reports.hpp"

namespace iaf::cli {

void add_pack_options(CLI::App* cmd, pack::LoadOptions& load) {
  cmd->add_flag("--allow-outside-pack", load.allow_outside_pack, "let the pack name files outside its folder");
  cmd->add_flag("--accept-changed-references", load.accept_changed_references,
                "use references whose sha256 differs from the manifest, and record it in the report");
  // Limits against hostile packs (docs/pack-format.md, Limits); a pack cannot raise its own.
  pack::Limits& l = load.limits;
  cmd->add_option("--max-pack-bytes", l.max_pack_bytes, "largest audit.toml accepted")->capture_default_str()->group("Limits");
  cmd->add_option("--max-crosswalk-rows", l.max_crosswalk_rows, "largest crosswalk file, in rows")->capture_default_str()->group("Limits");
  cmd->add_option("--max-reference-rows", l.max_reference_rows, "largest reference file, in rows")->capture_default_str()->group("Limits");
  cmd->add_option("--max-checks", l.max_checks, "most checks in one pack")->capture_default_str()->group("Limits");
  cmd->add_option("--max-cardinality", l.max_cardinality, "most distinct labels of one attribute")->capture_default_str()->group("Limits");
  cmd->add_option("--max-expression-length", l.expression.max_length, "longest expression, in bytes")->capture_default_str()->group("Limits");
  cmd->add_option("--max-expression-depth", l.expression.max_depth, "deepest expression tree")->capture_default_str()->group("Limits");
}

Action add_audit(CLI::App& app) {
  auto o = std::make_shared<AuditOptions>();
  auto formats = std::make_shared<std::string>("json,md,html,csv");
  auto hash = std::make_shared<std::string>("xxh3");
  auto kernel = std::make_shared<std::string>("fast");
  auto seed = std::make_shared<int64_t>(-1);
  CLI::App* cmd = app.add_subcommand("audit", "audit a dataset with a pack; writes report.json, report.md, report.html, metrics.csv");
  cmd->add_option("PACK", o->pack, "the pack folder or its audit.toml")->required();
  cmd->add_option("--out", o->out, "output directory (default out/<pack folder>)");
  cmd->add_option("--format", *formats, "comma-separated: json,md,html,csv,junit")->capture_default_str();
  cmd->add_option("--threads", o->threads, "threads for scanning and resampling (default: all cores)");
  cmd->add_option("--seed", *seed, "resampling seed (default: the pack's [audit] seed)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--bootstrap", o->bootstrap, "bootstrap replicates B (0 turns the uncertainty off)")->capture_default_str();
  cmd->add_option("--fail-on", o->fail_on, "exit 1 when a check is at or above: fail, flag, incomputable")->capture_default_str();
  cmd->add_option("--dataset", o->dataset, "audit these rows instead (a file or glob, e.g. 'train-*.parquet')");
  cmd->add_option("--counts", o->counts, "audit these counts tables instead");
  cmd->add_option("--hash", *hash, "input fingerprint: xxh3 (XXH3-128) or sha256")->capture_default_str();
  cmd->add_option("--kernel", *kernel, "counting kernel: fast or reference (the first implementation, kept as the oracle)");
  cmd->add_flag("--quiet", o->quiet, "no progress and no summary on the terminal");
  cmd->add_flag("--timings", o->timings, "print each stage's wall time (load, count, checks, report) on stderr");
  add_pack_options(cmd, o->load);
  return [=] {
    AuditOptions opts = *o;
    opts.formats.clear();
    std::string f = *formats;
    for (size_t start = 0; start <= f.size();) {
      size_t comma = f.find(',', start);
      if (comma == std::string::npos) comma = f.size();
      if (comma > start) opts.formats.push_back(f.substr(start, comma - start));
      start = comma + 1;
    }
    if (*hash != "xxh3" && *hash != "sha256") throw PackError("--hash must be xxh3 or sha256");
    opts.hash = *hash == "sha256" ? count::Fingerprint::sha256 : count::Fingerprint::xxh3;
    if (*kernel != "fast" && *kernel != "reference") throw PackError("--kernel must be fast or reference");
    opts.kernel = *kernel == "reference" ? count::Kernel::reference : count::Kernel::fast;
    if (*seed >= 0) opts.seed = static_cast<uint64_t>(*seed);
    // The meter is for a person watching: never in a pipe, a log or a CI transcript.
    std::unique_ptr<ProgressLine> meter;
    if (!opts.quiet && isatty(fileno(stderr))) {
      meter = std::make_unique<ProgressLine>(stderr);
      opts.progress = [m = meter.get()](uint64_t rows, double percentage) { m->update(rows, percentage); };
    }
    AuditOutcome out = run_audit(opts);
    if (meter) meter->finish();
    if (opts.timings) std::cerr << timings_line(out) << "\n";
    if (!opts.quiet) std::cout << report::summary_table(out.report) << "reports: " << out.out.string() << "\n";
    return out.exit_code;
  };
}

}  // namespace iaf::cli
