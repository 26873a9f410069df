#pragma once
// The pack expression language (DESIGN.md): column names, string and number literals,
// = != < <= > >=, IN (…), BETWEEN, LIKE, IS NULL, AND OR NOT, parentheses, + - * /.
// Packs never carry SQL: iaf parses this language itself into an AST, then translates it to SQL
// for row scans (expression_sql) or evaluates it directly on counts tables (expression_eval).
#include <cstddef>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace iaf::pack {

// Limits against hostile packs (docs/pack-format.md, Limits). The person running the audit can
// change them on the command line; a pack cannot raise its own.
struct ExpressionLimits {
  size_t max_length = 10000;  // bytes
  size_t max_depth = 100;     // depth of the parsed tree: nested operators and parentheses
};

// The depth no limit can raise: the parser recurses a few frames per level, and DuckDB refuses
// SQL nested deeper than its max_expression_depth (1000) anyway.
inline constexpr size_t kExpressionDepthCeiling = 1000;

struct Expr {
  enum class Kind {
    literal_null, literal_bool, literal_number, literal_string,
    identifier,
    negate,        // unary minus: args[0]
    arithmetic,    // op in + - * /: args[0] op args[1]
    compare,       // op in = != < <= > >=
    and_, or_, not_,
    in_list,       // args[0] IN (args[1..]); negated for NOT IN
    between,       // args[0] BETWEEN args[1] AND args[2]; negated for NOT BETWEEN
    like,          // args[0] LIKE args[1]; negated for NOT LIKE
    is_null,       // args[0] IS NULL; negated for IS NOT NULL
  };
  Kind kind;
  std::string op;      // for arithmetic and compare
  std::string text;    // identifier name or string literal (NFC)
  double number = 0;
  bool boolean = false;
  bool negated = false;
  size_t depth = 1;  // of the tree below and including this node
  std::vector<std::shared_ptr<const Expr>> args;
};

using ExprPtr = std::shared_ptr<const Expr>;

// Parses `text`; throws PackError naming `where` (e.g. "audit.toml line 40, check.universe") and the
// character position on any syntax error or limit breach.
ExprPtr parse_expression(std::string_view text, std::string_view where, const ExpressionLimits& limits = {});

// Every identifier the expression reads.
std::set<std::string> identifiers(const Expr& e);

// Canonical text of an expression (for messages, and to compare two expressions structurally).
std::string to_text(const Expr& e);

// The top-level AND conjuncts of an expression (an expression that is no AND is its own conjunct).
std::vector<ExprPtr> conjuncts(const ExprPtr& e);

}  // namespace iaf::pack
