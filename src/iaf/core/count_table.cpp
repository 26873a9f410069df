#include "iaf/core/count_table.hpp"

#include <cmath>
#include <stdexcept>

namespace iaf {

CountTable::CountTable(std::vector<std::string> dims) : dims_(std::move(dims)), books_(dims_.size()) {}

CountTable::CountTable(std::vector<std::string> dims, std::vector<Codebook> books)
    : dims_(std::move(dims)), books_(std::move(books)) {
  if (dims_.size() != books_.size()) throw std::invalid_argument("CountTable: one codebook per dimension");
}

size_t CountTable::dim(std::string_view name) const {
  for (size_t d = 0; d < dims_.size(); ++d)
    if (dims_[d] == name) return d;
  throw std::invalid_argument("CountTable: no dimension '" + std::string(name) + "'");
}

bool CountTable::has_dim(std::string_view name) const {
  for (const auto& d : dims_)
    if (d == name) return true;
  return false;
}

void CountTable::add(const std::vector<std::string>& labels, double mass) {
  if (labels.size() != dims_.size()) throw std::invalid_argument("CountTable::add: one label per dimension");
  CellKey key(labels.size());
  for (size_t d = 0; d < labels.size(); ++d) key[d] = books_[d].intern(labels[d]);
  add_codes(key, mass);
}

void CountTable::add_codes(const CellKey& codes, double mass) {
  if (mass == 0) return;
  cells_[codes] += mass;
}

double CountTable::get(const std::vector<std::string>& labels) const {
  CellKey key(labels.size());
  for (size_t d = 0; d < labels.size(); ++d) {
    auto code = books_.at(d).find(labels[d]);
    if (!code) return 0;
    key[d] = *code;
  }
  auto it = cells_.find(key);
  return it == cells_.end() ? 0 : it->second;
}

double CountTable::total() const {
  double t = 0;
  for (const auto& [key, mass] : cells_) t += mass;
  return t;
}

bool CountTable::integral() const {
  for (const auto& [key, mass] : cells_)
    if (mass != std::floor(mass)) return false;
  return true;
}

CountTable CountTable::marginal(const std::vector<std::string>& keep) const {
  std::vector<size_t> from;
  std::vector<Codebook> books;
  for (const auto& name : keep) {
    from.push_back(dim(name));
    books.push_back(books_[from.back()]);
  }
  CountTable out(keep, std::move(books));
  CellKey key(keep.size());
  for (const auto& [cell, mass] : cells_) {
    for (size_t i = 0; i < from.size(); ++i) key[i] = cell[from[i]];
    out.cells_[key] += mass;
  }
  return out;
}

CountTable CountTable::slice(std::string_view name, std::string_view label) const {
  size_t d = dim(name);
  std::vector<std::string> dims;
  std::vector<Codebook> books;
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i == d) continue;
    dims.push_back(dims_[i]);
    books.push_back(books_[i]);
  }
  CountTable out(std::move(dims), std::move(books));
  auto code = books_[d].find(label);
  if (!code) return out;
  for (const auto& [cell, mass] : cells_) {
    if (cell[d] != *code) continue;
    CellKey key;
    key.reserve(cell.size() - 1);
    for (size_t i = 0; i < cell.size(); ++i)
      if (i != d) key.push_back(cell[i]);
    out.cells_[key] += mass;
  }
  return out;
}

CountTable CountTable::aligned(std::string_view name, const Codebook& target) const {
  size_t d = dim(name);
  std::vector<uint32_t> recode(books_[d].size());
  for (uint32_t c = 0; c < books_[d].size(); ++c) {
    auto to = target.find(books_[d].label(c));
    if (!to) throw std::invalid_argument("CountTable::aligned: label '" + books_[d].label(c) + "' not in target codebook");
    recode[c] = *to;
  }
  CountTable out = *this;
  out.books_[d] = target;
  out.cells_.clear();
  for (const auto& [key, mass] : cells_) {
    CellKey cell = key;
    cell[d] = recode[cell[d]];
    out.cells_[cell] += mass;
  }
  return out;
}

CountTable CountTable::relabelled(std::string_view name, const Mapping& map,
                                  const std::function<void(const std::string&, double)>& unmapped) const {
  size_t d = dim(name);
  CountTable out = *this;
  out.books_[d] = Codebook();
  out.cells_.clear();
  std::vector<std::vector<std::pair<uint32_t, double>>> targets(books_[d].size());
  for (uint32_t c = 0; c < books_[d].size(); ++c)
    for (const auto& [label, weight] : map(books_[d].label(c)))
      targets[c].emplace_back(out.books_[d].intern(label), weight);
  for (const auto& [key, mass] : cells_) {
    CellKey cell = key;
    uint32_t from = cell[d];
    if (targets[from].empty()) {
      if (unmapped) unmapped(books_[d].label(from), mass);
      continue;
    }
    for (const auto& [to, weight] : targets[from]) {
      cell[d] = to;
      out.add_codes(cell, mass * weight);
    }
  }
  return out;
}

void CountTable::merge(const CountTable& other) {
  if (other.dims_ != dims_) throw std::invalid_argument("CountTable::merge: dimensions differ");
  std::vector<std::vector<uint32_t>> recode(dims_.size());
  for (size_t d = 0; d < dims_.size(); ++d)
    for (const auto& label : other.books_[d].labels()) recode[d].push_back(books_[d].intern(label));
  for (const auto& [key, mass] : other.cells_) {
    CellKey cell = key;
    for (size_t d = 0; d < cell.size(); ++d) cell[d] = recode[d][cell[d]];
    cells_[cell] += mass;
  }
}

DenseTable CountTable::dense() const {
  std::vector<size_t> shape;
  for (const auto& b : books_) shape.push_back(b.size());
  DenseTable out(shape);
  for (const auto& [cell, mass] : cells_) {
    size_t flat = 0;
    for (size_t d = 0; d < cell.size(); ++d) flat = flat * shape[d] + cell[d];
    out[flat] += mass;
  }
  return out;
}

}  // namespace iaf
