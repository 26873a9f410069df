#include "iaf/checks/alignment.hpp"

#include <algorithm>

#include "iaf/core/error.hpp"

namespace iaf::checks {

VariantChoice variants_for(const pack::AuditPack& pack, const std::vector<std::string>& overrides) {
  VariantChoice v;
  for (const auto& c : pack.crosswalks) v[c.id] = c.default_variant;
  for (const auto& o : overrides) {
    auto colon = o.find(':');
    v[o.substr(0, colon)] = o.substr(colon + 1);
  }
  return v;
}

Alignment::Alignment(const CountTable& raw, const CountTable& reference, const pack::AuditPack& pack,
                     const VariantChoice& variants)
    : dims_(raw.dims()) {
  size_t rank = dims_.size();
  // Per dimension: each raw code's weighted targets (label strings), or none.
  std::vector<std::vector<std::vector<std::pair<std::string, double>>>> targets(rank);
  std::vector<Codebook> synthetic_books(rank);
  for (size_t d = 0; d < rank; ++d) {
    const pack::Attribute& attr = pack.attribute(dims_[d]);
    const Codebook& book = raw.codebook(d);
    targets[d].resize(book.size());
    const pack::CrosswalkSpec* spec = attr.crosswalk.empty() ? nullptr : &pack.crosswalk(attr.crosswalk);
    if (spec) crosswalked_ = true;
    std::vector<std::string> unmapped;
    for (uint32_t c = 0; c < book.size(); ++c) {
      const std::string& label = book.label(c);
      if (!spec) {
        targets[d][c] = {{label, 1.0}};
      } else {
        targets[d][c] = spec->variant(variants.at(spec->id)).targets(label);
        if (targets[d][c].empty()) {
          if (spec->unmapped == pack::UnmappedPolicy::as_label) targets[d][c] = {{spec->unmapped_label, 1.0}};
          else unmapped.push_back(label);
        }
      }
      for (const auto& [t, w] : targets[d][c]) synthetic_books[d].intern(t);
    }
    if (spec && spec->unmapped == pack::UnmappedPolicy::error && !unmapped.empty()) {
      std::string list;
      for (size_t i = 0; i < unmapped.size() && i < 10; ++i) list += (i ? ", " : "") + ("'" + unmapped[i] + "'");
      throw DataError("crosswalk '" + spec->id + "' (" + variants.at(spec->id) + ") maps none of " +
                      std::to_string(unmapped.size()) + " labels of attribute '" + dims_[d] + "': " + list +
                      (unmapped.size() > 10 ? ", …" : "") + " (its policy is unmapped = \"error\")");
    }
  }
  // Union codebooks: the reference's labels first (official order), then synthetic-only labels.
  for (size_t d = 0; d < rank; ++d) {
    auto u = union_codebook({{"reference", &reference.codebook(d)}, {"synthetic", &synthetic_books[d]}});
    books_.push_back(u.book);
    synthetic_only_.push_back(u.only_on(1));
    reference_only_.push_back(u.only_on(0));
  }
  std::vector<size_t> sh = shape();
  reference_ = DenseTable(sh);
  for (const auto& [key, mass] : reference.cells()) {
    size_t flat = 0;
    for (size_t d = 0; d < rank; ++d) flat = flat * sh[d] + *books_[d].find(reference.codebook(d).label(key[d]));
    reference_[flat] += mass;
  }
  // Routes: the Cartesian product of each dimension's targets. Raw cells are taken in label order,
  // so a bootstrap draws the same replicate whichever order the counts arrived in (rows or tables).
  std::vector<std::pair<std::vector<std::string>, const std::pair<const CellKey, double>*>> ordered;
  for (const auto& cell : raw.cells()) {
    std::vector<std::string> labels;
    for (size_t d = 0; d < rank; ++d) labels.push_back(raw.codebook(d).label(cell.first[d]));
    ordered.emplace_back(std::move(labels), &cell);
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::map<std::pair<size_t, std::string>, double> unmapped_mass;
  for (const auto& entry : ordered) {
    const auto& [key, mass] = *entry.second;
    raw_.push_back(mass);
    std::vector<std::pair<size_t, double>> cells = {{0, 1.0}};
    bool mapped = true;
    for (size_t d = 0; d < rank && mapped; ++d) {
      const auto& ts = targets[d][key[d]];
      if (ts.empty()) {
        mapped = false;
        unmapped_mass[{d, raw.codebook(d).label(key[d])}] += mass;
        break;
      }
      std::vector<std::pair<size_t, double>> next;
      for (const auto& [flat, w] : cells)
        for (const auto& [label, tw] : ts) next.emplace_back(flat * sh[d] + *books_[d].find(label), w * tw);
      cells = std::move(next);
    }
    std::vector<uint32_t> codes(rank, 0);
    for (size_t d = 0; d < rank; ++d)
      if (pack.attribute(dims_[d]).crosswalk.empty()) codes[d] = *books_[d].find(raw.codebook(d).label(key[d]));
    raw_aligned_code_.push_back(std::move(codes));
    route_.push_back(mapped ? cells : std::vector<std::pair<size_t, double>>{});
    unmapped_weight_.push_back(mapped ? 0.0 : 1.0);
  }
  for (const auto& [k, m] : unmapped_mass) unmapped_labels_.emplace_back(dims_[k.first], k.second, m);
  std::stable_sort(unmapped_labels_.begin(), unmapped_labels_.end(),
                   [](const auto& a, const auto& b) { return std::get<2>(a) > std::get<2>(b); });
}

std::vector<size_t> Alignment::shape() const {
  std::vector<size_t> sh;
  for (const auto& b : books_) sh.push_back(b.size());
  return sh;
}

DenseTable Alignment::synthetic(std::span<const double> raw) const {
  DenseTable out(shape());
  for (size_t i = 0; i < route_.size(); ++i)
    for (const auto& [flat, w] : route_[i]) out[flat] += raw[i] * w;
  return out;
}

double Alignment::total(std::span<const double> raw) const {
  double t = 0;
  for (double v : raw) t += v;
  return t;
}

double Alignment::unmapped(std::span<const double> raw) const {
  double u = 0;
  for (size_t i = 0; i < raw.size(); ++i) u += raw[i] * unmapped_weight_[i];
  return u;
}

double Alignment::coverage(std::span<const double> raw) const {
  double t = total(raw);
  return t > 0 ? (t - unmapped(raw)) / t : 0;
}

std::vector<double> Alignment::unmapped_by(size_t d) const {
  std::vector<double> out(books_[d].size(), 0.0);
  for (size_t i = 0; i < raw_.size(); ++i)
    if (unmapped_weight_[i] > 0) out[raw_aligned_code_[i][d]] += raw_[i] * unmapped_weight_[i];
  return out;
}

std::vector<std::string> Alignment::cell_labels(size_t flat) const {
  std::vector<std::string> labels(books_.size());
  for (size_t d = books_.size(); d-- > 0;) {
    labels[d] = books_[d].label(static_cast<uint32_t>(flat % books_[d].size()));
    flat /= books_[d].size();
  }
  return labels;
}

std::string Alignment::cell_label(size_t flat) const {
  std::string s;
  for (const auto& l : cell_labels(flat)) s += (s.empty() ? "" : " × ") + l;
  return s;
}

}  // namespace iaf::checks
