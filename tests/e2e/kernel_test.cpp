// The counting kernel against its oracle: the fast kernel (dictionary codes, memoised derived
// values, fixed-point masses, per-thread partials) and the reference kernel (labels as strings, one
// hash insert per row and grouping) must give the same report — every key and its order, every
// label, example id and status, every number to 1e-12 — on rows that exercise every attribute kind,
// NULLs, fractional weights, a crosswalk with fractional links, universes, rules with examples and
// bounds, over sharded CSV and Parquet. Numbers are not compared bit for bit across kernels: the
// reference adds weights in floating point in row order, the fast kernel exactly in fixed point.
// The fast kernel's own reports are byte-identical whatever the thread count.
#include <gtest/gtest.h>

#include <algorithm>

#include "iaf/source/duck.hpp"
#include "iaf/stats/sampling.hpp"
#include "support/counts_compare.hpp"
#include "support/fixture.hpp"
#include "support/report_compare.hpp"

using namespace iaf::testing;
using iaf::cli::AuditOptions;
using json = nlohmann::ordered_json;

namespace {

const char* kToml = R"(
[audit]
name = "kernels"
seed = 17

[dataset]
path = "%ROWS%"
id_column = "uuid"
weight = "w"

[[disclosure]]
id = "d"
quote = "occupation, age and military status were drawn independently of each other"
combinations = [["occupation", "sex"], ["age", "sex"], ["military_status", "age", "sex"]]

[attribute.sex]
column = "sex"
map = { "M" = "남자", "F" = "여자" }

[attribute.age_band]
column = "age"
bins = [19, 25, 35, 45, 55, 65, 85]
labels = ["19-24", "25-34", "35-44", "45-54", "55-64", "65-84", "85+"]

[attribute.occ_major]
column = "occupation"
crosswalk = "occ"

[attribute.military_rank]
cases = [
  { when = "occupation LIKE '% 병사'", label = "병사" },
  { when = "occupation LIKE '% 장교'", label = "장교" },
]
otherwise = "none"

[attribute.young_worker]
expression = "age < 30 AND occupation != '무직'"
when_true = "young worker"
when_false = "other"

[[crosswalk]]
id = "occ"
file = "occ.csv"
min_coverage = 0.3

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

[[reference]]
id = "rules"
kind = "rule"
publisher = "Military Service Act"
vintage = "2025"
universe = "active-duty personnel"
licence = "KOGL-1"
[[reference.statements]]
id = "enlisted-male"
text = "enlisted soldiers are men"
source = "Military Service Act, art. 3"
[[reference.statements]]
id = "age-profile"
text = "the active-duty rate of men falls with age"
source = "derived"

[[check]]
id = "marginal-sex"
disclosure = "d"
type = "marginal"
attributes = ["sex"]
reference = "ages"

[[check]]
id = "joint-age-sex"
disclosure = "d"
type = "joint"
attributes = ["age_band", "sex"]
reference = "ages"
universe = "young_worker = 'other'"

[[check]]
id = "occupation-given-sex"
disclosure = "d"
type = "conditional"
attributes = ["sex", "occ_major"]
reference = "jobs"

[[check]]
id = "female-share"
disclosure = "d"
type = "share"
attributes = ["occ_major", "sex"]
target = { sex = "여자" }
reference = "jobs"
universe = "occupation != '무직' AND military_rank = 'none'"

[[check]]
id = "enlisted-are-men"
disclosure = "d"
type = "rule"
reference = "rules"
statement = "enlisted-male"
scope = "military_rank = '병사'"
assert = "sex = '남자'"
covers = ["military_status", "age", "sex"]

[[check]]
id = "active-duty-profile"
disclosure = "d"
type = "bounds"
reference = "rules"
statement = "age-profile"
attributes = ["age_band"]
universe = "sex = '남자'"
event = "military_status = '현역'"
bounds = { "19-24" = [0.10, 1.0], "85+" = [0.0, 0.01] }
orderings = ["19-24 > 25-34", "25-34 > 35-44"]
)";

const std::vector<std::string> kJobs = {"간호사", "소프트웨어 개발자", "건물 청소원", "회계 사무원", "무직",
                                        "육군 병사", "해군 장교", "바리스타", "전직 교사"};

class Kernels : public ::testing::Test {
 protected:
  void SetUp() override {
    iaf::stats::Rng rng(2026, 3);
    std::vector<std::vector<std::string>> shards[3];
    for (int i = 0; i < 9000; ++i) {
      double u = rng.uniform();
      std::string sex = u < 0.02 ? "" : u < 0.5 ? "M" : u < 0.97 ? "F" : "여자";  // NULL, mapped, already a label
      int age = 19 + static_cast<int>(rng.uniform() * 75);
      std::string age_text = rng.uniform() < 0.01 ? "" : std::to_string(age);
      std::string job = kJobs[static_cast<size_t>(rng.uniform() * kJobs.size())];
      if (rng.uniform() < 0.01) job = "";
      bool active = sex == "M" && age < 28 && rng.uniform() < 0.4;
      if (active && rng.uniform() < 0.7) job = "육군 병사";
      // Weights in eighths, and a few with every bit of a double's mantissa in use.
      double w = 0.125 * (1 + static_cast<int>(rng.uniform() * 20));
      if (i % 97 == 0) w = 1.0 / 3.0 + static_cast<double>(i) * 1e-9;
      char wtext[40];
      std::snprintf(wtext, sizeof wtext, "%.17g", w);
      shards[i % 3].push_back({"u" + std::to_string(100000 + (i * 7919) % 90000), sex, age_text, active ? "현역" : "비현역",
                               job, wtext});
    }
    for (int s = 0; s < 3; ++s)
      f_.write_csv("rows-" + std::to_string(s) + ".csv", {"uuid", "sex", "age", "military_status", "occupation", "w"},
                   shards[s]);
    f_.write("occ.csv", "from,to,weight\n간호사,2,1\n소프트웨어 개발자,2,1\n건물 청소원,9,1\n회계 사무원,3,1\n"
                        "바리스타,5,0.75\n바리스타,9,0.25\n육군 병사,0,1\n해군 장교,0,1\n");
    f_.write("ages.csv", "age_band,sex,n\n19-24,남자,700\n19-24,여자,650\n25-34,남자,900\n25-34,여자,880\n"
                         "35-44,남자,1000\n35-44,여자,980\n45-54,남자,1100\n45-54,여자,1100\n55-64,남자,1000\n"
                         "55-64,여자,1050\n65-84,남자,1400\n65-84,여자,1800\n85+,남자,100\n85+,여자,250\n");
    f_.write("jobs.csv", "major,sex,n\n0,남자,300\n0,여자,20\n2,남자,900\n2,여자,1500\n3,남자,700\n3,여자,900\n"
                         "5,남자,400\n5,여자,600\n9,남자,1300\n9,여자,700\n");
  }

  json report(const std::string& rows, iaf::count::Kernel kernel, unsigned threads) {
    std::string toml = kToml;
    toml.replace(toml.find("%ROWS%"), 6, rows);
    f_.write_toml(toml);
    AuditOptions o;
    o.kernel = kernel;
    o.threads = threads;
    o.bootstrap = 100;
    json r = f_.audit(o).report;
    r.erase("generated_at");
    return r;
  }

  FixturePack f_;
};

}  // namespace

TEST_F(Kernels, AgreeOnShardedCsv) {
  json oracle = report("rows-*.csv", iaf::count::Kernel::reference, 1);
  // Not trivially equal: the rule has violators and the examples name them.
  ASSERT_GT(check_of(oracle, "enlisted-are-men")["metrics"]["violations"].get<double>(), 0);
  ASSERT_FALSE(check_of(oracle, "enlisted-are-men")["details"]["example_ids"].empty());
  json one = report("rows-*.csv", iaf::count::Kernel::fast, 1);
  expect_same_json(one, oracle, "csv");
  EXPECT_EQ(report("rows-*.csv", iaf::count::Kernel::fast, 3).dump(1), one.dump(1));
}

TEST_F(Kernels, AgreeOnParquet) {
  iaf::source::DuckConfig cfg;
  cfg.external_access = true;  // the test writes its own fixture
  iaf::source::Duck duck(cfg);
  for (int s = 0; s < 3; ++s) {
    std::string csv = f_.path("rows-" + std::to_string(s) + ".csv").string();
    std::string pq = f_.path("rows-" + std::to_string(s) + ".parquet").string();
    // Small row groups, so that two threads really split each file.
    duck.query("COPY (SELECT * FROM read_csv('" + csv + "')) TO '" + pq + "' (FORMAT parquet, ROW_GROUP_SIZE 1024)",
               "fixture");
  }
  json oracle = report("rows-*.parquet", iaf::count::Kernel::reference, 1);
  json one = report("rows-*.parquet", iaf::count::Kernel::fast, 1);
  expect_same_json(one, oracle, "parquet");
  EXPECT_EQ(report("rows-*.parquet", iaf::count::Kernel::fast, 2).dump(1), one.dump(1));
}

// Unweighted rows take the fast kernel's dense counters; a grouping of 1,500 × 800 labels outgrows
// the 2^20-cell array part-way through the scan and moves to the hash table. Counts must equal the
// reference kernel's exactly (whole rows), cell by cell, on one thread and on two.
TEST(KernelCounters, DenseAndWidenedCountsEqualTheOracle) {
  FixturePack f;
  iaf::stats::Rng rng(2026, 11);
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 20000; ++i) {
    // Labels arrive in widening order, so the array is laid out again several times first.
    int spread = 1 + i / 10;
    std::string a = "a" + std::to_string(static_cast<int>(rng.uniform() * std::min(spread, 1500)));
    std::string b = rng.uniform() < 0.01 ? "" : "b" + std::to_string(static_cast<int>(rng.uniform() * std::min(spread, 800)));
    std::string sex = rng.uniform() < 0.5 ? "M" : "F";
    std::string age = std::to_string(19 + static_cast<int>(rng.uniform() * 60));
    rows.push_back({a, b, sex, age});
  }
  f.write_csv("rows.csv", {"a", "b", "sex", "age"}, rows);
  f.write("ab.csv", "a,b,n\na0,b0,10\na1,b1,20\n");
  f.write("sex_age.csv", "sex,age_band,n\nM,19-39,10\nF,19-39,12\nM,40-79,9\nF,40-79,11\n");
  f.write_toml(R"(
[audit]
name = "counters"

[dataset]
path = "rows.csv"

[[disclosure]]
id = "d"
quote = "a, b, sex and age were drawn independently"
combinations = [["a", "b"], ["sex", "age"]]

[attribute.a]
column = "a"

[attribute.b]
column = "b"

[attribute.sex]
column = "sex"

[attribute.age_band]
column = "age"
bins = [19, 40]
labels = ["19-39", "40-79"]

[[reference]]
id = "ab"
kind = "register"
file = "ab.csv"
sha256 = "{{sha:ab.csv}}"
publisher = "test"
vintage = "2025"
universe = "all"
unit = "persons"
licence = "CC0"
columns = { a = "a", b = "b", count = "n" }

[[reference]]
id = "sex-age"
kind = "register"
file = "sex_age.csv"
sha256 = "{{sha:sex_age.csv}}"
publisher = "test"
vintage = "2025"
universe = "all"
unit = "persons"
licence = "CC0"
columns = { sex = "sex", age_band = "age_band", count = "n" }

[[check]]
id = "a-by-b"
disclosure = "d"
type = "joint"
attributes = ["a", "b"]
reference = "ab"

[[check]]
id = "age-sex"
disclosure = "d"
type = "joint"
attributes = ["age_band", "sex"]
reference = "sex-age"
universe = "a != 'a0'"
)");
  iaf::pack::AuditPack pack = iaf::pack::load_pack(f.dir());
  iaf::count::Plan plan = iaf::count::plan_counts(pack);
  auto counted = [&](iaf::count::Kernel kernel, unsigned threads) { return counted_rows(pack, plan, f.path("rows.csv"), kernel, threads); };
  iaf::count::Counts oracle = counted(iaf::count::Kernel::reference, 1);
  ASSERT_EQ(oracle.groupings.size(), plan.groupings.size());
  size_t widest = 0;
  for (const auto& g : oracle.groupings) widest = std::max(widest, g.table.cells().size());
  ASSERT_GT(widest, 10000u);  // the a × b grouping really is past what one array holds
  for (unsigned threads : {1u, 2u}) expect_same_counts(counted(iaf::count::Kernel::fast, threads), oracle, std::to_string(threads) + " thread(s)");
  EXPECT_EQ(oracle.rows, 20000u);
}
