#pragma once
// Benjamini–Hochberg q-values (the step-up false discovery rate adjustment).
#include <span>
#include <vector>

namespace iaf::stats {

std::vector<double> benjamini_hochberg(std::span<const double> p_values);

}  // namespace iaf::stats
