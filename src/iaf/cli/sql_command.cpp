// `iaf sql PACK --dialect duckdb|spark|trino|bigquery`: the counting pass as SQL for another engine.
#include <iostream>
#include <memory>

#include "iaf/cli/audit.hpp"
#include "iaf/cli/commands.hpp"
#include "iaf/core/error.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/count/sql_export.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::cli {
namespace fs = std::filesystem;

Action add_sql(CLI::App& app) {
  auto pack_path = std::make_shared<fs::path>();
  auto dialect = std::make_shared<std::string>("duckdb");
  auto table = std::make_shared<std::string>();
  auto numeric = std::make_shared<std::vector<std::string>>();
  auto text = std::make_shared<std::vector<std::string>>();
  auto sets = std::make_shared<bool>(false);
  auto load = std::make_shared<pack::LoadOptions>();
  CLI::App* cmd = app.add_subcommand("sql", "print the counting pass as SQL; save its result as a counts file for `iaf audit --counts`");
  cmd->add_option("PACK", *pack_path, "the pack folder or its audit.toml")->required();
  cmd->add_option("--dialect", *dialect, "duckdb, spark, trino or bigquery")->capture_default_str();
  cmd->add_option("--table", *table, "the table holding the rows (e.g. warehouse.personas); default for duckdb: the pack's dataset files");
  cmd->add_option("--numeric", *numeric, "columns that are numeric (default: the types of the pack's dataset files)")->delimiter(',');
  cmd->add_option("--text", *text, "columns that are text (default: the types of the pack's dataset files)")->delimiter(',');
  cmd->add_flag("--grouping-sets", *sets, "one GROUPING SETS query instead of one GROUP BY per grouping");
  add_pack_options(cmd, *load);
  return [=] {
    count::SqlExportOptions o;
    if (*dialect == "duckdb") o.dialect = SqlDialect::duckdb;
    else if (*dialect == "spark") o.dialect = SqlDialect::spark;
    else if (*dialect == "trino") o.dialect = SqlDialect::trino;
    else if (*dialect == "bigquery") o.dialect = SqlDialect::bigquery;
    else throw PackError("--dialect must be duckdb, spark, trino or bigquery");
    o.grouping_sets = *sets;
    pack::AuditPack pack = pack::load_pack(*pack_path, *load);
    count::Plan plan = count::plan_counts(pack);
    // Column types: from the pack's rows when they are here, then the flags.
    count::Schema schema;
    std::vector<fs::path> files;
    if (pack.dataset.path) {
      try {
        files = source::expand_glob(*pack.dataset.path, pack.root);
      } catch (const DataError&) {
        if (numeric->empty() && text->empty()) throw;
      }
    }
    if (!files.empty()) {
      source::DuckConfig cfg{.threads = 1};
      for (const auto& f : files) cfg.allowed_paths.push_back(f.string());
      source::Duck duck(cfg);
      for (const auto& c : source::RowSource(files).columns(duck)) schema[c.name] = c.numeric;
    }
    for (const auto& c : *numeric) schema[c] = true;
    for (const auto& c : *text) schema[c] = false;
    if (schema.empty())
      throw PackError("iaf sql: no column types: the pack has no row files here; name the columns with --numeric and --text");
    if (!table->empty()) {
      o.from = count::quoted_table(*table, o.dialect);
    } else if (o.dialect == SqlDialect::duckdb && !files.empty()) {
      o.from = source::RowSource(files).relation();
    } else {
      throw PackError("iaf sql: name the table holding the rows with --table");
    }
    count::Identifiers ids(pack, schema, table->empty() ? "dataset" : *table);
    std::cout << count::counting_sql(pack, plan, ids, o);
    return 0;
  };
}

}  // namespace iaf::cli
