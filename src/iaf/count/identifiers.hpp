#pragma once
// What a name means in a universe, scope, assertion or event: a declared attribute (its label, as
// text) when one has that name, otherwise a dataset column (its value, typed by the dataset's
// schema). Attribute definitions themselves read columns only.
#include <map>
#include <string>

#include "iaf/core/sql_text.hpp"
#include "iaf/pack/expression.hpp"
#include "iaf/pack/expression_types.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::count {

// Column name → numeric or not, from the dataset (rows) or a counts table.
using Schema = std::map<std::string, bool>;

// Where an attribute's label comes from: always from its definition (rows), or from a column of
// the attribute's own name when the source has one (a counts table may carry final labels).
enum class AttributeLabels { computed, column_when_present };

class Identifiers {
 public:
  Identifiers(const pack::AuditPack& pack, const Schema& schema, std::string source_name,
              AttributeLabels labels = AttributeLabels::computed);

  // Throws PackError for a crosswalked attribute (crosswalks apply after counting) and DataError
  // for a column the data lacks.
  // The type of a column [dataset] names by `key` (id_column, weight); an error when the data lacks it.
  pack::ValueType dataset_column(const std::string& column, const std::string& key) const;
  pack::ValueType type_of(const std::string& id) const;
  // Type-checks `e` as a condition (it must be boolean).
  void check_condition(const pack::Expr& e, const std::string& where) const;
  // Checks an attribute's definition against the schema (its columns exist; bins read numbers).
  void check_attribute(const pack::Attribute& a) const;

  std::string column_sql(const std::string& column, SqlDialect dialect) const;
  std::string identifier_sql(const std::string& id, SqlDialect dialect) const;
  std::string attribute_sql(const pack::Attribute& a, SqlDialect dialect) const;

 private:
  const pack::AuditPack& pack_;
  Schema schema_;
  std::string source_;
  AttributeLabels labels_;
};

}  // namespace iaf::count
