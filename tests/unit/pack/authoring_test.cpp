// iaf init's skeleton and iaf crosswalk suggest's matching, on small inputs whose answers are
// known by construction.
#include <gtest/gtest.h>

#include <fstream>

#include "iaf/pack/crosswalk_suggest.hpp"
#include "iaf/pack/pack.hpp"
#include "iaf/pack/skeleton.hpp"
#include "support/temp_dir.hpp"

using namespace iaf::pack;

TEST(Skeleton, NiceBinsCoverTheRangeWithARoundStep) {
  EXPECT_EQ(nice_bins(19, 99), (std::vector<double>{10, 20, 30, 40, 50, 60, 70, 80, 90}));
  EXPECT_EQ(nice_bins(0, 1), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));  // edges rounded to 12 digits
  EXPECT_EQ(nice_bins(1003, 1041), (std::vector<double>{1000, 1005, 1010, 1015, 1020, 1025, 1030, 1035, 1040}));
  EXPECT_EQ(bin_labels({10, 20, 30}, true), (std::vector<std::string>{"10-19", "20-29", "30+"}));
  EXPECT_EQ(bin_labels({0, 0.5}, false), (std::vector<std::string>{"[0, 0.5)", "≥ 0.5"}));
}

TEST(Skeleton, AProfileBecomesAPackThatLoads) {
  using iaf::source::ColumnProfile;
  std::vector<ColumnProfile> profile = {
      {"uuid", "VARCHAR", false, 4, 0, 4, {}, {}, {{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}}},
      {"sex", "VARCHAR", false, 4, 0, 2, {}, {}, {{"여자", 3}, {"남자", 1}}},
      {"age", "BIGINT", true, 4, 0, 30, 19.0, 84.0, {}},
      {"persona", "VARCHAR", false, 4, 0, 3, {}, {}, {{std::string(150, 'x'), 2}}},
      {"empty col", "VARCHAR", false, 4, 4, 0, {}, {}, {}},
  };
  std::string text = pack_skeleton(profile, {.name = "t", .dataset_path = "rows.csv", .made_from = "from a test"});
  EXPECT_NE(text.find("id_column = \"uuid\""), std::string::npos) << text;
  EXPECT_NE(text.find("[attribute.sex]\ncolumn = \"sex\"\n# 2 labels: 여자 (75.0%), 남자 (25.0%)"), std::string::npos) << text;
  EXPECT_NE(text.find("[attribute.age_band]\ncolumn = \"age\""), std::string::npos) << text;
  EXPECT_NE(text.find("bins = [10, 20, 30, 40, 50, 60, 70, 80]"), std::string::npos) << text;
  EXPECT_NE(text.find("# column \"persona\" is not an attribute: free text"), std::string::npos) << text;
  EXPECT_NE(text.find("# column \"empty col\" is not an attribute: every value is missing"), std::string::npos) << text;
  EXPECT_NE(text.find("combinations = [[\"sex\"], [\"age_band\"]]"), std::string::npos) << text;

  iaf::testing::TempDir dir;
  std::ofstream(dir / "audit.toml") << text;
  std::ofstream(dir / "rows.csv") << "uuid,sex,age\na,여자,20\n";
  AuditPack pack = load_pack(dir.path());
  ASSERT_NE(pack.find_attribute("age_band"), nullptr);
  EXPECT_EQ(pack.attribute("age_band").labels.front(), "10-19");
  EXPECT_EQ(pack.attribute("age_band").labels.back(), "80+");
  EXPECT_TRUE(pack.checks.empty());  // the templates stay commented until a reference is filled in
}

TEST(CrosswalkSuggest, MatchKeyIsTheBuildsNormalisation) {
  EXPECT_EQ(match_key("장치ㆍ기계 조작 및 조립 종사자"), match_key("장치·기계 조작 조립 종사자"));
  EXPECT_EQ(match_key("장치ㆍ기계 조작 및 조립 종사자"), "장치기계조작조립종사자");
  EXPECT_EQ(match_key("Sales and Related (Occupations)"), "salesrelatedoccupations");
  EXPECT_EQ(match_key("R&D 연구원"), "r&d연구원");  // '&' inside a word is kept
}

TEST(CrosswalkSuggest, ExactThenNormalisedThenScoredHeaviestFirst) {
  std::vector<TargetCode> codes = {{"41231", "시설 경비원"}, {"94201", "아파트 경비원"}, {"37299", "기타 사무 지원 종사원"},
                                   {"24911", "119 구조대원"}, {"83111", "장치ㆍ기계 조작원"}};
  std::vector<LabelMass> labels = {{"건물 경비원", 5}, {"119 구조대원", 9}, {"장치·기계 조작원", 7}, {"우주비행사", 1}};
  auto s = suggest_crosswalk(labels, codes, 2);
  ASSERT_EQ(s.size(), 4u);  // exact, normalised, two scored, nothing for a title sharing no bigram
  EXPECT_EQ(s[0].label, "119 구조대원");
  EXPECT_EQ(s[0].method, "exact");
  EXPECT_EQ(s[1].label, "장치·기계 조작원");
  EXPECT_EQ(s[1].method, "normalised");
  EXPECT_EQ(s[1].code, "83111");
  EXPECT_EQ(s[2].label, "건물 경비원");
  EXPECT_EQ(s[2].rank, 1u);
  // 건물경비원 shares 경비, 비원 with both: Dice 4/8 with 시설경비원 beats 4/9 with 아파트경비원.
  EXPECT_EQ(s[2].code, "41231");
  EXPECT_NEAR(s[2].score, 0.5, 1e-12);
  // Its bigram Dice is 4/9, but the word sets {건물, 경비원} and {아파트, 경비원} tie at 1/2.
  EXPECT_EQ(s[3].code, "94201");
  EXPECT_NEAR(s[3].score, 0.5, 1e-12);
}
