#pragma once
// Alignment of a check's two sides: the synthetic counts (raw labels, in the check's universe)
// pass through each attribute's crosswalk variant, both sides are laid on the union codebook of
// every dimension (a label on one side only is kept, with zero mass on the other), and the mass no
// crosswalk maps is measured, never silently renormalised away.
//
// The route from raw cells to aligned cells is kept, so a bootstrap replicate of the raw counts is
// re-aligned without touching labels again.
#include <map>
#include <tuple>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "iaf/core/codebook.hpp"
#include "iaf/core/count_table.hpp"
#include "iaf/core/dense_table.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::checks {

using VariantChoice = std::map<std::string, std::string>;  // crosswalk id → variant

// The default variant of every crosswalk, with `overrides` ("crosswalk:variant") applied.
VariantChoice variants_for(const pack::AuditPack& pack, const std::vector<std::string>& overrides = {});

class Alignment {
 public:
  // `raw`: the synthetic grouping (dims = the check's attributes); `reference`: the reference's
  // masses marginalised to the same dims.
  Alignment(const CountTable& raw, const CountTable& reference, const pack::AuditPack& pack, const VariantChoice& variants);

  const std::vector<std::string>& dims() const { return dims_; }
  const std::vector<Codebook>& codebooks() const { return books_; }
  const std::vector<std::string>& synthetic_only(size_t d) const { return synthetic_only_[d]; }
  const std::vector<std::string>& reference_only(size_t d) const { return reference_only_[d]; }
  std::vector<size_t> shape() const;

  const std::vector<double>& raw() const { return raw_; }
  // Mapped synthetic masses on the aligned grid, for the observed raw masses or a replicate.
  DenseTable synthetic(std::span<const double> raw) const;
  DenseTable synthetic() const { return synthetic(raw_); }
  const DenseTable& reference() const { return reference_; }

  double total(std::span<const double> raw) const;
  double unmapped(std::span<const double> raw) const;
  bool crosswalked() const { return crosswalked_; }
  // Mapped share of the synthetic mass (1 when no crosswalk applies); 0 for an empty universe.
  double coverage(std::span<const double> raw) const;
  double coverage() const { return coverage(raw_); }
  // Unmapped raw labels with their mass, heaviest first, per crosswalked dimension.
  const std::vector<std::tuple<std::string, std::string, double>>& unmapped_labels() const { return unmapped_labels_; }

  // Unmapped synthetic mass by the aligned label of dimension `d` (which must carry no crosswalk),
  // e.g. the unmapped occupations' mass by sex.
  std::vector<double> unmapped_by(size_t d) const;

  // "label × label" of a flat aligned cell.
  std::string cell_label(size_t flat) const;
  std::vector<std::string> cell_labels(size_t flat) const;

 private:
  std::vector<std::string> dims_;
  std::vector<Codebook> books_;
  std::vector<std::vector<std::string>> synthetic_only_, reference_only_;
  std::vector<double> raw_;
  std::vector<std::vector<std::pair<size_t, double>>> route_;  // raw cell → aligned flat cells
  std::vector<double> unmapped_weight_;                        // raw cell's unmapped share
  std::vector<std::vector<uint32_t>> raw_aligned_code_;        // raw cell → aligned code per plain dimension
  DenseTable reference_;
  bool crosswalked_ = false;
  std::vector<std::tuple<std::string, std::string, double>> unmapped_labels_;  // dim, label, mass
};

}  // namespace iaf::checks
