// The pack expression language: parsing (canonical text, precedence, every error with its
// position), static types, and the equivalence of its two evaluation paths: SQL run by DuckDB
// (to_sql) and direct evaluation (evaluate), on rows with NULLs, numbers and Korean text.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/pack/expression.hpp"
#include "iaf/pack/expression_eval.hpp"
#include "iaf/pack/expression_sql.hpp"
#include "iaf/pack/expression_types.hpp"
#include "iaf/source/duck.hpp"
#include "support/temp_dir.hpp"

using namespace iaf;
using namespace iaf::pack;
using iaf::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// "한국" as conjoining jamo (NFD) and as syllables (NFC).
const std::string kHangukJamo = "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xAE\xE1\x86\xA8";
const std::string kHanguk = "한국";

::testing::AssertionResult has(const std::string& message, std::initializer_list<std::string> parts) {
  for (const auto& p : parts)
    if (message.find(p) == std::string::npos)
      return ::testing::AssertionFailure() << "the message lacks \"" << p << "\":\n    " << message;
  return ::testing::AssertionSuccess();
}

std::string canon(std::string_view text) { return to_text(*parse_expression(text, "test")); }

// The PackError message parsing `text` raises (a test failure if it parses).
std::string parse_error(std::string_view text, const ExpressionLimits& limits = {}) {
  try {
    parse_expression(text, "audit.toml line 9, [[check]] #1 key 'universe'", limits);
  } catch (const PackError& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    std::string m = e.what();
    EXPECT_EQ(m.rfind("audit.toml line 9, [[check]] #1 key 'universe': ", 0), 0u) << m;
    return m;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected a PackError, got: " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "\"" << std::string(text.substr(0, 80)) << "\" parsed";
  return "";
}

// ---------------------------------------------------------------------------------------------
// Parsing and canonical text

struct RoundTrip {
  std::string input, canonical;
};

class Canonical : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(Canonical, ParsesToItsCanonicalText) { EXPECT_EQ(canon(GetParam().input), GetParam().canonical); }

TEST_P(Canonical, CanonicalTextParsesToItself) {
  std::string once = canon(GetParam().input);
  EXPECT_EQ(canon(once), once);
}

INSTANTIATE_TEST_SUITE_P(
    Expression, Canonical,
    ::testing::Values(
        RoundTrip{"a = 1", "(\"a\" = 1)"}, RoundTrip{"A <> 'x'", "(\"A\" != 'x')"}, RoundTrip{"a != 'x'", "(\"a\" != 'x')"},
        RoundTrip{"x<=2.5", "(\"x\" <= 2.5)"}, RoundTrip{"x >= .5", "(\"x\" >= 0.5)"}, RoundTrip{"x > 1e3", "(\"x\" > 1000)"},
        RoundTrip{"x < 1.5E-3", "(\"x\" < 0.0015)"},
        RoundTrip{"age BETWEEN 19 AND 64", "(\"age\" BETWEEN 19 AND 64)"},
        RoundTrip{"age not between 19 and 64", "(\"age\" NOT BETWEEN 19 AND 64)"},
        RoundTrip{"occ IN ('a', 'b', NULL)", "(\"occ\" IN ('a', 'b', NULL))"},
        RoundTrip{"occ NOT IN ('무직')", "(\"occ\" NOT IN ('무직'))"},
        RoundTrip{"occ LIKE '전직 %'", "(\"occ\" LIKE '전직 %')"}, RoundTrip{"occ NOT LIKE '%군_'", "(\"occ\" NOT LIKE '%군_')"},
        RoundTrip{"x IS NULL", "(\"x\" IS NULL)"}, RoundTrip{"x is not null", "(\"x\" IS NOT NULL)"},
        RoundTrip{"NOT a", "(NOT \"a\")"}, RoundTrip{"TRUE", "TRUE"}, RoundTrip{"false", "FALSE"}, RoundTrip{"null", "NULL"},
        RoundTrip{"'it''s'", "'it''s'"}, RoundTrip{"\"a\"\"b\" = 1", "(\"a\"\"b\" = 1)"},
        RoundTrip{"\"직업\" = '교사'", "(\"직업\" = '교사')"}, RoundTrip{"\"AND\" = 1", "(\"AND\" = 1)"},
        RoundTrip{"and_x = 1", "(\"and_x\" = 1)"}, RoundTrip{"_x1 = 1", "(\"_x1\" = 1)"},
        RoundTrip{"-x + 2.5 * 3", "((-\"x\") + (2.5 * 3))"}, RoundTrip{"((a))", "\"a\""},
        RoundTrip{"\t a\n=\r\n1 ", "(\"a\" = 1)"},
        RoundTrip{"a in (1) and not b is null", "((\"a\" IN (1)) AND (NOT (\"b\" IS NULL)))"},
        RoundTrip{"t = '" + kHangukJamo + "'", "(\"t\" = '" + kHanguk + "')"},
        RoundTrip{"\"" + kHangukJamo + "\" = 1", "(\"" + kHanguk + "\" = 1)"},
        RoundTrip{"x = 0.30000000000000004", "(\"x\" = 0.30000000000000004)"},
        RoundTrip{"x = 123456789012345678901234567890", "(\"x\" = 1.2345678901234568e+29)"}));

TEST(Expression, ToTextOfEveryKindParsesBack) {
  const char* cases[] = {"a = 1 OR b = 2 AND NOT c IN (1, NULL) AND d NOT BETWEEN -1 AND 2 * 3",
                         "s LIKE '%''%' OR s NOT LIKE '_' OR s IS NOT NULL OR TRUE = (x / 2 > 1)",
                         "-(-(x - -y)) / (1 + z) >= 0.1"};
  for (const char* c : cases) {
    SCOPED_TRACE(c);
    std::string once = canon(c);
    EXPECT_EQ(canon(once), once);
  }
}

// ---------------------------------------------------------------------------------------------
// Precedence: NOT binds tighter than AND, AND tighter than OR; comparisons tighter than NOT;
// * / tighter than + -; binary operators associate to the left.

struct Precedence {
  const char* input;
  const char* canonical;
};

class Precedences : public ::testing::TestWithParam<Precedence> {};

TEST_P(Precedences, Group) { EXPECT_EQ(canon(GetParam().input), GetParam().canonical); }

INSTANTIATE_TEST_SUITE_P(
    Expression, Precedences,
    ::testing::Values(Precedence{"a = 1 OR b = 2 AND c = 3", "((\"a\" = 1) OR ((\"b\" = 2) AND (\"c\" = 3)))"},
                      Precedence{"a = 1 AND b = 2 OR c = 3", "(((\"a\" = 1) AND (\"b\" = 2)) OR (\"c\" = 3))"},
                      Precedence{"NOT a = 1 AND b = 2", "((NOT (\"a\" = 1)) AND (\"b\" = 2))"},
                      Precedence{"NOT a OR b", "((NOT \"a\") OR \"b\")"},
                      Precedence{"a OR b AND NOT c", "(\"a\" OR (\"b\" AND (NOT \"c\")))"},
                      Precedence{"NOT NOT a", "(NOT (NOT \"a\"))"},
                      Precedence{"NOT a IN (1)", "(NOT (\"a\" IN (1)))"},
                      Precedence{"1 + 2 * 3 - 4 / 2", "((1 + (2 * 3)) - (4 / 2))"},
                      Precedence{"a - b - c", "((\"a\" - \"b\") - \"c\")"},
                      Precedence{"a / b / c", "((\"a\" / \"b\") / \"c\")"},
                      Precedence{"a * b + c * d", "((\"a\" * \"b\") + (\"c\" * \"d\"))"},
                      Precedence{"- - x", "(-(-\"x\"))"},
                      Precedence{"-x * y", "((-\"x\") * \"y\")"},
                      Precedence{"a + 1 > b * 2 AND c", "(((\"a\" + 1) > (\"b\" * 2)) AND \"c\")"},
                      Precedence{"(a OR b) AND c", "((\"a\" OR \"b\") AND \"c\")"},
                      Precedence{"x BETWEEN 1 + 1 AND 2 * 3 OR y", "((\"x\" BETWEEN (1 + 1) AND (2 * 3)) OR \"y\")"},
                      Precedence{"x BETWEEN 1 AND 2 AND y", "((\"x\" BETWEEN 1 AND 2) AND \"y\")"},
                      Precedence{"a + 1 IN (2, 3 * 4)", "((\"a\" + 1) IN (2, (3 * 4)))"}));

// ---------------------------------------------------------------------------------------------
// Parser errors: message words and the character position

struct ParseFailure {
  std::string input;
  std::string words;
  int position;  // 1-based character
};

class ParseErrors : public ::testing::TestWithParam<ParseFailure> {};

TEST_P(ParseErrors, NameTheProblemAndItsPosition) {
  const auto& c = GetParam();
  std::string m = parse_error(c.input);
  EXPECT_TRUE(has(m, {c.words, "(at character " + std::to_string(c.position) + " of \""}));
}

INSTANTIATE_TEST_SUITE_P(
    Expression, ParseErrors,
    ::testing::Values(ParseFailure{"", "expression is empty", 1}, ParseFailure{"  \t ", "expression is empty", 1},
                      ParseFailure{"a = 'abc", "unterminated string literal", 5},
                      ParseFailure{"a = 'it''s", "unterminated string literal", 5},
                      ParseFailure{"\"abc = 1", "unterminated quoted column name", 1},
                      ParseFailure{"a = 1 AND \"\" = 1", "empty quoted column name", 11},
                      ParseFailure{"a = 1.2.3", "malformed number '1.2.3'", 5}, ParseFailure{"a = 1e", "malformed number '1e'", 5},
                      ParseFailure{"a = 1e999", "malformed number '1e999'", 5},
                      ParseFailure{"a = 12abc", "a number runs into a name", 7},
                      ParseFailure{"a = 1.5e3x", "a number runs into a name", 10},
                      ParseFailure{"a # 1", "unexpected character '#'", 3}, ParseFailure{"a = `b`", "unexpected character '`'", 5},
                      ParseFailure{"a = 1 || 'x'", "unexpected character '|'", 7},
                      ParseFailure{"a = 1; DROP TABLE t", "';' is not part of the expression language (packs carry no SQL statements)", 6},
                      ParseFailure{"read_csv('/etc/passwd') IS NULL", "'read_csv(' : function calls are not part of the expression language", 1},
                      ParseFailure{"a = lower(b)", "function calls are not part of the expression language", 5},
                      ParseFailure{"\"getenv\"('HOME') = 'x'", "function calls are not part", 1},
                      ParseFailure{"a = AND", "unexpected keyword AND", 5}, ParseFailure{"IN (1)", "unexpected keyword IN", 1},
                      ParseFailure{"(a = 1", "expected ')' but found 'end of expression'", 7},
                      ParseFailure{"a IN (1, 2", "expected ')' but found 'end of expression'", 11},
                      ParseFailure{"a IN 1", "expected '(' but found '1'", 6},
                      ParseFailure{"a NOT = 1", "expected IN, BETWEEN or LIKE after NOT", 7},
                      ParseFailure{"a IS 1", "expected NULL after IS", 6}, ParseFailure{"a IS NOT 1", "expected NULL after IS", 10},
                      ParseFailure{"a BETWEEN 1 OR 2", "expected AND in BETWEEN … AND …", 13},
                      ParseFailure{"a =", "expression ends too early", 4}, ParseFailure{"a = 1 b", "unexpected 'b'", 7},
                      ParseFailure{"a = 1 = 2", "unexpected '='", 7}, ParseFailure{"a IN ()", "unexpected ')'", 7},
                      ParseFailure{"a = 1)", "unexpected ')'", 6}, ParseFailure{"a /* x */ = 1", "unexpected '*'", 4},
                      ParseFailure{"직업 = '교사'", "names with non-ASCII letters must be double-quoted", 1}));

TEST(Expression, NonUtf8IsRejected) {
  std::string m = parse_error("s = '\xff'");
  EXPECT_TRUE(has(m, {"not valid UTF-8"}));
}

// Positions are characters, as the message says: in "\"직업\" = '교사' ;" the ';' is the 13th.
TEST(Expression, ErrorPositionCountsCharactersNotBytes) {
  std::string m = parse_error("\"직업\" = '교사' ;");
  EXPECT_TRUE(has(m, {"';'", "(at character 13 of"}));
}

TEST(Expression, QuotedNonAsciiIdentifierParses) {
  ExprPtr e = parse_expression("\"직업\" = '교사'", "test");
  EXPECT_EQ(identifiers(*e), (std::set<std::string>{"직업"}));
}

TEST(Expression, LengthAtTheLimitParses) {
  ExpressionLimits limits;
  limits.max_length = 50;
  std::string at_limit = "a = '" + std::string(44, 'x') + "'";
  ASSERT_EQ(at_limit.size(), 50u);
  EXPECT_NO_THROW(parse_expression(at_limit, "test", limits));
}

TEST(Expression, LengthOverTheLimitIsRejected) {
  std::string text = "a = '" + std::string(ExpressionLimits{}.max_length, 'x') + "'";
  std::string m = parse_error(text);
  EXPECT_TRUE(has(m, {"expression is " + std::to_string(text.size()) + " characters, over the limit of " +
                          std::to_string(ExpressionLimits{}.max_length),
                      "(at character 1 of", "…\")"}));
  EXPECT_LT(m.size(), 600u) << "the message quotes the whole expression";
}

TEST(Expression, TenThousandNestedParenthesesAreACleanError) {
  std::string text = std::string(10000, '(') + "a" + std::string(10000, ')');
  std::string m = parse_error(text);
  EXPECT_TRUE(has(m, {"over the limit"}));
}

TEST(Expression, DeepNestingUnderALargeLengthLimitIsACleanError) {
  ExpressionLimits limits;
  limits.max_length = 10'000'000;
  for (const std::string& text : {std::string(1'000'000, '(') + "a" + std::string(1'000'000, ')'),
                                  [] {
                                    std::string s;
                                    for (int i = 0; i < 200000; ++i) s += "NOT ";
                                    return s + "a";
                                  }(),
                                  std::string(500000, '-') + "1"}) {
    std::string m = parse_error(text, limits);
    EXPECT_TRUE(has(m, {"expression nests deeper than the limit of 100"}));
  }
}

// max_depth is "nesting of parentheses and operators" (64); ten levels of parentheses are far
// inside it.
TEST(Expression, TenNestedParenthesesAreWithinTheDepthLimit) {
  std::string text = std::string(10, '(') + "a = 1" + std::string(10, ')');
  EXPECT_NO_THROW(parse_expression(text, "test"));
}

TEST(Expression, IdentifiersAndConjuncts) {
  ExprPtr e = parse_expression("a = 1 AND (b > c OR \"d e\" IS NULL) AND NOT f", "test");
  EXPECT_EQ(identifiers(*e), (std::set<std::string>{"a", "b", "c", "d e", "f"}));
  auto parts = conjuncts(e);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(to_text(*parts[0]), "(\"a\" = 1)");
  EXPECT_EQ(to_text(*parts[1]), "((\"b\" > \"c\") OR (\"d e\" IS NULL))");
  EXPECT_EQ(to_text(*parts[2]), "(NOT \"f\")");
  EXPECT_EQ(conjuncts(parse_expression("a OR b", "test")).size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Types

ValueType column_type(const std::string& id) {
  if (id == "n" || id == "m") return ValueType::number;
  if (id == "s" || id == "t") return ValueType::text;
  if (id == "b") return ValueType::boolean;
  throw PackError("unknown column '" + id + "'");
}

ValueType type_of(std::string_view text) {
  return check_types(*parse_expression(text, "test"), column_type, "audit.toml line 4, [[check]] #2 key 'universe'");
}

std::string type_error(std::string_view text) {
  try {
    type_of(text);
  } catch (const PackError& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    return e.what();
  }
  ADD_FAILURE() << "\"" << text << "\" type-checked";
  return "";
}

TEST(ExpressionTypes, WellTypedExpressions) {
  EXPECT_EQ(type_of("n + m > 1 AND s LIKE '가%' AND t IN ('a', NULL) AND n IS NULL"), ValueType::boolean);
  EXPECT_EQ(type_of("n * 2 - -m"), ValueType::number);
  EXPECT_EQ(type_of("s"), ValueType::text);
  EXPECT_EQ(type_of("NULL"), ValueType::null);
  EXPECT_EQ(type_of("NULL + 1"), ValueType::number);
  EXPECT_EQ(type_of("NULL = NULL"), ValueType::boolean);
  EXPECT_EQ(type_of("n = NULL OR s = NULL"), ValueType::boolean);
  EXPECT_EQ(type_of("b = (n > 1) AND b != TRUE"), ValueType::boolean);
  EXPECT_EQ(type_of("s BETWEEN 'a' AND 'z'"), ValueType::boolean);
  EXPECT_EQ(type_of("NULL IN (NULL, 1)"), ValueType::boolean);
  EXPECT_EQ(type_of("NOT NULL"), ValueType::boolean);
}

struct TypeFailure {
  const char* input;
  const char* words;
};

class TypeErrors : public ::testing::TestWithParam<TypeFailure> {};

TEST_P(TypeErrors, AreRejectedWithWhereAndTheSubexpression) {
  std::string m = type_error(GetParam().input);
  EXPECT_TRUE(has(m, {"audit.toml line 4, [[check]] #2 key 'universe': ", GetParam().words}));
}

INSTANTIATE_TEST_SUITE_P(
    Expression, TypeErrors,
    ::testing::Values(TypeFailure{"s = 1", "compares text with a number in (\"s\" = 1)"},
                      TypeFailure{"n = 'a' AND b", "compares a number with text in (\"n\" = 'a')"},
                      TypeFailure{"n < s", "compares a number with text"},
                      TypeFailure{"b = 1", "compares a boolean with a number"},
                      TypeFailure{"b < TRUE", "orders booleans"},
                      TypeFailure{"n LIKE '1%'", "LIKE needs text on both sides in (\"n\" LIKE '1%')"},
                      TypeFailure{"s LIKE 1", "LIKE needs text on both sides"},
                      TypeFailure{"n AND b", "AND needs conditions (true/false) on every side"},
                      TypeFailure{"b OR 1", "OR needs conditions"}, TypeFailure{"NOT s", "NOT needs conditions"},
                      TypeFailure{"s + 1 > 2", "'+' needs numbers on both sides in (\"s\" + 1)"},
                      TypeFailure{"n * b = 1", "'*' needs numbers on both sides"}, TypeFailure{"-s = 1", "'-' needs a number"},
                      TypeFailure{"n IN (1, 'a')", "IN lists text for a number"},
                      TypeFailure{"s IN (NULL, 1)", "IN lists a number for text"},
                      TypeFailure{"NULL IN (1, 'a')", "IN lists text for a number"},
                      TypeFailure{"n BETWEEN 1 AND 'z'", "BETWEEN mixes types"},
                      TypeFailure{"s BETWEEN 1 AND 2", "BETWEEN mixes types"},
                      TypeFailure{"b BETWEEN FALSE AND TRUE", "BETWEEN orders booleans"}));

TEST(ExpressionTypes, UnknownIdentifierPropagatesTheCallbacksError) {
  std::string m = type_error("nope = 1");
  EXPECT_TRUE(has(m, {"unknown column 'nope'"}));
}

// ---------------------------------------------------------------------------------------------
// like_match

TEST(LikeMatch, Cases) {
  struct Case {
    const char* text;
    const char* pattern;
    bool match;
  };
  const Case cases[] = {
      {"", "", true},          {"", "%", true},           {"", "_", false},           {"a", "", false},
      {"abc", "abc", true},    {"abc", "ABC", false},     {"abc", "a%", true},        {"abc", "%c", true},
      {"abc", "%b%", true},    {"abc", "a_c", true},      {"abc", "a_", false},       {"abc", "____", false},
      {"abc", "%%%", true},    {"abc", "%_%_%_%", true},  {"abc", "%_%_%_%_%", false}, {"aaab", "%ab", true},
      {"ab", "%b%b", false},   {"mississippi", "%iss%ppi", true}, {"mississippi", "m%s_s%i", true},
      {"a%b", "a%b", true},    {"aXb", "a%b", true},      {"a\\b", "a\\b", true},     {"a%", "a\\%", false},
      {"가나다", "가_다", true}, {"가나다", "___", true},    {"가나다", "__", false},     {"가나다", "_", false},
      {"서울-강남구", "서울%", true}, {"서울-강남구", "%-%구", true}, {"전직 군인", "전직 %", true},
      {"전직군인", "전직 %", false}, {"한국", "한_", true},    {"한국", "%국", true},      {"한", "_", true},
  };
  for (const auto& c : cases) EXPECT_EQ(like_match(c.text, c.pattern), c.match) << "'" << c.text << "' LIKE '" << c.pattern << "'";
}

// ---------------------------------------------------------------------------------------------
// The two evaluation paths: DuckDB over to_sql, and evaluate

struct Row {
  int id;
  std::optional<double> n, m;
  std::optional<std::string> s, t;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      {1, 1, 2, "가나다", kHanguk},
      {2, std::nullopt, 0, std::nullopt, "나"},
      {3, -3.5, std::nullopt, "서울-강남구", kHangukJamo},  // decomposed: equals its NFC form
      {4, 0, 0, "", std::nullopt},
      {5, 2.5, -1, "a%b_c", "abc"},
      {6, std::nullopt, std::nullopt, std::nullopt, std::nullopt},
      {7, 100, 3, kHangukJamo, "전직 군인"},
      {8, 0.1, 0.2, "it's", "a\\b"},
  };
  return r;
}

// SQL for test data, escaped here rather than with the code under test.
std::string lit(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string number_sql(std::optional<double> v) {
  if (!v) return "CAST(NULL AS DOUBLE)";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  return "CAST('" + std::string(buf, p) + "' AS DOUBLE)";
}

std::string text_sql(const std::optional<std::string>& v) { return v ? "CAST(" + lit(*v) + " AS VARCHAR)" : "CAST(NULL AS VARCHAR)"; }

std::string values_table() {
  std::string s = "(VALUES ";
  for (size_t i = 0; i < rows().size(); ++i) {
    const Row& r = rows()[i];
    s += (i ? ", (" : "(") + std::to_string(r.id) + ", " + number_sql(r.n) + ", " + number_sql(r.m) + ", " + text_sql(r.s) +
         ", " + text_sql(r.t) + ")";
  }
  return s + ") AS r(id, n, m, s, t)";
}

// The identifier SQL of a row scan (count/identifiers): numbers as DOUBLE, text NFC-normalised.
std::string column_sql(const std::string& id) {
  if (id == "n" || id == "m") return "CAST(" + quote_identifier(id) + " AS DOUBLE)";
  return "nfc_normalize(CAST(" + quote_identifier(id) + " AS VARCHAR))";
}

ValueType row_type(const std::string& id) {
  if (id == "n" || id == "m") return ValueType::number;
  if (id == "s" || id == "t") return ValueType::text;
  throw PackError("unknown column '" + id + "'");
}

Value row_value(const Row& r, const std::string& id) {
  auto num = [](const std::optional<double>& v) -> Value { return v ? Value(*v) : Value(Null{}); };
  auto txt = [](const std::optional<std::string>& v) -> Value { return v ? Value(*v) : Value(Null{}); };
  if (id == "n") return num(r.n);
  if (id == "m") return num(r.m);
  if (id == "s") return txt(r.s);
  if (id == "t") return txt(r.t);
  throw std::logic_error("no column " + id);
}

std::string number_text(double v) {
  if (std::isnan(v)) return "nan";
  if (v == 0) return "0";  // -0 and 0 are one value on both paths
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::string shown(const Value& v) {
  if (std::holds_alternative<Null>(v)) return "NULL";
  if (auto* b = std::get_if<bool>(&v)) return *b ? "TRUE" : "FALSE";
  if (auto* d = std::get_if<double>(&v)) return number_text(*d);
  return "'" + std::get<std::string>(v) + "'";
}

std::string shown_sql(const std::optional<std::string>& cell, ValueType type) {
  if (!cell) return "NULL";
  switch (type) {
    case ValueType::boolean:
      if (*cell == "true") return "TRUE";
      if (*cell == "false") return "FALSE";
      return "?" + *cell;
    case ValueType::number: return number_text(std::strtod(cell->c_str(), nullptr));
    case ValueType::text: return "'" + *cell + "'";
    case ValueType::null: return "?" + *cell;
  }
  return "?";
}

class TwoPaths : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { duck_ = new source::Duck(source::DuckConfig{.threads = 1, .external_access = true}); }
  static void TearDownTestSuite() {
    delete duck_;
    duck_ = nullptr;
  }

  // Each row's value by DuckDB, in row order.
  static std::vector<std::string> by_sql(const Expr& e, ValueType type, const std::string& table = values_table()) {
    std::string sql = "SELECT id, " + to_sql(e, column_sql) + " AS v FROM " + table + " ORDER BY id";
    auto result = duck_->query(sql, "equivalence");
    std::vector<std::string> out;
    for (const auto& row : result.rows) out.push_back(shown_sql(row[1], type));
    return out;
  }
  static std::vector<std::string> by_eval(const Expr& e) {
    std::vector<std::string> out;
    for (const Row& r : rows()) out.push_back(shown(evaluate(e, [&](const std::string& id) { return row_value(r, id); })));
    return out;
  }

  // Both paths agree on every row; returns the rows' values for further assertions. The depth
  // limit is raised so that these tests are about evaluation only (the limit has its own tests).
  static std::vector<std::string> agree(const std::string& text) {
    SCOPED_TRACE(text);
    ExprPtr e;
    try {
      e = parse_expression(text, "test", ExpressionLimits{.max_length = 10000, .max_depth = 1000});
    } catch (const std::exception& ex) {
      ADD_FAILURE() << "does not parse: " << ex.what();
      return {};
    }
    ValueType type = check_types(*e, row_type, "test");
    std::vector<std::string> sql;
    try {
      sql = by_sql(*e, type);
    } catch (const std::exception& ex) {
      ADD_FAILURE() << "DuckDB rejects " << to_sql(*e, column_sql) << ": " << ex.what();
      return {};
    }
    std::vector<std::string> eval = by_eval(*e);
    EXPECT_EQ(sql.size(), rows().size());
    for (size_t i = 0; i < std::min(sql.size(), eval.size()); ++i)
      EXPECT_EQ(sql[i], eval[i]) << "row " << rows()[i].id << " of " << text << "\n  SQL: " << to_sql(*e, column_sql);
    return eval;
  }

  static source::Duck* duck_;
};

source::Duck* TwoPaths::duck_ = nullptr;

TEST_F(TwoPaths, HandWrittenExpressionsAgree) {
  const std::vector<std::string> cases = {
      // comparisons and three-valued logic
      "n = 1", "n != 1", "n < m", "n <= m", "n > m", "n >= m", "s = '가나다'", "s < t", "s >= ''", "t = '" + kHanguk + "'",
      "t = '" + kHangukJamo + "'", "s = t", "NULL = NULL", "n = NULL", "NULL != s", "TRUE = (n > 1)", "(n > 1) != (m > 1)",
      "n > 1 AND m > 1", "n > 1 OR m > 1", "NOT n > 1", "NOT (n > 1 AND s IS NULL)", "n > 1 AND NULL", "NULL AND FALSE",
      "NULL OR TRUE", "NULL OR FALSE", "NOT NULL", "TRUE AND NULL", "(n IS NULL) OR (n > 0)",
      // IN
      "n IN (1, 2.5, 100)", "n IN (1, NULL)", "n NOT IN (1, NULL)", "n NOT IN (5, 7)", "n IN (NULL)", "n NOT IN (NULL)",
      "s IN ('가나다', '')", "t IN ('" + kHangukJamo + "', NULL)", "s NOT IN ('', 'a%b_c')", "NULL IN (1, 2)",
      "n + 1 IN (m, 2 * m)",
      // BETWEEN
      "n BETWEEN 0 AND 3", "n NOT BETWEEN 0 AND 3", "n BETWEEN m AND 3", "n BETWEEN NULL AND 3", "n NOT BETWEEN 5 AND NULL",
      "n BETWEEN 3 AND 0", "s BETWEEN '가' AND '나'", "t NOT BETWEEN 'a' AND 'z'",
      // LIKE, on Korean text too
      "s LIKE '%'", "s LIKE '_'", "s LIKE '가%'", "s LIKE '가_다'", "s LIKE '___'", "t LIKE '한_'", "t LIKE '%국'",
      "t LIKE '" + std::string("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB") + "%'", "s NOT LIKE '%-%'", "s LIKE 'a\\%%'",
      "s LIKE 'a%b_c'", "t LIKE 'a\\b'", "t LIKE '전직 %'", "s LIKE NULL", "s LIKE t", "s LIKE ''", "s LIKE '%''%'",
      // IS NULL
      "n IS NULL", "n IS NOT NULL", "s IS NULL", "t IS NOT NULL", "(n > 1) IS NULL", "n / 0 IS NULL", "NULL IS NULL",
      // arithmetic, division by zero
      "n + m", "n - m", "n * m", "n / m", "m / n", "n / 0", "-n", "- -n", "n / (m - m)", "n * 0", "(n + m) * (n - m) / 2",
      "NULL + 1", "-NULL", "n / 3", "0.1 + 0.2", "n / m > 1", "1 / n IS NULL",
      // values
      "s", "t", "n", "NULL", "TRUE", "'" + kHangukJamo + "'"};
  for (const auto& c : cases) agree(c);
}

TEST_F(TwoPaths, DecomposedJamoEqualsItsNfcForm) {
  auto v = agree("t = '" + kHanguk + "'");
  ASSERT_EQ(v.size(), rows().size());
  EXPECT_EQ(v[0], "TRUE");  // row 1: NFC
  EXPECT_EQ(v[2], "TRUE");  // row 3: jamo
  EXPECT_EQ(agree("s LIKE '한_'")[6], "TRUE");  // row 7: jamo '한국'
}

TEST_F(TwoPaths, DivisionByZeroIsNullOnBothPaths) {
  auto v = agree("n / m");
  ASSERT_EQ(v.size(), rows().size());
  EXPECT_EQ(v[1 - 1], "0.5");
  EXPECT_EQ(v[3], "NULL");  // row 4: 0 / 0
  EXPECT_EQ(v[1], "NULL");  // row 2: NULL / 0
}

TEST_F(TwoPaths, InWithNullFollowsSql) {
  auto in = agree("n IN (1, NULL)");
  auto not_in = agree("n NOT IN (1, NULL)");
  ASSERT_EQ(in.size(), rows().size());
  EXPECT_EQ(in[0], "TRUE");
  EXPECT_EQ(in[4], "NULL");
  EXPECT_EQ(not_in[0], "FALSE");
  EXPECT_EQ(not_in[4], "NULL");
}

// Random expressions from a fixed seed, typed so that every one passes check_types.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string any() {
    int k = pick(10);
    if (k == 0) return number(3);
    if (k == 1) return text();
    return boolean(4);
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <class T>
  const T& one(const std::vector<T>& v) {
    return v[static_cast<size_t>(pick(static_cast<int>(v.size())))];
  }

  std::string number(int depth) {
    int k = depth <= 0 ? pick(3) : pick(9);
    switch (k) {
      case 0: return one<std::string>({"n", "m", "\"n\"", "m"});
      case 1: return one<std::string>({"0", "1", "2.5", "100", "0.1", "3", "1e2", "0.2", "-1", "-3.5"});
      case 2: return "NULL";
      case 3:
      case 4:
      case 5:
      case 6: return "(" + number(depth - 1) + " " + one<std::string>({"+", "-", "*", "/"}) + " " + number(depth - 1) + ")";
      case 7: return "(- " + number(depth - 1) + ")";
      default: return "(" + number(depth - 1) + ")";
    }
  }

  std::string text() {
    if (pick(2) == 0) return one<std::string>({"s", "t", "\"s\"", "NULL"});
    return one<std::string>({"'가나다'", "'" + kHanguk + "'", "'" + kHangukJamo + "'", "''", "'a%b_c'", "'나'", "'서울-강남구'",
                             "'abc'", "'전직 군인'", "'it''s'", "'a\\b'", "'가'"});
  }

  std::string pattern() {
    if (pick(4) == 0) return text();
    return one<std::string>({"'%'", "'_'", "'가%'", "'%국'", "'_국'", "'한_'", "'%-%'", "'a\\%'", "'%\\_%'", "'%b_c'", "'서울%'",
                             "'\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB%'", "''", "'__'", "'%%'", "'a%b_c'", "'___'", "'%''%'",
                             "'_%_'", "'a\\b'", "'%나%'"});
  }

  std::string items(bool numeric) {
    int count = 1 + pick(4);
    std::string s;
    for (int i = 0; i < count; ++i) s += (i ? ", " : "") + (pick(4) == 0 ? std::string("NULL") : numeric ? number(1) : text());
    return s;
  }

  std::string boolean(int depth) {
    int k = depth <= 0 ? pick(8) : pick(14);
    const std::string neg = pick(3) == 0 ? "NOT " : "";
    static const std::vector<std::string> cmp = {"=", "!=", "<>", "<", "<=", ">", ">="};
    switch (k) {
      case 0: return "(" + number(2) + " " + one(cmp) + " " + number(2) + ")";
      case 1: return "(" + text() + " " + one(cmp) + " " + text() + ")";
      case 2: return "(" + number(1) + " " + neg + "IN (" + items(true) + "))";
      case 3: return "(" + text() + " " + neg + "IN (" + items(false) + "))";
      case 4: return "(" + number(1) + " " + neg + "BETWEEN " + number(1) + " AND " + number(1) + ")";
      case 5: return "(" + text() + " " + neg + "LIKE " + pattern() + ")";
      case 6: {
        int what = pick(3);
        std::string x = what == 0 ? number(2) : what == 1 ? text() : boolean(depth - 1);
        return "(" + x + (pick(2) ? " IS NULL)" : " IS NOT NULL)");
      }
      case 7: return one<std::string>({"TRUE", "FALSE", "NULL"});
      case 8:
      case 9: return "(" + boolean(depth - 1) + " AND " + boolean(depth - 1) + ")";
      case 10:
      case 11: return "(" + boolean(depth - 1) + " OR " + boolean(depth - 1) + ")";
      case 12: return "(NOT " + boolean(depth - 1) + ")";
      default:
        if (pick(2)) return "(" + text() + " " + neg + "BETWEEN " + text() + " AND " + text() + ")";
        return "(" + boolean(depth - 1) + " " + one<std::string>({"=", "!="}) + " " + boolean(depth - 1) + ")";
    }
  }

  std::mt19937 rng_;
};

TEST_F(TwoPaths, RandomExpressionsAgree) {
  Generator gen(20260515);
  std::map<std::string, int> seen, outcomes;
  for (int i = 0; i < 400; ++i) {
    std::string e = gen.any();
    seen[e]++;
    for (const auto& v : agree(e)) outcomes[v == "TRUE" || v == "FALSE" || v == "NULL" ? v : v[0] == '\'' ? "text" : "number"]++;
  }
  EXPECT_GE(seen.size(), 250u) << "the generator repeats itself";
  // Every kind of outcome occurs often, so agreement is not agreement on NULL alone.
  for (const char* kind : {"TRUE", "FALSE", "NULL", "text", "number"}) EXPECT_GE(outcomes[kind], 50) << kind;
  std::string counts;
  for (const auto& [k, n] : outcomes) counts += k + "=" + std::to_string(n) + " ";
  RecordProperty("outcomes", counts);
}

// A DOUBLE column can hold NaN (Parquet does). DuckDB orders NaN above every number and equal to
// itself; the evaluator must read it the same way.
TEST_F(TwoPaths, NanColumnValueComparesAsInDuckDb) {
  const std::string table = "(VALUES (1, CAST('NaN' AS DOUBLE), CAST(5 AS DOUBLE), CAST('x' AS VARCHAR), CAST('y' AS VARCHAR))) AS r(id, n, m, s, t)";
  Row nan_row{1, std::nan(""), 5, "x", "y"};
  for (const char* text : {"n = 5", "n != 5", "n > 5", "n < 5", "n = n", "n IN (5, 6)", "n BETWEEN 0 AND 10", "n >= m"}) {
    SCOPED_TRACE(text);
    ExprPtr e = parse_expression(text, "test");
    auto sql = by_sql(*e, ValueType::boolean, table);
    ASSERT_EQ(sql.size(), 1u);
    std::string eval = shown(evaluate(*e, [&](const std::string& id) { return row_value(nan_row, id); }));
    EXPECT_EQ(sql[0], eval);
  }
}

// DuckDB refuses SQL nested deeper than its max_expression_depth (1000). The parser's own depth
// limit must keep every accepted expression runnable, or the pack passes validation and fails
// during the scan.
TEST_F(TwoPaths, EveryAcceptedExpressionRunsInDuckDb) {
  std::string text = "n";
  for (int i = 0; i < 1000; ++i) text += " + n";
  text += " > 0";
  ExprPtr e;
  try {
    e = parse_expression(text, "test");
  } catch (const PackError&) {
    return;  // rejected at validation: fine
  }
  EXPECT_NO_THROW(by_sql(*e, ValueType::boolean)) << "accepted by the parser (" << text.size() << " characters), refused by DuckDB";
}

TEST_F(TwoPaths, SqlNumberReadsBackAsTheSameDouble) {
  for (double v : {0.1, 0.30000000000000004, 123456789.12345679, 5e-324, 1.7976931348623157e308, 9007199254740993.0, 1e22,
                   1e23, 2.2250738585072014e-308, 4.35, -0.0, -1234567890123456.7, 1.0 / 3}) {
    auto r = duck_->query("SELECT CAST(" + sql_number(v) + " AS VARCHAR)", "sql_number");
    ASSERT_TRUE(r.rows[0][0].has_value());
    double back = std::strtod(r.rows[0][0]->c_str(), nullptr);
    EXPECT_EQ(back, v) << sql_number(v) << " reads back as " << *r.rows[0][0];
  }
}

TEST_F(TwoPaths, LikeMatchAgreesWithDuckDbOnRandomPatterns) {
  std::mt19937 rng(7);
  const std::vector<std::string> alphabet = {"a", "b", "가", "나", "%", "_", "\\", "-"};
  auto word = [&](int max) {
    std::string s;
    int len = std::uniform_int_distribution<int>(0, max)(rng);
    for (int i = 0; i < len; ++i) s += alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
    return s;
  };
  std::string sql = "SELECT ";
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 300; ++i) {
    pairs.emplace_back(word(6), word(5));
    sql += (i ? ", " : "") + lit(pairs.back().first) + " LIKE " + lit(pairs.back().second);
  }
  auto r = duck_->query(sql, "like");
  ASSERT_EQ(r.rows.size(), 1u);
  for (size_t i = 0; i < pairs.size(); ++i)
    EXPECT_EQ(*r.rows[0][i] == "true", like_match(pairs[i].first, pairs[i].second))
        << "'" << pairs[i].first << "' LIKE '" << pairs[i].second << "'";
}

// ---------------------------------------------------------------------------------------------
// Hostile text: literals and quoted identifiers stay literals and identifiers.

TEST_F(TwoPaths, InjectionInAStringLiteralIsAPlainComparison) {
  TempDir scratch;
  const fs::path target = scratch / "x";
  const std::string hostile = "') ; COPY (SELECT 1) TO '" + target.string() + "'; --";
  std::string quoted;
  for (char c : hostile) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  ExprPtr e = parse_expression("s = '" + quoted + "'", "test");
  ASSERT_EQ(e->args[1]->text, hostile);
  const std::string table = "(VALUES (1, CAST(" + lit(hostile) + " AS VARCHAR)), (2, CAST('a' AS VARCHAR))) AS r(id, s)";
  auto result = duck_->query("SELECT id, " + to_sql(*e, column_sql) + " FROM " + table + " ORDER BY id", "injection");
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0][1], std::optional<std::string>("true"));
  EXPECT_EQ(result.rows[1][1], std::optional<std::string>("false"));
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(TwoPaths, QuotedIdentifierWithDoubledQuoteNamesThatColumn) {
  ExprPtr e = parse_expression("\"a\"\"b\" = 'x'", "test");
  ASSERT_EQ(e->args[0]->text, "a\"b");
  const std::string table = "(VALUES (1, CAST('x' AS VARCHAR), CAST('x' AS VARCHAR)), (2, CAST('y' AS VARCHAR), CAST('x' AS VARCHAR))) AS r(id, \"a\"\"b\", a)";
  auto result = duck_->query("SELECT id, " + to_sql(*e, column_sql) + " FROM " + table + " ORDER BY id", "identifier");
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0][1], std::optional<std::string>("true"));
  EXPECT_EQ(result.rows[1][1], std::optional<std::string>("false"));
}

TEST_F(TwoPaths, InjectionInAQuotedIdentifierNamesAColumn) {
  TempDir scratch;
  const fs::path target = scratch / "y";
  const std::string name = "x\" = 1; COPY (SELECT 1) TO '" + target.string() + "'; --";
  std::string quoted;
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  ExprPtr e = parse_expression("\"" + quoted + "\" = 'v'", "test");
  ASSERT_EQ(e->args[0]->text, name);
  const std::string table = "(VALUES (1, CAST('v' AS VARCHAR))) AS r(id, \"" + quoted + "\")";
  auto result = duck_->query("SELECT id, " + to_sql(*e, column_sql) + " FROM " + table, "identifier");
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][1], std::optional<std::string>("true"));
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(TwoPaths, UnknownHostileIdentifierIsABinderErrorWithoutSideEffects) {
  TempDir scratch;
  const fs::path target = scratch / "z";
  ExprPtr e = parse_expression("\"s\"\" IS NULL; COPY (SELECT 1) TO '" + target.string() + "'; --\" = 'v'", "test");
  EXPECT_THROW(duck_->query("SELECT " + to_sql(*e, column_sql) + " FROM " + values_table(), "identifier"), DataError);
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(TwoPaths, BackslashesAreOrdinaryCharacters) {
  // 'a\b' is three characters; 'a\'' OR TRUE' is one literal, not an OR.
  auto v = agree("t = 'a\\b'");
  ASSERT_EQ(v.size(), rows().size());
  EXPECT_EQ(v[7], "TRUE");
  for (const auto& x : agree("t = 'a\\'")) EXPECT_NE(x, "TRUE");
  ExprPtr e = parse_expression("t = 'a\\'' OR TRUE'", "test");
  EXPECT_EQ(e->kind, Expr::Kind::compare);
  EXPECT_EQ(e->args[1]->text, "a\\' OR TRUE");
  for (const auto& x : agree("t = 'a\\'' OR TRUE'")) EXPECT_NE(x, "TRUE");
}

TEST_F(TwoPaths, DoubleDashIsMinusMinusNotAComment) {
  ExprPtr e = parse_expression("n = 1 --1", "test");
  std::string sql = to_sql(*e, column_sql);
  EXPECT_EQ(sql.find("--"), std::string::npos) << sql;
  auto v = agree("n = 1 --1");
  ASSERT_EQ(v.size(), rows().size());
  EXPECT_EQ(v[0], "FALSE");  // n = 1, and 1 - (-1) = 2
}

TEST_F(TwoPaths, NewlinesAndQuotesInLiteralsSurvive) {
  ExprPtr e = parse_expression("s = 'a\n''b\"'", "test");
  auto r = duck_->query("SELECT " + to_sql(*e, [](const std::string&) { return std::string("CAST('a\n''b\"' AS VARCHAR)"); }), "literal");
  EXPECT_EQ(r.rows[0][0], std::optional<std::string>("true"));
}

// ---------------------------------------------------------------------------------------------
// evaluate and holds

TEST(Evaluate, HoldsOnlyWhenTrue) {
  auto value_of = [](const std::string& id) -> Value {
    if (id == "x") return Null{};
    return 1.0;
  };
  EXPECT_TRUE(holds(*parse_expression("y = 1", "test"), value_of));
  EXPECT_FALSE(holds(*parse_expression("y = 2", "test"), value_of));
  EXPECT_FALSE(holds(*parse_expression("x = 1", "test"), value_of));
  EXPECT_FALSE(holds(*parse_expression("NOT x = 1", "test"), value_of));
  EXPECT_TRUE(holds(*parse_expression("x IS NULL", "test"), value_of));
}

TEST(Evaluate, NormalisesIdentifierTextToNfc) {
  auto value_of = [](const std::string&) -> Value { return kHangukJamo; };
  EXPECT_TRUE(holds(*parse_expression("t = '한국'", "test"), value_of));
  EXPECT_TRUE(holds(*parse_expression("t LIKE '한_'", "test"), value_of));
  Value v = evaluate(*parse_expression("t", "test"), value_of);
  EXPECT_EQ(std::get<std::string>(v), kHanguk);
}

}  // namespace
