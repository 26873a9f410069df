#pragma once
// The count plan: every grouping any check needs — attributes (raw labels, before crosswalks) and
// rule or bounds indicators, within a universe — so that one scan (or the counts tables) produces
// all of them.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "iaf/pack/expression.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::count {

// A boolean expression counted as a dimension with labels "true", "false" and kMissingLabel.
struct Indicator {
  std::string name;  // e.g. "military-rank-rules:scope"
  std::string text;
  pack::ExprPtr expr;
};

struct Dim {
  enum Kind { attribute, indicator } kind = attribute;
  std::string name;
  bool operator==(const Dim&) const = default;
  auto operator<=>(const Dim&) const = default;
};

struct Grouping {
  std::vector<Dim> dims;
  std::string universe;  // canonical text of the universe expression; empty: every row
  bool operator==(const Grouping&) const = default;
  auto operator<=>(const Grouping&) const = default;
  std::string describe() const;
};

// A rule check's request for example row ids: rows where `scope` holds and `assertion` does not.
struct ExampleRequest {
  std::string check;
  std::string scope, assertion;  // indicator names
  std::string universe;
};

struct Plan {
  std::vector<Grouping> groupings;
  std::map<std::string, Indicator> indicators;
  std::map<std::string, pack::ExprPtr> universes;  // canonical text → expression
  std::map<std::string, std::string> universe_where; // canonical text → where the first check using it says so
  std::vector<ExampleRequest> examples;
  std::map<std::string, size_t> check_grouping;    // check id → its main grouping
  std::map<std::string, size_t> check_standardise; // share check id → its o × g × t grouping

  size_t index(const Grouping& g) const;
  // Where a universe was written, for messages ("universe TEXT" when no check names it).
  std::string universe_origin(const std::string& text) const;
};

// True label of an indicator (false and missing are the others).
inline constexpr const char* kTrueLabel = "true";
inline constexpr const char* kFalseLabel = "false";

Plan plan_counts(const pack::AuditPack& pack);

}  // namespace iaf::count
