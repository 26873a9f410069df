#pragma once
// Labels are compared in Unicode NFC on every side, so "한국" typed as jamo and as syllables match.
#include <string>
#include <string_view>

namespace iaf {

// The label a NULL value takes, so missing values are counted and reported, never dropped.
inline constexpr std::string_view kMissingLabel = "(missing)";

bool is_valid_utf8(std::string_view text);

// NFC form of `text`; throws DataError naming `where` if it is not valid UTF-8.
std::string nfc(std::string_view text, std::string_view where = "label");

}  // namespace iaf
