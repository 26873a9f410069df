#pragma once
// A sparse N-dimensional table of counts keyed by labels: the interface between counting and
// everything after it (DESIGN.md, "Counts are the interface").
//
// Masses are doubles. Integer counts stay exact because every integer below 2^53 is a double and
// sums of such integers are exact while they stay below 2^53 (9·10^15 rows); weighted datasets and
// crosswalk splits give fractional masses. Cells iterate in code order, so every sum over a table
// is taken in the same order on every run and thread count.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "iaf/core/codebook.hpp"
#include "iaf/core/dense_table.hpp"

namespace iaf {

using CellKey = std::vector<uint32_t>;  // one code per dimension

class CountTable {
 public:
  CountTable() = default;
  explicit CountTable(std::vector<std::string> dims);
  CountTable(std::vector<std::string> dims, std::vector<Codebook> books);

  const std::vector<std::string>& dims() const { return dims_; }
  size_t rank() const { return dims_.size(); }
  size_t dim(std::string_view name) const;  // index of a dimension; throws if absent
  bool has_dim(std::string_view name) const;
  const Codebook& codebook(size_t d) const { return books_.at(d); }
  const std::vector<Codebook>& codebooks() const { return books_; }
  const std::map<CellKey, double>& cells() const { return cells_; }

  // Adds `mass` to the cell with these labels, one per dimension (new labels are interned).
  void add(const std::vector<std::string>& labels, double mass);
  void add_codes(const CellKey& codes, double mass);
  double get(const std::vector<std::string>& labels) const;  // 0 for an absent cell
  double total() const;
  bool integral() const;  // every mass a whole number

  // The table summed over every dimension not in `keep`, with `keep`'s order.
  CountTable marginal(const std::vector<std::string>& keep) const;
  // The cells where `dim` has `label`, with that dimension removed (the basis of p(·|a)).
  CountTable slice(std::string_view dim, std::string_view label) const;
  // The same masses with dimension `dim` coded by `target`; every label of `dim` must be in
  // `target` (build it with union_codebook). Labels of `target` never seen keep zero mass.
  CountTable aligned(std::string_view dim, const Codebook& target) const;
  // Each label of `dim` replaced by weighted target labels (a crosswalk). Labels for which `map`
  // returns nothing are passed to `unmapped` with their mass and dropped from the result.
  using Mapping = std::function<std::vector<std::pair<std::string, double>>(const std::string&)>;
  CountTable relabelled(std::string_view dim, const Mapping& map,
                        const std::function<void(const std::string&, double)>& unmapped) const;
  // Adds another partial table with the same dimensions (per-thread or per-shard counts).
  void merge(const CountTable& other);
  // The table on the full grid of its codebooks, in `dims()` order.
  DenseTable dense() const;

 private:
  std::vector<std::string> dims_;
  std::vector<Codebook> books_;
  std::map<CellKey, double> cells_;
};

}  // namespace iaf
