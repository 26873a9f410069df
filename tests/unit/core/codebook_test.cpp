#include <gtest/gtest.h>

#include "iaf/core/codebook.hpp"

using namespace iaf;

TEST(Codebook, InternsInFirstSeenOrderAndNormalises) {
  Codebook b;
  EXPECT_EQ(b.intern("남자"), 0u);
  EXPECT_EQ(b.intern("여자"), 1u);
  EXPECT_EQ(b.intern("남자"), 0u);
  EXPECT_EQ(b.intern("\xE1\x84\x82\xE1\x85\xA1\xE1\x86\xB7\xE1\x84\x8C\xE1\x85\xA1"), 0u);  // 남자 in jamo
  EXPECT_EQ(b.size(), 2u);
  EXPECT_FALSE(b.find("x").has_value());
}

TEST(Codebook, UnionKeepsAndReportsOneSidedLabels) {
  Codebook syn({"A", "B", "only-syn"}), ref({"B", "A", "only-ref"});
  auto u = union_codebook({{"synthetic", &syn}, {"reference", &ref}});
  EXPECT_EQ(u.book.labels(), (std::vector<std::string>{"A", "B", "only-syn", "only-ref"}));
  EXPECT_EQ(u.only_on(0), std::vector<std::string>{"only-syn"});
  EXPECT_EQ(u.only_on(1), std::vector<std::string>{"only-ref"});
  EXPECT_EQ(u.missing_from(0), std::vector<std::string>{"only-ref"});
}
