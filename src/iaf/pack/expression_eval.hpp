#pragma once
// Direct evaluation of a parsed expression on one cell of a counts table (or one row), with SQL's
// three-valued logic: a comparison with NULL is NULL, NULL AND FALSE is FALSE, NULL OR TRUE is TRUE,
// x IN (…) is NULL when x is NULL or no item matches and one is NULL, and a filter keeps a cell only
// when its condition is TRUE. Text is compared in NFC (labels are NFC in every codebook).
#include <functional>
#include <string>
#include <variant>

#include "iaf/pack/expression.hpp"

namespace iaf::pack {

struct Null {
  bool operator==(const Null&) const { return true; }
};
using Value = std::variant<Null, bool, double, std::string>;

using IdentifierValue = std::function<Value(const std::string& identifier)>;

Value evaluate(const Expr& e, const IdentifierValue& value_of);

// TRUE only: the WHERE-clause reading used for universes, scopes and rule conditions.
bool holds(const Expr& e, const IdentifierValue& value_of);

// SQL LIKE with % (any run) and _ (one character, i.e. one code point); no escape character.
bool like_match(const std::string& text, const std::string& pattern);

}  // namespace iaf::pack
