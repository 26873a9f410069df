#pragma once
// An attribute: the categorical variable a check compares. It is a dataset column, a binned number,
// a column through a value map, a set of cases, or a boolean expression; a crosswalk, when named,
// is applied after counting. The label of a row is computed the same way in SQL (row scans) and in
// C++ (counts tables and references), and tests hold the two to the same answers.
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "iaf/core/sql_text.hpp"
#include "iaf/pack/expression.hpp"
#include "iaf/pack/expression_eval.hpp"
#include "iaf/pack/expression_sql.hpp"

namespace iaf::pack {

struct Attribute {
  std::string name;
  std::string column;                                    // column, bins and map attributes
  std::vector<double> bins;                              // left-closed edges; the last bin is open
  std::vector<std::string> labels;                       // one per bin
  std::vector<std::pair<std::string, std::string>> map;  // label → label; others pass unchanged
  std::string crosswalk;                                 // crosswalk id, applied after counting
  struct Case {
    std::string when_text;
    ExprPtr when;
    std::string label;
  };
  std::vector<Case> cases;                               // first true condition wins
  std::string otherwise = "(other)";
  std::string expression_text;
  ExprPtr expression;                                    // boolean; labels when_true / when_false
  std::string when_true = "true", when_false = "false";
  int line = 0;

  enum class Kind { column, bins, cases, expression };
  Kind kind() const;
  // The label of values below the first bin edge, e.g. "(below 19)".
  std::string below_label() const;
  // The labels this attribute can produce (before any crosswalk), when the definition fixes them:
  // bins, cases and expressions do; plain and mapped columns take what the data holds.
  std::optional<std::vector<std::string>> declared_labels() const;
  // The dataset columns its definition reads (inside an attribute, identifiers name columns).
  std::set<std::string> reads() const;
};

// Where an attribute's inputs come from when computing a label.
struct RowValues {
  // Typed value of a column (numbers for numeric columns, NFC text otherwise, Null for NULL).
  std::function<Value(const std::string& column)> value;
  // The text DuckDB gives for the column (CAST AS VARCHAR), nullopt for NULL.
  std::function<std::optional<std::string>(const std::string& column)> text;
};

// Label of one row or cell (the C++ path).
std::string attribute_label(const Attribute& a, const RowValues& row);

// The same label as a SQL expression over a row scan; `column_sql` gives the SQL of a column
// (quoted; numbers as DOUBLE, text NFC-normalised).
std::string attribute_label_sql(const Attribute& a, const IdentifierSql& column_sql,
                                const std::function<bool(const std::string&)>& column_is_numeric, SqlDialect dialect);

// A label found in a counts table or a reference column that holds this attribute: a declared
// label is kept, a number is binned (bins), a mapped label is mapped; anything else is returned
// unchanged for the caller to report.
std::string label_from_table(const Attribute& a, const std::string& raw);

}  // namespace iaf::pack
