#include "iaf/core/label.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "iaf/core/error.hpp"

namespace iaf {

bool is_valid_utf8(std::string_view text) {
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

namespace {

// True when `text` holds only code points below U+0300 (ASCII, Latin-1 and the like: '·' is in many
// Korean titles) and precomposed Hangul syllables (U+AC00–U+D7A3). Such text is already in NFC:
// none of them decomposes, and none composes with its neighbour (the combining marks start at
// U+0300, and a syllable composes only with a following conjoining jamo, outside the set). Korean
// labels are almost all of this form, and utf8proc is then skipped.
bool below_combining_or_hangul(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0xC2 && c <= 0xCB) {  // a two-byte sequence of U+0080–U+02FF
      if (i + 1 >= text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80) return false;
      i += 2;
      continue;
    }
    if ((c & 0xF0) != 0xE0 || i + 2 >= text.size()) return false;
    auto c1 = static_cast<unsigned char>(text[i + 1]), c2 = static_cast<unsigned char>(text[i + 2]);
    if ((c1 & 0xC0) != 0x80 || (c2 & 0xC0) != 0x80) return false;
    uint32_t cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
    if (cp < 0xAC00 || cp > 0xD7A3) return false;
    i += 3;
  }
  return true;
}

}  // namespace

std::string nfc(std::string_view text, std::string_view where) {
  if (below_combining_or_hangul(text)) return std::string(text);
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                    static_cast<utf8proc_ssize_t>(text.size()), &out,
                                    static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out, &std::free);
  if (n < 0) {
    throw DataError(std::string(where) + ": not valid UTF-8 (" + utf8proc_errmsg(n) +
                    "); re-encode the file as UTF-8");
  }
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

}  // namespace iaf
