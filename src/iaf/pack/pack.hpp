#pragma once
// An audit pack (DESIGN.md, "Audit pack format"): audit.toml plus the references, crosswalks and
// counts tables it names. load_pack reads and validates all of it; nothing is read later that was
// not checked here (paths, sha256s, ids, expressions, labels).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "iaf/pack/attribute.hpp"
#include "iaf/pack/crosswalk.hpp"
#include "iaf/pack/expression.hpp"
#include "iaf/pack/reference.hpp"

namespace iaf::pack {

struct Limits {
  uint64_t max_pack_bytes = 1 << 20;        // audit.toml
  uint64_t max_crosswalk_rows = 100000;
  uint64_t max_reference_rows = 1000000;
  uint64_t max_checks = 1000;
  uint64_t max_cardinality = 100000;         // distinct labels of one attribute
  ExpressionLimits expression;
};

struct LoadOptions {
  bool allow_outside_pack = false;           // paths may leave the pack folder
  bool accept_changed_references = false;    // a reference whose sha256 differs is used, and recorded
  Limits limits;
};

struct AuditInfo {
  std::string name, locale, description;
  uint64_t seed = 20260515;
};

// A counts table of the dataset: attribute or raw columns + a count column, covering the rows
// where `scope` holds (all rows when absent).
struct CountsSpec {
  std::filesystem::path file;
  std::string scope_text;
  ExprPtr scope;
  std::string count_column = "count";
};

struct DatasetSpec {
  std::optional<std::string> path;  // a file or glob of rows, relative to the pack
  std::vector<CountsSpec> counts;   // … or counts tables
  std::string id_column, weight, revision, name, universe, vintage, licence, source;
};

struct Disclosure {
  std::string id, quote, source;
  std::vector<std::vector<std::string>> combinations;  // attribute or column names
  std::map<std::string, std::string> needs;             // combination key → what reference would audit it
  int line = 0;
};

enum class CheckType { marginal, joint, conditional, share, rule, bounds };
const char* check_type_name(CheckType t);

struct StratumBounds {
  std::string stratum;
  double lo = 0, hi = 1;
};

struct Ordering {
  std::string higher, lower;  // rate(higher) > rate(lower)
  std::string text;
};

struct Check {
  std::string id, disclosure, reference, description;
  CheckType type = CheckType::marginal;
  std::vector<std::string> attributes;     // marginal [A]; joint [A, B(, C)]; conditional [A, B] = B given A;
                                           // share [O, B]; bounds [stratum]
  std::string universe_text;
  ExprPtr universe;                        // synthetic-side filter; null = every row
  std::string universe_where;              // "audit.toml line N, [[check]] … key 'universe'", for messages
  std::map<std::string, double> thresholds;
  std::vector<std::string> sensitivity;    // "crosswalk:variant", default first
  std::vector<std::string> covers;         // the disclosed combination it audits (default: from its attributes)
  // The check recomputed at a shared taxonomy (e.g. ISCO-08 major groups) for `iaf compare`: one
  // attribute's aligned labels mapped through a crosswalk on both sides.
  std::string rollup_attribute, rollup_crosswalk;
  // share
  std::pair<std::string, std::string> target;  // attribute, level
  std::string standardise_attribute, standardise_weights;
  // rule and bounds
  std::string statement;                   // the rule reference's statement this check tests
  std::string scope_text, assert_text, event_text;
  ExprPtr scope, assertion, event;
  std::vector<StratumBounds> bounds;
  std::vector<Ordering> orderings;
  int line = 0;
};

struct AuditPack {
  std::filesystem::path root;       // the pack folder
  std::filesystem::path toml;       // its audit.toml
  std::string toml_sha256;
  AuditInfo audit;
  DatasetSpec dataset;
  std::vector<Disclosure> disclosures;
  std::vector<Attribute> attributes;
  std::vector<CrosswalkSpec> crosswalks;
  std::vector<Reference> references;
  std::vector<Check> checks;
  Limits limits;

  const Attribute& attribute(const std::string& name) const;
  const Attribute* find_attribute(const std::string& name) const;
  const Reference& reference(const std::string& id) const;
  const CrosswalkSpec& crosswalk(const std::string& id) const;
  const Disclosure& disclosure(const std::string& id) const;
  // The files that make up the method: audit.toml, crosswalks and references, with their roles.
  // The dataset (rows or counts tables) is not among them: it is what the pack audits.
  std::vector<std::pair<std::string, std::filesystem::path>> pack_files() const;
};

// Reads PACK (a folder or its audit.toml). Throws PackError (exit 2) for pack mistakes and
// DataError (exit 3) for missing files and checksum mismatches.
AuditPack load_pack(const std::filesystem::path& pack, const LoadOptions& options = {});

// Resolves `path` against the pack folder; throws PackError if it leaves the folder (after
// following symlinks) and `allow_outside` is false.
std::filesystem::path resolve_in_pack(const std::filesystem::path& root, const std::string& path, bool allow_outside,
                                      const std::string& where);

}  // namespace iaf::pack
