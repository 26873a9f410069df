#include <gtest/gtest.h>

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
