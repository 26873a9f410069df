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
  std::vector<std::vector<uint32_t>> reference_code(rank);  // reference code → aligned code
  for (size_t d = 0; d < rank; ++d)
    for (const auto& label : reference.codebook(d).labels()) reference_code[d].push_back(*books_[d].find(label));
  for (const auto& [key, mass] : reference.cells()) {
    size_t flat = 0;
    for (size_t d = 0; d < rank; ++d) flat = flat * sh[d] + reference_code[d][key[d]];
    reference_[flat] += mass;
  }
  // Per dimension and raw code: its targets as aligned codes, its own aligned code (dimensions
  // without a crosswalk), and its rank in label order.
  std::vector<std::vector<std::vector<std::pair<uint32_t, double>>>> target_codes(rank);
  std::vector<std::vector<uint32_t>> own_code(rank), label_rank(rank);
  for (size_t d = 0; d < rank; ++d) {
    const Codebook& book = raw.codebook(d);
    bool plain = pack.attribute(dims_[d]).crosswalk.empty();
    std::vector<uint32_t> by_label(book.size());
    target_codes[d].resize(book.size());
    for (uint32_t c = 0; c < book.size(); ++c) {
      for (const auto& [label, w] : targets[d][c]) target_codes[d][c].emplace_back(*books_[d].find(label), w);
      own_code[d].push_back(plain ? *books_[d].find(book.label(c)) : 0);
      by_label[c] = c;
    }
    std::sort(by_label.begin(), by_label.end(), [&](uint32_t a, uint32_t b) { return book.label(a) < book.label(b); });
    label_rank[d].resize(book.size());
    for (uint32_t r = 0; r < book.size(); ++r) label_rank[d][by_label[r]] = r;
  }
  // Routes: the Cartesian product of each dimension's targets. Raw cells are taken in label order
  // (each dimension's label rank, dimension by dimension), so a bootstrap draws the same replicate
  // whichever order the counts arrived in (rows or tables).
  std::vector<const std::pair<const CellKey, double>*> ordered;
  for (const auto& cell : raw.cells()) ordered.push_back(&cell);
  std::sort(ordered.begin(), ordered.end(), [&](const auto* a, const auto* b) {
    for (size_t d = 0; d < rank; ++d) {
      uint32_t ra = label_rank[d][a->first[d]], rb = label_rank[d][b->first[d]];
      if (ra != rb) return ra < rb;
    }
    return false;
  });
  std::map<std::pair<size_t, uint32_t>, double> unmapped_mass;  // (dimension, raw code) → mass
  for (const auto* entry : ordered) {
    const auto& [key, mass] = *entry;
    raw_.push_back(mass);
    std::vector<std::pair<size_t, double>> cells = {{0, 1.0}};
    bool mapped = true;
    for (size_t d = 0; d < rank && mapped; ++d) {
      const auto& ts = target_codes[d][key[d]];
      if (ts.empty()) {
        mapped = false;
        unmapped_mass[{d, key[d]}] += mass;
        break;
      }
      std::vector<std::pair<size_t, double>> next;
      for (const auto& [flat, w] : cells)
        for (const auto& [code, tw] : ts) next.emplace_back(flat * sh[d] + code, w * tw);
      cells = std::move(next);
    }
    std::vector<uint32_t> codes(rank, 0);
    for (size_t d = 0; d < rank; ++d) codes[d] = own_code[d][key[d]];
    raw_aligned_code_.push_back(std::move(codes));
    route_.push_back(mapped ? cells : std::vector<std::pair<size_t, double>>{});
    unmapped_weight_.push_back(mapped ? 0.0 : 1.0);
  }
  // In label order, as the list has always been given; then heaviest first.
  std::vector<std::tuple<size_t, std::string, double>> by_label;
  for (const auto& [k, m] : unmapped_mass) by_label.emplace_back(k.first, raw.codebook(k.first).label(k.second), m);
  std::sort(by_label.begin(), by_label.end());
  for (const auto& [d, label, m] : by_label) unmapped_labels_.emplace_back(dims_[d], label, m);
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
