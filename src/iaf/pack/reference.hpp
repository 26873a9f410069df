#pragma once
// References: official tables (counts or shares) or institutional rules, each with the manifest a
// reviewer needs to trust it (publisher, table, vintage, universe, unit, kind, sample size, design
// effect, licence, caveat, sha256), loaded into a count table keyed by attribute labels.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "iaf/core/count_table.hpp"

namespace iaf::pack {

enum class ReferenceKind { census, register_, survey, rule };
const char* reference_kind_name(ReferenceKind k);

struct RuleStatement {
  std::string id, text, source;
};

struct UpstreamFile {
  std::string file, sha256, origin;
};

struct Reference {
  std::string id;
  ReferenceKind kind = ReferenceKind::census;
  std::filesystem::path file;  // empty for rule references without a table
  std::string sha256_declared, sha256_actual;
  bool sha256_changed = false;  // accepted with --accept-changed-references
  std::string publisher, table, vintage, universe, unit, licence, caveat, url, citation;
  std::optional<double> sample_size, design_effect, persons_per_unit;
  std::string sample_unit;
  double scale = 1;
  std::string measure = "count";  // or "share" (the table sums to share_total)
  double share_total = 100, share_tolerance = 0.5;
  std::string dash = "error";     // how a "-" cell reads: error, or zero (KOSIS: no respondent)
  std::vector<std::pair<std::string, std::string>> columns;  // attribute → column of the file
  std::string count_column;
  std::vector<RuleStatement> statements;
  std::vector<UpstreamFile> upstream;
  int line = 0;

  CountTable masses;  // loaded masses, dims = the attributes in `columns` order
  uint64_t rows = 0;

  // n for the survey forms of the tests (sample_size · persons_per_unit / design_effect);
  // infinite for census and register references.
  double effective_n() const;
  bool is_survey() const { return kind == ReferenceKind::survey; }
};

}  // namespace iaf::pack

namespace iaf::source {
class Duck;
}

namespace iaf::pack {

struct Attribute;

// Reads the reference's file into `ref.table`: labels through each attribute's derivation
// (label_from_table), checked against its declared labels; values parsed here so that a bad cell
// is reported with its row and column. Throws DataError.
void load_reference_table(source::Duck& duck, Reference& ref,
                          const std::function<const Attribute*(const std::string&)>& attribute, uint64_t max_rows);

}  // namespace iaf::pack
