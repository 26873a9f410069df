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
