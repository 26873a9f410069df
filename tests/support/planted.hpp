#pragma once
// Planted-truth data: counts drawn from a known distribution with iaf's own seeded sampler, and
// rows that realise exactly those counts (so a test knows the synthetic side cell by cell).
#include <string>
#include <vector>

#include "iaf/stats/sampling.hpp"

namespace iaf::testing {

// Multinomial counts of `n` draws from `probs` (masses), on stream `stream` of `seed`.
inline std::vector<uint64_t> draw_counts(uint64_t n, const std::vector<double>& probs, uint64_t seed, uint64_t stream = 0) {
  stats::Rng rng(seed, stream);
  return stats::multinomial(rng, n, probs);
}

// Rows realising `counts` over the cells of a grid whose labels are given per dimension (cell
// index = row-major over `labels`), each row prefixed with an id "r<k>". Rows are interleaved
// deterministically so shards and scans do not see one cell at a time.
inline std::vector<std::vector<std::string>> rows_for(const std::vector<uint64_t>& counts,
                                                      const std::vector<std::vector<std::string>>& labels) {
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> left = counts;
  bool any = true;
  size_t id = 0;
  while (any) {
    any = false;
    for (size_t cell = 0; cell < left.size(); ++cell) {
      if (!left[cell]) continue;
      --left[cell];
      any = true;
      std::vector<std::string> row = {"r" + std::to_string(id++)};
      size_t flat = cell;
      std::vector<std::string> fields(labels.size());
      for (size_t d = labels.size(); d-- > 0;) {
        fields[d] = labels[d][flat % labels[d].size()];
        flat /= labels[d].size();
      }
      row.insert(row.end(), fields.begin(), fields.end());
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace iaf::testing
