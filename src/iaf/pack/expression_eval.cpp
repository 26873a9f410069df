#include "iaf/pack/expression_eval.hpp"

#include <cmath>
#include <vector>

#include "iaf/core/label.hpp"

namespace iaf::pack {
namespace {

using Tri = std::variant<Null, bool>;  // three-valued truth

bool is_null(const Value& v) { return std::holds_alternative<Null>(v); }

Tri truth(const Value& v) {
  if (is_null(v)) return Null{};
  return std::get<bool>(v);
}

Value from(const Tri& t) {
  if (std::holds_alternative<Null>(t)) return Null{};
  return std::get<bool>(t);
}

// -1, 0, 1; both sides non-null and of one type (the type checker guarantees it).
int order(const Value& a, const Value& b) {
  if (std::holds_alternative<double>(a)) {
    // DuckDB's total order: NaN equals NaN and sorts above every other number.
    double x = std::get<double>(a), y = std::get<double>(b);
    if (std::isnan(x) || std::isnan(y)) return std::isnan(x) == std::isnan(y) ? 0 : (std::isnan(x) ? 1 : -1);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (std::holds_alternative<std::string>(a)) {
    int c = std::get<std::string>(a).compare(std::get<std::string>(b));
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  bool x = std::get<bool>(a), y = std::get<bool>(b);
  return x == y ? 0 : (x ? 1 : -1);
}

Value compare(const std::string& op, const Value& a, const Value& b) {
  if (is_null(a) || is_null(b)) return Null{};
  int c = order(a, b);
  if (op == "=") return c == 0;
  if (op == "!=") return c != 0;
  if (op == "<") return c < 0;
  if (op == "<=") return c <= 0;
  if (op == ">") return c > 0;
  return c >= 0;
}

Value negated(const Value& v, bool negate) {
  if (!negate || is_null(v)) return v;
  return !std::get<bool>(v);
}

// Decodes UTF-8 into code points (input is valid UTF-8: every label passed nfc()).
std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

}  // namespace

bool like_match(const std::string& text, const std::string& pattern) {
  auto t = code_points(text), p = code_points(pattern);
  // Iterative wildcard matching with backtracking to the last '%'.
  size_t ti = 0, pi = 0, star = std::string::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '_' || (p[pi] != '%' && p[pi] == t[ti]))) {
      ++ti;
      ++pi;
    } else if (pi < p.size() && p[pi] == '%') {
      star = pi++;
      mark = ti;
    } else if (star != std::string::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '%') ++pi;
  return pi == p.size();
}

Value evaluate(const Expr& e, const IdentifierValue& value_of) {
  auto arg = [&](size_t i) { return evaluate(*e.args[i], value_of); };
  switch (e.kind) {
    case Expr::Kind::literal_null: return Null{};
    case Expr::Kind::literal_bool: return e.boolean;
    case Expr::Kind::literal_number: return e.number;
    case Expr::Kind::literal_string: return e.text;
    case Expr::Kind::identifier: {
      Value v = value_of(e.text);
      if (auto* s = std::get_if<std::string>(&v)) return nfc(*s);
      return v;
    }
    case Expr::Kind::negate: {
      Value v = arg(0);
      if (is_null(v)) return v;
      return -std::get<double>(v);
    }
    case Expr::Kind::arithmetic: {
      Value a = arg(0), b = arg(1);
      if (is_null(a) || is_null(b)) return Null{};
      double x = std::get<double>(a), y = std::get<double>(b);
      if (e.op == "+") return x + y;
      if (e.op == "-") return x - y;
      if (e.op == "*") return x * y;
      if (y == 0) return Null{};  // as NULLIF(y, 0) in the SQL translation
      return x / y;
    }
    case Expr::Kind::compare: return compare(e.op, arg(0), arg(1));
    case Expr::Kind::and_: {
      Tri a = truth(arg(0)), b = truth(arg(1));
      if (a == Tri(false) || b == Tri(false)) return false;
      if (std::holds_alternative<Null>(a) || std::holds_alternative<Null>(b)) return Null{};
      return true;
    }
    case Expr::Kind::or_: {
      Tri a = truth(arg(0)), b = truth(arg(1));
      if (a == Tri(true) || b == Tri(true)) return true;
      if (std::holds_alternative<Null>(a) || std::holds_alternative<Null>(b)) return Null{};
      return false;
    }
    case Expr::Kind::not_: return negated(from(truth(arg(0))), true);
    case Expr::Kind::in_list: {
      Value x = arg(0);
      if (is_null(x)) return Null{};
      bool saw_null = false;
      for (size_t i = 1; i < e.args.size(); ++i) {
        Value item = arg(i);
        if (is_null(item)) {
          saw_null = true;
          continue;
        }
        if (order(x, item) == 0) return negated(true, e.negated);
      }
      if (saw_null) return Null{};
      return negated(false, e.negated);
    }
    case Expr::Kind::between: {
      Value x = arg(0), lo = arg(1), hi = arg(2);
      Tri a = truth(compare(">=", x, lo)), b = truth(compare("<=", x, hi));
      Value both;
      if (a == Tri(false) || b == Tri(false)) both = false;
      else if (std::holds_alternative<Null>(a) || std::holds_alternative<Null>(b)) both = Null{};
      else both = true;
      return negated(both, e.negated);
    }
    case Expr::Kind::like: {
      Value x = arg(0), p = arg(1);
      if (is_null(x) || is_null(p)) return Null{};
      return negated(like_match(std::get<std::string>(x), std::get<std::string>(p)), e.negated);
    }
    case Expr::Kind::is_null: return is_null(arg(0)) != e.negated;
  }
  return Null{};
}

bool holds(const Expr& e, const IdentifierValue& value_of) {
  Value v = evaluate(e, value_of);
  return std::holds_alternative<bool>(v) && std::get<bool>(v);
}

}  // namespace iaf::pack
