#pragma once
// A profile of a row dataset: each column's type, distinct count, missing share and most frequent
// values with their counts — the start of a pack.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "iaf/source/dataset.hpp"

namespace iaf::source {

struct ColumnProfile {
  std::string name, type;
  bool numeric = false;
  uint64_t rows = 0, missing = 0, distinct = 0;
  std::optional<double> min, max;                            // numeric columns
  std::vector<std::pair<std::string, uint64_t>> top;         // value → count, most frequent first
};

// Profiles `columns` (every column when empty), keeping the `top` most frequent values.
std::vector<ColumnProfile> profile(Duck& duck, const RowSource& src, const std::vector<std::string>& columns, size_t top);

}  // namespace iaf::source
