// `iaf sql`: the emitted SQL, run in DuckDB on generated rows and saved as a counts file, gives
// the same report as auditing the rows directly — for the UNION ALL form and the GROUPING SETS form.
#include <gtest/gtest.h>

#include <set>

#include "iaf/count/plan.hpp"
#include "iaf/count/sql_export.hpp"
#include "iaf/source/dataset.hpp"
#include "iaf/source/duck.hpp"
#include "iaf/stats/sampling.hpp"
#include "support/fixture.hpp"
#include "support/report_compare.hpp"

using namespace iaf;
using namespace iaf::testing;
using json = nlohmann::ordered_json;

namespace {

void write_pack(const FixturePack& f) {
  stats::Rng rng(3, 3);
  std::vector<std::vector<std::string>> rows;
  const char* titles[] = {"간호사", "소프트웨어 개발자", "건물 청소원", "회계 사무원", "무직", "육군 병사"};
  for (int i = 0; i < 8000; ++i) {
    std::string sex = rng.uniform() < 0.5 ? "남자" : "여자";
    int age = 19 + static_cast<int>(rng.uniform() * 70);
    size_t k = static_cast<size_t>(rng.uniform() * 6);
    if (sex == "여자" && k == 5) k = 1;
    std::string weight = std::to_string(0.5 + rng.uniform());
    rows.push_back({"p" + std::to_string(i), sex, std::to_string(age), titles[k], i % 97 == 0 ? "" : "x", weight});
  }
  f.write_csv("rows.csv", {"id", "sex", "age", "occupation", "note", "w"}, rows);
  f.write("occ.csv", "from,to\n간호사,2\n소프트웨어 개발자,2\n건물 청소원,9\n회계 사무원,3\n육군 병사,A\n");
  f.write("ages.csv", "age_band,sex,n\n19-39,남자,700\n19-39,여자,650\n40-64,남자,2100\n40-64,여자,2000\n65+,남자,900\n65+,여자,1200\n");
  f.write("jobs.csv", "major,sex,n\n2,남자,900\n2,여자,1500\n3,남자,700\n3,여자,900\n9,남자,1300\n9,여자,700\n");
  f.write_toml(R"(
[audit]
name = "sql export"
seed = 5
[dataset]
path = "rows.csv"
id_column = "id"
weight = "w"
[[disclosure]]
id = "d"
quote = "q"
[attribute.sex]
column = "sex"
[attribute.age_band]
column = "age"
bins = [19, 40, 65]
labels = ["19-39", "40-64", "65+"]
[attribute.occ_major]
column = "occupation"
crosswalk = "occ"
[attribute.soldier]
cases = [{ when = "occupation LIKE '% 병사'", label = "yes" }]
otherwise = "no"
[[crosswalk]]
id = "occ"
file = "occ.csv"
min_coverage = 0.5
[[reference]]
id = "ages"
kind = "register"
file = "ages.csv"
sha256 = "{{sha:ages.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { age_band = "age_band", sex = "sex", count = "n" }
[[reference]]
id = "jobs"
kind = "census"
file = "jobs.csv"
sha256 = "{{sha:jobs.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { occ_major = "major", sex = "sex", count = "n" }
[[reference]]
id = "rules"
kind = "rule"
publisher = "t"
vintage = "1"
universe = "u"
licence = "CC0"
[[reference.statements]]
id = "men"
text = "soldiers are men"
[[check]]
id = "age-sex"
disclosure = "d"
type = "joint"
attributes = ["age_band", "sex"]
reference = "ages"
universe = "note IS NOT NULL"
[[check]]
id = "share"
disclosure = "d"
type = "share"
attributes = ["occ_major", "sex"]
target = { sex = "여자" }
reference = "jobs"
universe = "occupation != '무직' AND soldier = 'no'"
[[check]]
id = "soldiers-men"
disclosure = "d"
type = "rule"
reference = "rules"
statement = "men"
scope = "soldier = 'yes'"
assert = "sex = '남자'"
[[check]]
id = "age-profile"
disclosure = "d"
type = "bounds"
reference = "rules"
attributes = ["age_band"]
universe = "sex = '남자'"
event = "soldier = 'yes'"
bounds = { "19-39" = [0.1, 0.3] }
[[check]]
id = "sex"
disclosure = "d"
type = "marginal"
attributes = ["sex"]
reference = "ages"
)");
}

json audit_with(const FixturePack& f, const std::string& counts) {
  cli::AuditOptions o;
  o.bootstrap = 100;
  o.write = false;
  if (!counts.empty()) o.counts = {counts};
  return f.audit(o).report;
}

void run_sql_to_csv(const FixturePack& f, bool grouping_sets, const std::string& out) {
  auto pack = pack::load_pack(f.dir());
  auto plan = count::plan_counts(pack);
  auto files = source::expand_glob(*pack.dataset.path, pack.root);
  source::Duck reader(source::DuckConfig{.threads = 1, .allowed_paths = {files[0].string()}});
  count::Schema schema;
  for (const auto& c : source::RowSource(files).columns(reader)) schema[c.name] = c.numeric;
  count::Identifiers ids(pack, schema, "rows");
  count::SqlExportOptions o;
  o.grouping_sets = grouping_sets;
  o.from = source::RowSource(files).relation();
  std::string sql = count::counting_sql(pack, plan, ids, o);
  std::string body = sql.substr(sql.find("\n", sql.find("\n") + 1) + 1);  // the two comment lines off
  source::Duck engine(source::DuckConfig{.threads = 2, .external_access = true});
  engine.query("COPY (" + body + ") TO '" + f.path(out).string() + "' (HEADER, DELIMITER ',')", "emitted SQL");
}

}  // namespace

TEST(SqlExport, GroupByPerGroupingEqualsTheRowsReport) {
  FixturePack f;
  write_pack(f);
  json rows = audit_with(f, "");
  run_sql_to_csv(f, false, "counts_union.csv");
  json counts = audit_with(f, f.path("counts_union.csv").string());
  EXPECT_EQ(counts["audit"]["mode"], "counts");
  expect_same_checks(rows, counts, "UNION ALL");
  for (const auto& c : counts["checks"]) EXPECT_NE(c["status"], "incomputable") << c["id"] << c["reason"];
}

TEST(SqlExport, GroupingSetsEqualsTheRowsReport) {
  FixturePack f;
  write_pack(f);
  json rows = audit_with(f, "");
  run_sql_to_csv(f, true, "counts_sets.csv");
  json counts = audit_with(f, f.path("counts_sets.csv").string());
  expect_same_checks(rows, counts, "GROUPING SETS");
}

TEST(SqlExport, AGroupingMissingFromTheOutputIsIncomputableNotSummedFromTheRest) {
  FixturePack f;
  write_pack(f);
  run_sql_to_csv(f, false, "counts_union.csv");
  // Drop the first grouping's rows, as if the table came from another version of the pack.
  std::ifstream in(f.path("counts_union.csv"));
  std::string header, line, dropped, kept;
  std::getline(in, header);
  ASSERT_EQ(header.rfind("grouping,", 0), 0u) << header;
  std::set<std::string> keys;
  while (std::getline(in, line)) {
    std::string key = line.substr(0, line.find(','));
    keys.insert(key);
    // The marginal's grouping: the table has a sex column, so read as an ordinary counts table it
    // would seem to serve it, summing every other grouping's rows.
    if (key == "sex") dropped = key;
    else kept += line + "\n";
  }
  ASSERT_FALSE(dropped.empty()) << "no grouping 'sex' among " << keys.size() << " keys";
  f.write("counts_partial.csv", header + "\n" + kept);
  json counts = audit_with(f, f.path("counts_partial.csv").string());
  size_t incomputable = 0;
  for (const auto& c : counts["checks"])
    if (c["status"] == "incomputable") {
      ++incomputable;
      EXPECT_NE(c["reason"].get<std::string>().find("from iaf sql"), std::string::npos) << c["reason"];
    }
  EXPECT_EQ(status(counts, "sex"), "incomputable") << check_of(counts, "sex")["reason"];
  EXPECT_GE(incomputable, 1u);
}

TEST(SqlExport, DialectsQuoteAndTypeAsTheirEnginesDo) {
  FixturePack f;
  write_pack(f);
  auto pack = pack::load_pack(f.dir());
  auto plan = count::plan_counts(pack);
  count::Schema schema = {{"sex", false}, {"age", true}, {"occupation", false}, {"note", false}, {"w", true}, {"id", false}};
  count::Identifiers ids(pack, schema, "t");
  auto sql = [&](SqlDialect d) {
    count::SqlExportOptions o;
    o.dialect = d;
    o.from = count::quoted_table("warehouse.personas", d);
    return count::counting_sql(pack, plan, ids, o);
  };
  std::string spark = sql(SqlDialect::spark), bq = sql(SqlDialect::bigquery), trino = sql(SqlDialect::trino);
  EXPECT_NE(spark.find("FROM `warehouse`.`personas`"), std::string::npos);
  EXPECT_NE(spark.find("CAST(`sex` AS STRING)"), std::string::npos);
  EXPECT_EQ(spark.find("nfc_normalize"), std::string::npos);
  EXPECT_NE(bq.find("NORMALIZE(CAST(`sex` AS STRING), NFC)"), std::string::npos);
  EXPECT_NE(bq.find("AS FLOAT64)"), std::string::npos);
  EXPECT_NE(trino.find("FROM \"warehouse\".\"personas\""), std::string::npos);
  EXPECT_NE(trino.find("NORMALIZE(CAST(\"sex\" AS VARCHAR), NFC)"), std::string::npos);
  EXPECT_EQ(trino.find("isnan"), std::string::npos);
  // A hostile table name stays one quoted identifier.
  EXPECT_EQ(count::quoted_table("a\"; DROP TABLE x; --", SqlDialect::trino), "\"a\"\"; DROP TABLE x; --\"");
}
