#include "iaf/count/scan_projection.hpp"

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"

namespace iaf::count {

std::string dim_sql(const Dim& d, const Plan& plan, const pack::AuditPack& pack, const Identifiers& ids, SqlDialect dialect) {
  if (d.kind == Dim::attribute) return ids.attribute_sql(pack.attribute(d.name), dialect);
  const Indicator& ind = plan.indicators.at(d.name);
  std::string e = pack::to_sql(*ind.expr, [&](const std::string& id) { return ids.identifier_sql(id, dialect); }, dialect);
  return "CASE WHEN " + e + " IS NULL THEN " + quote_literal(std::string(kMissingLabel), dialect) + " WHEN " + e +
         " THEN " + quote_literal(kTrueLabel, dialect) + " ELSE " + quote_literal(kFalseLabel, dialect) + " END";
}

std::string universe_sql(const pack::Expr& u, const Identifiers& ids, SqlDialect dialect) {
  return "CASE WHEN " + pack::to_sql(u, [&](const std::string& id) { return ids.identifier_sql(id, dialect); }, dialect) +
         " THEN CAST(1 AS " + pack::sql_double(dialect) + ") ELSE CAST(0 AS " + pack::sql_double(dialect) + ") END";
}

ScanProjection scan_projection(const pack::AuditPack& pack, const Plan& plan, const Identifiers& ids, SqlDialect dialect) {
  ScanProjection p;
  auto add_column = [&](std::string sql) {
    p.column_sql.push_back(std::move(sql));
    return p.column_sql.size() - 1;
  };
  std::map<std::string, int> universe_index;
  for (const auto& [text, expr] : plan.universes) {
    ids.check_condition(*expr, plan.universe_origin(text));
    universe_index[text] = static_cast<int>(p.universe_columns.size());
    p.universe_columns.push_back(add_column(universe_sql(*expr, ids, dialect)));
  }
  for (const auto& g : plan.groupings) {
    std::vector<size_t> cols;
    for (const auto& d : g.dims) {
      auto it = p.dim_column.find(d.name);
      if (it == p.dim_column.end()) {
        if (d.kind == Dim::attribute) ids.check_attribute(pack.attribute(d.name));
        else ids.check_condition(*plan.indicators.at(d.name).expr, "expression " + plan.indicators.at(d.name).text);
        it = p.dim_column.emplace(d.name, add_column(dim_sql(d, plan, pack, ids, dialect))).first;
      }
      cols.push_back(it->second);
    }
    p.grouping_dims.push_back(cols);
    p.grouping_universe.push_back(g.universe.empty() ? -1 : universe_index.at(g.universe));
  }
  for (const auto& e : plan.examples) p.example_universe.push_back(e.universe.empty() ? -1 : universe_index.at(e.universe));
  if (!pack.dataset.id_column.empty() && !plan.examples.empty()) {
    ids.dataset_column(pack.dataset.id_column, "id_column");
    p.id_column = static_cast<int>(
        add_column("CAST(" + quote_identifier(pack.dataset.id_column, dialect) + " AS " + pack::sql_text(dialect) + ")"));
  }
  if (!pack.dataset.weight.empty()) {
    if (ids.dataset_column(pack.dataset.weight, "weight") != pack::ValueType::number)
      throw DataError("dataset: weight column '" + pack.dataset.weight + "' is not numeric ([dataset] key 'weight')");
    p.weight_column = static_cast<int>(
        add_column("CAST(" + quote_identifier(pack.dataset.weight, dialect) + " AS " + pack::sql_double(dialect) + ")"));
  }
  for (size_t i = 0; i < p.column_sql.size(); ++i)
    p.select_list += (i ? ", " : "") + p.column_sql[i] + " AS " + quote_identifier("c" + std::to_string(i), dialect);
  if (p.select_list.empty()) p.select_list = std::string("CAST(1 AS ") + pack::sql_double(dialect) + ") AS c0";
  return p;
}

}  // namespace iaf::count
