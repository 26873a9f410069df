#pragma once
// Association of a two-way table (rows A, columns B): χ² of independence, Cramér's V and its
// bias-corrected form, Tschuprow's T, entropies, mutual information, NMI and Theil's U.
#include <cstddef>

#include "iaf/core/dense_table.hpp"
#include "iaf/stats/metric.hpp"

namespace iaf::stats {

struct Association {
  double n = 0;
  size_t rows_used = 0, cols_used = 0;  // rows and columns with non-zero totals
  double df = 0;
  Metric chi2, log10_p, chi2_yates, g, cramers_v, cramers_v_bc, tschuprow_t;
  Metric h_rows, h_cols, h_joint, mi, mi_bits, nmi;
  Metric u_cols_given_rows, u_rows_given_cols;  // U(B|A), U(A|B)
};

Association association(const DenseTable& table);

double entropy_nats(const std::vector<double>& masses);

}  // namespace iaf::stats
