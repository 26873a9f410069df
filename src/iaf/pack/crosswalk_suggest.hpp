#pragma once
// `iaf crosswalk suggest`: candidate mappings from a dataset's labels to a code list, for a person
// to review into a crosswalk. Exact title matches first, then normalised ones (match_key), then
// the best-scoring titles by string similarity.
#include <string>
#include <string_view>
#include <vector>

namespace iaf::pack {

struct TargetCode {
  std::string code, title;
};

struct LabelMass {
  std::string label;
  double mass = 0;  // rows (or summed counts) carrying the label
};

struct Suggestion {
  std::string label;
  double mass = 0;
  size_t rank = 1;     // 1 = best candidate for this label
  std::string code, title;
  double score = 0;    // 1 for exact and normalised matches, else the similarity
  std::string method;  // exact, normalised, scored
};

// The form two titles are compared in: NFC; the words 및, and, & dropped; ASCII lowercased; all
// whitespace and the characters ·ㆍ‧・･.,()[]/ deleted (bracketed text is kept). This is the
// normalisation the NPK crosswalk build uses for its "normalised" matches.
std::string match_key(std::string_view title);

// Similarity of two match keys: the larger of the Dice coefficients of their character-bigram
// multisets and of their word sets (words split as written, before deletion).
double title_similarity(std::string_view a, std::string_view b);

// For each label, heaviest first (equal masses in label order): its exact or normalised match (one row), or its `top` best
// scored candidates. Ties go to the lower code.
std::vector<Suggestion> suggest_crosswalk(const std::vector<LabelMass>& labels, const std::vector<TargetCode>& targets,
                                          size_t top);

}  // namespace iaf::pack
