// Planted truth for rule and bounds checks (issue 4).
#include <gtest/gtest.h>

#include <set>

#include "support/fixture.hpp"

using namespace iaf::testing;
using iaf::cli::AuditOptions;
using json = nlohmann::ordered_json;

namespace {

const char* kToml = R"(
[audit]
name = "planted rules"
seed = 3

[dataset]
path = "rows.csv"
id_column = "uuid"

[[disclosure]]
id = "military"
quote = "military status was assigned by age and sex"
combinations = [["military_status", "age", "sex"]]

[attribute.military_rank]
cases = [
  { when = "occupation LIKE '% 병사'", label = "병사" },
  { when = "occupation LIKE '% 장교'", label = "장교" },
]
otherwise = "none"

[attribute.age_band]
column = "age"
bins = [19, 25, 35, 45, 55, 65, 85]
labels = ["19-24", "25-34", "35-44", "45-54", "55-64", "65-84", "85+"]

[[reference]]
id = "rules"
kind = "rule"
publisher = "Military Service Act"
vintage = "2025"
universe = "active-duty personnel"
licence = "KOGL-1"
[[reference.statements]]
id = "enlisted-male"
text = "conscription applies to men: enlisted soldiers are male"
source = "Military Service Act, art. 3"
[[reference.statements]]
id = "age-profile"
text = "the active-duty rate of men falls with age"
source = "derived"

[[check]]
id = "enlisted-are-men"
disclosure = "military"
type = "rule"
reference = "rules"
statement = "enlisted-male"
scope = "military_rank = '병사'"
assert = "sex = '남자'"
covers = ["military_status", "age", "sex"]

[[check]]
id = "active-duty-profile"
disclosure = "military"
type = "bounds"
reference = "rules"
statement = "age-profile"
attributes = ["age_band"]
universe = "sex = '남자'"
event = "military_status = '현역'"
bounds = { "19-24" = [0.10, 1.0], "25-34" = [0.04, 1.0], "85+" = [0.0, 0.01] }
orderings = ["19-24 > 25-34", "45-54 > 35-44"]
)";

struct Planted {
  FixturePack f;
  std::set<std::string> violators;
};

// 10,000 in-scope rows (병사), 37 of them women; 5,000 men in other jobs across ages with set
// active-duty rates per band.
void write_rows(Planted& p) {
  std::vector<std::vector<std::string>> rows;
  size_t id = 0;
  auto add = [&](const std::string& sex, int age, const std::string& status, const std::string& occ) {
    rows.push_back({"u" + std::to_string(id++), sex, std::to_string(age), status, occ});
  };
  for (int i = 0; i < 10000; ++i) {
    bool woman = i % 270 == 5 && p.violators.size() < 37;
    if (woman) p.violators.insert("u" + std::to_string(id));
    add(woman ? "여자" : "남자", 20 + i % 4, "현역", "육군 병사");
  }
  // Men outside the scope: band → (rows, active duty)
  struct Band {
    int age, rows, active;
  };
  for (Band b : std::vector<Band>{{22, 20000, 3000}, {30, 400, 20}, {40, 20000, 600}, {50, 20000, 200}, {60, 2000, 0}}) {
    for (int i = 0; i < b.rows; ++i)
      add("남자", b.age, i < b.active ? "현역" : "비현역", i < b.active ? "육군 장교" : "회사원");
  }
  for (int i = 0; i < 100; ++i) add("여자", 40, "비현역", "회사원");
  p.f.write_csv("rows.csv", {"uuid", "sex", "age", "military_status", "occupation"}, rows);
  p.f.write_toml(kToml);
}

}  // namespace

TEST(PlantedRule, ThirtySevenViolationsInTenThousand) {
  Planted p;
  write_rows(p);
  ASSERT_EQ(p.violators.size(), 37u);
  AuditOptions o;
  o.bootstrap = 0;
  auto r = p.f.audit(o).report;
  const auto& c = check_of(r, "enlisted-are-men");
  EXPECT_EQ(c["status"], "fail");
  EXPECT_EQ(metric(r, "enlisted-are-men", "in_scope"), 10000);
  EXPECT_EQ(metric(r, "enlisted-are-men", "violations"), 37);
  EXPECT_DOUBLE_EQ(metric(r, "enlisted-are-men", "violation_rate"), 0.0037);
  EXPECT_DOUBLE_EQ(metric(r, "enlisted-are-men", "compliance"), 0.9963);
  auto ci = c["ci"]["compliance"];
  EXPECT_LT(ci[0].get<double>(), 0.9963);
  EXPECT_GT(ci[1].get<double>(), 0.9963);
  const auto& ids = c["details"]["example_ids"];
  ASSERT_EQ(ids.size(), 20u);
  std::set<std::string> unique;
  for (const auto& id : ids) {
    EXPECT_TRUE(p.violators.count(id.get<std::string>())) << id << " does not violate the rule";
    unique.insert(id.get<std::string>());
  }
  EXPECT_EQ(unique.size(), 20u);
  EXPECT_EQ(c["details"]["statement"]["id"], "enlisted-male");
  EXPECT_EQ(r["disclosures"][0]["checks"][0], "enlisted-are-men");
}

TEST(PlantedBounds, StraddlingFlagsReversedOrderingFailsEmptyStratumIsNotApplicable) {
  Planted p;
  write_rows(p);
  AuditOptions o;
  o.bootstrap = 0;
  auto r = p.f.audit(o).report;
  const auto& c = check_of(r, "active-duty-profile");
  std::map<std::string, json> strata;
  for (const auto& s : c["details"]["strata"]) strata[s["stratum"]] = s;
  // 19-24: (10000 − 37 + 3000) / (9963 + 20000) — well inside [0.10, 1]
  EXPECT_EQ(strata["19-24"]["status"], "pass");
  // 25-34: 20 of 400 = 0.05 with a Wilson interval that straddles 0.04
  EXPECT_DOUBLE_EQ(strata["25-34"]["rate"].get<double>(), 0.05);
  EXPECT_LT(strata["25-34"]["ci"][0].get<double>(), 0.04);
  EXPECT_EQ(strata["25-34"]["status"], "flag");
  EXPECT_EQ(strata["85+"]["status"], "not_applicable");
  EXPECT_EQ(strata["85+"]["rows"].get<double>(), 0);
  EXPECT_EQ(c["details"]["orderings"][0]["status"], "pass");
  EXPECT_EQ(c["details"]["orderings"][1]["status"], "fail");  // 1% at 45-54 vs 3% at 35-44
  EXPECT_EQ(c["status"], "fail");
  EXPECT_EQ(metric(r, "active-duty-profile", "orderings_reversed"), 1);
  EXPECT_EQ(metric(r, "active-duty-profile", "strata_straddling"), 1);
}
