#include "iaf/pack/crosswalk_suggest.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "iaf/core/label.hpp"

namespace iaf::pack {
namespace {

// UTF-8 code points of valid text, as strings.
std::vector<std::string> code_points(std::string_view s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.emplace_back(s.substr(i, n));
    i += n;
  }
  return out;
}

bool is_space(const std::string& cp) { return cp == " " || cp == "\t" || cp == "\n" || cp == "\r" || cp == "\u3000"; }

bool is_deleted(const std::string& cp) {
  static const std::set<std::string> deleted = {"·", "ㆍ", "‧", "・", "･", ".", ",", "(", ")", "[", "]", "/"};
  return deleted.count(cp) > 0;
}

// Words as written (NFC, lowercased ASCII), split at whitespace, without the dropped ones.
std::vector<std::string> words(std::string_view title) {
  std::vector<std::string> out(1);
  for (auto cp : code_points(nfc(title, "a title"))) {
    if (is_space(cp)) {
      if (!out.back().empty()) out.emplace_back();
      continue;
    }
    if (cp.size() == 1) cp[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(cp[0])));
    out.back() += cp;
  }
  if (out.back().empty()) out.pop_back();
  std::erase_if(out, [](const std::string& w) { return w == "및" || w == "and" || w == "&"; });
  return out;
}

double dice(const std::map<std::string, int>& a, const std::map<std::string, int>& b) {
  int na = 0, nb = 0, common = 0;
  for (const auto& [k, n] : a) na += n;
  for (const auto& [k, n] : b) nb += n;
  for (const auto& [k, n] : a)
    if (auto it = b.find(k); it != b.end()) common += std::min(n, it->second);
  return na + nb ? 2.0 * common / (na + nb) : 0.0;
}

std::map<std::string, int> bigrams(std::string_view key) {
  std::map<std::string, int> out;
  auto cps = code_points(key);
  if (cps.size() == 1) ++out[cps[0]];
  for (size_t i = 0; i + 1 < cps.size(); ++i) ++out[cps[i] + cps[i + 1]];
  return out;
}

std::map<std::string, int> word_set(std::string_view title) {
  std::map<std::string, int> out;
  for (const auto& w : words(title)) out[match_key(w)] = 1;
  out.erase("");
  return out;
}

}  // namespace

std::string match_key(std::string_view title) {
  std::string out;
  for (const auto& w : words(title))
    for (const auto& cp : code_points(w))
      if (!is_deleted(cp)) out += cp;
  return out;
}

double title_similarity(std::string_view a, std::string_view b) {
  return std::max(dice(bigrams(match_key(a)), bigrams(match_key(b))), dice(word_set(a), word_set(b)));
}

std::vector<Suggestion> suggest_crosswalk(const std::vector<LabelMass>& labels, const std::vector<TargetCode>& targets,
                                          size_t top) {
  std::unordered_map<std::string, size_t> exact, normalised;
  std::vector<std::map<std::string, int>> target_bigrams, target_words;
  for (size_t t = 0; t < targets.size(); ++t) {
    // A title listed twice goes to its lower code, as scored ties do.
    auto keep_lower = [&](std::unordered_map<std::string, size_t>& index, const std::string& key) {
      auto [it, fresh] = index.emplace(key, t);
      if (!fresh && targets[t].code < targets[it->second].code) it->second = t;
    };
    keep_lower(exact, nfc(targets[t].title, "code list"));
    keep_lower(normalised, match_key(targets[t].title));
    target_bigrams.push_back(bigrams(match_key(targets[t].title)));
    target_words.push_back(word_set(targets[t].title));
  }
  std::vector<LabelMass> order = labels;
  std::sort(order.begin(), order.end(),
            [](const LabelMass& a, const LabelMass& b) { return a.mass != b.mass ? a.mass > b.mass : a.label < b.label; });

  std::vector<Suggestion> out;
  for (const auto& l : order) {
    auto emit = [&](size_t t, size_t rank, double score, const char* method) {
      out.push_back({l.label, l.mass, rank, targets[t].code, targets[t].title, score, method});
    };
    if (auto it = exact.find(nfc(l.label, "a label")); it != exact.end()) {
      emit(it->second, 1, 1.0, "exact");
      continue;
    }
    if (auto it = normalised.find(match_key(l.label)); it != normalised.end() && !it->first.empty()) {
      emit(it->second, 1, 1.0, "normalised");
      continue;
    }
    auto mine = bigrams(match_key(l.label));
    auto my_words = word_set(l.label);
    std::vector<std::pair<double, size_t>> scored;
    for (size_t t = 0; t < targets.size(); ++t) {
      double s = std::max(dice(mine, target_bigrams[t]), dice(my_words, target_words[t]));
      if (s > 0) scored.emplace_back(s, t);
    }
    size_t k = std::min(top, scored.size());
    std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(k), scored.end(), [&](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : targets[a.second].code < targets[b.second].code;
    });
    for (size_t r = 0; r < k; ++r) emit(scored[r].second, r + 1, scored[r].first, "scored");
  }
  return out;
}

}  // namespace iaf::pack
