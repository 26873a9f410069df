#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"

using namespace iaf;

TEST(Label, ComposesDecomposedHangul) {
  // "한" as conjoining jamo (U+1112 U+1161 U+11AB) and as the precomposed syllable U+D55C.
  std::string jamo = "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB";
  EXPECT_EQ(nfc(jamo), "\xED\x95\x9C");
  EXPECT_EQ(nfc("한국"), "한국");
  EXPECT_EQ(nfc("plain ascii"), "plain ascii");
}

TEST(Label, RejectsInvalidUtf8WithWhere) {
  std::string bad = "abc\xff";
  EXPECT_FALSE(is_valid_utf8(bad));
  EXPECT_TRUE(is_valid_utf8("서울-강남구"));
  try {
    nfc(bad, "data.csv row 3");
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("data.csv row 3"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos);
  }
}

TEST(Label, QuickPathLeavesNothingUncomposed) {
  // "가" (U+AC00, an LV syllable) followed by the trailing jamo U+11A8 composes to "각" (U+AC01):
  // the quick path for syllables must not take this string.
  EXPECT_EQ(nfc("\xEA\xB0\x80\xE1\x86\xA8"), "\xEA\xB0\x81");
  // A syllable, then a combining mark (U+0301), stays as it is: the mark has no composition with it.
  EXPECT_EQ(nfc("\xEA\xB0\x80\xCC\x81"), "\xEA\xB0\x80\xCC\x81");
  // The last syllable (U+D7A3) and the first code point after the block (U+D7A4, a jamo).
  EXPECT_EQ(nfc("\xED\x9E\xA3"), "\xED\x9E\xA3");
  EXPECT_EQ(nfc("\xED\x9E\xA4"), "\xED\x9E\xA4");
  // A syllable cut short is invalid, not passed through.
  EXPECT_THROW(nfc("\xEA\xB0"), DataError);
  EXPECT_THROW(nfc("a\xEA"), DataError);
  EXPECT_THROW(nfc("\xEA\xB0\x41"), DataError);
}

// The quick path takes every pair of code points below U+0300: each pair must come out exactly as
// utf8proc composes it (the test calls utf8proc itself, as the oracle). A pair ending in a combining
// mark (U+0301) leaves the quick path and must compose: "e" + U+0301 is "é".
TEST(Label, QuickPathAgreesWithUtf8procBelowCombiningMarks) {
  auto utf8 = [](char32_t cp) {
    std::string s;
    if (cp < 0x80) s += static_cast<char>(cp);
    else {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
  };
  auto oracle = [](const std::string& s) {
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
                                      &out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    std::string r(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
    std::free(out);
    return r;
  };
  size_t differ = 0;
  for (char32_t a = 0x20; a < 0x300; ++a)
    for (char32_t b = 0x20; b < 0x300; ++b) {
      std::string s = utf8(a) + utf8(b);
      differ += nfc(s) != oracle(s);
    }
  EXPECT_EQ(differ, 0u);
  EXPECT_EQ(nfc("e\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(nfc("\xC2\xB7\xEA\xB0\x80"), "\xC2\xB7\xEA\xB0\x80");  // "·가" stays
  EXPECT_THROW(nfc("\xC2"), DataError);                            // a two-byte sequence cut short
  EXPECT_THROW(nfc("\xC0\x80"), DataError);                        // an overlong NUL
}
