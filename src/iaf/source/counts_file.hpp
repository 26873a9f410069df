#pragma once
// Counts files: a tidy table of attribute columns plus one count column (CSV, TSV, Parquet or
// JSON lines), read into a CountTable. This is how an audit runs on aggregates only.
#include <filesystem>
#include <string>
#include <vector>

#include "iaf/core/count_table.hpp"
#include "iaf/source/duck.hpp"

namespace iaf::source {

struct CountsFile {
  CountTable table;
  uint64_t rows = 0;                 // data rows in the file
  std::vector<std::string> columns;  // every column the file has
};

// Reads `dims` (in that order) and `count_column`. Counts must be finite and non-negative; a NULL
// label is counted under kMissingLabel; the same cell twice is an error (merge shards explicitly).
CountsFile read_counts(Duck& duck, const std::filesystem::path& file, const std::vector<std::string>& dims,
                       const std::string& count_column);

// The column names of a counts file, to decide which dimensions it can serve.
std::vector<std::string> counts_file_columns(Duck& duck, const std::filesystem::path& file);

}  // namespace iaf::source
