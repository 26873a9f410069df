#include "iaf/core/dense_table.hpp"

#include <functional>
#include <numeric>
#include <stdexcept>

namespace iaf {
namespace {
size_t product(const std::vector<size_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), size_t{1}, std::multiplies<>());
}
}  // namespace

DenseTable::DenseTable(std::vector<size_t> shape) : shape_(std::move(shape)), values_(product(shape_), 0.0) {}

DenseTable::DenseTable(std::vector<size_t> shape, std::vector<double> values)
    : shape_(std::move(shape)), values_(std::move(values)) {
  if (values_.size() != product(shape_)) throw std::invalid_argument("DenseTable: values do not fill the shape");
}

DenseTable DenseTable::vector(std::vector<double> values) {
  size_t n = values.size();
  return DenseTable({n}, std::move(values));
}

DenseTable DenseTable::matrix(const std::vector<std::vector<double>>& rows) {
  size_t r = rows.size(), c = rows.empty() ? 0 : rows[0].size();
  std::vector<double> flat;
  flat.reserve(r * c);
  for (const auto& row : rows) {
    if (row.size() != c) throw std::invalid_argument("DenseTable::matrix: ragged rows");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return DenseTable({r, c}, std::move(flat));
}

double DenseTable::total() const {
  double t = 0;
  for (double v : values_) t += v;
  return t;
}

std::vector<size_t> DenseTable::index(size_t flat) const {
  std::vector<size_t> idx(shape_.size());
  for (size_t d = shape_.size(); d-- > 0;) {
    idx[d] = flat % shape_[d];
    flat /= shape_[d];
  }
  return idx;
}

std::vector<double> DenseTable::marginal(size_t dim) const {
  std::vector<double> m(shape_.at(dim), 0.0);
  size_t inner = 1;
  for (size_t d = dim + 1; d < shape_.size(); ++d) inner *= shape_[d];
  for (size_t i = 0; i < values_.size(); ++i) m[(i / inner) % shape_[dim]] += values_[i];
  return m;
}

}  // namespace iaf
