#include "iaf/pack/attribute.hpp"

#include <charconv>
#include <cmath>

#include "iaf/core/label.hpp"

namespace iaf::pack {
namespace {

std::string edge_text(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ptr);
}

std::optional<double> parse_number(const std::string& s) {
  double v;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string bin_label(const Attribute& a, double v) {
  if (std::isnan(v)) return std::string(kMissingLabel);
  if (v < a.bins.front()) return a.below_label();
  size_t i = a.bins.size() - 1;
  while (v < a.bins[i]) --i;
  return a.labels[i];
}

std::string mapped(const Attribute& a, std::string label) {
  for (const auto& [from, to] : a.map)
    if (from == label) return to;
  return label;
}

}  // namespace

Attribute::Kind Attribute::kind() const {
  if (!bins.empty()) return Kind::bins;
  if (!cases.empty()) return Kind::cases;
  if (expression) return Kind::expression;
  return Kind::column;
}

std::string Attribute::below_label() const { return "(below " + edge_text(bins.front()) + ")"; }

std::optional<std::vector<std::string>> Attribute::declared_labels() const {
  switch (kind()) {
    case Kind::bins: {
      auto out = labels;
      out.push_back(below_label());
      out.emplace_back(kMissingLabel);
      return out;
    }
    case Kind::cases: {
      std::vector<std::string> out;
      for (const auto& c : cases) out.push_back(c.label);
      out.push_back(otherwise);
      return out;
    }
    case Kind::expression: return std::vector<std::string>{when_true, when_false, std::string(kMissingLabel)};
    case Kind::column: return std::nullopt;
  }
  return std::nullopt;
}

std::set<std::string> Attribute::reads() const {
  std::set<std::string> out;
  if (!column.empty()) out.insert(column);
  for (const auto& c : cases) {
    auto ids = identifiers(*c.when);
    out.insert(ids.begin(), ids.end());
  }
  if (expression) {
    auto ids = identifiers(*expression);
    out.insert(ids.begin(), ids.end());
  }
  return out;
}

std::string attribute_label(const Attribute& a, const RowValues& row) {
  IdentifierValue value_of = [&](const std::string& id) { return row.value(id); };
  switch (a.kind()) {
    case Attribute::Kind::bins: {
      Value v = row.value(a.column);
      if (std::holds_alternative<Null>(v)) return std::string(kMissingLabel);
      return bin_label(a, std::get<double>(v));
    }
    case Attribute::Kind::cases:
      for (const auto& c : a.cases)
        if (holds(*c.when, value_of)) return c.label;
      return a.otherwise;
    case Attribute::Kind::expression: {
      Value v = evaluate(*a.expression, value_of);
      if (std::holds_alternative<Null>(v)) return std::string(kMissingLabel);
      return std::get<bool>(v) ? a.when_true : a.when_false;
    }
    case Attribute::Kind::column: {
      auto text = row.text(a.column);
      if (!text) return mapped(a, std::string(kMissingLabel));
      return mapped(a, nfc(*text));
    }
  }
  return std::string(kMissingLabel);
}

std::string attribute_label_sql(const Attribute& a, const IdentifierSql& column_sql,
                                const std::function<bool(const std::string&)>& column_is_numeric, SqlDialect dialect) {
  auto lit = [&](const std::string& s) { return quote_literal(s, dialect); };
  const std::string missing = lit(std::string(kMissingLabel));
  switch (a.kind()) {
    case Attribute::Kind::bins: {
      std::string x = column_sql(a.column);
      std::string s = "CASE WHEN " + x + " IS NULL OR isnan(" + x + ") THEN " + missing;
      if (dialect != SqlDialect::duckdb) s = "CASE WHEN " + x + " IS NULL THEN " + missing;
      s += " WHEN " + x + " < " + sql_number(a.bins.front(), dialect) + " THEN " + lit(a.below_label());
      for (size_t i = a.bins.size() - 1; i > 0; --i)
        s += " WHEN " + x + " >= " + sql_number(a.bins[i], dialect) + " THEN " + lit(a.labels[i]);
      return s + " ELSE " + lit(a.labels[0]) + " END";
    }
    case Attribute::Kind::cases: {
      std::string s = "CASE";
      for (const auto& c : a.cases) s += " WHEN " + to_sql(*c.when, column_sql, dialect) + " THEN " + lit(c.label);
      return s + " ELSE " + lit(a.otherwise) + " END";
    }
    case Attribute::Kind::expression: {
      std::string e = to_sql(*a.expression, column_sql, dialect);
      return "CASE WHEN " + e + " IS NULL THEN " + missing + " WHEN " + e + " THEN " + lit(a.when_true) + " ELSE " +
             lit(a.when_false) + " END";
    }
    case Attribute::Kind::column: {
      // The label is the column's text form (numbers as DuckDB prints them), NFC-normalised.
      std::string raw = column_is_numeric(a.column) ? "CAST(" + quote_identifier(a.column, dialect) + " AS " + sql_text(dialect) + ")"
                                                    : column_sql(a.column);
      std::string label = "COALESCE(" + raw + ", " + missing + ")";
      if (a.map.empty()) return label;
      std::string s = "CASE " + label;
      for (const auto& [from, to] : a.map) s += " WHEN " + lit(from) + " THEN " + lit(to);
      return s + " ELSE " + label + " END";
    }
  }
  return missing;
}

std::string label_from_table(const Attribute& a, const std::string& raw) {
  std::string label = nfc(raw);
  if (auto declared = a.declared_labels())
    for (const auto& l : *declared)
      if (l == label) return label;
  if (a.kind() == Attribute::Kind::bins)
    if (auto v = parse_number(label)) return bin_label(a, *v);
  if (a.kind() == Attribute::Kind::column) return mapped(a, label);
  return label;
}

}  // namespace iaf::pack
