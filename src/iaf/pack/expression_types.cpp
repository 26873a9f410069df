#include "iaf/pack/expression_types.hpp"

#include "iaf/core/error.hpp"

namespace iaf::pack {

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::null: return "NULL";
    case ValueType::boolean: return "a boolean";
    case ValueType::number: return "a number";
    case ValueType::text: return "text";
  }
  return "?";
}

namespace {

bool fits(ValueType a, ValueType b) { return a == b || a == ValueType::null || b == ValueType::null; }

ValueType merged(ValueType a, ValueType b) { return a == ValueType::null ? b : a; }

}  // namespace

ValueType check_types(const Expr& e, const TypeOf& type_of, std::string_view where) {
  auto fail = [&](const std::string& what) -> ValueType {
    throw PackError(std::string(where) + ": " + what + " in " + to_text(e));
  };
  auto arg = [&](size_t i) { return check_types(*e.args[i], type_of, where); };
  switch (e.kind) {
    case Expr::Kind::literal_null: return ValueType::null;
    case Expr::Kind::literal_bool: return ValueType::boolean;
    case Expr::Kind::literal_number: return ValueType::number;
    case Expr::Kind::literal_string: return ValueType::text;
    case Expr::Kind::identifier: return type_of(e.text);
    case Expr::Kind::negate:
      if (!fits(arg(0), ValueType::number)) fail("'-' needs a number");
      return ValueType::number;
    case Expr::Kind::arithmetic:
      if (!fits(arg(0), ValueType::number) || !fits(arg(1), ValueType::number))
        fail("'" + e.op + "' needs numbers on both sides");
      return ValueType::number;
    case Expr::Kind::compare: {
      ValueType a = arg(0), b = arg(1);
      if (!fits(a, b)) fail(std::string("compares ") + type_name(a) + " with " + type_name(b));
      if (merged(a, b) == ValueType::boolean && e.op != "=" && e.op != "!=") fail("orders booleans");
      return ValueType::boolean;
    }
    case Expr::Kind::and_:
    case Expr::Kind::or_:
    case Expr::Kind::not_:
      for (size_t i = 0; i < e.args.size(); ++i)
        if (!fits(arg(i), ValueType::boolean))
          fail(std::string(e.kind == Expr::Kind::and_ ? "AND" : e.kind == Expr::Kind::or_ ? "OR" : "NOT") +
               " needs conditions (true/false) on every side");
      return ValueType::boolean;
    case Expr::Kind::in_list: {
      ValueType t = arg(0);
      for (size_t i = 1; i < e.args.size(); ++i) {
        ValueType item = arg(i);
        if (!fits(t, item)) fail(std::string("IN lists ") + type_name(item) + " for " + type_name(t));
        t = merged(t, item);
      }
      return ValueType::boolean;
    }
    case Expr::Kind::between: {
      ValueType a = arg(0), lo = arg(1), hi = arg(2);
      if (!fits(a, lo) || !fits(merged(a, lo), hi)) fail("BETWEEN mixes types");
      if (merged(merged(a, lo), hi) == ValueType::boolean) fail("BETWEEN orders booleans");
      return ValueType::boolean;
    }
    case Expr::Kind::like:
      if (!fits(arg(0), ValueType::text) || !fits(arg(1), ValueType::text)) fail("LIKE needs text on both sides");
      return ValueType::boolean;
    case Expr::Kind::is_null:
      arg(0);
      return ValueType::boolean;
  }
  return ValueType::null;
}

}  // namespace iaf::pack
