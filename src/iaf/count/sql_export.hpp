#pragma once
// The counting pass as portable SQL, for rows that live in another engine (Spark SQL, Trino,
// BigQuery) or in DuckDB: its result, saved as a counts file, feeds `iaf audit --counts`. One
// GROUP BY per grouping (UNION ALL), or one GROUPING SETS query.
#include <string>

#include "iaf/core/sql_text.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::count {

// The column a counts file uses to say which grouping a row belongs to (Grouping::describe()).
inline constexpr const char* kGroupingColumn = "grouping";

struct SqlExportOptions {
  SqlDialect dialect = SqlDialect::duckdb;
  bool grouping_sets = false;
  std::string from;  // the relation: a quoted table name, or (DuckDB) a read_parquet(...) call
};

// Validates the plan against the schema (as a row scan would) and returns the SQL.
std::string counting_sql(const pack::AuditPack& pack, const Plan& plan, const Identifiers& ids, const SqlExportOptions& options);

// A possibly qualified table name ("db.schema.table") with every part quoted.
std::string quoted_table(const std::string& name, SqlDialect dialect);

}  // namespace iaf::count
