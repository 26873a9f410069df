#pragma once
// Quoting for the SQL iaf writes: identifiers are always quoted and literals always escaped, so no
// text from a pack or a file name can change what a statement does.
#include <string>
#include <string_view>

namespace iaf {

enum class SqlDialect { duckdb, spark, trino, bigquery };

std::string quote_identifier(std::string_view name, SqlDialect dialect = SqlDialect::duckdb);
std::string quote_literal(std::string_view text, SqlDialect dialect = SqlDialect::duckdb);

}  // namespace iaf
