#include <gtest/gtest.h>

#include "iaf/core/count_table.hpp"

using namespace iaf;

namespace {
CountTable sex_by_age() {
  CountTable t({"sex", "age_band"});
  t.add({"남자", "19-24"}, 10);
  t.add({"남자", "25-34"}, 20);
  t.add({"여자", "19-24"}, 5);
  t.add({"여자", "25-34"}, 15);
  t.add({"여자", "85+"}, 0);  // a zero cell still declares its label
  return t;
}
}  // namespace

TEST(CountTable, MarginaliseSliceTotal) {
  auto t = sex_by_age();
  EXPECT_EQ(t.total(), 50);
  EXPECT_EQ(t.codebook(1).size(), 3u);
  auto sex = t.marginal({"sex"});
  EXPECT_EQ(sex.get({"남자"}), 30);
  EXPECT_EQ(sex.get({"여자"}), 20);
  auto swapped = t.marginal({"age_band", "sex"});
  EXPECT_EQ(swapped.get({"25-34", "여자"}), 15);
  auto women = t.slice("sex", "여자");
  EXPECT_EQ(women.dims(), std::vector<std::string>{"age_band"});
  EXPECT_EQ(women.get({"19-24"}), 5);
  EXPECT_EQ(t.slice("sex", "nobody").total(), 0);
}

TEST(CountTable, AlignToUnionCodebookKeepsMassAndAddsEmptyLabels) {
  auto t = sex_by_age();
  Codebook target({"85+", "25-34", "19-24", "65-74"});
  auto a = t.aligned("age_band", target);
  EXPECT_EQ(a.total(), t.total());
  EXPECT_EQ(a.codebook(1).size(), 4u);
  auto d = a.dense();
  ASSERT_EQ(d.shape(), (std::vector<size_t>{2, 4}));
  EXPECT_EQ(d.at(0, 2), 10);  // 남자 × 19-24
  EXPECT_EQ(d.at(1, 3), 0);   // 여자 × 65-74
  EXPECT_THROW(t.aligned("age_band", Codebook({"19-24"})), std::invalid_argument);
}

TEST(CountTable, MergeOfPartialsEqualsWhole) {
  CountTable a({"x"}), b({"x"});
  a.add({"p"}, 3);
  b.add({"q"}, 4);
  b.add({"p"}, 2);
  a.merge(b);
  EXPECT_EQ(a.get({"p"}), 5);
  EXPECT_EQ(a.get({"q"}), 4);
  EXPECT_TRUE(a.integral());
  EXPECT_THROW(a.merge(CountTable({"y"})), std::invalid_argument);
}

TEST(CountTable, IntegerSumsAreExactAtScale) {
  CountTable t({"x"});
  // 2^53 - 1 split into parts: every partial sum stays an exact integer.
  const double big = 9007199254740991.0;
  t.add({"a"}, big - 1000);
  for (int i = 0; i < 1000; ++i) t.add({"a"}, 1);
  EXPECT_EQ(t.get({"a"}), big);
}

TEST(CountTable, RelabelThroughWeightedCrosswalkReportsUnmapped) {
  CountTable t({"occupation", "sex"});
  t.add({"간호사", "여자"}, 8);
  t.add({"간호사", "남자"}, 2);
  t.add({"모름", "남자"}, 5);
  t.add({"겸업", "남자"}, 10);
  double unmapped = 0;
  auto m = t.relabelled(
      "occupation",
      [](const std::string& label) -> std::vector<std::pair<std::string, double>> {
        if (label == "간호사") return {{"2", 1.0}};
        if (label == "겸업") return {{"2", 0.3}, {"9", 0.7}};
        return {};
      },
      [&](const std::string& label, double mass) {
        EXPECT_EQ(label, "모름");
        unmapped += mass;
      });
  EXPECT_EQ(unmapped, 5);
  EXPECT_DOUBLE_EQ(m.get({"2", "남자"}), 2 + 3);
  EXPECT_DOUBLE_EQ(m.get({"9", "남자"}), 7);
  EXPECT_DOUBLE_EQ(m.total(), 20);
}

TEST(CountTable, DenseFollowsDimsOrder) {
  CountTable t({"a", "b", "c"});
  t.add({"a0", "b0", "c0"}, 1);
  t.add({"a1", "b1", "c1"}, 2);
  t.add({"a1", "b0", "c1"}, 3);
  auto d = t.dense();
  ASSERT_EQ(d.shape(), (std::vector<size_t>{2, 2, 2}));
  EXPECT_EQ(d[0], 1);
  EXPECT_EQ(d[1 * 4 + 1 * 2 + 1], 2);
  EXPECT_EQ(d[1 * 4 + 0 * 2 + 1], 3);
  EXPECT_EQ(d.marginal(2), (std::vector<double>{1, 5}));
}
