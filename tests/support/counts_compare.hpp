#pragma once
// Two count stages compared the way the kernels must agree: every grouping's cells by their labels
// (whatever codes each side gave them), masses exactly, and the same example ids per rule check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "iaf/count/counts.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::testing {

inline std::map<std::vector<std::string>, double> cells_by_label(const CountTable& t) {
  std::map<std::vector<std::string>, double> out;
  for (const auto& [key, mass] : t.cells()) {
    std::vector<std::string> labels;
    for (size_t d = 0; d < key.size(); ++d) labels.push_back(t.codebook(d).label(key[d]));
    out[labels] = mass;
  }
  return out;
}

// One kernel's count of `rows` for every grouping of `plan`.
inline count::Counts counted_rows(const pack::AuditPack& pack, const count::Plan& plan, const std::filesystem::path& rows,
                                  count::Kernel kernel, unsigned threads) {
  count::RowOptions o;
  o.files = {rows};
  o.kernel = kernel;
  o.threads = threads;
  return count::count_rows(pack, plan, o);
}

// Masses exactly, or with `rel_tol` for weighted rows: the reference kernel adds weights in
// floating point in row order, the fast kernel exactly in fixed point, so they agree to rounding.
// Cells, labels, example ids and row counts agree exactly either way.
inline void expect_same_counts(const count::Counts& a, const count::Counts& b, const std::string& what, double rel_tol = 0) {
  ASSERT_EQ(a.groupings.size(), b.groupings.size()) << what;
  for (size_t g = 0; g < a.groupings.size(); ++g) {
    EXPECT_EQ(a.groupings[g].table.dims(), b.groupings[g].table.dims()) << what << ", grouping " << g;
    auto x = cells_by_label(a.groupings[g].table), y = cells_by_label(b.groupings[g].table);
    if (rel_tol == 0) {
      EXPECT_EQ(x, y) << what << ", grouping " << g;
      continue;
    }
    ASSERT_EQ(x.size(), y.size()) << what << ", grouping " << g;
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
      EXPECT_EQ(i->first, j->first) << what << ", grouping " << g;
      EXPECT_LE(std::abs(i->second - j->second), rel_tol * std::max(i->second, j->second)) << what << ", grouping " << g;
    }
  }
  EXPECT_EQ(a.examples, b.examples) << what;
  EXPECT_EQ(a.rows, b.rows) << what;
}

}  // namespace iaf::testing
