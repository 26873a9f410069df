#include "iaf/count/sql_export.hpp"

#include <algorithm>
#include <map>

#include "iaf/core/error.hpp"
#include "iaf/count/scan_projection.hpp"

namespace iaf::count {

std::string quoted_table(const std::string& name, SqlDialect dialect) {
  std::string out, part;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      if (part.empty()) throw PackError("--table: empty part in '" + name + "'");
      out += (out.empty() ? "" : ".") + quote_identifier(part, dialect);
      part.clear();
    } else {
      part += name[i];
    }
  }
  return out;
}

std::string counting_sql(const pack::AuditPack& pack, const Plan& plan, const Identifiers& ids, const SqlExportOptions& o) {
  scan_projection(pack, plan, ids, o.dialect);  // the same validation as a row scan
  auto q = [&](const std::string& name) { return quote_identifier(name, o.dialect); };
  const std::string text = pack::sql_text(o.dialect), dbl = pack::sql_double(o.dialect);
  const std::string mass = pack.dataset.weight.empty() ? "CAST(1 AS " + dbl + ")" : "CAST(" + q(pack.dataset.weight) + " AS " + dbl + ")";

  // Every distinct dimension and universe, in first-use order, with its SQL.
  std::vector<std::string> dims, universes;
  std::map<std::string, std::string> dim_expr;
  std::map<std::string, size_t> universe_index;
  for (const auto& g : plan.groupings) {
    for (const auto& d : g.dims)
      if (!dim_expr.count(d.name)) {
        dims.push_back(d.name);
        dim_expr[d.name] = dim_sql(d, plan, pack, ids, o.dialect);
      }
    if (!g.universe.empty() && !universe_index.count(g.universe)) {
      universe_index[g.universe] = universes.size();
      universes.push_back(g.universe);
    }
  }
  auto dim_column = [&](const std::string& name) {
    for (size_t i = 0; i < dims.size(); ++i)
      if (dims[i] == name) return "d" + std::to_string(i);
    throw std::logic_error("unknown dimension " + name);
  };

  std::string sql = "-- iaf counting pass for pack '" + pack.audit.name + "' (" +
                    std::to_string(plan.groupings.size()) + " groupings).\n"
                    "-- Save the result as CSV or Parquet and run: iaf audit PACK --counts FILE\n";
  if (!o.grouping_sets) {
    // One GROUP BY per grouping, stacked: each block filters its own universe.
    for (size_t gi = 0; gi < plan.groupings.size(); ++gi) {
      const Grouping& g = plan.groupings[gi];
      sql += gi ? "UNION ALL\n" : "";
      sql += "SELECT " + quote_literal(g.describe(), o.dialect) + " AS " + q(kGroupingColumn);
      std::string group_by;
      for (const auto& name : dims) {
        bool used = false;
        for (const auto& d : g.dims) used = used || d.name == name;
        sql += ", " + (used ? dim_expr[name] : "CAST(NULL AS " + text + ")") + " AS " + q(name);
        if (used) group_by += (group_by.empty() ? "" : ", ") + std::to_string(&name - &dims[0] + 2);
      }
      sql += ", SUM(" + mass + ") AS " + q("count") + "\nFROM " + o.from;
      if (!g.universe.empty())
        sql += "\nWHERE " + pack::to_sql(*plan.universes.at(g.universe),
                                         [&](const std::string& id) { return ids.identifier_sql(id, o.dialect); }, o.dialect);
      if (!group_by.empty()) sql += "\nGROUP BY " + group_by;
      sql += "\n";
    }
    return sql;
  }

  // One GROUPING SETS query over a projection of every dimension and universe flag; each set is a
  // grouping (its dimensions and its universe flag), recognised afterwards by its GROUPING() mask.
  sql += "WITH base AS (\n  SELECT ";
  std::vector<std::string> cols;
  for (size_t i = 0; i < dims.size(); ++i) cols.push_back(dim_expr[dims[i]] + " AS " + q("d" + std::to_string(i)));
  for (size_t i = 0; i < universes.size(); ++i)
    cols.push_back(universe_sql(*plan.universes.at(universes[i]), ids, o.dialect) + " AS " + q("u" + std::to_string(i)));
  cols.push_back(mass + " AS " + q("w"));
  for (size_t i = 0; i < cols.size(); ++i) sql += (i ? ",\n    " : "") + cols[i];
  sql += "\n  FROM " + o.from + "\n)\nSELECT * FROM (\n  SELECT CASE";
  std::vector<std::string> keys;  // all grouping columns, d0… then u0…
  for (size_t i = 0; i < dims.size(); ++i) keys.push_back("d" + std::to_string(i));
  for (size_t i = 0; i < universes.size(); ++i) keys.push_back("u" + std::to_string(i));
  std::string mask_sql;
  for (size_t k = 0; k < keys.size(); ++k)
    mask_sql += (k ? " + " : "") + std::string("GROUPING(") + q(keys[k]) + ") * " + std::to_string(1ull << k);
  std::string sets;
  for (const auto& g : plan.groupings) {
    std::vector<std::string> in;
    for (const auto& d : g.dims) in.push_back(dim_column(d.name));
    std::string u = g.universe.empty() ? "" : "u" + std::to_string(universe_index.at(g.universe));
    if (!u.empty()) in.push_back(u);
    uint64_t mask = 0;
    for (size_t k = 0; k < keys.size(); ++k)
      if (std::find(in.begin(), in.end(), keys[k]) == in.end()) mask |= 1ull << k;
    sql += "\n    WHEN (" + mask_sql + ") = " + std::to_string(mask) + (u.empty() ? "" : " AND " + q(u) + " = 1") + " THEN " +
           quote_literal(g.describe(), o.dialect);
    std::string set;
    for (const auto& c : in) set += (set.empty() ? "" : ", ") + q(c);
    sets += (sets.empty() ? "" : ", ") + ("(" + set + ")");
  }
  sql += "\n  END AS " + q(kGroupingColumn);
  for (size_t i = 0; i < dims.size(); ++i) sql += ", " + q("d" + std::to_string(i)) + " AS " + q(dims[i]);
  sql += ", SUM(" + q("w") + ") AS " + q("count") + "\n  FROM base\n  GROUP BY GROUPING SETS (" + sets + ")\n) t\nWHERE " +
         q(kGroupingColumn) + " IS NOT NULL\n";
  return sql;
}

}  // namespace iaf::count
