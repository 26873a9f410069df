#pragma once
// The count stage's result and its two sources: one scan of the rows, or the dataset's counts
// tables. Everything after this stage works on these sparse tables.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "iaf/core/count_table.hpp"
#include "iaf/count/fingerprints.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::count {

struct InputFile {
  std::string role;  // "rows", "counts", "pack", "reference …", "crosswalk …"
  std::string path;
  uint64_t bytes = 0;
  std::string fingerprint;  // "xxh3-128:…" or "sha256:…"
  int64_t rows = -1;        // data rows, when read
};

struct GroupingCounts {
  CountTable table;        // dims in the grouping's order, raw labels
  std::string served_by;   // "rows" or the counts table's file name
  std::string missing;     // non-empty: no source can produce this grouping, and why
};

struct Counts {
  std::vector<GroupingCounts> groupings;  // parallel to Plan::groupings
  std::vector<InputFile> inputs;          // the dataset's files
  std::map<std::string, std::vector<std::string>> examples;  // rule check → violating row ids
  std::string mode;                       // "rows" or "counts"
  uint64_t rows = 0;                      // rows scanned (rows mode)
};

enum class Kernel {
  reference,  // the first implementation: labels as strings, one hash insert per row and grouping
  fast,       // dictionary-encoded codes, dense or hashed counters (the default)
};

struct RowOptions {
  std::vector<std::filesystem::path> files;
  unsigned threads = 1;
  Fingerprint hash = Fingerprint::xxh3;
  Kernel kernel = Kernel::fast;
  size_t max_examples = 20;
  std::string temp_directory;
  // The files' fingerprints, when they were started before the scan (iaf audit starts them as
  // soon as the files are known); otherwise count_rows starts them.
  std::shared_ptr<Fingerprints> fingerprints;
  // Called now and then while rows are read: rows so far over all files, and the percentage of
  // the whole scan (−1 when unknown). Empty: no progress is tracked at all.
  std::function<void(uint64_t rows, double percentage)> progress;
};

// One scan of the rows produces every grouping of the plan.
Counts count_rows(const pack::AuditPack& pack, const Plan& plan, const RowOptions& options);

// Each grouping from the first counts table that holds its attributes and the columns its universe
// needs (and whose scope the universe implies); otherwise the grouping is marked missing.
Counts count_tables(const pack::AuditPack& pack, const Plan& plan, const std::vector<pack::CountsSpec>& tables,
                    unsigned threads, Fingerprint hash);

// DataError when any grouping's attribute has more labels than `limit` (Limits::max_cardinality).
void check_cardinality(const Counts& counts, uint64_t limit, const std::string& source);

}  // namespace iaf::count
