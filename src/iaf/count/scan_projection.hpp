#pragma once
// The SQL projection a row scan runs: one VARCHAR column per distinct dimension (an attribute's
// raw label or an indicator's true/false/(missing)), one DOUBLE 1/0 column per universe, and the
// id and weight columns when the pack names them. Validates the plan against the dataset's schema.
#include <map>
#include <string>
#include <vector>

#include "iaf/count/identifiers.hpp"
#include "iaf/count/plan.hpp"

namespace iaf::count {

struct ScanProjection {
  std::string select_list;
  std::vector<std::string> column_sql;           // each projected column's expression
  std::map<std::string, size_t> dim_column;      // dim name → column
  std::vector<size_t> universe_columns;          // per distinct universe
  std::vector<std::vector<size_t>> grouping_dims;  // per grouping: its dims' columns
  std::vector<int> grouping_universe;            // per grouping: index into universe_columns, -1 none
  std::vector<int> example_universe;             // per example request
  int id_column = -1, weight_column = -1;
};

// SQL for one dimension of the plan (attribute label or indicator label).
std::string dim_sql(const Dim& d, const Plan& plan, const pack::AuditPack& pack, const Identifiers& ids, SqlDialect dialect);
// SQL that is 1.0 where the universe holds (TRUE) and 0.0 otherwise (FALSE or NULL).
std::string universe_sql(const pack::Expr& u, const Identifiers& ids, SqlDialect dialect);

// Checks every attribute, indicator and universe of the plan against `ids` (columns exist, bins
// read numbers, expressions are conditions) and builds the projection.
ScanProjection scan_projection(const pack::AuditPack& pack, const Plan& plan, const Identifiers& ids,
                               SqlDialect dialect = SqlDialect::duckdb);

}  // namespace iaf::count
