// iaf_bench_sql PACK FILE: the benchmark's baseline queries, derived from the pack by iaf's own
// plan (count::plan_counts) and expression-to-SQL translation, so that the baselines read exactly
// the columns and count exactly the groupings that `iaf audit PACK --dataset FILE` does. Prints JSON:
//
//   columns          the raw columns the plan reads (attributes, indicators, universes)
//   id_column        the id column iaf also reads (for a rule check's example rows), or ""
//   relation         the DuckDB table function iaf reads FILE with (same CSV options)
//   scan_sql         SELECT sum(hash(columns…)) FROM relation: the bare scan
//   scan_id_sql      the same with the id column too
//   grouping_sets_sql  one query: every grouping of the plan as a GROUPING SET, a universe as one
//                    more key (its 1/0 flag), bins as CASE, crosswalked attributes by raw column
//   groupings        each grouping's description and dimensions
//   counts_tables    per grouping: a counts table (scope = the grouping's universe) that serves it
//                    in counts mode: {name, scope, sql} (sql writes nothing; wrap it in COPY)
//
// The SQL reads columns as they are (no CAST, no NFC normalisation): what one would write by hand,
// and the cheapest form, so the baselines are as fast as DuckDB makes them.
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "iaf/core/label.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/count/scan_projection.hpp"
#include "iaf/pack/expression_sql.hpp"
#include "iaf/pack/pack.hpp"
#include "iaf/source/dataset.hpp"
#include "iaf/source/duck.hpp"

using namespace iaf;

namespace {

struct Sql {
  const pack::AuditPack& pack;
  const count::Schema& schema;

  bool numeric(const std::string& c) const {
    auto it = schema.find(c);
    return it != schema.end() && it->second;
  }
  std::string column(const std::string& c) const { return quote_identifier(c); }
  std::string attribute(const pack::Attribute& a) const {
    return pack::attribute_label_sql(a, [&](const std::string& c) { return column(c); },
                                     [&](const std::string& c) { return numeric(c); }, SqlDialect::duckdb);
  }
  std::string identifier(const std::string& id) const {
    if (const pack::Attribute* a = pack.find_attribute(id)) return attribute(*a);
    return column(id);
  }
  std::string expr(const pack::Expr& e) const {
    return pack::to_sql(e, [&](const std::string& id) { return identifier(id); }, SqlDialect::duckdb);
  }
  std::string indicator(const pack::Expr& e) const {
    std::string s = expr(e);
    return "CASE WHEN (" + s + ") IS NULL THEN " + quote_literal(std::string(kMissingLabel)) + " WHEN " + s + " THEN '" +
           count::kTrueLabel + "' ELSE '" + count::kFalseLabel + "' END";
  }
};

void attribute_reads(const pack::Attribute& a, std::set<std::string>& out) {
  for (const auto& c : a.reads()) out.insert(c);
}

void expression_reads(const pack::AuditPack& pack, const pack::Expr& e, std::set<std::string>& out) {
  for (const auto& id : pack::identifiers(e)) {
    if (const pack::Attribute* a = pack.find_attribute(id)) attribute_reads(*a, out);
    else out.insert(id);
  }
}

// A counts-table column that holds attribute `a`: its raw column when it is a plain or crosswalked
// column (crosswalks apply after counting), otherwise its label under the attribute's name.
std::pair<std::string, std::string> counts_column(const pack::Attribute& a, const Sql& sql) {
  bool plain = a.kind() == pack::Attribute::Kind::column && a.map.empty();
  if (plain) return {a.column, sql.column(a.column)};
  return {a.name, sql.attribute(a)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: iaf_bench_sql PACK FILE\n";
    return 2;
  }
  try {
    pack::AuditPack pack = pack::load_pack(argv[1]);
    count::Plan plan = count::plan_counts(pack);
    std::filesystem::path file = std::filesystem::absolute(argv[2]);
    source::Duck duck(source::DuckConfig{.threads = 1, .allowed_paths = {file.string()}});
    source::RowSource src({file});
    count::Schema schema;
    for (const auto& c : src.columns(duck)) schema[c.name] = c.numeric;
    count::Identifiers ids(pack, schema, file.string());
    count::scan_projection(pack, plan, ids);  // validates the plan against the file, as iaf does
    Sql sql{pack, schema};
    std::string relation = src.relation(file);

    std::set<std::string> reads;
    nlohmann::ordered_json groupings = nlohmann::ordered_json::array();
    std::vector<std::string> dim_names, dim_sql, universe_sql;
    std::map<std::string, size_t> dim_index, universe_index;
    std::vector<std::string> sets;
    nlohmann::ordered_json tables = nlohmann::ordered_json::array();
    for (size_t gi = 0; gi < plan.groupings.size(); ++gi) {
      const auto& g = plan.groupings[gi];
      std::vector<std::string> keys;
      nlohmann::ordered_json dims = nlohmann::ordered_json::array();
      std::map<std::string, std::string> table_columns;  // counts-table column → SQL
      for (const auto& d : g.dims) {
        std::string s;
        if (d.kind == count::Dim::attribute) {
          const pack::Attribute& a = pack.attribute(d.name);
          attribute_reads(a, reads);
          s = sql.attribute(a);
          table_columns.insert(counts_column(a, sql));
        } else {
          const auto& e = *plan.indicators.at(d.name).expr;
          expression_reads(pack, e, reads);
          s = sql.indicator(e);
          for (const auto& id : pack::identifiers(e)) {
            if (const pack::Attribute* a = pack.find_attribute(id)) table_columns.insert(counts_column(*a, sql));
            else table_columns.emplace(id, sql.column(id));
          }
        }
        auto [it, fresh] = dim_index.emplace(d.name, dim_names.size());
        if (fresh) {
          dim_names.push_back(d.name);
          dim_sql.push_back(s);
        }
        keys.push_back("d" + std::to_string(it->second));
        dims.push_back({{"name", d.name}, {"kind", d.kind == count::Dim::attribute ? "attribute" : "indicator"}, {"sql", s}});
      }
      std::string where;
      if (!g.universe.empty()) {
        const auto& u = *plan.universes.at(g.universe);
        expression_reads(pack, u, reads);
        where = sql.expr(u);
        auto [it, fresh] = universe_index.emplace(g.universe, universe_sql.size());
        if (fresh) universe_sql.push_back("CASE WHEN " + where + " THEN 1 ELSE 0 END");
        keys.insert(keys.begin(), "u" + std::to_string(it->second));
      }
      std::string set;
      for (const auto& k : keys) set += (set.empty() ? "" : ", ") + k;
      sets.push_back("(" + set + ")");
      groupings.push_back({{"describe", g.describe()}, {"universe", g.universe}, {"dims", dims}});
      std::string select;
      for (const auto& [name, s] : table_columns) select += (s == quote_identifier(name) ? s : s + " AS " + quote_identifier(name)) + ", ";
      tables.push_back({{"name", "grouping_" + std::to_string(gi + 1)},
                        {"scope", g.universe},
                        {"sql", "SELECT " + select + "count(*) AS \"count\" FROM " + relation +
                                    (where.empty() ? "" : " WHERE " + where) + " GROUP BY ALL ORDER BY ALL"}});
    }
    std::string id_column = !pack.dataset.id_column.empty() && !plan.examples.empty() ? pack.dataset.id_column : "";
    std::string cols, cols_id;
    for (const auto& c : reads) cols += (cols.empty() ? "" : ", ") + quote_identifier(c);
    cols_id = cols + (id_column.empty() ? "" : ", " + quote_identifier(id_column));
    std::string inner, outer;
    for (size_t i = 0; i < dim_sql.size(); ++i) {
      inner += (inner.empty() ? "" : ", ") + dim_sql[i] + " AS d" + std::to_string(i);
      outer += "d" + std::to_string(i) + ", ";
    }
    for (size_t i = 0; i < universe_sql.size(); ++i) {
      inner += ", " + universe_sql[i] + " AS u" + std::to_string(i);
      outer += "u" + std::to_string(i) + ", ";
    }
    std::string set_list;
    for (const auto& s : sets) set_list += (set_list.empty() ? "" : ", ") + s;

    nlohmann::ordered_json out;
    out["columns"] = reads;
    out["id_column"] = id_column;
    out["relation"] = relation;
    out["scan_sql"] = "SELECT sum(hash(" + cols + ")) FROM " + relation;
    out["scan_id_sql"] = "SELECT sum(hash(" + cols_id + ")) FROM " + relation;
    out["grouping_sets_sql"] = "SELECT " + outer + "count(*) AS n FROM (SELECT " + inner + " FROM " + relation +
                               ") GROUP BY GROUPING SETS (" + set_list + ")";
    out["groupings"] = groupings;
    out["counts_tables"] = tables;
    std::cout << out.dump(2) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "iaf_bench_sql: " << e.what() << "\n";
    return 1;
  }
}
