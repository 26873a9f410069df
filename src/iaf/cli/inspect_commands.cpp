// `iaf validate`, `iaf profile` and `iaf crosswalk check`: the commands that look at a pack or a
// dataset without auditing it.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <thread>

#include "iaf/checks/alignment.hpp"
#include "iaf/cli/audit.hpp"
#include "iaf/cli/commands.hpp"
#include "iaf/core/error.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/count/scan_projection.hpp"
#include "iaf/source/profile.hpp"

namespace iaf::cli {
namespace fs = std::filesystem;

Action add_validate(CLI::App& app) {
  auto o = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand("validate", "check a pack: schema, ids, paths, sha256s, expressions, and the dataset's columns");
  cmd->add_option("PACK", o->pack, "the pack folder or its audit.toml")->required();
  cmd->add_option("--dataset", o->dataset, "validate against these rows instead");
  cmd->add_option("--counts", o->counts, "validate against these counts tables instead");
  add_pack_options(cmd, o->load);
  return [=] {
    pack::AuditPack pack = load_for_run(*o);
    count::Plan plan = count::plan_counts(pack);
    size_t changed = 0;
    for (const auto& r : pack.references) changed += r.sha256_changed;
    std::string verified = changed ? std::to_string(changed) + " with a changed sha256, accepted by --accept-changed-references"
                                   : "sha256 verified";
    std::cout << fmt::format("pack {}: {} disclosures, {} attributes, {} crosswalks, {} references ({}), {} checks\n",
                             pack.audit.name, pack.disclosures.size(), pack.attributes.size(), pack.crosswalks.size(),
                             pack.references.size(), verified, pack.checks.size());
    if (pack.dataset.path) {
      auto files = source::expand_glob(*pack.dataset.path, o->dataset.empty() ? pack.root : fs::current_path());
      if (o->dataset.empty() && !o->load.allow_outside_pack)  // as audit does
        for (const auto& f : files) pack::resolve_in_pack(pack.root, f.string(), false, "[dataset] path");
      source::DuckConfig cfg{.threads = 1};
      for (const auto& f : files) cfg.allowed_paths.push_back(f.string());
      source::Duck duck(cfg);
      source::RowSource src(files);
      count::Schema schema;
      for (const auto& c : src.columns(duck)) schema[c.name] = c.numeric;
      count::Identifiers ids(pack, schema, files[0].string());
      auto proj = count::scan_projection(pack, plan, ids);
      std::cout << fmt::format("rows: {} file(s); {} groupings from one scan of {} projected columns\n", files.size(),
                               plan.groupings.size(), proj.column_sql.size());
    } else {
      auto counts = count_for(pack, plan, *o);
      size_t missing = 0;
      for (size_t g = 0; g < plan.groupings.size(); ++g)
        if (!counts.groupings[g].missing.empty()) {
          ++missing;
          std::cout << "  not served: " << plan.groupings[g].describe() << ": " << counts.groupings[g].missing << "\n";
        }
      std::cout << fmt::format("counts: {} table(s); {} of {} groupings served ({} not: the checks that need them will be incomputable)\n",
                               pack.dataset.counts.size(), plan.groupings.size() - missing, plan.groupings.size(), missing);
    }
    std::cout << "ok\n";
    return 0;
  };
}

Action add_profile(CLI::App& app) {
  auto data = std::make_shared<std::string>();
  auto columns = std::make_shared<std::vector<std::string>>();
  auto top = std::make_shared<size_t>(10);
  CLI::App* cmd = app.add_subcommand("profile", "each column's type, distinct count, missing share and top values");
  cmd->add_option("DATA", *data, "a data file or glob (parquet, csv, tsv, jsonl, json)")->required();
  cmd->add_option("--columns", *columns, "only these columns")->delimiter(',');
  cmd->add_option("--top", *top, "values to list per column")->capture_default_str();
  return [=] {
    auto files = source::expand_glob(*data, fs::current_path());
    source::DuckConfig cfg{.threads = std::max(1u, std::thread::hardware_concurrency())};
    for (const auto& f : files) cfg.allowed_paths.push_back(f.string());
    source::Duck duck(cfg);
    source::RowSource src(files);
    for (const auto& p : source::profile(duck, src, *columns, *top)) {
      std::cout << fmt::format("{} ({}): {} rows, {} distinct, {:.2f}% missing", p.name, p.type, p.rows, p.distinct,
                               p.rows ? 100.0 * p.missing / p.rows : 0.0);
      if (p.min) std::cout << fmt::format(", range {} … {}", *p.min, *p.max);
      std::cout << "\n";
      for (const auto& [v, n] : p.top) {
        std::string shown = v.size() > 80 ? v.substr(0, 77) + "..." : v;
        std::cout << fmt::format("    {:>10}  {}\n", n, shown);
      }
    }
    return 0;
  };
}

Action add_crosswalk(CLI::App& app) {
  auto o = std::make_shared<AuditOptions>();
  CLI::App* cmd = app.add_subcommand("crosswalk", "crosswalk tools");
  cmd->require_subcommand(1);
  CLI::App* check = cmd->add_subcommand("check", "coverage of every crosswalk variant by the dataset's mass, and the unmapped labels by mass");
  check->add_option("PACK", o->pack, "the pack folder or its audit.toml")->required();
  check->add_option("--dataset", o->dataset, "measure on these rows instead");
  check->add_option("--counts", o->counts, "measure on these counts tables instead");
  add_pack_options(check, o->load);
  Action suggest = add_crosswalk_suggest(cmd);
  return [=] {
    if (cmd->get_subcommands().front()->get_name() == "suggest") return suggest();
    pack::AuditPack pack = load_for_run(*o);
    count::Plan plan = count::plan_counts(pack);
    auto counts = count_for(pack, plan, *o);
    for (const auto& c : pack.checks) {
      bool crosswalked = false;
      for (const auto& a : c.attributes) crosswalked = crosswalked || !pack.attribute(a).crosswalk.empty();
      if (!crosswalked || c.type == pack::CheckType::rule || c.type == pack::CheckType::bounds) continue;
      const auto& g = counts.groupings.at(plan.check_grouping.at(c.id));
      std::cout << "check " << c.id << (c.universe_text.empty() ? "" : " (where " + c.universe_text + ")") << "\n";
      if (!g.missing.empty()) {
        std::cout << "  incomputable: " << g.missing << "\n";
        continue;
      }
      std::vector<std::string> variants;
      for (const auto& a : c.attributes)
        if (!pack.attribute(a).crosswalk.empty())
          for (const auto& [v, f] : pack.crosswalk(pack.attribute(a).crosswalk).variants)
            variants.push_back(pack.attribute(a).crosswalk + ":" + v);
      for (const auto& v : variants) {
        checks::Alignment al(g.table, pack.reference(c.reference).masses.marginal(c.attributes), pack,
                             checks::variants_for(pack, {v}));
        double total = al.total(al.raw());
        std::cout << fmt::format("  {}: coverage {:.4f} of {} ({} unmapped labels)\n", v, al.coverage(), total,
                                 al.unmapped_labels().size());
        for (size_t i = 0; i < al.unmapped_labels().size() && i < 15; ++i) {
          const auto& [dim, label, mass] = al.unmapped_labels()[i];
          std::cout << fmt::format("      {:>12}  {:6.3f}%  {}\n", mass, 100 * mass / total, label);
        }
      }
    }
    return 0;
  };
}

}  // namespace iaf::cli
