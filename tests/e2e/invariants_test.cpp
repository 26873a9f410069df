// Engine invariants (issue 3): one pack run on rows and on the counts of those rows — raw columns,
// and derived attributes — gives identical metrics (to 1e-12) and statuses; the same seed gives a
// byte-identical report.json apart from generated_at, whatever the thread count.
#include <gtest/gtest.h>

#include <map>

#include "support/fixture.hpp"
#include "support/report_compare.hpp"
#include "support/planted.hpp"

using namespace iaf::testing;
using iaf::cli::AuditOptions;
using json = nlohmann::ordered_json;

namespace {

const std::vector<std::string> kOccupations = {"간호사", "소프트웨어 개발자", "건물 청소원", "회계 사무원", "무직", "육군 병사"};

struct Row {
  std::string id, sex, occupation;
  int age;
};

std::vector<Row> make_rows(size_t n, uint64_t seed) {
  iaf::stats::Rng rng(seed, 1);
  std::vector<Row> rows;
  for (size_t i = 0; i < n; ++i) {
    Row r;
    r.id = "p" + std::to_string(i);
    r.sex = rng.uniform() < 0.49 ? "남자" : "여자";
    r.age = 19 + static_cast<int>(rng.uniform() * 70);
    double u = rng.uniform();
    // occupation depends on sex, so the joint has real dependence
    size_t k = static_cast<size_t>(u * kOccupations.size());
    if (r.sex == "여자" && k == 5) k = 0;
    r.occupation = kOccupations[k];
    rows.push_back(r);
  }
  return rows;
}

std::string band_of(int age) {
  if (age < 25) return "19-24";
  if (age < 45) return "25-44";
  if (age < 65) return "45-64";
  return "65+";
}

const char* kToml = R"(
[audit]
name = "invariants"
seed = 4242

[dataset]
%DATASET%
id_column = "id"

[[disclosure]]
id = "d"
quote = "occupation is independent of sex"
combinations = [["occupation", "sex"], ["age", "sex"]]

[attribute.sex]
column = "sex"

[attribute.age_band]
column = "age"
bins = [19, 25, 45, 65]
labels = ["19-24", "25-44", "45-64", "65+"]

[attribute.occ_major]
column = "occupation"
crosswalk = "occ"

[[crosswalk]]
id = "occ"
file = "occ.csv"
default_variant = "strict"
variants = { lenient = "occ_lenient.csv" }
min_coverage = 0.5

[[reference]]
id = "ages"
kind = "register"
file = "ages.csv"
sha256 = "{{sha:ages.csv}}"
publisher = "test register"
vintage = "2025"
universe = "adults"
unit = "persons"
licence = "CC0"
columns = { age_band = "age_band", sex = "sex", count = "n" }

[[reference]]
id = "jobs"
kind = "survey"
file = "jobs.csv"
sha256 = "{{sha:jobs.csv}}"
publisher = "test survey"
vintage = "2024"
universe = "employed"
unit = "persons"
sample_size = 20000
sample_unit = "persons"
design_effect = 1.5
licence = "CC0"
columns = { occ_major = "major", sex = "sex", count = "n" }

[[check]]
id = "joint-age-sex"
disclosure = "d"
type = "joint"
attributes = ["age_band", "sex"]
reference = "ages"
universe = "age_band != '19-24'"

[[check]]
id = "marginal-sex"
disclosure = "d"
type = "marginal"
attributes = ["sex"]
reference = "ages"

[[check]]
id = "occupation-given-sex"
disclosure = "d"
type = "conditional"
attributes = ["sex", "occ_major"]
reference = "jobs"
sensitivity = ["occ:strict", "occ:lenient"]

[[check]]
id = "female-share"
disclosure = "d"
type = "share"
attributes = ["occ_major", "sex"]
target = { sex = "여자" }
reference = "jobs"
universe = "occupation != '무직'"
sensitivity = ["occ:strict", "occ:lenient"]
)";

class Invariants : public ::testing::Test {
 protected:
  void SetUp() override {
    rows_ = make_rows(6000, 99);
    std::vector<std::vector<std::string>> csv;
    for (const auto& r : rows_) csv.push_back({r.id, r.sex, std::to_string(r.age), r.occupation});
    f_.write_csv("rows.csv", {"id", "sex", "age", "occupation"}, csv);
    f_.write("occ.csv", "from,to\n간호사,2\n소프트웨어 개발자,2\n건물 청소원,9\n회계 사무원,3\n");
    f_.write("occ_lenient.csv", "from,to,weight\n간호사,2,1\n소프트웨어 개발자,2,1\n건물 청소원,9,1\n회계 사무원,3,1\n육군 병사,9,0.5\n육군 병사,3,0.5\n");
    f_.write("ages.csv", "age_band,sex,n\n19-24,남자,700\n19-24,여자,650\n25-44,남자,2100\n25-44,여자,2000\n45-64,남자,2300\n45-64,여자,2350\n65+,남자,1400\n65+,여자,1800\n");
    f_.write("jobs.csv", "major,sex,n\n2,남자,900\n2,여자,1500\n3,남자,700\n3,여자,900\n9,남자,1300\n9,여자,700\n");
    // Counts of the same rows: raw columns, and derived attributes.
    std::map<std::vector<std::string>, int> raw, by_band, by_occ;
    for (const auto& r : rows_) {
      raw[{r.sex, std::to_string(r.age), r.occupation}]++;
      by_band[{band_of(r.age), r.sex}]++;
      by_occ[{r.occupation, r.sex}]++;
    }
    auto table = [&](const std::map<std::vector<std::string>, int>& m, std::vector<std::string> header) {
      std::vector<std::vector<std::string>> out;
      for (const auto& [k, n] : m) {
        auto row = k;
        row.push_back(std::to_string(n));
        out.push_back(row);
      }
      header.push_back("count");
      return std::make_pair(header, out);
    };
    auto [h1, r1] = table(raw, {"sex", "age", "occupation"});
    f_.write_csv("counts_raw.csv", h1, r1);
    auto [h2, r2] = table(by_band, {"age_band", "sex"});
    f_.write_csv("counts_band.csv", h2, r2);
    auto [h3, r3] = table(by_occ, {"occupation", "sex"});
    f_.write_csv("counts_occ.csv", h3, r3);
  }

  json audit(const std::string& dataset, unsigned threads = 2, unsigned bootstrap = 200) {
    std::string toml = kToml;
    toml.replace(toml.find("%DATASET%"), 9, dataset);
    f_.write_toml(toml);
    AuditOptions o;
    o.threads = threads;
    o.bootstrap = bootstrap;
    return f_.audit(o).report;
  }

  FixturePack f_;
  std::vector<Row> rows_;
};

json without_timestamp(json r) {
  r.erase("generated_at");
  return r;
}

}  // namespace

TEST_F(Invariants, RowsEqualCountsOfRawColumns) {
  json rows = audit("path = \"rows.csv\"");
  json counts = audit("counts = [\"counts_raw.csv\"]");
  EXPECT_EQ(counts["audit"]["mode"], "counts");
  expect_same_checks(rows, counts, "raw counts");
  // Every check computed: the raw table holds every column.
  for (const auto& c : counts["checks"]) EXPECT_NE(c["status"], "incomputable") << c["id"] << ": " << c["reason"];
}

TEST_F(Invariants, RowsEqualCountsOfDerivedAttributes) {
  json rows = audit("path = \"rows.csv\"");
  json counts = audit("counts = [\"counts_band.csv\", \"counts_occ.csv\"]");
  expect_same_checks(rows, counts, "derived counts");
}

TEST_F(Invariants, ACountsTableThatLacksAColumnMakesItsCheckIncomputableNamingIt) {
  json counts = audit("counts = [\"counts_band.csv\"]");
  const auto& c = check_of(counts, "female-share");
  EXPECT_EQ(c["status"], "incomputable");
  EXPECT_NE(c["reason"].get<std::string>().find("occ_major"), std::string::npos) << c["reason"];
  EXPECT_NE(c["reason"].get<std::string>().find("occupation"), std::string::npos) << c["reason"];
  EXPECT_EQ(status(counts, "joint-age-sex"), status(audit("path = \"rows.csv\""), "joint-age-sex"));
}

TEST_F(Invariants, SameSeedGivesByteIdenticalReportsWhateverTheThreadCount) {
  json a = audit("path = \"rows.csv\"", 1);
  json b = audit("path = \"rows.csv\"", 1);
  json c = audit("path = \"rows.csv\"", 2);
  json d = audit("path = \"rows.csv\"", 5);
  EXPECT_EQ(without_timestamp(a).dump(1), without_timestamp(b).dump(1));
  EXPECT_EQ(without_timestamp(a).dump(1), without_timestamp(c).dump(1));
  EXPECT_EQ(without_timestamp(a).dump(1), without_timestamp(d).dump(1));
  // and the written file is the same bytes
  AuditOptions o;
  o.threads = 1;
  o.bootstrap = 200;
  o.out = f_.path("written");
  auto w = f_.audit(o);
  std::ifstream in(f_.path("written/report.json"));
  json from_file = json::parse(in);
  EXPECT_EQ(without_timestamp(from_file).dump(1), without_timestamp(a).dump(1));
}

TEST_F(Invariants, ADifferentSeedChangesOnlyTheResampledFigures) {
  json a = audit("path = \"rows.csv\"");
  f_.write_toml(std::string(kToml).replace(std::string(kToml).find("%DATASET%"), 9, "path = \"rows.csv\""));
  AuditOptions o;
  o.bootstrap = 200;
  o.seed = 1;
  json b = f_.audit(o).report;
  EXPECT_NE(check_of(a, "marginal-sex")["ci"].dump(), check_of(b, "marginal-sex")["ci"].dump());
  EXPECT_EQ(check_of(a, "marginal-sex")["metrics"].dump(), check_of(b, "marginal-sex")["metrics"].dump());
}

TEST_F(Invariants, PackDigestIdentifiesThePackNotTheDataItAudits) {
  json declared = audit("counts = [\"counts_raw.csv\"]");
  AuditOptions o;
  o.bootstrap = 0;
  o.counts = {f_.path("counts_band.csv").string(), f_.path("counts_occ.csv").string()};
  json overridden = f_.audit(o).report;
  EXPECT_EQ(declared["audit"]["pack_sha256"], overridden["audit"]["pack_sha256"]);
  // The data is identified by the inputs instead.
  EXPECT_NE(declared["inputs"].dump(), overridden["inputs"].dump());
  // A reference changing changes the digest.
  f_.write("ages.csv", "age_band,sex,n\n19-24,남자,701\n19-24,여자,650\n25-44,남자,2100\n25-44,여자,2000\n45-64,남자,2300\n"
                       "45-64,여자,2350\n65+,남자,1400\n65+,여자,1800\n");
  json changed = audit("counts = [\"counts_raw.csv\"]");
  EXPECT_NE(declared["audit"]["pack_sha256"], changed["audit"]["pack_sha256"]);
}
