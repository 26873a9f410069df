#include "iaf/source/counts_file.hpp"

#include <cmath>
#include <set>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::source {

std::vector<std::string> counts_file_columns(Duck& duck, const std::filesystem::path& file) {
  std::vector<std::string> out;
  for (const auto& c : RowSource({file}).columns(duck)) out.push_back(c.name);
  return out;
}

CountsFile read_counts(Duck& duck, const std::filesystem::path& file, const std::vector<std::string>& dims,
                       const std::string& count_column) {
  RowSource src({file});
  auto cols = src.columns(duck);
  CountsFile out;
  for (const auto& c : cols) out.columns.push_back(c.name);
  auto has = [&](const std::string& name) -> const ColumnInfo* {
    for (const auto& c : cols)
      if (c.name == name) return &c;
    return nullptr;
  };
  for (const auto& d : dims)
    if (!has(d)) throw DataError(file.string() + ": counts file has no column '" + d + "'");
  const ColumnInfo* count = has(count_column);
  if (!count) throw DataError(file.string() + ": counts file has no count column '" + count_column + "'");
  if (!count->numeric)
    throw DataError(file.string() + ": count column '" + count_column + "' is " + count->type +
                    ", not a number; counts must be numeric (no thousands separators)");

  std::string select;
  for (const auto& d : dims) select += "CAST(" + quote_identifier(d) + " AS VARCHAR), ";
  select += "CAST(" + quote_identifier(count_column) + " AS DOUBLE)";
  auto r = duck.query("SELECT " + select + " FROM " + src.relation(), file.string());

  out.table = CountTable(dims);
  std::set<std::vector<std::string>> seen;
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const auto& row = r.rows[i];
    std::string where = file.string() + ": data row " + std::to_string(i + 1);
    std::vector<std::string> labels;
    for (size_t d = 0; d < dims.size(); ++d)
      labels.push_back(row[d] ? nfc(*row[d], where) : std::string(kMissingLabel));
    const auto& cell = row[dims.size()];
    if (!cell) throw DataError(where + ": empty count");
    double v = std::stod(*cell);
    if (!std::isfinite(v) || v < 0) throw DataError(where + ": count " + *cell + " is not a finite non-negative number");
    if (!seen.insert(labels).second) {
      std::string key;
      for (const auto& l : labels) key += (key.empty() ? "" : ", ") + l;
      throw DataError(where + ": the cell (" + key + ") appears twice; each cell must appear once");
    }
    out.table.add(labels, v);
  }
  out.rows = r.rows.size();
  return out;
}

}  // namespace iaf::source
