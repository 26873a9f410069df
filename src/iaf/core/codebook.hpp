#pragma once
// The set of labels an attribute takes, each with a small integer code, in first-seen order.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace iaf {

class Codebook {
 public:
  Codebook() = default;
  explicit Codebook(const std::vector<std::string>& labels);

  // Code of `label` (NFC-normalised first), adding it if new.
  uint32_t intern(std::string_view label);
  std::optional<uint32_t> find(std::string_view label) const;
  bool contains(std::string_view label) const { return find(label).has_value(); }
  const std::string& label(uint32_t code) const { return labels_.at(code); }
  const std::vector<std::string>& labels() const { return labels_; }
  size_t size() const { return labels_.size(); }
  bool operator==(const Codebook& other) const { return labels_ == other.labels_; }

 private:
  std::vector<std::string> labels_;
  std::unordered_map<std::string, uint32_t> codes_;
};

// The union of the labels seen on every side (synthetic, reference, …), in the order the sides are
// given. A label present on some sides only is kept, never dropped, and reported by `only_on`.
struct UnionCodebook {
  Codebook book;
  std::vector<std::string> sides;
  std::vector<std::vector<bool>> present;  // present[side][code]

  std::vector<std::string> missing_from(size_t side) const;
  std::vector<std::string> only_on(size_t side) const;
};

UnionCodebook union_codebook(const std::vector<std::pair<std::string, const Codebook*>>& sides);

}  // namespace iaf
