#include "iaf/pack/expression_sql.hpp"

#include <charconv>

namespace iaf::pack {

const char* sql_double(SqlDialect dialect) { return dialect == SqlDialect::bigquery ? "FLOAT64" : "DOUBLE"; }

const char* sql_text(SqlDialect dialect) {
  return dialect == SqlDialect::bigquery || dialect == SqlDialect::spark ? "STRING" : "VARCHAR";
}

std::string sql_number(double v, SqlDialect dialect) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, ptr);
  return "CAST(" + s + " AS " + sql_double(dialect) + ")";
}

std::string sql_nfc(const std::string& text_sql, SqlDialect dialect) {
  switch (dialect) {
    case SqlDialect::duckdb: return "nfc_normalize(" + text_sql + ")";
    case SqlDialect::trino:
    case SqlDialect::bigquery: return "NORMALIZE(" + text_sql + ", NFC)";
    case SqlDialect::spark: return text_sql;
  }
  return text_sql;
}

std::string to_sql(const Expr& e, const IdentifierSql& column, SqlDialect dialect) {
  auto arg = [&](size_t i) { return to_sql(*e.args[i], column, dialect); };
  switch (e.kind) {
    case Expr::Kind::literal_null: return "NULL";
    case Expr::Kind::literal_bool: return e.boolean ? "TRUE" : "FALSE";
    case Expr::Kind::literal_number: return sql_number(e.number, dialect);
    case Expr::Kind::literal_string: return quote_literal(e.text, dialect);
    case Expr::Kind::identifier: return column(e.text);
    case Expr::Kind::negate: return "(-" + arg(0) + ")";
    case Expr::Kind::arithmetic:
      // x / 0 is NULL on every path (DuckDB would give inf, Trino an error).
      if (e.op == "/") return "(" + arg(0) + " / NULLIF(" + arg(1) + ", 0))";
      return "(" + arg(0) + " " + e.op + " " + arg(1) + ")";
    case Expr::Kind::compare: return "(" + arg(0) + " " + (e.op == "!=" ? std::string("<>") : e.op) + " " + arg(1) + ")";
    case Expr::Kind::and_: return "(" + arg(0) + " AND " + arg(1) + ")";
    case Expr::Kind::or_: return "(" + arg(0) + " OR " + arg(1) + ")";
    case Expr::Kind::not_: return "(NOT " + arg(0) + ")";
    case Expr::Kind::in_list: {
      std::string s = "(" + arg(0) + (e.negated ? " NOT IN (" : " IN (");
      for (size_t i = 1; i < e.args.size(); ++i) s += (i > 1 ? ", " : "") + arg(i);
      return s + "))";
    }
    case Expr::Kind::between:
      return "(" + arg(0) + (e.negated ? " NOT BETWEEN " : " BETWEEN ") + arg(1) + " AND " + arg(2) + ")";
    case Expr::Kind::like: return "(" + arg(0) + (e.negated ? " NOT LIKE " : " LIKE ") + arg(1) + ")";
    case Expr::Kind::is_null: return "(" + arg(0) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
  }
  return "NULL";
}

}  // namespace iaf::pack
