#include "iaf/stats/multiplicity.hpp"

#include <algorithm>
#include <numeric>

namespace iaf::stats {

std::vector<double> benjamini_hochberg(std::span<const double> p_values) {
  size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> q(m);
  double running = 1;
  for (size_t rank = m; rank-- > 0;) {
    size_t i = order[rank];
    running = std::min(running, p_values[i] * static_cast<double>(m) / static_cast<double>(rank + 1));
    q[i] = std::min(1.0, running);
  }
  return q;
}

}  // namespace iaf::stats
