#include "iaf/pack/expression.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"

namespace iaf::pack {
namespace {

struct Token {
  enum Type { end, number, string, identifier, keyword, symbol } type = end;
  std::string text;  // keyword upper-cased; symbol as written; identifier and string unquoted
  double value = 0;
  size_t pos = 0;
};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const std::set<std::string> kKeywords = {"AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "NULL", "TRUE", "FALSE"};

class Parser {
 public:
  Parser(std::string_view text, std::string_view where, const ExpressionLimits& limits)
      : text_(text), where_(where), limits_(limits) {
    if (text.size() > limits.max_length)
      fail(0, "expression is " + std::to_string(text.size()) + " characters, over the limit of " +
                  std::to_string(limits.max_length));
    if (!is_valid_utf8(text)) fail(0, "expression is not valid UTF-8");
    tokenize();
  }

  ExprPtr parse() {
    if (tokens_.size() == 1) fail(0, "expression is empty");
    ExprPtr e = parse_or();
    if (peek().type != Token::end) fail(peek().pos, "unexpected '" + peek().text + "'");
    return e;
  }

 private:
  [[noreturn]] void fail(size_t pos, const std::string& what) const {
    size_t chars = 0;  // the position in characters (code points), not bytes
    for (size_t i = 0; i < pos && i < text_.size(); ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++chars;
    throw PackError(std::string(where_) + ": " + what + " (at character " + std::to_string(chars + 1) + " of \"" +
                    std::string(text_.substr(0, 200)) + (text_.size() > 200 ? "…" : "") + "\")");
  }

  void tokenize() {
    size_t i = 0;
    while (i < text_.size()) {
      char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      Token t;
      t.pos = i;
      if (c == '\'') {
        std::string s;
        ++i;
        for (;;) {
          if (i >= text_.size()) fail(t.pos, "unterminated string literal");
          if (text_[i] == '\'') {
            if (i + 1 < text_.size() && text_[i + 1] == '\'') {
              s += '\'';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          s += text_[i++];
        }
        t.type = Token::string;
        t.text = nfc(s);
      } else if (c == '"') {
        std::string s;
        ++i;
        for (;;) {
          if (i >= text_.size()) fail(t.pos, "unterminated quoted column name");
          if (text_[i] == '"') {
            if (i + 1 < text_.size() && text_[i + 1] == '"') {
              s += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          s += text_[i++];
        }
        if (s.empty()) fail(t.pos, "empty quoted column name");
        t.type = Token::identifier;
        t.text = nfc(s);
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '.' && i + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        size_t j = i;
        while (j < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[j])) || text_[j] == '.')) ++j;
        if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
          ++j;
          if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
          while (j < text_.size() && std::isdigit(static_cast<unsigned char>(text_[j]))) ++j;
        }
        auto [ptr, ec] = std::from_chars(text_.data() + i, text_.data() + j, t.value);
        if (ec != std::errc() || ptr != text_.data() + j || !std::isfinite(t.value))
          fail(i, "malformed number '" + std::string(text_.substr(i, j - i)) + "'");
        if (j < text_.size() && ident_char(text_[j])) fail(j, "a number runs into a name");
        t.type = Token::number;
        t.text = std::string(text_.substr(i, j - i));
        i = j;
      } else if (ident_start(c)) {
        size_t j = i;
        while (j < text_.size() && ident_char(text_[j])) ++j;
        std::string word(text_.substr(i, j - i));
        std::string upper = word;
        for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (kKeywords.count(upper)) {
          t.type = Token::keyword;
          t.text = upper;
        } else {
          t.type = Token::identifier;
          t.text = word;
        }
        i = j;
      } else {
        static const char* two[] = {"<=", ">=", "!=", "<>"};
        bool matched = false;
        for (const char* s : two)
          if (text_.compare(i, 2, s) == 0) {
            t.text = s;
            i += 2;
            matched = true;
            break;
          }
        if (!matched) {
          if (std::string_view("=<>()+-*/,").find(c) == std::string_view::npos) {
            if (c == ';') fail(i, "';' is not part of the expression language (packs carry no SQL statements)");
            if ((static_cast<unsigned char>(c)) >= 0x80)
              fail(i, "names with non-ASCII letters must be double-quoted, e.g. \"직업\"");
            fail(i, std::string("unexpected character '") + c + "'");
          }
          t.text = std::string(1, c);
          ++i;
        }
        if (t.text == "<>") t.text = "!=";
        t.type = Token::symbol;
      }
      tokens_.push_back(t);
    }
    Token end;
    end.pos = text_.size();
    end.text = "end of expression";
    tokens_.push_back(end);
  }

  const Token& peek() const { return tokens_[at_]; }
  bool is_keyword(const char* k) const { return peek().type == Token::keyword && peek().text == k; }
  bool is_symbol(const char* s) const { return peek().type == Token::symbol && peek().text == s; }
  void expect_symbol(const char* s) {
    if (!is_symbol(s)) fail(peek().pos, std::string("expected '") + s + "' but found '" + peek().text + "'");
    ++at_;
  }

  size_t max_depth() const { return std::min(limits_.max_depth, kExpressionDepthCeiling); }
  std::string too_deep(const char* unit) const {
    return "expression nests deeper than the limit of " + std::to_string(max_depth()) + " " + unit +
           (limits_.max_depth > kExpressionDepthCeiling ? " (iaf's ceiling, whatever --max-expression-depth says)" : "");
  }

  struct Depth {
    Parser& p;
    explicit Depth(Parser& parser, size_t pos) : p(parser) {
      if (++p.depth_ > p.max_depth()) p.fail(pos, p.too_deep("levels"));
    }
    ~Depth() { --p.depth_; }
  };

  ExprPtr node(Expr::Kind kind, std::vector<ExprPtr> args, std::string op = {}, bool negated = false) {
    auto e = std::make_shared<Expr>();
    e->kind = kind;
    e->args = std::move(args);
    e->op = std::move(op);
    e->negated = negated;
    for (const auto& a : e->args) e->depth = std::max(e->depth, a->depth + 1);
    // Bounded so that evaluation stays shallow and the SQL stays inside DuckDB's expression depth.
    if (e->depth > max_depth()) fail(peek().pos, too_deep("operators"));
    return e;
  }

  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    while (is_keyword("OR")) {
      ++at_;
      left = node(Expr::Kind::or_, {left, parse_and()});
    }
    return left;
  }

  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    while (is_keyword("AND")) {
      ++at_;
      left = node(Expr::Kind::and_, {left, parse_not()});
    }
    return left;
  }

  ExprPtr parse_not() {
    Depth d(*this, peek().pos);
    if (is_keyword("NOT")) {
      ++at_;
      return node(Expr::Kind::not_, {parse_not()});
    }
    return parse_comparison();
  }

  ExprPtr parse_comparison() {
    ExprPtr left = parse_additive();
    if (peek().type == Token::symbol) {
      static const std::set<std::string> ops = {"=", "!=", "<", "<=", ">", ">="};
      if (ops.count(peek().text)) {
        std::string op = peek().text;
        ++at_;
        return node(Expr::Kind::compare, {left, parse_additive()}, op);
      }
    }
    bool negated = false;
    if (is_keyword("NOT")) {
      ++at_;
      negated = true;
      if (!is_keyword("IN") && !is_keyword("BETWEEN") && !is_keyword("LIKE"))
        fail(peek().pos, "expected IN, BETWEEN or LIKE after NOT");
    }
    if (is_keyword("IN")) {
      ++at_;
      expect_symbol("(");
      std::vector<ExprPtr> args = {left};
      for (;;) {
        args.push_back(parse_additive());
        if (is_symbol(",")) {
          ++at_;
          continue;
        }
        break;
      }
      expect_symbol(")");
      return node(Expr::Kind::in_list, std::move(args), {}, negated);
    }
    if (is_keyword("BETWEEN")) {
      ++at_;
      ExprPtr lo = parse_additive();
      if (!is_keyword("AND")) fail(peek().pos, "expected AND in BETWEEN … AND …");
      ++at_;
      ExprPtr hi = parse_additive();
      return node(Expr::Kind::between, {left, lo, hi}, {}, negated);
    }
    if (is_keyword("LIKE")) {
      ++at_;
      return node(Expr::Kind::like, {left, parse_additive()}, {}, negated);
    }
    if (is_keyword("IS")) {
      ++at_;
      bool is_not = false;
      if (is_keyword("NOT")) {
        ++at_;
        is_not = true;
      }
      if (!is_keyword("NULL")) fail(peek().pos, "expected NULL after IS");
      ++at_;
      return node(Expr::Kind::is_null, {left}, {}, is_not);
    }
    return left;
  }

  ExprPtr parse_additive() {
    ExprPtr left = parse_multiplicative();
    while (is_symbol("+") || is_symbol("-")) {
      std::string op = peek().text;
      ++at_;
      left = node(Expr::Kind::arithmetic, {left, parse_multiplicative()}, op);
    }
    return left;
  }

  ExprPtr parse_multiplicative() {
    ExprPtr left = parse_unary();
    while (is_symbol("*") || is_symbol("/")) {
      std::string op = peek().text;
      ++at_;
      left = node(Expr::Kind::arithmetic, {left, parse_unary()}, op);
    }
    return left;
  }

  ExprPtr parse_unary() {
    Depth d(*this, peek().pos);
    if (is_symbol("-")) {
      ++at_;
      return node(Expr::Kind::negate, {parse_unary()});
    }
    return parse_primary();
  }

  ExprPtr parse_primary() {
    const Token& t = peek();
    auto e = std::make_shared<Expr>();
    switch (t.type) {
      case Token::number:
        e->kind = Expr::Kind::literal_number;
        e->number = t.value;
        ++at_;
        return e;
      case Token::string:
        e->kind = Expr::Kind::literal_string;
        e->text = t.text;
        ++at_;
        return e;
      case Token::identifier:
        e->kind = Expr::Kind::identifier;
        e->text = t.text;
        ++at_;
        if (is_symbol("(")) fail(t.pos, "'" + t.text + "(' : function calls are not part of the expression language");
        return e;
      case Token::keyword:
        if (t.text == "NULL") e->kind = Expr::Kind::literal_null;
        else if (t.text == "TRUE" || t.text == "FALSE") {
          e->kind = Expr::Kind::literal_bool;
          e->boolean = t.text == "TRUE";
        } else {
          fail(t.pos, "unexpected keyword " + t.text);
        }
        ++at_;
        return e;
      case Token::symbol:
        if (t.text == "(") {
          Depth d(*this, t.pos);  // parentheses recurse: bounded for the stack's sake
          ++at_;
          ExprPtr inner = parse_or();
          expect_symbol(")");
          return inner;
        }
        fail(t.pos, "unexpected '" + t.text + "'");
      case Token::end:
        fail(t.pos, "expression ends too early");
    }
    fail(t.pos, "unexpected token");
  }

  std::string_view text_, where_;
  const ExpressionLimits& limits_;
  std::vector<Token> tokens_;
  size_t at_ = 0;
  size_t depth_ = 0;
};

void collect(const Expr& e, std::set<std::string>& out) {
  if (e.kind == Expr::Kind::identifier) out.insert(e.text);
  for (const auto& a : e.args) collect(*a, out);
}

std::string number_text(double v) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, ptr);
}

}  // namespace

ExprPtr parse_expression(std::string_view text, std::string_view where, const ExpressionLimits& limits) {
  return Parser(text, where, limits).parse();
}

std::set<std::string> identifiers(const Expr& e) {
  std::set<std::string> out;
  collect(e, out);
  return out;
}

std::string to_text(const Expr& e) {
  auto arg = [&](size_t i) { return to_text(*e.args[i]); };
  switch (e.kind) {
    case Expr::Kind::literal_null: return "NULL";
    case Expr::Kind::literal_bool: return e.boolean ? "TRUE" : "FALSE";
    case Expr::Kind::literal_number: return number_text(e.number);
    case Expr::Kind::literal_string: {
      std::string s = "'";
      for (char c : e.text) s += c == '\'' ? std::string("''") : std::string(1, c);
      return s + "'";
    }
    case Expr::Kind::identifier: {
      std::string s = "\"";
      for (char c : e.text) s += c == '"' ? std::string("\"\"") : std::string(1, c);
      return s + "\"";
    }
    case Expr::Kind::negate: return "(-" + arg(0) + ")";
    case Expr::Kind::arithmetic:
    case Expr::Kind::compare: return "(" + arg(0) + " " + e.op + " " + arg(1) + ")";
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
  return {};
}

std::vector<ExprPtr> conjuncts(const ExprPtr& e) {
  if (e->kind != Expr::Kind::and_) return {e};
  auto left = conjuncts(e->args[0]), right = conjuncts(e->args[1]);
  left.insert(left.end(), right.begin(), right.end());
  return left;
}

}  // namespace iaf::pack
