#include "iaf/core/sql_text.hpp"

#include "iaf/core/error.hpp"

namespace iaf {
namespace {

void reject_nul(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) throw PackError("a name or literal contains a NUL byte");
}

std::string doubled(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += quote;
  }
  out += quote;
  return out;
}

}  // namespace

std::string quote_identifier(std::string_view name, SqlDialect dialect) {
  reject_nul(name);
  switch (dialect) {
    case SqlDialect::spark:
    case SqlDialect::bigquery: {
      // Backtick-quoted; a backslash would start an escape in BigQuery, so it is escaped too.
      std::string out = "`";
      for (char c : name) {
        if (c == '`') out += dialect == SqlDialect::spark ? "``" : "\\`";
        else if (c == '\\' && dialect == SqlDialect::bigquery) out += "\\\\";
        else out += c;
      }
      return out + "`";
    }
    case SqlDialect::duckdb:
    case SqlDialect::trino:
      break;
  }
  return doubled(name, '"');
}

std::string quote_literal(std::string_view text, SqlDialect dialect) {
  reject_nul(text);
  if (dialect == SqlDialect::spark || dialect == SqlDialect::bigquery) {
    // Both read backslash escapes inside string literals.
    std::string out = "'";
    for (char c : text) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  }
  return doubled(text, '\'');
}

}  // namespace iaf
