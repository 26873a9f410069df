// The NPK demo pack (examples/npk) on its committed aggregates: the statuses README.md reports,
// and every deciding metric recomputed here by a second route — straight from the pack's CSV files
// with this file's own arithmetic, not through iaf's loaders, alignment or statistics.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "iaf/pack/pack.hpp"
#include "support/fixture.hpp"

using namespace iaf::testing;
using json = nlohmann::ordered_json;

namespace {

const std::filesystem::path kPack = std::filesystem::path(IAF_SOURCE_DIR) / "examples" / "npk";

// A tiny CSV reader for the pack's own files (no quoted commas except where noted).
std::vector<std::vector<std::string>> read_csv(const std::string& rel) {
  std::ifstream in(kPack / rel);
  EXPECT_TRUE(in) << rel;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) {
        fields.push_back(field);
        field.clear();
      } else {
        field += c;
      }
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

// Sums column `value` of `rows` by the columns `keys`, optionally keeping only rows that pass `keep`.
std::map<std::string, double> totals(const std::vector<std::vector<std::string>>& rows, std::vector<size_t> keys, size_t value,
                                     const std::function<bool(const std::vector<std::string>&)>& keep = nullptr) {
  std::map<std::string, double> out;
  for (const auto& r : rows) {
    if (keep && !keep(r)) continue;
    std::string k;
    for (size_t i : keys) k += r[i] + "|";
    out[k] += std::stod(r[value]);
  }
  return out;
}

double tvd(const std::map<std::string, double>& p, const std::map<std::string, double>& q) {
  double tp = 0, tq = 0;
  for (const auto& [k, v] : p) tp += v;
  for (const auto& [k, v] : q) tq += v;
  std::set<std::string> keys;
  for (const auto& [k, v] : p) keys.insert(k);
  for (const auto& [k, v] : q) keys.insert(k);
  double s = 0;
  for (const auto& k : keys) {
    double a = p.count(k) ? p.at(k) / tp : 0, b = q.count(k) ? q.at(k) / tq : 0;
    s += std::fabs(a - b);
  }
  return s / 2;
}

class NpkDemo : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    iaf::cli::AuditOptions o;
    o.pack = kPack;
    o.threads = 2;
    o.bootstrap = 200;
    o.write = false;
    report_ = new json(iaf::cli::run_audit(o).report);
  }
  static void TearDownTestSuite() { delete report_; }
  static json* report_;
};
json* NpkDemo::report_ = nullptr;

}  // namespace

TEST_F(NpkDemo, MarginalsAreAlignedAndTheirTvdsRecompute) {
  const json& r = *report_;
  auto mois = read_csv("references/mois_2025_04_province_sex_age_19plus.csv");   // province,sex,age_band,population
  auto age_sex = read_csv("counts/age_band_sex.csv");                            // age_band,sex,count
  auto province = read_csv("counts/province.csv");                               // province,count
  EXPECT_EQ(status(r, "marginal-sex"), "pass");
  EXPECT_NEAR(metric(r, "marginal-sex", "tvd"), tvd(totals(age_sex, {1}, 2), totals(mois, {1}, 3)), 1e-12);
  EXPECT_EQ(status(r, "marginal-province"), "pass");
  EXPECT_NEAR(metric(r, "marginal-province", "tvd"), tvd(totals(province, {0}, 1), totals(mois, {0}, 3)), 1e-12);
  EXPECT_EQ(status(r, "marginal-age-sex"), "pass");
  EXPECT_NEAR(metric(r, "marginal-age-sex", "tvd"), tvd(totals(age_sex, {0, 1}, 2), totals(mois, {2, 1}, 3)), 1e-12);
  auto edu = read_csv("counts/age_band_education_level.csv");  // age_band,education_level,count
  auto census_edu = read_csv("references/census_2020_education_25plus.csv");
  EXPECT_EQ(status(r, "marginal-education"), "pass");
  EXPECT_NEAR(metric(r, "marginal-education", "tvd"),
              tvd(totals(edu, {1}, 2, [](const auto& row) { return row[0] != "19-24"; }), totals(census_edu, {0}, 1)), 1e-12);
  auto marital = read_csv("counts/age_band_marital_status.csv");
  auto census_marital = read_csv("references/census_2020_marital_15plus.csv");
  double marital_tvd = tvd(totals(marital, {1}, 2), totals(census_marital, {0}, 1));
  EXPECT_NEAR(metric(r, "marginal-marital", "tvd"), marital_tvd, 1e-12);
  EXPECT_EQ(status(r, "marginal-marital"), marital_tvd <= 0.05 ? "pass" : marital_tvd <= 0.10 ? "flag" : "fail");
}

TEST_F(NpkDemo, MilitaryRulesPassButTheAgeProfileAndTheEnlistedShareFail) {
  const json& r = *report_;
  auto mil = read_csv("counts/sex_age_band_military_status.csv");             // sex,age_band,military_status,count
  auto ranks = read_csv("counts/military_rank_sex_age_band_active.csv");      // military_status,rank,sex,age_band,count
  // Men's active-duty rate by band, straight from the table.
  auto rate = [&](const std::string& band) {
    double active = 0, all = 0;
    for (const auto& row : mil)
      if (row[0] == "남자" && row[1] == band) {
        all += std::stod(row[3]);
        if (row[2] == "현역") active += std::stod(row[3]);
      }
    return active / all;
  };
  EXPECT_EQ(status(r, "military-age-profile"), "fail");
  for (const char* band : {"19-24", "25-34", "35-44", "45-54", "55-64"})
    EXPECT_NEAR(metric(r, "military-age-profile", std::string("rate:") + band), rate(band), 1e-12) << band;
  EXPECT_LT(rate("19-24"), 0.10);                // below the conscription floor …
  EXPECT_LT(rate("19-24"), rate("25-34"));       // … and rising with age: the reversed ordering
  EXPECT_EQ(metric(r, "military-age-profile", "orderings_reversed"), 1);
  double soldiers = 0, active = 0, female_soldiers = 0, old_soldiers = 0;
  for (const auto& row : ranks) {
    double n = std::stod(row[4]);
    active += n;
    if (row[1] == "병사") {
      soldiers += n;
      if (row[2] != "남자") female_soldiers += n;
      if (row[3] != "19-24" && row[3] != "25-34") old_soldiers += n;
    }
  }
  EXPECT_EQ(status(r, "military-enlisted-majority"), "fail");
  EXPECT_NEAR(metric(r, "military-enlisted-majority", "rate:현역"), soldiers / active, 1e-12);
  EXPECT_LT(soldiers / active, 0.5);
  EXPECT_EQ(status(r, "military-rank-rules"), female_soldiers + old_soldiers == 0 ? "pass" : "fail");
  EXPECT_EQ(metric(r, "military-rank-rules", "in_scope"), soldiers);
}

TEST_F(NpkDemo, OccupationChecksAreIncomputableOnTheTopTwentyAggregatesWithTheirCoverage) {
  const json& r = *report_;
  for (const char* id : {"female-share-male-dominated", "occupation-by-education"}) {
    const auto& c = check_of(r, id);
    EXPECT_EQ(c["status"], "incomputable") << id;
    ASSERT_FALSE(c["coverage"].is_null()) << id;
    EXPECT_LT(c["coverage"].get<double>(), 0.5) << id << ": only the top 20 titles are published";
    EXPECT_NE(c["reason"].get<std::string>().find("coverage"), std::string::npos) << id;
  }
  const auto& major = check_of(r, "major-by-occupation");
  EXPECT_EQ(major["status"], "incomputable");
  EXPECT_NE(major["reason"].get<std::string>().find("age"), std::string::npos) << major["reason"];
  // The disclosure coverage table lists the card's own example with no reference.
  bool listed = false;
  for (const auto& d : r["disclosures"])
    if (d["combination"] == json::array({"sex", "bachelors_field", "occupation"})) {
      listed = true;
      EXPECT_FALSE(d["audited"].get<bool>());
      EXPECT_NE(d["needed"].get<std::string>().find("GOMS"), std::string::npos);
    }
  EXPECT_TRUE(listed);
  EXPECT_EQ(r["summary"]["incomputable"], 3);
}

TEST(NpkPack, TheRankAttributeAndTheRankCrosswalkAgreeOnEveryTitle) {
  auto pack = iaf::pack::load_pack(kPack);
  const auto& rank = pack.attribute("military_rank");
  size_t titles = 0;
  for (const auto& row : read_csv("crosswalks/occupation_military_rank.csv")) {
    iaf::pack::RowValues values{[&](const std::string&) -> iaf::pack::Value { return row[0]; },
                                [&](const std::string&) -> std::optional<std::string> { return row[0]; }};
    EXPECT_EQ(iaf::pack::attribute_label(rank, values), row[1]) << row[0];
    ++titles;
  }
  EXPECT_EQ(titles, 2120u);
}
