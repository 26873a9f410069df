#pragma once
// Static types of the expression language, checked before anything runs so that a pack comparing a
// text column with a number fails at validation with the key's name, not halfway through a scan.
#include <functional>
#include <string>
#include <string_view>

#include "iaf/pack/expression.hpp"

namespace iaf::pack {

enum class ValueType { null, boolean, number, text };

const char* type_name(ValueType t);

// The type of `e`, given the type of every identifier (throws PackError naming `where` when an
// identifier is unknown or the types do not fit the operators).
using TypeOf = std::function<ValueType(const std::string& identifier)>;
ValueType check_types(const Expr& e, const TypeOf& type_of, std::string_view where);

}  // namespace iaf::pack
