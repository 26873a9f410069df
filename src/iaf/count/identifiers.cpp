#include "iaf/count/identifiers.hpp"

#include "iaf/core/error.hpp"

namespace iaf::count {

Identifiers::Identifiers(const pack::AuditPack& pack, const Schema& schema, std::string source_name, AttributeLabels labels)
    : pack_(pack), schema_(schema), source_(std::move(source_name)), labels_(labels) {}

pack::ValueType Identifiers::type_of(const std::string& id) const {
  if (const pack::Attribute* a = pack_.find_attribute(id)) {
    if (!a->crosswalk.empty())
      throw PackError("attribute '" + id + "' is mapped through crosswalk '" + a->crosswalk +
                      "', which applies after counting; refer to " +
                      (a->column.empty() ? "the columns it reads" : "its column '" + a->column + "'") + " in expressions");
    // An attribute read only inside expressions is checked here, not left to fail inside DuckDB.
    if (labels_ == AttributeLabels::computed || !schema_.count(id)) check_attribute(*a);
    return pack::ValueType::text;
  }
  auto it = schema_.find(id);
  if (it == schema_.end())
    throw DataError(source_ + ": no column '" + id + "' (an expression reads it, and no attribute has that name)");
  return it->second ? pack::ValueType::number : pack::ValueType::text;
}

pack::ValueType Identifiers::dataset_column(const std::string& column, const std::string& key) const {
  auto it = schema_.find(column);
  if (it == schema_.end()) throw DataError(source_ + ": no column '" + column + "' ([dataset] key '" + key + "' names it)");
  return it->second ? pack::ValueType::number : pack::ValueType::text;
}

void Identifiers::check_condition(const pack::Expr& e, const std::string& where) const {
  auto t = pack::check_types(e, [&](const std::string& id) { return type_of(id); }, where);
  if (t != pack::ValueType::boolean && t != pack::ValueType::null)
    throw PackError(where + ": must be a condition (true or false), but is " + pack::type_name(t) + ": " + pack::to_text(e));
}

void Identifiers::check_attribute(const pack::Attribute& a) const {
  auto column_type = [&](const std::string& c) {
    auto it = schema_.find(c);
    if (it == schema_.end())
      throw DataError(source_ + ": no column '" + c + "' (attribute '" + a.name + "' reads it)");
    return it->second ? pack::ValueType::number : pack::ValueType::text;
  };
  std::string where = "attribute '" + a.name + "'";
  switch (a.kind()) {
    case pack::Attribute::Kind::bins:
      if (column_type(a.column) != pack::ValueType::number)
        throw DataError(source_ + ": column '" + a.column + "' holds text, but attribute '" + a.name +
                        "' bins it as a number; bin a numeric column or map its labels instead");
      break;
    case pack::Attribute::Kind::column: column_type(a.column); break;
    case pack::Attribute::Kind::cases:
      for (const auto& c : a.cases) {
        auto t = pack::check_types(*c.when, column_type, where + " case");
        if (t != pack::ValueType::boolean && t != pack::ValueType::null)
          throw PackError(where + ": case condition is not a condition: " + c.when_text);
      }
      break;
    case pack::Attribute::Kind::expression: {
      auto t = pack::check_types(*a.expression, column_type, where + " expression");
      if (t != pack::ValueType::boolean && t != pack::ValueType::null)
        throw PackError(where + ": expression must be a condition: " + a.expression_text);
      break;
    }
  }
}

std::string Identifiers::column_sql(const std::string& column, SqlDialect dialect) const {
  std::string q = quote_identifier(column, dialect);
  auto it = schema_.find(column);
  if (it != schema_.end() && it->second) return "CAST(" + q + " AS " + pack::sql_double(dialect) + ")";
  std::string text = "CAST(" + q + " AS " + pack::sql_text(dialect) + ")";
  return pack::sql_nfc(text, dialect);
}

std::string Identifiers::attribute_sql(const pack::Attribute& a, SqlDialect dialect) const {
  return pack::attribute_label_sql(
      a, [&](const std::string& c) { return column_sql(c, dialect); },
      [&](const std::string& c) {
        auto it = schema_.find(c);
        return it != schema_.end() && it->second;
      },
      dialect);
}

std::string Identifiers::identifier_sql(const std::string& id, SqlDialect dialect) const {
  if (const pack::Attribute* a = pack_.find_attribute(id)) return attribute_sql(*a, dialect);
  return column_sql(id, dialect);
}

}  // namespace iaf::count
