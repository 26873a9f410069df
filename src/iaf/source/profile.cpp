#include "iaf/source/profile.hpp"

#include <algorithm>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/core/sql_text.hpp"

namespace iaf::source {

std::vector<ColumnProfile> profile(Duck& duck, const RowSource& src, const std::vector<std::string>& columns, size_t top) {
  auto all = src.columns(duck);
  std::vector<ColumnInfo> chosen;
  if (columns.empty()) chosen = all;
  for (const auto& c : columns) {
    auto it = std::find_if(all.begin(), all.end(), [&](const ColumnInfo& x) { return x.name == c; });
    if (it == all.end()) throw DataError("dataset: no column '" + c + "' to profile");
    chosen.push_back(*it);
  }
  std::vector<ColumnProfile> out;
  std::string rel = src.relation();
  for (const auto& c : chosen) {
    ColumnProfile p{c.name, c.type, c.numeric};
    std::string q = quote_identifier(c.name);
    std::string stats = "SELECT count(*), count(*) - count(" + q + "), count(DISTINCT " + q + ")";
    if (c.numeric) stats += ", min(" + q + ")::DOUBLE, max(" + q + ")::DOUBLE";
    auto s = duck.query(stats + " FROM " + rel, "profile of column " + c.name);
    p.rows = std::stoull(s.rows[0][0].value_or("0"));
    p.missing = std::stoull(s.rows[0][1].value_or("0"));
    p.distinct = std::stoull(s.rows[0][2].value_or("0"));
    if (c.numeric && s.rows[0][3]) {
      p.min = std::stod(*s.rows[0][3]);
      p.max = std::stod(*s.rows[0][4]);
    }
    auto t = duck.query("SELECT CAST(" + q + " AS VARCHAR) AS v, count(*) AS n FROM " + rel + " WHERE " + q +
                            " IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT " + std::to_string(top),
                        "profile of column " + c.name);
    for (const auto& row : t.rows) p.top.emplace_back(nfc(row[0].value_or("")), std::stoull(row[1].value_or("0")));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace iaf::source
