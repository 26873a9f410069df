#pragma once
// A dense N-dimensional table of masses in row-major order: what the statistics work on.
#include <cstddef>
#include <span>
#include <vector>

namespace iaf {

class DenseTable {
 public:
  DenseTable() = default;
  explicit DenseTable(std::vector<size_t> shape);  // all zeros
  DenseTable(std::vector<size_t> shape, std::vector<double> values);
  static DenseTable vector(std::vector<double> values);
  static DenseTable matrix(const std::vector<std::vector<double>>& rows);

  const std::vector<size_t>& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  size_t size() const { return values_.size(); }
  size_t rows() const { return shape_.at(0); }
  size_t cols() const { return shape_.at(1); }

  double& operator[](size_t flat) { return values_[flat]; }
  double operator[](size_t flat) const { return values_[flat]; }
  double at(size_t row, size_t col) const { return values_[row * shape_[1] + col]; }
  double& at(size_t row, size_t col) { return values_[row * shape_[1] + col]; }
  std::span<const double> values() const { return values_; }
  std::span<const double> row(size_t r) const { return std::span(values_).subspan(r * shape_[1], shape_[1]); }

  double total() const;
  std::vector<double> marginal(size_t dim) const;   // one-way marginal masses along `dim`
  std::vector<size_t> index(size_t flat) const;     // per-dimension coordinates of a flat index

 private:
  std::vector<size_t> shape_;
  std::vector<double> values_;
};

}  // namespace iaf
