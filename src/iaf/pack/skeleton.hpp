#pragma once
// `iaf init`: a commented audit.toml skeleton written from a dataset's profile. It declares one
// attribute per column worth auditing (labels as seen, numeric columns binned), a disclosure to
// fill in from the dataset card, and a commented reference and check template per attribute.
#include <string>
#include <vector>

#include "iaf/source/profile.hpp"

namespace iaf::pack {

struct SkeletonInput {
  std::string name;          // [audit] name
  std::string dataset_path;  // [dataset] path, as the pack should write it (relative to the pack)
  std::string made_from;     // how the profile was taken, for the header comment
  size_t max_labels = 200;   // a text column with more distinct labels is not made an attribute
};

// Equal-width bin edges over [lo, hi] with the smallest round step (1, 2, 5 or 10 × 10^k) of at
// least an eighth of the range, so 4 to 9 edges; the first is at or below lo, the last bin is
// open-ended.
std::vector<double> nice_bins(double lo, double hi);
// One label per bin: "20-29" for integer edges, "[2.5, 5)" otherwise; the last "90+" or "≥ 90".
std::vector<std::string> bin_labels(const std::vector<double>& edges, bool integers);

// The text of audit.toml. Every value in it comes from the profile or `input`.
std::string pack_skeleton(const std::vector<source::ColumnProfile>& profile, const SkeletonInput& input);

}  // namespace iaf::pack
