#pragma once
// Translation of a parsed expression to SQL for row scans. Every identifier goes through `column`
// (which quotes it, or substitutes an attribute's label expression), every literal is escaped, and
// text is compared in NFC, so the SQL means exactly what the evaluator (expression_eval) computes.
#include <functional>
#include <string>

#include "iaf/core/sql_text.hpp"
#include "iaf/pack/expression.hpp"

namespace iaf::pack {

// SQL for one identifier: a quoted column (numbers as DOUBLE, text NFC-normalised) or an
// attribute's label expression.
using IdentifierSql = std::function<std::string(const std::string& identifier)>;

std::string to_sql(const Expr& e, const IdentifierSql& column, SqlDialect dialect = SqlDialect::duckdb);

// A number as a SQL literal that reads back as exactly the same double.
std::string sql_number(double v, SqlDialect dialect = SqlDialect::duckdb);
// The double-precision type's name (DOUBLE, or FLOAT64 in BigQuery).
const char* sql_double(SqlDialect dialect);
// The text type's name (VARCHAR, or STRING in Spark and BigQuery).
const char* sql_text(SqlDialect dialect);

// NFC normalisation of a text expression in each dialect (Spark SQL has none: labels are compared
// as stored there, which the README's workflow states).
std::string sql_nfc(const std::string& text_sql, SqlDialect dialect);

}  // namespace iaf::pack
