#include "iaf/core/codebook.hpp"

#include "iaf/core/label.hpp"

namespace iaf {

Codebook::Codebook(const std::vector<std::string>& labels) {
  for (const auto& l : labels) intern(l);
}

uint32_t Codebook::intern(std::string_view label) {
  std::string key = nfc(label);
  auto it = codes_.find(key);
  if (it != codes_.end()) return it->second;
  auto code = static_cast<uint32_t>(labels_.size());
  labels_.push_back(key);
  codes_.emplace(std::move(key), code);
  return code;
}

std::optional<uint32_t> Codebook::find(std::string_view label) const {
  auto it = codes_.find(nfc(label));
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> UnionCodebook::missing_from(size_t side) const {
  std::vector<std::string> out;
  for (uint32_t c = 0; c < book.size(); ++c)
    if (!present[side][c]) out.push_back(book.label(c));
  return out;
}

std::vector<std::string> UnionCodebook::only_on(size_t side) const {
  std::vector<std::string> out;
  for (uint32_t c = 0; c < book.size(); ++c) {
    bool elsewhere = false;
    for (size_t s = 0; s < present.size(); ++s)
      if (s != side && present[s][c]) elsewhere = true;
    if (present[side][c] && !elsewhere) out.push_back(book.label(c));
  }
  return out;
}

UnionCodebook union_codebook(const std::vector<std::pair<std::string, const Codebook*>>& sides) {
  UnionCodebook u;
  for (const auto& [name, book] : sides) {
    u.sides.push_back(name);
    for (const auto& l : book->labels()) u.book.intern(l);
  }
  u.present.assign(sides.size(), std::vector<bool>(u.book.size(), false));
  for (size_t s = 0; s < sides.size(); ++s)
    for (const auto& l : sides[s].second->labels()) u.present[s][*u.book.find(l)] = true;
  return u;
}

}  // namespace iaf
