#pragma once
// Counts files: a tidy table of label columns plus one count column (CSV, TSV, Parquet or JSON
// lines). This is how an audit runs on aggregates only; the count stage turns the rows into cells.
#include <filesystem>
#include <string>
#include <vector>

#include "iaf/source/dataset.hpp"
#include "iaf/source/duck.hpp"

namespace iaf::source {

struct CountsFile {
  std::vector<ColumnInfo> columns;  // every column the file has, with its type
  TextResult rows;                  // every row as written (labels such as "01" kept), the count included
  std::vector<double> mass;         // each row's count
};

// Reads a counts file whole. An error names the file and row when the file has no rows, lacks the
// count column, or holds a count that is not a finite non-negative number; the same cell (every
// non-count column equal) twice is an error too: merge shards explicitly.
CountsFile read_counts(Duck& duck, const std::filesystem::path& file, const std::string& count_column);

}  // namespace iaf::source
