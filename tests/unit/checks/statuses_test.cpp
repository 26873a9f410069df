// Every status each check type can take is reached (issue 4). The planted-truth tests reach most
// (conditional: all five; marginal and joint pass/flag; share pass in Sensitivity, fail in
// PlantedShare; rule fail; bounds fail); this file reaches the rest with small constructed packs.
// A marginal or joint check has no not_applicable state: TVD is defined whenever both sides have mass.
#include <gtest/gtest.h>

#include "support/fixture.hpp"

using namespace iaf::testing;
using json = nlohmann::ordered_json;

namespace {

// A dataset of 1,000 rows: 500 men / 500 women; title t1..t4; age 20..59; 5% active duty.
void write_rows(const FixturePack& f) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 1000; ++i) {
    std::string sex = i % 2 ? "F" : "M";
    std::string title = "t" + std::to_string(1 + (i / 2) % 4);
    int age = 20 + (i * 7) % 40;
    std::string duty = (i % 20 == 0) ? "active" : "civilian";
    rows.push_back({"r" + std::to_string(i), sex, title, std::to_string(age), duty});
  }
  f.write_csv("rows.csv", {"id", "sex", "title", "age", "duty"}, rows);
}

const char* kHead = R"(
[audit]
name = "statuses"
[dataset]
path = "rows.csv"
id_column = "id"
[[disclosure]]
id = "d"
quote = "q"
[attribute.sex]
column = "sex"
[attribute.title]
column = "title"
[attribute.cat]
column = "title"
crosswalk = "cw"
[attribute.age_band]
column = "age"
bins = [19, 40]
labels = ["19-39", "40+"]
[[crosswalk]]
id = "cw"
file = "cw.csv"
min_coverage = 0.9
[[reference]]
id = "sexes"
kind = "census"
file = "sexes.csv"
sha256 = "{{sha:sexes.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { sex = "sex", title = "title", count = "n" }
[[reference]]
id = "cats"
kind = "census"
file = "cats.csv"
sha256 = "{{sha:cats.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { cat = "cat", sex = "sex", count = "n" }
[[reference]]
id = "rules"
kind = "rule"
publisher = "t"
vintage = "1"
universe = "u"
licence = "CC0"
[[reference.statements]]
id = "s"
text = "a rule"
)";

json audit(const std::string& sexes, const std::string& cats, const std::string& checks, const std::string& cw = "from,to\nt1,c1\nt2,c2\nt3,c3\nt4,c4\n") {
  FixturePack f;
  write_rows(f);
  f.write("sexes.csv", sexes);
  f.write("cats.csv", cats);
  f.write("cw.csv", cw);
  f.write_toml(std::string(kHead) + checks);
  iaf::cli::AuditOptions o;
  o.bootstrap = 100;
  return f.audit(o).report;
}

const char* kUniformSexTitle = "sex,title,n\nM,t1,125\nM,t2,125\nM,t3,125\nM,t4,125\nF,t1,125\nF,t2,125\nF,t3,125\nF,t4,125\n";
const char* kFaithfulCats = "cat,sex,n\nc1,M,125\nc1,F,125\nc2,M,125\nc2,F,125\nc3,M,125\nc3,F,125\nc4,M,125\nc4,F,125\n";

std::string check(const std::string& id, const std::string& type, const std::string& body) {
  return "[[check]]\nid = \"" + id + "\"\ndisclosure = \"d\"\ntype = \"" + type + "\"\n" + body + "\n";
}

}  // namespace

TEST(Statuses, MarginalFailAndIncomputable) {
  auto r = audit("sex,title,n\nM,t1,800\nF,t1,200\n", kFaithfulCats,
                 check("m-fail", "marginal", "attributes = [\"sex\"]\nreference = \"sexes\"") +
                     check("m-empty", "marginal", "attributes = [\"sex\"]\nreference = \"sexes\"\nuniverse = \"age > 200\"") +
                     check("m-pass", "marginal", "attributes = [\"sex\"]\nreference = \"cats\""));
  EXPECT_EQ(status(r, "m-fail"), "fail");  // TVD 0.3
  EXPECT_EQ(status(r, "m-empty"), "incomputable");
  EXPECT_NE(check_of(r, "m-empty")["reason"].get<std::string>().find("selects no synthetic rows"), std::string::npos);
  EXPECT_EQ(status(r, "m-pass"), "pass");
}

TEST(Statuses, JointPassFlagFail) {
  auto r = audit(kUniformSexTitle,
                 "cat,sex,n\nc1,M,200\nc1,F,50\nc2,M,125\nc2,F,125\nc3,M,125\nc3,F,125\nc4,M,50\nc4,F,200\n",
                 check("j-pass", "joint", "attributes = [\"sex\", \"title\"]\nreference = \"sexes\"") +
                     check("j-fail", "joint", "attributes = [\"cat\", \"sex\"]\nreference = \"cats\"") +
                     check("j-flag", "joint", "attributes = [\"cat\", \"sex\"]\nreference = \"cats\"\nthresholds = { pass = 0.1, flag = 0.2 }"));
  EXPECT_EQ(status(r, "j-pass"), "pass");
  EXPECT_NEAR(metric(r, "j-fail", "tvd"), 0.15, 1e-12);
  EXPECT_EQ(status(r, "j-fail"), "fail");
  EXPECT_EQ(status(r, "j-flag"), "flag");  // the same TVD under a relaxed band
  EXPECT_EQ(check_of(r, "j-flag")["band"]["flag"], 0.2);
}

TEST(Statuses, SharePassFlagNotApplicableAndIncomputable) {
  // Synthetic female share is 0.5 in every category.
  auto r = audit(kUniformSexTitle, kFaithfulCats,
                 check("s-constant", "share", "attributes = [\"cat\", \"sex\"]\ntarget = { sex = \"F\" }\nreference = \"cats\""));
  EXPECT_EQ(status(r, "s-constant"), "not_applicable");  // the reference shares do not vary
  auto r2 = audit(kUniformSexTitle, "cat,sex,n\nc1,M,100\nc1,F,150\nc2,M,125\nc2,F,125\nc3,M,125\nc3,F,125\nc4,M,150\nc4,F,100\n",
                  check("s-flat", "share", "attributes = [\"cat\", \"sex\"]\ntarget = { sex = \"F\" }\nreference = \"cats\"") +
                      check("s-flag", "share",
                            "attributes = [\"cat\", \"sex\"]\ntarget = { sex = \"F\" }\nreference = \"cats\"\nthresholds = { pass = 0.1, flag = -0.1 }"));
  EXPECT_EQ(status(r2, "s-flat"), "fail");  // β = 0: every category gets the overall share
  EXPECT_NEAR(metric(r2, "s-flat", "beta"), 0.0, 1e-12);
  EXPECT_EQ(status(r2, "s-flag"), "flag");
  auto r3 = audit(kUniformSexTitle, kFaithfulCats,
                  check("s-coverage", "share", "attributes = [\"cat\", \"sex\"]\ntarget = { sex = \"F\" }\nreference = \"cats\""),
                  "from,to\nt1,c1\nt2,c2\nt3,c3\n");
  EXPECT_EQ(status(r3, "s-coverage"), "incomputable");  // 75% < min_coverage 0.9
  EXPECT_NEAR(check_of(r3, "s-coverage")["coverage"].get<double>(), 0.75, 1e-12);
}

TEST(Statuses, RulePassNotApplicableAndBoundsPassFlagNotApplicable) {
  auto r = audit(kUniformSexTitle, kFaithfulCats,
                 check("r-pass", "rule", "reference = \"rules\"\nstatement = \"s\"\nscope = \"duty = 'active'\"\nassert = \"age >= 19\"") +
                     check("r-empty", "rule", "reference = \"rules\"\nstatement = \"s\"\nscope = \"duty = 'retired'\"\nassert = \"sex = 'M'\"") +
                     check("b-pass", "bounds",
                           "reference = \"rules\"\nattributes = [\"age_band\"]\nevent = \"duty = 'active'\"\nbounds = { \"19-39\" = [0.0, 0.2] }") +
                     check("b-flag", "bounds",
                           "reference = \"rules\"\nattributes = [\"age_band\"]\nevent = \"duty = 'active'\"\nbounds = { \"19-39\" = [0.05, 0.2] }") +
                     check("b-empty", "bounds",
                           "reference = \"rules\"\nattributes = [\"age_band\"]\nevent = \"duty = 'active'\"\nuniverse = \"age > 100\"\nbounds = { \"19-39\" = [0.0, 0.2] }"));
  EXPECT_EQ(status(r, "r-pass"), "pass");
  EXPECT_EQ(metric(r, "r-pass", "compliance"), 1.0);
  EXPECT_EQ(status(r, "r-empty"), "not_applicable");
  EXPECT_EQ(status(r, "b-pass"), "pass");
  EXPECT_EQ(status(r, "b-flag"), "flag");  // a 5% rate whose interval straddles 0.05
  EXPECT_EQ(status(r, "b-empty"), "not_applicable");
}

TEST(Statuses, RuleAndBoundsAreIncomputableWhenNoCountsTableServesThem) {
  FixturePack f;
  write_rows(f);
  f.write("sexes.csv", kUniformSexTitle);
  f.write("cats.csv", kFaithfulCats);
  f.write("cw.csv", "from,to\nt1,c1\n");
  f.write("counts.csv", "sex,count\nM,500\nF,500\n");
  std::string toml = std::string(kHead) +
                     check("r", "rule", "reference = \"rules\"\nstatement = \"s\"\nscope = \"duty = 'active'\"\nassert = \"sex = 'M'\"") +
                     check("b", "bounds", "reference = \"rules\"\nattributes = [\"age_band\"]\nevent = \"duty = 'active'\"\nbounds = { \"19-39\" = [0.0, 0.2] }") +
                     check("m", "marginal", "attributes = [\"sex\"]\nreference = \"sexes\"");
  toml.replace(toml.find("path = \"rows.csv\""), 17, "counts = [\"counts.csv\"]");
  f.write_toml(toml);
  iaf::cli::AuditOptions o;
  o.bootstrap = 0;
  auto r = f.audit(o).report;
  EXPECT_EQ(status(r, "r"), "incomputable");
  EXPECT_NE(check_of(r, "r")["reason"].get<std::string>().find("duty"), std::string::npos);
  EXPECT_EQ(status(r, "b"), "incomputable");
  EXPECT_EQ(status(r, "m"), "pass");
}
