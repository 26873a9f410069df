#pragma once
// A check recomputed at a shared taxonomy (DESIGN.md, Cross-locale): one attribute's aligned
// labels — KSCO major groups, SOC major groups — mapped through a crosswalk onto common categories
// (ISCO-08 major groups) on both sides, so `iaf compare` can set a 26-category reference beside a
// 500-code one without the taxonomy's size deciding the flag counts.
#include <vector>

#include "iaf/checks/context.hpp"
#include "iaf/core/codebook.hpp"
#include "iaf/core/dense_table.hpp"

namespace iaf::checks {

// Writes details.rollup (taxonomy, k before and after, coverage, the deciding metric, its verdict,
// testable and flagged cells and the flag rate) when the check names a rollup.
void add_rollup(CheckResult& r, const CheckContext& ctx, const pack::Check& check, const std::vector<Codebook>& books,
                const DenseTable& p, const DenseTable& q);

}  // namespace iaf::checks
