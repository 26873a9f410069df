// The 120 real NPK rows from ../shared (skipped when it is absent): every one of the 26 dataset
// columns reads, and the value sets are those the card and the PROVENANCE describe.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "iaf/source/dataset.hpp"
#include "iaf/source/duck.hpp"
#include "support/temp_dir.hpp"

using namespace iaf::source;

namespace {
const std::vector<std::string> kColumns = {
    "uuid", "professional_persona", "sports_persona", "arts_persona", "travel_persona", "culinary_persona",
    "family_persona", "persona", "cultural_background", "skills_and_expertise", "skills_and_expertise_list",
    "hobbies_and_interests", "hobbies_and_interests_list", "career_goals_and_ambitions", "sex", "age",
    "marital_status", "military_status", "family_type", "housing_type", "education_level", "bachelors_field",
    "occupation", "district", "province", "country"};

// NPK's 17 province short forms (full-population marginals of the third-party audit).
const std::set<std::string> kProvinces = {"서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
                                          "강원", "충청북", "충청남", "전북", "전라남", "경상북", "경상남", "제주"};
}  // namespace

TEST(NpkRows, AllColumnsReadWithTheDocumentedValueSets) {
  auto shared = iaf::testing::shared_data();
  if (shared.empty()) GTEST_SKIP() << "../shared/data is absent: the real-NPK-rows test needs it";
  auto file = shared / "npk_rows_hooni0918" / "place_scrap_personas_v3.json";
  ASSERT_TRUE(std::filesystem::exists(file)) << file;

  Duck duck(DuckConfig{.threads = 2, .allowed_paths = {file.string()}});
  RowSource src({file});
  std::vector<Projection> projection;
  for (const auto& c : kColumns) projection.push_back({c, c == "age" ? Projection::number : Projection::text});
  std::map<std::string, std::set<std::string>> values;
  std::vector<double> ages;
  size_t rows = 0, text_chars = 0;
  src.scan(duck, projection, [&](const Chunk& chunk) {
    for (size_t r = 0; r < chunk.size(); ++r, ++rows)
      for (size_t k = 0; k < kColumns.size(); ++k) {
        ASSERT_TRUE(chunk.valid(k, r)) << kColumns[k] << " is null in row " << rows;
        if (kColumns[k] == "age") ages.push_back(chunk.number(k, r));
        else values[kColumns[k]].insert(std::string(chunk.text(k, r)));
        if (kColumns[k] == "persona") text_chars += chunk.text(k, r).size();
      }
  });
  EXPECT_EQ(rows, 120u);
  EXPECT_EQ(values["uuid"].size(), 120u);
  EXPECT_GT(text_chars, 120u * 100);  // persona texts are full Korean sentences
  EXPECT_EQ(values["sex"], (std::set<std::string>{"남자", "여자"}));
  EXPECT_EQ(values["country"], std::set<std::string>{"대한민국"});
  EXPECT_EQ(values["military_status"], std::set<std::string>{"비현역"});
  for (const auto& p : values["province"]) EXPECT_TRUE(kProvinces.count(p)) << p;
  // The PROVENANCE: ages 20–39 only (a filtered sample, not a distribution).
  for (double a : ages) {
    EXPECT_GE(a, 20);
    EXPECT_LE(a, 39);
  }
  // district is "<province short form>-<district>", e.g. 서울-강동구.
  for (const auto& d : values["district"]) {
    auto dash = d.find('-');
    ASSERT_NE(dash, std::string::npos) << d;
    EXPECT_TRUE(kProvinces.count(d.substr(0, dash))) << d;
  }
  EXPECT_TRUE(values["district"].count("서울-강동구"));
  for (const auto& e : values["education_level"])
    EXPECT_TRUE((std::set<std::string>{"무학", "초등학교", "중학교", "고등학교", "2~3년제 전문대학", "4년제 대학교", "대학원"}).count(e)) << e;
}
