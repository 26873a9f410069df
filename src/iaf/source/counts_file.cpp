#include "iaf/source/counts_file.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include "iaf/core/error.hpp"

namespace iaf::source {

CountsFile read_counts(Duck& duck, const std::filesystem::path& file, const std::string& count_column) {
  const std::string name = file.string();
  RowSource src({file});
  CountsFile out;
  out.columns = src.columns(duck);
  size_t count_col = out.columns.size();
  for (size_t i = 0; i < out.columns.size(); ++i)
    if (out.columns[i].name == count_column) count_col = i;
  if (count_col == out.columns.size()) throw DataError(name + ": counts table has no count column '" + count_column + "'");
  out.rows = src.read_text(duck);
  // Before the type check: with no rows DuckDB types every column as text.
  if (out.rows.rows.empty()) throw DataError(name + ": counts table has no rows (only a header); nothing was counted");
  if (!out.columns[count_col].numeric)
    throw DataError(name + ": count column '" + count_column + "' is not numeric (no thousands separators, no text)");

  std::set<std::vector<std::optional<std::string>>> seen;
  for (size_t r = 0; r < out.rows.rows.size(); ++r) {
    auto row = out.rows.rows[r];
    const auto& cell = row[count_col];
    double v = -1;
    if (cell) std::from_chars(cell->data(), cell->data() + cell->size(), v);
    std::string where = name + " data row " + std::to_string(r + 1);
    if (!cell || !std::isfinite(v) || v < 0)
      throw DataError(where + ": count '" + cell.value_or("") + "' is not a finite non-negative number");
    out.mass.push_back(v);
    row.erase(row.begin() + static_cast<std::ptrdiff_t>(count_col));
    if (!seen.insert(std::move(row)).second)
      throw DataError(where + ": the same cell appears twice (every column but '" + count_column +
                      "' repeats an earlier row); each cell must appear once, so merge shards before auditing");
  }
  return out;
}

}  // namespace iaf::source
