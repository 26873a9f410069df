// Every error path of the pack loader (iaf::pack::load_pack): one valid base pack, then one mutation
// per test, each asserting the exception type, its exit code and the words of its message (file,
// line, key, and what to do).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "iaf/core/digest.hpp"
#include "iaf/core/error.hpp"
#include "iaf/pack/pack.hpp"
#include "support/temp_dir.hpp"

using namespace iaf;
using namespace iaf::pack;
using iaf::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// The base pack. Every table header is directly followed by its first key, and every value the
// tests mutate is spelled once, so a mutation is a unique text replacement.
const char* kBaseToml = R"toml([audit]
name = "Minimal pack"
locale = "ko-KR"
description = "a pack for the loader tests"
seed = 7

[dataset]
path = "data/rows.csv"
id_column = "uuid"
revision = "r1"

[[disclosure]]
id = "sex-age"
quote = "sex and age follow the census"
combinations = [["sex", "age_band"]]

[attribute.sex]
column = "sex"

[attribute.age_band]
column = "age"
bins = [19, 40, 65]
labels = ["19-39", "40-64", "65+"]

[attribute.occ]
column = "occupation"
crosswalk = "occ-major"

[attribute.soldier]
expression = "occupation LIKE '%군인%'"

[attribute.region]
cases = [{ when = "district LIKE '서울%'", label = "서울" }, { when = "district LIKE '경기%'", label = "경기" }]
otherwise = "기타"

[[crosswalk]]
id = "occ-major"
file = "crosswalks/occ.csv"
variants = { lenient = "crosswalks/occ_lenient.csv" }
unmapped = "report"
min_coverage = 0.9

[[reference]]
id = "census-sex-age"
kind = "census"
publisher = "Statistics Korea, Population Census"
vintage = "2020"
universe = "persons aged 19+"
licence = "KOGL type 1"
unit = "persons"
file = "references/sex_age.csv"
sha256 = "@sha256:references/sex_age.csv@"
columns = { sex = "sex", age_band = "age_band", count = "n" }

[[reference]]
id = "survey-occ-sex"
kind = "survey"
publisher = "Statistics Korea, EAPS"
vintage = "2024"
universe = "employed persons"
licence = "KOGL type 1 (attribution)"
unit = "thousand persons"
file = "references/occ_sex.csv"
sha256 = "@sha256:references/occ_sex.csv@"
columns = { occ = "occ", sex = "sex", count = "employed" }
sample_size = 35000
sample_unit = "persons"
design_effect = 2.0
scale = 1000

[[reference]]
id = "register-occ-age"
kind = "register"
publisher = "Ministry of Employment"
vintage = "2023"
universe = "insured workers"
licence = "public data"
unit = "workers"
file = "references/occ_age.csv"
sha256 = "@sha256:references/occ_age.csv@"
columns = { occ = "occ", age_band = "age_band", count = "workers" }

[[reference]]
id = "rules"
kind = "rule"
publisher = "Military Service Act"
vintage = "2025"
universe = "all persons"
licence = "public domain"

[[reference.statements]]
id = "conscription"
text = "men serve; women may volunteer"
source = "Art. 3"

[[check]]
id = "sex-marginal"
disclosure = "sex-age"
type = "marginal"
attributes = ["sex"]
reference = "census-sex-age"
thresholds = { pass = 0.01, flag = 0.05 }

[[check]]
id = "sex-by-age"
disclosure = "sex-age"
type = "joint"
attributes = ["sex", "age_band"]
reference = "census-sex-age"

[[check]]
id = "age-given-sex"
disclosure = "sex-age"
type = "conditional"
attributes = ["sex", "age_band"]
reference = "census-sex-age"

[[check]]
id = "female-share"
disclosure = "sex-age"
type = "share"
attributes = ["occ", "sex"]
target = { sex = "여자" }
reference = "survey-occ-sex"
universe = "age >= 19"
standardise_by = { attribute = "age_band", weights = "register-occ-age" }
sensitivity = ["occ-major:default", "occ-major:lenient"]
thresholds = { dominated_below = 0.3, excess = 0.05 }

[[check]]
id = "minors-not-soldiers"
disclosure = "sex-age"
type = "rule"
reference = "rules"
statement = "conscription"
scope = "age < 18"
assert = "NOT occupation LIKE '%군인%'"
thresholds = { min_compliance = 0.99 }

[[check]]
id = "soldier-rate"
disclosure = "sex-age"
type = "bounds"
attributes = ["sex"]
reference = "rules"
statement = "conscription"
event = "occupation LIKE '%군인%'"
bounds = { "남자" = [0.0, 0.2], "여자" = [0.0, 0.05] }
orderings = ["남자 > 여자"]
)toml";

const char* kCasesLine =
    "cases = [{ when = \"district LIKE '서울%'\", label = \"서울\" }, { when = \"district LIKE '경기%'\", label = \"경기\" }]";

const std::map<std::string, std::string> kBaseFiles = {
    {"references/sex_age.csv",
     "sex,age_band,n\n남자,19-39,100\n남자,40-64,120\n남자,65+,50\n여자,19-39,110\n여자,40-64,125\n여자,65+,60\n"},
    {"references/occ_sex.csv", "occ,sex,employed\n전문가,남자,10.5\n전문가,여자,12\n농림어업,남자,3\n농림어업,여자,2\n"},
    {"references/occ_age.csv", "occ,age_band,workers\n전문가,19-39,5\n전문가,40-64,7\n농림어업,65+,4\n"},
    {"crosswalks/occ.csv", "from,to\n교사,전문가\n의사,전문가\n농부,농림어업\n"},
    {"crosswalks/occ_lenient.csv", "from,to,weight\n교사,전문가,1\n의사,전문가,0.5\n의사,농림어업,0.5\n농부,농림어업,1\n"},
};

::testing::AssertionResult has(const std::string& message, std::initializer_list<std::string> parts) {
  for (const auto& p : parts)
    if (message.find(p) == std::string::npos)
      return ::testing::AssertionFailure() << "the message lacks \"" << p << "\":\n    " << message;
  return ::testing::AssertionSuccess();
}

class PackErrors : public ::testing::Test {
 protected:
  TempDir dir;
  std::string toml = kBaseToml;
  std::map<std::string, std::string> files = kBaseFiles;
  LoadOptions options;

  // Replaces the one occurrence of `from` in audit.toml.
  void replace(const std::string& from, const std::string& to) {
    auto pos = toml.find(from);
    ASSERT_NE(pos, std::string::npos) << "base pack has no \"" << from << "\"";
    ASSERT_EQ(toml.find(from, pos + 1), std::string::npos) << "base pack has \"" << from << "\" twice";
    toml.replace(pos, from.size(), to);
  }
  void erase(const std::string& text) { replace(text, ""); }
  // Inserts `line` (with its newline) after the line that contains `anchor`.
  void insert_after(const std::string& anchor, const std::string& line) {
    auto pos = toml.find(anchor);
    ASSERT_NE(pos, std::string::npos) << "base pack has no \"" << anchor << "\"";
    auto eol = toml.find('\n', pos);
    toml.insert(eol + 1, line + "\n");
  }
  // Removes from `start` up to (not including) `end`.
  void erase_between(const std::string& start, const std::string& end) {
    auto a = toml.find(start);
    ASSERT_NE(a, std::string::npos);
    auto b = toml.find(end, a);
    ASSERT_NE(b, std::string::npos);
    toml.erase(a, b - a);
  }

  // 1-based line of the first line of audit.toml containing `needle`.
  int line_of(const std::string& needle) const {
    auto pos = toml.find(needle);
    EXPECT_NE(pos, std::string::npos) << "no \"" << needle << "\" in audit.toml";
    if (pos == std::string::npos) return -1;
    return 1 + static_cast<int>(std::count(toml.begin(), toml.begin() + static_cast<long>(pos), '\n'));
  }
  // "line N:" for the line containing `needle` (the loader's "<file> line N: …" form); paths and
  // expressions are reported as "<file> line N, <table> key '…': …", hence `sep`.
  std::string at(const std::string& needle, char sep = ':') const {
    return " line " + std::to_string(line_of(needle)) + sep;
  }

  std::string toml_path() const { return (dir.path() / "audit.toml").string(); }

  // Writes the files, fills in every "@sha256:<file>@" and writes audit.toml.
  fs::path write() {
    for (const auto& [rel, content] : files) {
      fs::path p = dir / rel;
      fs::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << content;
    }
    std::string text = toml;
    for (size_t pos; (pos = text.find("@sha256:")) != std::string::npos;) {
      size_t end = text.find('@', pos + 8);
      fs::path f = dir / text.substr(pos + 8, end - pos - 8);
      text.replace(pos, end - pos + 1, fs::exists(f) ? sha256_file(f) : std::string(64, '0'));
    }
    std::ofstream(dir / "audit.toml", std::ios::binary) << text;
    return dir.path();
  }

  AuditPack load() {
    write();
    return load_pack(dir.path(), options);
  }

  // The message of the PackError the pack raises (a test failure for any other outcome).
  std::string pack_error() {
    write();
    try {
      load_pack(dir.path(), options);
    } catch (const PackError& e) {
      EXPECT_EQ(e.code(), ExitCode::usage);
      EXPECT_EQ(static_cast<int>(e.code()), 2);
      return e.what();
    } catch (const DataError& e) {
      ADD_FAILURE() << "expected a PackError (exit 2), got a DataError: " << e.what();
      return e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "expected a PackError (exit 2), got: " << e.what();
      return e.what();
    }
    ADD_FAILURE() << "expected a PackError (exit 2), but the pack loaded";
    return "";
  }

  std::string data_error() {
    write();
    try {
      load_pack(dir.path(), options);
    } catch (const DataError& e) {
      EXPECT_EQ(e.code(), ExitCode::data);
      EXPECT_EQ(static_cast<int>(e.code()), 3);
      return e.what();
    } catch (const PackError& e) {
      ADD_FAILURE() << "expected a DataError (exit 3), got a PackError: " << e.what();
      return e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "expected a DataError (exit 3), got: " << e.what();
      return e.what();
    }
    ADD_FAILURE() << "expected a DataError (exit 3), but the pack loaded";
    return "";
  }

  std::string file_path(const std::string& rel) const { return fs::weakly_canonical(dir / rel).string(); }
};

// The mass of a reference cell given by attribute = label pairs, whatever the table's dimension order.
double mass(const Reference& r, const std::map<std::string, std::string>& cell) {
  std::vector<std::string> labels;
  for (const auto& d : r.masses.dims()) labels.push_back(cell.at(d));
  return r.masses.get(labels);
}

// ---------------------------------------------------------------------------------------------
// The base pack

TEST_F(PackErrors, BasePackLoadsWithEveryFieldAsWritten) {
  AuditPack p = load();
  EXPECT_EQ(p.root, fs::weakly_canonical(dir.path()));
  EXPECT_EQ(p.toml_sha256, sha256_file(dir / "audit.toml"));
  EXPECT_EQ(p.audit.name, "Minimal pack");
  EXPECT_EQ(p.audit.locale, "ko-KR");
  EXPECT_EQ(p.audit.description, "a pack for the loader tests");
  EXPECT_EQ(p.audit.seed, 7u);
  ASSERT_TRUE(p.dataset.path.has_value());
  EXPECT_EQ(*p.dataset.path, "data/rows.csv");
  EXPECT_EQ(p.dataset.id_column, "uuid");
  EXPECT_EQ(p.dataset.revision, "r1");
  EXPECT_EQ(p.dataset.name, "Minimal pack");  // defaults to the audit's name
  EXPECT_TRUE(p.dataset.counts.empty());

  ASSERT_EQ(p.disclosures.size(), 1u);
  EXPECT_EQ(p.disclosures[0].id, "sex-age");
  EXPECT_EQ(p.disclosures[0].quote, "sex and age follow the census");
  EXPECT_EQ(p.disclosures[0].combinations, (std::vector<std::vector<std::string>>{{"sex", "age_band"}}));

  ASSERT_EQ(p.attributes.size(), 5u);
  const Attribute& age = p.attribute("age_band");
  EXPECT_EQ(age.kind(), Attribute::Kind::bins);
  EXPECT_EQ(age.column, "age");
  EXPECT_EQ(age.bins, (std::vector<double>{19, 40, 65}));
  EXPECT_EQ(age.labels, (std::vector<std::string>{"19-39", "40-64", "65+"}));
  EXPECT_EQ(p.attribute("sex").kind(), Attribute::Kind::column);
  EXPECT_EQ(p.attribute("occ").crosswalk, "occ-major");
  EXPECT_EQ(p.attribute("soldier").kind(), Attribute::Kind::expression);
  EXPECT_EQ(p.attribute("soldier").expression_text, "occupation LIKE '%군인%'");
  const Attribute& region = p.attribute("region");
  EXPECT_EQ(region.kind(), Attribute::Kind::cases);
  ASSERT_EQ(region.cases.size(), 2u);
  EXPECT_EQ(region.cases[0].label, "서울");
  EXPECT_EQ(region.cases[1].when_text, "district LIKE '경기%'");
  EXPECT_EQ(region.otherwise, "기타");

  ASSERT_EQ(p.crosswalks.size(), 1u);
  const CrosswalkSpec& cw = p.crosswalk("occ-major");
  ASSERT_EQ(cw.variants.size(), 2u);
  EXPECT_EQ(cw.variants[0].first, "default");
  EXPECT_EQ(cw.variants[1].first, "lenient");
  EXPECT_EQ(cw.unmapped, UnmappedPolicy::report);
  EXPECT_DOUBLE_EQ(cw.min_coverage, 0.9);
  ASSERT_EQ(cw.loaded.size(), 2u);
  EXPECT_EQ(cw.variant("default").rows, 3u);
  EXPECT_EQ(cw.variant("default").targets("교사"), (std::vector<std::pair<std::string, double>>{{"전문가", 1.0}}));
  EXPECT_EQ(cw.variant("lenient").targets("의사").size(), 2u);

  ASSERT_EQ(p.references.size(), 4u);
  const Reference& census = p.reference("census-sex-age");
  EXPECT_EQ(census.kind, ReferenceKind::census);
  EXPECT_EQ(census.publisher, "Statistics Korea, Population Census");
  EXPECT_EQ(census.unit, "persons");
  EXPECT_EQ(census.sha256_declared, sha256_file(dir / "references/sex_age.csv"));
  EXPECT_EQ(census.sha256_actual, census.sha256_declared);
  EXPECT_FALSE(census.sha256_changed);
  EXPECT_EQ(census.count_column, "n");
  EXPECT_EQ(census.rows, 6u);
  EXPECT_DOUBLE_EQ(census.masses.total(), 565);
  EXPECT_DOUBLE_EQ(mass(census, {{"sex", "여자"}, {"age_band", "65+"}}), 60);
  const Reference& survey = p.reference("survey-occ-sex");
  EXPECT_TRUE(survey.is_survey());
  EXPECT_DOUBLE_EQ(survey.effective_n(), 17500);
  EXPECT_DOUBLE_EQ(survey.scale, 1000);
  EXPECT_DOUBLE_EQ(mass(survey, {{"occ", "전문가"}, {"sex", "남자"}}), 10500);
  const Reference& rules = p.reference("rules");
  EXPECT_EQ(rules.kind, ReferenceKind::rule);
  EXPECT_TRUE(rules.file.empty());
  ASSERT_EQ(rules.statements.size(), 1u);
  EXPECT_EQ(rules.statements[0].id, "conscription");
  EXPECT_EQ(rules.statements[0].source, "Art. 3");

  ASSERT_EQ(p.checks.size(), 6u);
  EXPECT_EQ(p.checks[0].type, CheckType::marginal);
  EXPECT_DOUBLE_EQ(p.checks[0].thresholds.at("flag"), 0.05);
  EXPECT_EQ(p.checks[1].type, CheckType::joint);
  EXPECT_EQ(p.checks[2].type, CheckType::conditional);
  const Check& share = p.checks[3];
  EXPECT_EQ(share.type, CheckType::share);
  EXPECT_EQ(share.target, (std::pair<std::string, std::string>{"sex", "여자"}));
  EXPECT_EQ(share.universe_text, "age >= 19");
  ASSERT_NE(share.universe, nullptr);
  EXPECT_EQ(share.standardise_attribute, "age_band");
  EXPECT_EQ(share.standardise_weights, "register-occ-age");
  EXPECT_EQ(share.sensitivity, (std::vector<std::string>{"occ-major:default", "occ-major:lenient"}));
  const Check& rule = p.checks[4];
  EXPECT_EQ(rule.type, CheckType::rule);
  EXPECT_EQ(rule.statement, "conscription");
  EXPECT_NE(rule.scope, nullptr);
  EXPECT_NE(rule.assertion, nullptr);
  const Check& bounds = p.checks[5];
  EXPECT_EQ(bounds.type, CheckType::bounds);
  ASSERT_EQ(bounds.bounds.size(), 2u);
  EXPECT_EQ(bounds.bounds[0].stratum, "남자");
  EXPECT_DOUBLE_EQ(bounds.bounds[0].hi, 0.2);
  ASSERT_EQ(bounds.orderings.size(), 1u);
  EXPECT_EQ(bounds.orderings[0].higher, "남자");
  EXPECT_EQ(bounds.orderings[0].lower, "여자");
  EXPECT_EQ(p.pack_files().size(), 1u + 2u + 3u);
}

// reference.hpp: "dims = the attributes in `columns` order"; toml_reader.hpp: string_map is "in
// file order".
TEST_F(PackErrors, ReferenceDimsFollowTheColumnsOrder) {
  AuditPack p = load();
  EXPECT_EQ(p.reference("census-sex-age").masses.dims(), (std::vector<std::string>{"sex", "age_band"}));
  EXPECT_EQ(p.reference("census-sex-age").columns,
            (std::vector<std::pair<std::string, std::string>>{{"sex", "sex"}, {"age_band", "age_band"}}));
}

TEST_F(PackErrors, LoadsFromTheTomlFileItself) {
  write();
  AuditPack p = load_pack(dir / "audit.toml");
  EXPECT_EQ(p.checks.size(), 6u);
}

TEST_F(PackErrors, MissingAuditTomlIsDataErrorNamingIt) {
  TempDir empty;
  try {
    load_pack(empty.path());
    FAIL() << "loaded an empty folder";
  } catch (const DataError& e) {
    EXPECT_EQ(e.code(), ExitCode::data);
    EXPECT_TRUE(has(e.what(), {(empty.path() / "audit.toml").string(), "no audit.toml"}));
  }
}

// ---------------------------------------------------------------------------------------------
// The file as a whole

TEST_F(PackErrors, MalformedTomlReportsFileAndLine) {
  replace("vintage = \"2023\"", "vintage = \"2023");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("vintage = \"2023"), "malformed TOML"}));
}

TEST_F(PackErrors, DuplicateTomlTableIsMalformedToml) {
  insert_after("otherwise = \"기타\"", "[attribute.sex]\ncolumn = \"gender\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "malformed TOML", "line "}));
}

TEST_F(PackErrors, NonUtf8TomlIsRejected) {
  replace("a pack for the loader tests", "a pack \xff\xfe for the loader tests");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "not valid UTF-8"}));
}

TEST_F(PackErrors, TomlOverTheSizeLimitIsRejected) {
  options.limits.max_pack_bytes = 1000;
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "bytes, over the limit of 1000"}));
}

TEST_F(PackErrors, MoreChecksThanTheLimitAreRejected) {
  options.limits.max_checks = 5;
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "6 checks, over the limit of 5"}));
}

TEST_F(PackErrors, UnknownTopLevelTableIsRejected) {
  toml += "\n[limits]\nmax_checks = 3\n";
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[limits]"), "unknown key 'limits'"}));
}

TEST_F(PackErrors, MissingAuditTable) {
  erase_between("[audit]", "[dataset]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "missing the [audit] table"}));
}

TEST_F(PackErrors, MissingDatasetTable) {
  erase_between("[dataset]", "[[disclosure]]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "missing the [dataset] table", "path", "counts"}));
}

TEST_F(PackErrors, AuditGivenAsStringInsteadOfTable) {
  erase_between("[audit]", "[dataset]");
  toml = "audit = \"Minimal pack\"\n" + toml;
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line 1:", "key 'audit'", "must be a table, not a string"}));
}

TEST_F(PackErrors, CrosswalkGivenAsTableInsteadOfArrayOfTables) {
  replace("[[crosswalk]]", "[crosswalk]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "key 'crosswalk'", "must be an array of tables ([[crosswalk]])"}));
}

// ---------------------------------------------------------------------------------------------
// [audit] and [dataset]

TEST_F(PackErrors, AuditMissingName) {
  erase("name = \"Minimal pack\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[audit]"), "missing required key 'name'"}));
}

TEST_F(PackErrors, AuditEmptyName) {
  replace("name = \"Minimal pack\"", "name = \"\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("name = \"\""), "key 'name'", "must not be empty"}));
}

TEST_F(PackErrors, AuditNameAsNumber) {
  replace("name = \"Minimal pack\"", "name = 5");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("name = 5"), "key 'name'", "must be a string, not an integer"}));
}

TEST_F(PackErrors, AuditSeedAsString) {
  replace("seed = 7", "seed = \"seven\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("seed = \"seven\""), "key 'seed'", "must be an integer, not a string"}));
}

TEST_F(PackErrors, AuditNegativeSeed) {
  replace("seed = 7", "seed = -7");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("seed = -7"), "key 'seed'", "non-negative"}));
}

TEST_F(PackErrors, AuditUnknownKey) {
  insert_after("seed = 7", "sede = 8");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sede = 8"), "unknown key 'sede'", "known here:", "seed"}));
}


TEST_F(PackErrors, DatasetUnknownKey) {
  insert_after("revision = \"r1\"", "weights = \"w\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("weights = \"w\""), "unknown key 'weights'", "weight"}));
}

TEST_F(PackErrors, DatasetWithoutPathOrCounts) {
  erase("path = \"data/rows.csv\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[dataset]"), "'path'", "'counts'"}));
}

TEST_F(PackErrors, DatasetWithPathAndCounts) {
  files["counts/sex.csv"] = "sex,count\n남자,3\n";
  insert_after("path = \"data/rows.csv\"", "counts = [\"counts/sex.csv\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("counts = "), "key 'counts'", "not both"}));
}

TEST_F(PackErrors, DatasetEmptyPath) {
  replace("path = \"data/rows.csv\"", "path = \"\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("path = \"\""), "key 'path'", "must not be empty"}));
}

TEST_F(PackErrors, DatasetPathEscapingThePack) {
  replace("path = \"data/rows.csv\"", "path = \"../rows.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("path = \"../rows.csv\"", ','), "key 'path'", "leaves the pack folder", "--allow-outside-pack"}));
}

TEST_F(PackErrors, DatasetCountsAsString) {
  replace("path = \"data/rows.csv\"", "counts = \"counts/sex.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("counts = "), "key 'counts'", "must be an array"}));
}

TEST_F(PackErrors, DatasetCountsEntryAsNumber) {
  replace("path = \"data/rows.csv\"", "counts = [\n  3,\n]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("  3,"), "key 'counts'", "each entry must be a file name or a { file"}));
}

TEST_F(PackErrors, DatasetCountsTablesLoad) {
  files["counts/sex.csv"] = "sex,count\n남자,3\n";
  files["counts/age.csv"] = "age_band,n\n19-39,3\n";
  replace("path = \"data/rows.csv\"",
          "counts = [\"counts/sex.csv\", { file = \"counts/age.csv\", scope = \"age >= 19\", count_column = \"n\" }]");
  AuditPack p = load();
  EXPECT_FALSE(p.dataset.path.has_value());
  ASSERT_EQ(p.dataset.counts.size(), 2u);
  EXPECT_EQ(p.dataset.counts[0].count_column, "count");
  EXPECT_EQ(p.dataset.counts[0].scope, nullptr);
  EXPECT_EQ(p.dataset.counts[1].count_column, "n");
  EXPECT_EQ(p.dataset.counts[1].scope_text, "age >= 19");
  EXPECT_NE(p.dataset.counts[1].scope, nullptr);
  EXPECT_EQ(p.dataset.counts[1].file, fs::weakly_canonical(dir / "counts/age.csv"));
}

TEST_F(PackErrors, DatasetCountsEntryUnknownKey) {
  files["counts/sex.csv"] = "sex,count\n남자,3\n";
  replace("path = \"data/rows.csv\"", "counts = [\n  { file = \"counts/sex.csv\", scpoe = \"age >= 19\" },\n]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("scpoe"), "counts entry", "unknown key 'scpoe'", "scope"}));
}

TEST_F(PackErrors, DatasetCountsEntryWithoutFile) {
  replace("path = \"data/rows.csv\"", "counts = [{ scope = \"age >= 19\" }]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("counts = "), "counts entry", "missing required key 'file'"}));
}

TEST_F(PackErrors, DatasetCountsScopeWithBadExpression) {
  files["counts/sex.csv"] = "sex,count\n남자,3\n";
  replace("path = \"data/rows.csv\"", "counts = [{ file = \"counts/sex.csv\", scope = \"age >= ; 19\" }]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("counts = ")) + ",", "key 'scope'", "';'",
                      "at character 8"}));
}

TEST_F(PackErrors, DatasetCountsFileMissingIsDataError) {
  replace("path = \"data/rows.csv\"", "counts = [\"counts/absent.csv\"]");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("counts/absent.csv"), "counts table not found", "[dataset] counts"}));
}

TEST_F(PackErrors, DatasetCountsPathEscapingThePack) {
  replace("path = \"data/rows.csv\"", "counts = [\"/etc/passwd\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("counts = ", ','), "key 'counts'", "'/etc/passwd' leaves the pack folder"}));
}

// ---------------------------------------------------------------------------------------------
// [[disclosure]]

TEST_F(PackErrors, DisclosureMissingId) {
  erase("id = \"sex-age\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[[disclosure]]"), "[[disclosure]] #1", "missing required key 'id'"}));
}

TEST_F(PackErrors, DisclosureMissingQuote) {
  erase("quote = \"sex and age follow the census\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[[disclosure]]"), "[[disclosure]] #1", "missing required key 'quote'"}));
}

TEST_F(PackErrors, DisclosureUnknownKey) {
  insert_after("quote = \"sex and age", "quotes = \"x\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("quotes = \"x\""), "[[disclosure]] #1", "unknown key 'quotes'"}));
}

TEST_F(PackErrors, DisclosureDuplicateId) {
  insert_after("combinations = [[\"sex\", \"age_band\"]]", "\n[[disclosure]]\nid = \"sex-age\"\nquote = \"again\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("quote = \"again\"") - 1) + ":", "[[disclosure]] #2",
                      "duplicate disclosure id 'sex-age'"}));
}

TEST_F(PackErrors, DisclosureIdWithInvalidCharacters) {
  replace("id = \"sex-age\"", "id = \"sex age!\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("id = \"sex age!\""), "key 'id'", "disclosure id 'sex age!'",
                      "only letters, digits, '-', '_' and '.'"}));
}

TEST_F(PackErrors, DisclosureCombinationsWithNonArrayItem) {
  replace("combinations = [[\"sex\", \"age_band\"]]", "combinations = [\"sex\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("combinations = "), "key 'combinations'", "every item must be an array of strings, not a string"}));
}

TEST_F(PackErrors, DisclosureCombinationsWithNumberName) {
  replace("combinations = [[\"sex\", \"age_band\"]]", "combinations = [[\"sex\", 4]]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("combinations = "), "key 'combinations'", "every name must be a string, not an integer"}));
}

TEST_F(PackErrors, DisclosureEmptyCombination) {
  replace("combinations = [[\"sex\", \"age_band\"]]", "combinations = [[]]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("combinations = "), "key 'combinations'", "at least one attribute"}));
}

// ---------------------------------------------------------------------------------------------
// [attribute.x]

TEST_F(PackErrors, AttributeUnknownKey) {
  insert_after("labels = [\"19-39\"", "lables = [\"a\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("lables = "), "age_band", "unknown key 'lables'", "labels"}));
}

// toml_reader.hpp: `where` names the table as written ("[audit]"), as the case messages do
// ("[attribute.region] case").
TEST_F(PackErrors, AttributeTableIsNamedAsWrittenInMessages) {
  insert_after("labels = [\"19-39\"", "lables = [\"a\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {"[attribute.age_band]"}));
}

TEST_F(PackErrors, AttributeCaseUnknownKey) {
  replace("label = \"서울\" }", "label = \"서울\", lable = \"x\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("lable = "), "[attribute.region] case", "unknown key 'lable'"}));
}

TEST_F(PackErrors, AttributeCaseWithoutWhen) {
  replace("{ when = \"district LIKE '서울%'\", label = \"서울\" }", "{ label = \"서울\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("cases = "), "[attribute.region] case", "missing required key 'when'"}));
}

TEST_F(PackErrors, AttributeCaseWithoutLabel) {
  replace("{ when = \"district LIKE '서울%'\", label = \"서울\" }", "{ when = \"district LIKE '서울%'\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("cases = "), "[attribute.region] case", "missing required key 'label'"}));
}

TEST_F(PackErrors, AttributeCasesNotAnArray) {
  replace(kCasesLine, "cases = \"서울\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("cases = "), "key 'cases'", "must be an array of { when, label } tables"}));
}

TEST_F(PackErrors, AttributeCaseNotATable) {
  replace("cases = [{ when = \"district LIKE '서울%'\", label = \"서울\" }, ", "cases = [\"서울\", ");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("cases = "), "key 'cases'", "each case is a { when"}));
}

TEST_F(PackErrors, AttributeCaseWithBadExpression) {
  replace("when = \"district LIKE '서울%'\"", "when = \"district LIKE '서울%\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("cases = ")) + ",", "key 'when'",
                      "unterminated string literal", "at character 15"}));
}

TEST_F(PackErrors, AttributeExpressionWithFunctionCall) {
  replace("expression = \"occupation LIKE '%군인%'\"", "expression = \"read_csv('/etc/passwd') IS NULL\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("read_csv")) + ",", "key 'expression'",
                      "function calls are not part of the expression language", "at character 1"}));
}

TEST_F(PackErrors, AttributeNameWithInvalidCharacters) {
  replace("[attribute.region]", "[attribute.\"지역 region\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[attribute.\"지역"), "attribute names may use only letters, digits and '_'"}));
}

TEST_F(PackErrors, AttributeNotATable) {
  erase_between("[attribute.sex]", "[[crosswalk]]");
  toml = std::string("attribute = 3\n") + toml;
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line 1:", "key 'attribute'", "must be a table, not an integer"}));
}

TEST_F(PackErrors, AttributeWithNoDefinition) {
  replace("column = \"sex\"\n", "otherwise = \"x\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[attribute.sex]"), "sex", "exactly one of 'column', 'cases' or 'expression'"}));
}

TEST_F(PackErrors, AttributeWithColumnAndExpression) {
  insert_after("column = \"sex\"", "expression = \"sex = '남자'\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[attribute.sex]"), "exactly one of 'column', 'cases' or 'expression'"}));
}

TEST_F(PackErrors, AttributeWithCasesAndExpression) {
  insert_after("otherwise = \"기타\"", "expression = \"district IS NULL\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[attribute.region]"), "exactly one of 'column', 'cases' or 'expression'"}));
}

TEST_F(PackErrors, AttributeBinsNotStrictlyIncreasing) {
  replace("bins = [19, 40, 65]", "bins = [19, 40, 40]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("bins = "), "key 'bins'", "strictly increasing"}));
}

TEST_F(PackErrors, AttributeBinsWithNonNumber) {
  replace("bins = [19, 40, 65]", "bins = [19, \"40\", 65]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("bins = "), "key 'bins'", "every item must be a number, not a string"}));
}

TEST_F(PackErrors, AttributeLabelsCountDiffersFromBins) {
  replace("labels = [\"19-39\", \"40-64\", \"65+\"]", "labels = [\"19-39\", \"40+\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("labels = "), "key 'labels'", "3 bins, 2 labels"}));
}

TEST_F(PackErrors, AttributeLabelsWithoutBins) {
  insert_after("column = \"sex\"", "labels = [\"남자\", \"여자\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("labels = [\"남자\""), "key 'labels'", "has no 'bins'"}));
}

TEST_F(PackErrors, AttributeLabelsAsString) {
  replace("labels = [\"19-39\", \"40-64\", \"65+\"]", "labels = \"19-39\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("labels = "), "key 'labels'", "must be an array of strings, not a string"}));
}

TEST_F(PackErrors, AttributeDuplicateBinLabels) {
  replace("labels = [\"19-39\", \"40-64\", \"65+\"]", "labels = [\"19-39\", \"40+\", \"40+\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("labels = "), "key 'labels'", "label '40+' appears twice"}));
}

TEST_F(PackErrors, AttributeDuplicateCaseLabels) {
  replace("label = \"경기\"", "label = \"서울\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "region", "label '서울' appears twice"}));
}

TEST_F(PackErrors, AttributeCaseLabelEqualToOtherwise) {
  replace("otherwise = \"기타\"", "otherwise = \"경기\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "region", "label '경기' appears twice"}));
}

TEST_F(PackErrors, AttributeMapWithoutColumn) {
  insert_after("otherwise = \"기타\"", "map = { \"서울\" = \"수도권\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("map = "), "key 'map'", "a value map needs a 'column'"}));
}

TEST_F(PackErrors, AttributeMapWithBins) {
  insert_after("labels = [\"19-39\"", "map = { \"65+\" = \"old\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("map = "), "key 'map'", "binned attribute cannot also have a value map"}));
}

TEST_F(PackErrors, AttributeMapWithNonStringValue) {
  insert_after("column = \"sex\"", "map = { \"M\" = 1 }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("map = "), "key 'map'", "value of 'M' must be a string, not an integer"}));
}

TEST_F(PackErrors, AttributeMapLoads) {
  insert_after("column = \"sex\"", "map = { \"M\" = \"남자\", \"F\" = \"여자\" }");
  AuditPack p = load();
  EXPECT_EQ(p.attribute("sex").map.size(), 2u);
  EXPECT_EQ(label_from_table(p.attribute("sex"), "F"), "여자");
}

// Bins bin a column; an attribute defined by an expression or cases has none to bin.
TEST_F(PackErrors, AttributeBinsWithoutColumn) {
  insert_after("expression = \"occupation LIKE", "bins = [0, 1]\nlabels = [\"no\", \"yes\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "soldier", "bins"}));
}

TEST_F(PackErrors, AttributeCrosswalkUnknown) {
  replace("crosswalk = \"occ-major\"", "crosswalk = \"occ-minor\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[attribute.occ]"), "[attribute.occ] key 'crosswalk'", "no [[crosswalk]] has id 'occ-minor'"}));
}

// ---------------------------------------------------------------------------------------------
// [[crosswalk]]

TEST_F(PackErrors, CrosswalkUnknownKey) {
  insert_after("min_coverage = 0.9", "min_cover = 0.5");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("min_cover = 0.5"), "[[crosswalk]] #1", "unknown key 'min_cover'"}));
}

TEST_F(PackErrors, CrosswalkMissingFile) {
  erase("file = \"crosswalks/occ.csv\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[[crosswalk]]"), "[[crosswalk]] #1", "missing required key 'file'"}));
}

TEST_F(PackErrors, CrosswalkMissingId) {
  erase("id = \"occ-major\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[[crosswalk]]"), "missing required key 'id'"}));
}

TEST_F(PackErrors, CrosswalkDuplicateId) {
  insert_after("min_coverage = 0.9", "\n[[crosswalk]]\nid = \"occ-major\"\nfile = \"crosswalks/occ.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("min_coverage = 0.9") + 3) + ":", "[[crosswalk]] #2",
                      "duplicate crosswalk id 'occ-major'"}));
}

TEST_F(PackErrors, CrosswalkInvalidUnmappedPolicy) {
  replace("unmapped = \"report\"", "unmapped = \"ignore\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("unmapped = "), "key 'unmapped'", "\"report\", \"error\" or \"as:<label>\""}));
}

TEST_F(PackErrors, CrosswalkUnmappedAsWithoutLabel) {
  replace("unmapped = \"report\"", "unmapped = \"as:\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("unmapped = "), "key 'unmapped'", "as:<label>"}));
}

TEST_F(PackErrors, CrosswalkUnmappedAsLabelLoads) {
  replace("unmapped = \"report\"", "unmapped = \"as:기타\"");
  AuditPack p = load();
  EXPECT_EQ(p.crosswalk("occ-major").unmapped, UnmappedPolicy::as_label);
  EXPECT_EQ(p.crosswalk("occ-major").unmapped_label, "기타");
}

TEST_F(PackErrors, CrosswalkMinCoverageAboveOne) {
  replace("min_coverage = 0.9", "min_coverage = 1.5");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("min_coverage = "), "key 'min_coverage'", "between 0 and 1"}));
}

TEST_F(PackErrors, CrosswalkMinCoverageNegative) {
  replace("min_coverage = 0.9", "min_coverage = -0.1");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("min_coverage = "), "key 'min_coverage'", "between 0 and 1"}));
}

TEST_F(PackErrors, CrosswalkMinCoverageAsString) {
  replace("min_coverage = 0.9", "min_coverage = \"high\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("min_coverage = "), "key 'min_coverage'", "must be a number, not a string"}));
}

TEST_F(PackErrors, CrosswalkVariantNamedAsTheDefault) {
  replace("variants = { lenient = ", "variants = { default = ");
  replace("sensitivity = [\"occ-major:default\", \"occ-major:lenient\"]", "sensitivity = [\"occ-major:default\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("variants = "), "key 'variants'", "variant 'default' is the default variant's name"}));
}

TEST_F(PackErrors, CrosswalkVariantsAsArray) {
  replace("variants = { lenient = \"crosswalks/occ_lenient.csv\" }", "variants = [\"crosswalks/occ_lenient.csv\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("variants = "), "key 'variants'", "must be a table of strings, not an array"}));
}

TEST_F(PackErrors, CrosswalkFileMissingIsDataError) {
  files.erase("crosswalks/occ.csv");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "crosswalk file not found", "'occ-major'", "default"}));
}

TEST_F(PackErrors, CrosswalkVariantFileMissingIsDataError) {
  files.erase("crosswalks/occ_lenient.csv");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ_lenient.csv"), "crosswalk file not found", "'occ-major'", "lenient"}));
}

TEST_F(PackErrors, CrosswalkPathEscapingThePack) {
  replace("file = \"crosswalks/occ.csv\"", "file = \"../crosswalks/occ.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("file = \"../crosswalks", ','), "[[crosswalk]] #1 key 'file'", "leaves the pack folder",
                      "--allow-outside-pack"}));
}

// Crosswalk files

TEST_F(PackErrors, CrosswalkFileWithoutFromColumn) {
  files["crosswalks/occ.csv"] = "source,to\n교사,전문가\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "columns 'from' and 'to'"}));
}

TEST_F(PackErrors, CrosswalkFileWithoutToColumn) {
  files["crosswalks/occ.csv"] = "from,target\n교사,전문가\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "columns 'from' and 'to'"}));
}

TEST_F(PackErrors, CrosswalkFileWithEmptyLabel) {
  files["crosswalks/occ.csv"] = "from,to\n교사,전문가\n의사,\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "data row 2", "empty 'from' or 'to' label"}));
}

TEST_F(PackErrors, CrosswalkFileWithNonNumericWeight) {
  files["crosswalks/occ_lenient.csv"] = "from,to,weight\n교사,전문가,1\n의사,전문가,half\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ_lenient.csv"), "data row 2", "weight 'half'", "(0, 1]"}));
}

TEST_F(PackErrors, CrosswalkFileWithWeightAboveOne) {
  files["crosswalks/occ_lenient.csv"] = "from,to,weight\n교사,전문가,1.5\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ_lenient.csv"), "data row 1", "weight '1.5'", "(0, 1]"}));
}

TEST_F(PackErrors, CrosswalkFileWithZeroWeight) {
  files["crosswalks/occ_lenient.csv"] = "from,to,weight\n교사,전문가,1\n농부,농림어업,0\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ_lenient.csv"), "data row 2", "weight '0'", "(0, 1]"}));
}

TEST_F(PackErrors, CrosswalkFileWithDuplicatePair) {
  files["crosswalks/occ.csv"] = "from,to\n교사,전문가\n의사,전문가\n교사,전문가\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "data row 3", "duplicate mapping '교사' → '전문가'", "first at data row 1"}));
}

TEST_F(PackErrors, CrosswalkFileWithLabelMappedTwiceWithoutWeights) {
  files["crosswalks/occ.csv"] = "from,to\n교사,전문가\n교사,사무직\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "data row 2", "'교사' is mapped again", "first at data row 1",
                      "needs a weight on every row"}));
}

TEST_F(PackErrors, CrosswalkFileWithWeightsNotSummingToOne) {
  files["crosswalks/occ_lenient.csv"] = "from,to,weight\n교사,전문가,1\n의사,전문가,0.5\n의사,농림어업,0.4\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ_lenient.csv"), "weights of '의사' sum to 0.9", "not 1", "data row 2"}));
}

TEST_F(PackErrors, CrosswalkFileOverTheRowLimit) {
  options.limits.max_crosswalk_rows = 2;
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "3 rows, over the limit of 2"}));
}

TEST_F(PackErrors, CrosswalkFileWithoutRows) {
  files["crosswalks/occ.csv"] = "from,to\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("crosswalks/occ.csv"), "no rows"}));
}

// ---------------------------------------------------------------------------------------------
// [[reference]]

struct RequiredReferenceKey {
  const char* line;  // the line removed from the census reference
  const char* key;
};

class MissingReferenceKey : public PackErrors, public ::testing::WithParamInterface<RequiredReferenceKey> {};

TEST_P(MissingReferenceKey, IsNamedWithTheTableLine) {
  replace("\n" + std::string(GetParam().line) + "\n", "\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("id = \"census-sex-age\"") - 1) + ":", "[[reference]] #1",
                      "missing required key '" + std::string(GetParam().key) + "'"}));
}

INSTANTIATE_TEST_SUITE_P(
    PackErrors, MissingReferenceKey,
    ::testing::Values(RequiredReferenceKey{"kind = \"census\"", "kind"},
                      RequiredReferenceKey{"publisher = \"Statistics Korea, Population Census\"", "publisher"},
                      RequiredReferenceKey{"vintage = \"2020\"", "vintage"},
                      RequiredReferenceKey{"universe = \"persons aged 19+\"", "universe"},
                      RequiredReferenceKey{"licence = \"KOGL type 1\"", "licence"},
                      RequiredReferenceKey{"file = \"references/sex_age.csv\"", "file"},
                      RequiredReferenceKey{"sha256 = \"@sha256:references/sex_age.csv@\"", "sha256"},
                      RequiredReferenceKey{"columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }", "columns"},
                      RequiredReferenceKey{"unit = \"persons\"", "unit"}),
    [](const auto& info) { return std::string(info.param.key); });

TEST_F(PackErrors, ReferenceMissingIdNamesTheTableLine) {
  int header = line_of("id = \"census-sex-age\"") - 1;
  erase("id = \"census-sex-age\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[reference]] #1", "missing required key 'id'"}));
}

TEST_F(PackErrors, ReferenceUnknownKey) {
  insert_after("unit = \"persons\"", "units = \"persons\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("units = "), "[[reference]] #1", "unknown key 'units'", "unit"}));
}

TEST_F(PackErrors, ReferenceStatementUnknownKey) {
  insert_after("source = \"Art. 3\"", "sources = \"Art. 4\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sources = "), "statements", "unknown key 'sources'"}));
}

TEST_F(PackErrors, ReferenceStatementMissingText) {
  erase("text = \"men serve; women may volunteer\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("[[reference.statements]]"), "missing required key 'text'"}));
}

TEST_F(PackErrors, ReferenceUpstreamUnknownKey) {
  insert_after("columns = { sex = \"sex\", age_band", "upstream = [{ file = \"raw.xlsx\", sha = \"x\" }]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("upstream = "), "upstream", "unknown key 'sha'"}));
}

TEST_F(PackErrors, ReferenceDuplicateId) {
  replace("id = \"register-occ-age\"", "id = \"census-sex-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("publisher = \"Ministry") - 2) + ":", "[[reference]] #3",
                      "duplicate reference id 'census-sex-age'"}));
}

TEST_F(PackErrors, ReferenceIdWithInvalidCharacters) {
  replace("id = \"rules\"", "id = \"rules/../x\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("id = \"rules/"), "key 'id'", "reference id 'rules/../x'", "only letters"}));
}

TEST_F(PackErrors, ReferenceInvalidKind) {
  replace("kind = \"census\"", "kind = \"estimate\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("kind = \"estimate\""), "key 'kind'", "census, register, survey or rule"}));
}

TEST_F(PackErrors, ReferenceColumnsAsArray) {
  replace("columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }", "columns = [\"sex\", \"n\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("columns = [\"sex\""), "key 'columns'", "must be a table of strings, not an array"}));
}

TEST_F(PackErrors, ReferenceColumnsWithNumberValue) {
  replace("columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }", "columns = { sex = 1, count = \"n\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("columns = { sex = 1"), "key 'columns'", "value of 'sex' must be a string"}));
}

TEST_F(PackErrors, ReferenceColumnsWithoutCount) {
  replace("columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }", "columns = { sex = \"sex\", age_band = \"age_band\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("columns = { sex = \"sex\", age_band = \"age_band\" }"), "key 'columns'", "count = \""}));
}

TEST_F(PackErrors, ReferenceColumnForUnknownAttribute) {
  replace("columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }",
          "columns = { sex = \"sex\", age_band = \"age_band\", income = \"income\", count = \"n\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("id = \"census-sex-age\"") - 1) + ":", "'census-sex-age'",
                      "key 'columns'", "no [attribute.income] is defined"}));
}

TEST_F(PackErrors, SurveyWithoutSampleSize) {
  erase("sample_size = 35000\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[reference]] #2", "survey reference needs sample_size, sample_unit and design_effect"}));
}

TEST_F(PackErrors, SurveyWithoutDesignEffect) {
  erase("design_effect = 2.0\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[reference]] #2", "survey reference needs sample_size, sample_unit and design_effect"}));
}

TEST_F(PackErrors, SurveyWithoutSampleUnit) {
  erase("sample_unit = \"persons\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[reference]] #2", "survey reference needs sample_size, sample_unit and design_effect"}));
}

TEST_F(PackErrors, SurveyInHouseholdsWithoutPersonsPerUnit) {
  replace("sample_unit = \"persons\"", "sample_unit = \"households\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sample_unit = \"households\""), "key 'sample_unit'", "households needs persons_per_unit"}));
}

TEST_F(PackErrors, SurveyInHouseholdsWithPersonsPerUnitLoads) {
  replace("sample_unit = \"persons\"", "sample_unit = \"households\"\npersons_per_unit = 2.5");
  AuditPack p = load();
  EXPECT_DOUBLE_EQ(p.reference("survey-occ-sex").effective_n(), 35000 * 2.5 / 2.0);
}

TEST_F(PackErrors, SurveyWithZeroSampleSize) {
  replace("sample_size = 35000", "sample_size = 0");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sample_size = 0"), "key 'sample_size'", "must be positive"}));
}

// The message names the key at fault, design_effect, and its line.
TEST_F(PackErrors, SurveyWithNegativeDesignEffect) {
  replace("design_effect = 2.0", "design_effect = -2.0");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("design_effect = -2.0"), "key 'design_effect'", "must be positive"}));
}

TEST_F(PackErrors, SurveySampleSizeAsString) {
  replace("sample_size = 35000", "sample_size = \"35000\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sample_size = "), "key 'sample_size'", "must be a number, not a string"}));
}

TEST_F(PackErrors, RuleReferenceWithFile) {
  insert_after("licence = \"public domain\"", "file = \"references/rules.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("file = \"references/rules.csv\""), "[[reference]] #4 key 'file'",
                      "a rule reference carries statements, not a table"}));
}

TEST_F(PackErrors, RuleReferenceWithoutStatements) {
  erase_between("[[reference.statements]]", "[[check]]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("id = \"rules\"") - 1) + ":", "[[reference]] #4",
                      "key 'statements'", "a rule reference states its rules"}));
}

TEST_F(PackErrors, ReferenceInvalidMeasure) {
  insert_after("unit = \"persons\"", "measure = \"percent\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("measure = "), "key 'measure'", "\"count\" or \"share\""}));
}

TEST_F(PackErrors, ReferenceInvalidDash) {
  insert_after("unit = \"persons\"", "dash = \"blank\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("dash = "), "key 'dash'", "\"error\" or \"zero\""}));
}

TEST_F(PackErrors, ReferenceZeroScale) {
  replace("scale = 1000", "scale = 0");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("scale = 0"), "key 'scale'", "must be positive"}));
}

TEST_F(PackErrors, ReferenceNegativeScale) {
  replace("scale = 1000", "scale = -1000");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("scale = -1000"), "key 'scale'", "must be positive"}));
}

TEST_F(PackErrors, ReferenceNonFiniteScale) {
  replace("scale = 1000", "scale = inf");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("scale = inf"), "key 'scale'", "finite"}));
}

TEST_F(PackErrors, ReferenceFileMissingIsDataError) {
  files.erase("references/occ_age.csv");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/occ_age.csv"), "reference file not found", "'register-occ-age'"}));
}

TEST_F(PackErrors, ReferenceSha256MismatchNamesFileAndBothHashes) {
  const std::string declared(64, 'a');
  replace("sha256 = \"@sha256:references/occ_sex.csv@\"", "sha256 = \"" + declared + "\"");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/occ_sex.csv"), "sha256 mismatch", "'survey-occ-sex'", declared,
                      sha256_file(dir / "references/occ_sex.csv"), "--accept-changed-references"}));
}

TEST_F(PackErrors, ReferenceSha256MismatchAcceptedWhenAsked) {
  const std::string declared(64, 'a');
  replace("sha256 = \"@sha256:references/occ_sex.csv@\"", "sha256 = \"" + declared + "\"");
  options.accept_changed_references = true;
  AuditPack p = load();
  const Reference& r = p.reference("survey-occ-sex");
  EXPECT_TRUE(r.sha256_changed);
  EXPECT_EQ(r.sha256_declared, declared);
  EXPECT_EQ(r.sha256_actual, sha256_file(dir / "references/occ_sex.csv"));
  EXPECT_FALSE(p.reference("census-sex-age").sha256_changed);
}

TEST_F(PackErrors, ReferenceEditedAfterItsSha256WasRecorded) {
  write();
  std::ofstream(dir / "references/sex_age.csv", std::ios::app) << "여자,65+,1\n";
  try {
    load_pack(dir.path());
    FAIL() << "an edited reference loaded";
  } catch (const DataError& e) {
    EXPECT_EQ(e.code(), ExitCode::data);
    EXPECT_TRUE(has(e.what(), {file_path("references/sex_age.csv"), "sha256 mismatch"}));
  }
}

TEST_F(PackErrors, ReferenceRelativePathEscapingThePack) {
  replace("file = \"references/occ_age.csv\"", "file = \"../occ_age.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("file = \"../occ_age.csv\"", ','), "[[reference]] #3 key 'file'", "'../occ_age.csv' leaves the pack folder",
                      "--allow-outside-pack"}));
}

TEST_F(PackErrors, ReferenceAbsolutePathOutsideThePack) {
  TempDir outside;
  std::ofstream(outside / "occ_age.csv") << kBaseFiles.at("references/occ_age.csv");
  const std::string abs = (outside / "occ_age.csv").string();
  replace("file = \"references/occ_age.csv\"", "file = \"" + abs + "\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("file = \"" + abs, ','), "key 'file'", "'" + abs + "' leaves the pack folder", "--allow-outside-pack"}));
}

TEST_F(PackErrors, ReferenceAbsolutePathOutsideThePackLoadsWhenAllowed) {
  TempDir outside;
  std::ofstream(outside / "occ_age.csv") << kBaseFiles.at("references/occ_age.csv");
  const std::string abs = (outside / "occ_age.csv").string();
  replace("file = \"references/occ_age.csv\"", "file = \"" + abs + "\"");
  replace("sha256 = \"@sha256:references/occ_age.csv@\"", "sha256 = \"" + sha256_file(outside / "occ_age.csv") + "\"");
  files.erase("references/occ_age.csv");
  options.allow_outside_pack = true;
  AuditPack p = load();
  EXPECT_EQ(p.reference("register-occ-age").file, fs::weakly_canonical(outside / "occ_age.csv"));
  EXPECT_DOUBLE_EQ(p.reference("register-occ-age").masses.total(), 16);
}

TEST_F(PackErrors, ReferenceSymlinkPointingOutsideThePack) {
  TempDir outside;
  std::ofstream(outside / "occ_age.csv") << kBaseFiles.at("references/occ_age.csv");
  files.erase("references/occ_age.csv");
  replace("sha256 = \"@sha256:references/occ_age.csv@\"", "sha256 = \"" + sha256_file(outside / "occ_age.csv") + "\"");
  fs::create_directories(dir / "references");
  fs::create_symlink(outside / "occ_age.csv", dir / "references/occ_age.csv");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("file = \"references/occ_age.csv\"", ','), "key 'file'", "'references/occ_age.csv' leaves the pack folder",
                      "--allow-outside-pack"}));
  options.allow_outside_pack = true;
  AuditPack p = load();
  EXPECT_EQ(p.reference("register-occ-age").file, fs::weakly_canonical(outside / "occ_age.csv"));
}

TEST_F(PackErrors, ReferenceSymlinkedFolderPointingOutsideThePack) {
  TempDir outside;
  fs::create_directories(outside / "refs");
  std::ofstream(outside / "refs" / "occ_age.csv") << kBaseFiles.at("references/occ_age.csv");
  fs::create_directory_symlink(outside / "refs", dir / "linked");
  replace("file = \"references/occ_age.csv\"", "file = \"linked/occ_age.csv\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("file = \"linked/", ','), "'linked/occ_age.csv' leaves the pack folder"}));
}

// Reference tables

TEST_F(PackErrors, ReferenceTableWithEmptyLabel) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n,40-64,120\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "empty label in column 'sex'"}));
}

TEST_F(PackErrors, ReferenceTableWithNonNumericValue) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,40-64,12O\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "value '12O' in column 'n' is not a number", "plain numbers"}));
}

TEST_F(PackErrors, ReferenceTableWithThousandsSeparator) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,\"1,000\"\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 1", "value '1,000'", "no thousands separators"}));
}

TEST_F(PackErrors, ReferenceTableWithEmptyValue) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,40-64,\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "in column 'n' is not a number"}));
}

TEST_F(PackErrors, ReferenceTableWithDashCellAndDashError) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,40-64,-\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "value '-'", "set dash = \"zero\""}));
}

TEST_F(PackErrors, ReferenceTableWithDashCellAndDashZeroLoads) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,40-64,-\n";
  insert_after("unit = \"persons\"", "dash = \"zero\"");
  AuditPack p = load();
  const Reference& r = p.reference("census-sex-age");
  EXPECT_EQ(r.rows, 2u);
  EXPECT_DOUBLE_EQ(mass(r, {{"sex", "남자"}, {"age_band", "40-64"}}), 0);
  EXPECT_DOUBLE_EQ(r.masses.total(), 100);
}

TEST_F(PackErrors, ReferenceTableWithNegativeValue) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,40-64,-5\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "value -5 in column 'n' is negative"}));
}

TEST_F(PackErrors, ReferenceTableWithNonFiniteValue) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,inf\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 1", "value 'inf'", "is not a number"}));
}

TEST_F(PackErrors, ReferenceTableWithDuplicateCell) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n여자,19-39,100\n남자,19-39,7\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 3", "the same cell appears twice"}));
}

// A raw age is binned into its label, so 25 and "19-39" are the same cell.
TEST_F(PackErrors, ReferenceTableWithDuplicateCellAfterBinning) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,25,7\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "the same cell appears twice"}));
}

TEST_F(PackErrors, ReferenceTableWithRawNumbersIsBinned) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,25,100\n남자,70,5\n여자,12,3\n";
  AuditPack p = load();
  const Reference& r = p.reference("census-sex-age");
  EXPECT_DOUBLE_EQ(mass(r, {{"sex", "남자"}, {"age_band", "19-39"}}), 100);
  EXPECT_DOUBLE_EQ(mass(r, {{"sex", "남자"}, {"age_band", "65+"}}), 5);
  EXPECT_DOUBLE_EQ(mass(r, {{"sex", "여자"}, {"age_band", "(below 19)"}}), 3);
}

TEST_F(PackErrors, ReferenceTableWithZeroTotal) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,0\n여자,19-39,0\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "'census-sex-age'", "total of zero"}));
}

TEST_F(PackErrors, ReferenceTableWithoutRows) {
  files["references/sex_age.csv"] = "sex,age_band,n\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "'census-sex-age'", "no data rows"}));
}

TEST_F(PackErrors, ReferenceTableOverTheRowLimit) {
  options.limits.max_reference_rows = 5;
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "6 rows, over the limit of 5"}));
}

TEST_F(PackErrors, ShareReferenceSummingTo97) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,50\n여자,19-39,47\n";
  insert_after("unit = \"persons\"", "measure = \"share\"");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "'census-sex-age'", "sum to 97", "not 100", "missing category"}));
}

TEST_F(PackErrors, ShareReferenceSummingTo100Loads) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,50.2\n여자,19-39,49.9\n";
  insert_after("unit = \"persons\"", "measure = \"share\"");
  AuditPack p = load();
  EXPECT_EQ(p.reference("census-sex-age").measure, "share");
}

TEST_F(PackErrors, ReferenceTableLabelNotAmongBinnedLabels) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,20대,120\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "data row 2", "label '20대' in column 'age_band'",
                      "not one of the labels of attribute 'age_band'"}));
}

TEST_F(PackErrors, ReferenceTableMissingColumn) {
  replace("columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }",
          "columns = { sex = \"gender\", age_band = \"age_band\", count = \"n\" }");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv"), "'census-sex-age' has no column 'gender'", "columns: sex, age_band, n"}));
}

TEST_F(PackErrors, ReferenceTableMissingCountColumn) {
  replace("count = \"workers\"", "count = \"insured\"");
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/occ_age.csv"), "has no column 'insured'"}));
}

// A ragged row is reported as such, at its line; not as a header that lacks the declared columns.
TEST_F(PackErrors, ReferenceTableRaggedRow) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,19-39,100\n남자,40-64,120,9\n";
  auto m = data_error();
  EXPECT_TRUE(has(m, {file_path("references/sex_age.csv")}));
  EXPECT_TRUE(m.find("line 3") != std::string::npos || m.find("row 2") != std::string::npos) << m;
  EXPECT_EQ(m.find("has no column 'age_band'"), std::string::npos) << m;
}

// ---------------------------------------------------------------------------------------------
// [[check]]

TEST_F(PackErrors, CheckUnknownKey) {
  insert_after("attributes = [\"sex\"]\nreference = \"census-sex-age\"", "treshold = 0.1");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("treshold = "), "[[check]] #1", "unknown key 'treshold'", "thresholds"}));
}

TEST_F(PackErrors, CheckStandardiseByUnknownKey) {
  replace("weights = \"register-occ-age\" }", "weights = \"register-occ-age\", method = \"direct\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("method = "), "[[check]] #4", "standardise_by", "unknown key 'method'"}));
}

TEST_F(PackErrors, CheckStandardiseByAsString) {
  replace("standardise_by = { attribute = \"age_band\", weights = \"register-occ-age\" }", "standardise_by = \"age_band\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("standardise_by = "), "key 'standardise_by'", "must be a table, not a string"}));
}

TEST_F(PackErrors, CheckStandardiseByMissingWeights) {
  replace("standardise_by = { attribute = \"age_band\", weights = \"register-occ-age\" }", "standardise_by = { attribute = \"age_band\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("standardise_by = "), "standardise_by", "missing required key 'weights'"}));
}

TEST_F(PackErrors, CheckMissingId) {
  int header = line_of("id = \"sex-by-age\"") - 1;
  erase("id = \"sex-by-age\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #2", "missing required key 'id'"}));
}

TEST_F(PackErrors, CheckMissingType) {
  erase("type = \"joint\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("id = \"sex-by-age\"") - 1) + ":", "[[check]] #2",
                      "missing required key 'type'"}));
}

TEST_F(PackErrors, CheckMissingDisclosure) {
  int header = line_of("id = \"sex-by-age\"") - 1;
  replace("id = \"sex-by-age\"\ndisclosure = \"sex-age\"\n", "id = \"sex-by-age\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #2", "missing required key 'disclosure'"}));
}

TEST_F(PackErrors, CheckMissingReference) {
  int header = line_of("id = \"sex-by-age\"") - 1;
  replace("attributes = [\"sex\", \"age_band\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"",
          "attributes = [\"sex\", \"age_band\"]\n\n[[check]]\nid = \"age-given-sex\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #2", "missing required key 'reference'"}));
}

TEST_F(PackErrors, CheckDuplicateId) {
  replace("id = \"age-given-sex\"", "id = \"sex-by-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[check]] #3", "duplicate check id 'sex-by-age'"}));
}

TEST_F(PackErrors, CheckIdWithInvalidCharacters) {
  replace("id = \"sex-marginal\"", "id = \"sex marginal\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("id = \"sex marginal\""), "key 'id'", "check id 'sex marginal'", "only letters"}));
}

TEST_F(PackErrors, CheckInvalidType) {
  replace("type = \"joint\"", "type = \"histogram\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("type = \"histogram\""), "key 'type'", "marginal, joint, conditional, share, rule, bounds"}));
}

TEST_F(PackErrors, CheckUnknownDisclosure) {
  replace("id = \"sex-by-age\"\ndisclosure = \"sex-age\"", "id = \"sex-by-age\"\ndisclosure = \"sex-ages\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("disclosure = \"sex-ages\""), "[[check]] #2 key 'disclosure'", "no [[disclosure]] has id 'sex-ages'"}));
}

TEST_F(PackErrors, CheckUnknownReference) {
  replace("attributes = [\"sex\"]\nreference = \"census-sex-age\"", "attributes = [\"sex\"]\nreference = \"census-2025\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("reference = \"census-2025\""), "key 'reference'", "no [[reference]] has id 'census-2025'"}));
}

TEST_F(PackErrors, CheckUnknownAttribute) {
  replace("attributes = [\"sex\"]\nreference = \"census-sex-age\"", "attributes = [\"gender\"]\nreference = \"census-sex-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("attributes = [\"gender\"]"), "key 'attributes'", "no [attribute.gender] is defined"}));
}

TEST_F(PackErrors, CheckAttributesWithNonStringItem) {
  replace("attributes = [\"sex\"]\nreference = \"census-sex-age\"", "attributes = [\n  \"sex\",\n  3,\n]\nreference = \"census-sex-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("  3,"), "key 'attributes'", "every item must be a string, not an integer"}));
}

TEST_F(PackErrors, CheckAttributesAsString) {
  replace("attributes = [\"sex\"]\nreference = \"census-sex-age\"", "attributes = \"sex\"\nreference = \"census-sex-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("attributes = \"sex\""), "key 'attributes'", "must be an array of strings, not a string"}));
}

TEST_F(PackErrors, CheckThresholdsWithStringValue) {
  replace("thresholds = { pass = 0.01, flag = 0.05 }", "thresholds = { pass = \"0.01\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("thresholds = { pass = \""), "key 'thresholds'", "value of 'pass' must be a number"}));
}

TEST_F(PackErrors, CheckUniverseWithBadExpression) {
  replace("universe = \"age >= 19\"", "universe = \"age >= 19 AND\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of("universe = \"age >= 19 AND")) + ",", "[[check]] #4 key 'universe'",
                      "expression ends too early", "at character 14"}));
}

TEST_F(PackErrors, CheckUniverseWithSqlStatement) {
  replace("universe = \"age >= 19\"", "universe = \"age >= 19; DROP TABLE t\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "key 'universe'", "packs carry no SQL", "at character 10"}));
}

struct AttributeCount {
  const char* check_id;  // the check whose attributes change
  const char* from;      // its attributes line ("" when it has none)
  const char* to;        // the new attributes line
  const char* expected;  // the message's "… checks take …"
};

class WrongAttributeCount : public PackErrors, public ::testing::WithParamInterface<AttributeCount> {};

TEST_P(WrongAttributeCount, IsRejected) {
  const auto& c = GetParam();
  const std::string id_line = std::string("id = \"") + c.check_id + "\"";
  if (*c.from) {
    auto pos = toml.find(c.from, toml.find(id_line));
    ASSERT_NE(pos, std::string::npos);
    toml.replace(pos, std::string(c.from).size(), c.to);
  } else {
    insert_after(id_line, c.to);
  }
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(line_of(id_line) + (*c.from ? 3 : 1)) + ":", "key 'attributes'", c.expected}));
}

INSTANTIATE_TEST_SUITE_P(
    PackErrors, WrongAttributeCount,
    ::testing::Values(
        AttributeCount{"sex-marginal", "attributes = [\"sex\"]", "attributes = [\"sex\", \"age_band\"]", "marginal checks take one attribute"},
        AttributeCount{"sex-marginal", "attributes = [\"sex\"]", "attributes = []", "marginal checks take one attribute"},
        AttributeCount{"sex-by-age", "attributes = [\"sex\", \"age_band\"]", "attributes = [\"sex\"]", "joint checks take two or three attributes"},
        AttributeCount{"sex-by-age", "attributes = [\"sex\", \"age_band\"]", "attributes = [\"sex\", \"age_band\", \"occ\", \"region\"]",
                       "joint checks take two or three attributes"},
        AttributeCount{"age-given-sex", "attributes = [\"sex\", \"age_band\"]", "attributes = [\"sex\", \"age_band\", \"occ\"]",
                       "conditional checks take two attributes"},
        AttributeCount{"female-share", "attributes = [\"occ\", \"sex\"]", "attributes = [\"sex\"]", "share checks take two attributes"},
        AttributeCount{"minors-not-soldiers", "", "attributes = [\"sex\"]", "rule checks take no attributes"},
        AttributeCount{"soldier-rate", "attributes = [\"sex\"]", "attributes = [\"sex\", \"age_band\"]", "bounds checks take one attribute"}));

TEST_F(PackErrors, JointOfThreeAttributesLoads) {
  replace("attributes = [\"sex\", \"age_band\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"",
          "attributes = [\"sex\", \"age_band\", \"occ\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"");
  replace("columns = { sex = \"sex\", age_band = \"age_band\", count = \"n\" }",
          "columns = { sex = \"sex\", age_band = \"age_band\", occ = \"occ\", count = \"n\" }");
  files["references/sex_age.csv"] = "sex,age_band,occ,n\n남자,19-39,전문가,100\n여자,40-64,농림어업,3\n";
  AuditPack p = load();
  EXPECT_EQ(p.checks[1].attributes.size(), 3u);
}

// A joint table of an attribute with itself is its diagonal: no association to audit, and the
// reference cannot hold the same attribute twice.
TEST_F(PackErrors, JointCheckOfAnAttributeWithItself) {
  replace("attributes = [\"sex\", \"age_band\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"",
          "attributes = [\"sex\", \"sex\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("attributes = [\"sex\", \"sex\"]"), "key 'attributes'", "'sex'"}));
}

TEST_F(PackErrors, TableCheckCitingRuleReference) {
  replace("attributes = [\"sex\"]\nreference = \"census-sex-age\"", "attributes = [\"sex\"]\nreference = \"rules\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("reference = \"rules\"\nthresholds = { pass"), "key 'reference'", "'rules' is a rule reference",
                      "needs a table"}));
}

TEST_F(PackErrors, RuleCheckCitingTableReference) {
  replace("type = \"rule\"\nreference = \"rules\"", "type = \"rule\"\nreference = \"census-sex-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[check]] #5 key 'reference'", "a rule check cites a rule reference (kind = \"rule\")"}));
}

TEST_F(PackErrors, BoundsCheckCitingTableReference) {
  replace("attributes = [\"sex\"]\nreference = \"rules\"", "attributes = [\"sex\"]\nreference = \"census-sex-age\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[check]] #6 key 'reference'", "a bounds check cites a rule reference"}));
}

TEST_F(PackErrors, CheckReferenceWithoutColumnForAttribute) {
  replace("attributes = [\"sex\", \"age_band\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"",
          "attributes = [\"sex\", \"occ\"]\nreference = \"census-sex-age\"\n\n[[check]]\nid = \"age-given-sex\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[check]] #2 key 'reference'", "reference 'census-sex-age' has no column for attribute 'occ'"}));
}

TEST_F(PackErrors, ShareCheckWithoutTarget) {
  int header = line_of("id = \"female-share\"") - 1;
  erase("target = { sex = \"여자\" }\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #4", "a share check needs target"}));
}

TEST_F(PackErrors, ShareCheckTargetNotTheSecondAttribute) {
  replace("target = { sex = \"여자\" }", "target = { occ = \"전문가\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("target = "), "key 'target'", "must be the check's second attribute ('sex')"}));
}

TEST_F(PackErrors, ShareCheckTargetWithTwoEntries) {
  replace("target = { sex = \"여자\" }", "target = { sex = \"여자\", occ = \"전문가\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("target = "), "key 'target'", "names one attribute and its level"}));
}

TEST_F(PackErrors, ShareCheckTargetAsArray) {
  replace("target = { sex = \"여자\" }", "target = [\"sex\", \"여자\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("target = "), "key 'target'", "must be a table of strings, not an array"}));
}

struct MisplacedKey {
  const char* anchor;  // a line of the check that receives the key
  const char* line;    // the key
  const char* key;
  const char* type;
};

class KeyNotForType : public PackErrors, public ::testing::WithParamInterface<MisplacedKey> {};

TEST_P(KeyNotForType, IsRejected) {
  const auto& k = GetParam();
  insert_after(k.anchor, k.line);
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at(k.line), "key '" + std::string(k.key) + "'",
                      "does not apply to " + std::string(k.type) + " checks"}));
}

INSTANTIATE_TEST_SUITE_P(
    PackErrors, KeyNotForType,
    ::testing::Values(MisplacedKey{"id = \"sex-marginal\"", "target = { sex = \"여자\" }", "target", "marginal"},
                      MisplacedKey{"id = \"sex-by-age\"", "scope = \"age < 18\"", "scope", "joint"},
                      MisplacedKey{"id = \"age-given-sex\"", "assert = \"age < 18\"", "assert", "conditional"},
                      MisplacedKey{"id = \"minors-not-soldiers\"", "event = \"age < 18\"", "event", "rule"},
                      MisplacedKey{"id = \"sex-marginal\"", "statement = \"conscription\"", "statement", "marginal"},
                      MisplacedKey{"id = \"sex-by-age\"", "orderings = [\"남자 > 여자\"]", "orderings", "joint"},
                      MisplacedKey{"id = \"female-share\"", "bounds = { \"남자\" = [0.0, 1.0] }", "bounds", "share"},
                      MisplacedKey{"id = \"sex-marginal\"", "standardise_by = { attribute = \"age_band\", weights = \"register-occ-age\" }",
                                   "standardise_by", "marginal"},
                      MisplacedKey{"id = \"soldier-rate\"", "target = { sex = \"남자\" }", "target", "bounds"},
                      MisplacedKey{"id = \"soldier-rate\"", "scope = \"age < 17\"", "scope", "bounds"}));

struct BadThreshold {
  const char* from;
  const char* to;
  const char* line;  // the thresholds line as written
  const char* expected;
};

class ThresholdNotForType : public PackErrors, public ::testing::WithParamInterface<BadThreshold> {};

TEST_P(ThresholdNotForType, IsRejected) {
  replace(GetParam().from, GetParam().to);
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at(GetParam().line), "key 'thresholds'", GetParam().expected}));
}

INSTANTIATE_TEST_SUITE_P(
    PackErrors, ThresholdNotForType,
    ::testing::Values(
        BadThreshold{"thresholds = { pass = 0.01, flag = 0.05 }", "thresholds = { dominated_below = 0.3 }",
                     "thresholds = { dominated_below = 0.3 }", "'dominated_below' is not a threshold of marginal checks (flag, pass)"},
        BadThreshold{"thresholds = { min_compliance = 0.99 }", "thresholds = { pass = 0.01 }", "thresholds = { pass = 0.01 }",
                     "'pass' is not a threshold of rule checks (min_compliance)"},
        BadThreshold{"orderings = [\"남자 > 여자\"]", "orderings = [\"남자 > 여자\"]\nthresholds = { pass = 0.1 }",
                     "thresholds = { pass = 0.1 }", "'pass' is not a threshold of bounds checks (none)"},
        BadThreshold{"thresholds = { dominated_below = 0.3, excess = 0.05 }", "thresholds = { dominated_below = 0.3, excesss = 0.05 }",
                     "excesss", "'excesss' is not a threshold of share checks"}));

TEST_F(PackErrors, SensitivityWithoutColon) {
  replace("sensitivity = [\"occ-major:default\", \"occ-major:lenient\"]", "sensitivity = [\"occ-major\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sensitivity = "), "key 'sensitivity'", "\"crosswalk:variant\": 'occ-major'"}));
}

TEST_F(PackErrors, SensitivityUnknownCrosswalk) {
  replace("sensitivity = [\"occ-major:default\", \"occ-major:lenient\"]", "sensitivity = [\"occ-minor:default\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sensitivity = "), "key 'sensitivity'", "no [[crosswalk]] has id 'occ-minor'"}));
}

TEST_F(PackErrors, SensitivityUnknownVariant) {
  replace("sensitivity = [\"occ-major:default\", \"occ-major:lenient\"]", "sensitivity = [\"occ-major:default\", \"occ-major:strict\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sensitivity = "), "key 'sensitivity'", "crosswalk 'occ-major' has no variant 'strict'"}));
}

TEST_F(PackErrors, SensitivityCrosswalkNotUsedByTheCheck) {
  insert_after("id = \"sex-marginal\"", "sensitivity = [\"occ-major:lenient\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sensitivity = [\"occ-major:lenient\"]"), "key 'sensitivity'",
                      "none of this check's attributes uses crosswalk 'occ-major'"}));
}

TEST_F(PackErrors, StandardiseByUnknownAttribute) {
  replace("standardise_by = { attribute = \"age_band\"", "standardise_by = { attribute = \"age_group\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("standardise_by = "), "key 'standardise_by'", "no [attribute.age_group] is defined"}));
}

TEST_F(PackErrors, StandardiseByUnknownWeights) {
  replace("weights = \"register-occ-age\" }", "weights = \"register-occ-sex\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("standardise_by = "), "key 'standardise_by'", "no [[reference]] has id 'register-occ-sex'"}));
}

TEST_F(PackErrors, StandardiseByWeightsWithoutTheStratumColumn) {
  replace("weights = \"register-occ-age\" }", "weights = \"survey-occ-sex\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("standardise_by = "), "key 'standardise_by'",
                      "weights reference 'survey-occ-sex' has no column for attribute 'age_band'"}));
}

TEST_F(PackErrors, StandardiseByWeightsWithoutTheCategoryColumn) {
  replace("weights = \"register-occ-age\" }", "weights = \"census-sex-age\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("standardise_by = "), "key 'standardise_by'",
                      "weights reference 'census-sex-age' has no column for attribute 'occ'"}));
}

TEST_F(PackErrors, RuleCheckUnknownStatement) {
  replace("type = \"rule\"\nreference = \"rules\"\nstatement = \"conscription\"", "type = \"rule\"\nreference = \"rules\"\nstatement = \"draft\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("statement = \"draft\""), "key 'statement'", "reference 'rules' has no statement 'draft'"}));
}

TEST_F(PackErrors, RuleCheckWithoutStatement) {
  replace("type = \"rule\"\nreference = \"rules\"\nstatement = \"conscription\"\n", "type = \"rule\"\nreference = \"rules\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[[check]] #5", "missing required key 'statement'"}));
}

TEST_F(PackErrors, BoundsCheckUnknownStatement) {
  replace("attributes = [\"sex\"]\nreference = \"rules\"\nstatement = \"conscription\"",
          "attributes = [\"sex\"]\nreference = \"rules\"\nstatement = \"draft\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("statement = \"draft\""), "[[check]] #6 key 'statement'", "has no statement 'draft'"}));
}

TEST_F(PackErrors, RuleCheckWithoutScope) {
  int header = line_of("id = \"minors-not-soldiers\"") - 1;
  erase("scope = \"age < 18\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #5", "a rule check needs 'scope' and 'assert'"}));
}

TEST_F(PackErrors, RuleCheckWithoutAssert) {
  int header = line_of("id = \"minors-not-soldiers\"") - 1;
  erase("assert = \"NOT occupation LIKE '%군인%'\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #5", "a rule check needs 'scope' and 'assert'"}));
}

TEST_F(PackErrors, BoundsCheckWithoutEvent) {
  int header = line_of("id = \"soldier-rate\"") - 1;
  erase("event = \"occupation LIKE '%군인%'\"\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #6", "a bounds check needs an 'event' expression"}));
}

TEST_F(PackErrors, BoundsCheckWithNeitherBoundsNorOrderings) {
  int header = line_of("id = \"soldier-rate\"") - 1;
  erase("bounds = { \"남자\" = [0.0, 0.2], \"여자\" = [0.0, 0.05] }\n");
  erase("orderings = [\"남자 > 여자\"]\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), " line " + std::to_string(header) + ":", "[[check]] #6", "needs 'bounds', 'orderings' or both"}));
}

TEST_F(PackErrors, BoundsCheckWithOnlyOrderingsLoads) {
  erase("bounds = { \"남자\" = [0.0, 0.2], \"여자\" = [0.0, 0.05] }\n");
  AuditPack p = load();
  EXPECT_TRUE(p.checks[5].bounds.empty());
  EXPECT_EQ(p.checks[5].orderings.size(), 1u);
}

struct BadBounds {
  const char* value;
  const char* expected;
};

class InvalidBounds : public PackErrors, public ::testing::WithParamInterface<BadBounds> {};

TEST_P(InvalidBounds, IsRejected) {
  replace("bounds = { \"남자\" = [0.0, 0.2], \"여자\" = [0.0, 0.05] }", std::string("bounds = ") + GetParam().value);
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("bounds = "), "[[check]] #6 key 'bounds'", GetParam().expected}));
}

INSTANTIATE_TEST_SUITE_P(PackErrors, InvalidBounds,
                         ::testing::Values(BadBounds{"[0.0, 0.2]", "must be a table: stratum = [lo, hi]"},
                                           BadBounds{"{ \"남자\" = [0.2] }", "[lo, hi] numbers"},
                                           BadBounds{"{ \"남자\" = [0.0, 0.1, 0.2] }", "[lo, hi] numbers"},
                                           BadBounds{"{ \"남자\" = [\"0\", \"0.2\"] }", "[lo, hi] numbers"},
                                           BadBounds{"{ \"남자\" = 0.2 }", "[lo, hi] numbers"},
                                           BadBounds{"{ \"남자\" = [0.0, 1.5] }", "0 ≤ lo ≤ hi ≤ 1"},
                                           BadBounds{"{ \"남자\" = [-0.1, 0.5] }", "0 ≤ lo ≤ hi ≤ 1"},
                                           BadBounds{"{ \"남자\" = [0.5, 0.2] }", "0 ≤ lo ≤ hi ≤ 1"}));

class InvalidOrdering : public PackErrors, public ::testing::WithParamInterface<const char*> {};

TEST_P(InvalidOrdering, IsRejected) {
  replace("orderings = [\"남자 > 여자\"]", std::string("orderings = [\"") + GetParam() + "\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("orderings = "), "[[check]] #6 key 'orderings'", "\"stratum A > stratum B\"",
                      "'" + std::string(GetParam()) + "'"}));
}

INSTANTIATE_TEST_SUITE_P(PackErrors, InvalidOrdering,
                         ::testing::Values("남자 여자", "남자 > 여자 > 기타", " > 여자", "남자 >  ", "남자 >= 여자 > 기타"));

TEST_F(PackErrors, OrderingWithNonStringItem) {
  replace("orderings = [\"남자 > 여자\"]", "orderings = [\"남자 > 여자\", 2]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("orderings = "), "key 'orderings'", "every item must be a string, not an integer"}));
}

// Rule statements are cited by id, so two with one id make a citation ambiguous.
TEST_F(PackErrors, RuleReferenceDuplicateStatementId) {
  toml.insert(toml.find("[[check]]"), "[[reference.statements]]\nid = \"conscription\"\ntext = \"a second rule\"\n\n");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "duplicate", "'conscription'"}));
}

// ---------------------------------------------------------------------------------------------
// The real binary: `iaf validate` exits 2 or 3 and says why on stderr.

struct CliRun {
  int status = -1;
  std::string err;
};

CliRun run_validate(const fs::path& pack, const fs::path& scratch) {
  fs::path err = scratch / "stderr.txt";
  std::string cmd = std::string("'") + IAF_BINARY_DIR + "/iaf' validate '" + pack.string() + "' >/dev/null 2>'" + err.string() + "'";
  int raw = std::system(cmd.c_str());
  CliRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream in(err);
  std::stringstream s;
  s << in.rdbuf();
  r.err = s.str();
  return r;
}

TEST_F(PackErrors, CliValidateUnknownKeyExitsTwo) {
  ASSERT_TRUE(fs::exists(fs::path(IAF_BINARY_DIR) / "iaf")) << "build the iaf binary first";
  insert_after("id = \"sex-by-age\"", "atributes = [\"sex\"]");
  write();
  TempDir scratch;
  CliRun r = run_validate(dir.path(), scratch.path());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, {"audit.toml", at("atributes"), "unknown key 'atributes'"}));
}

TEST_F(PackErrors, CliValidateMalformedTomlExitsTwo) {
  ASSERT_TRUE(fs::exists(fs::path(IAF_BINARY_DIR) / "iaf"));
  replace("seed = 7", "seed = = 7");
  write();
  TempDir scratch;
  CliRun r = run_validate(dir.path(), scratch.path());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, {"audit.toml", at("seed = = 7"), "malformed TOML"}));
}

TEST_F(PackErrors, CliValidateSha256MismatchExitsThree) {
  ASSERT_TRUE(fs::exists(fs::path(IAF_BINARY_DIR) / "iaf"));
  replace("sha256 = \"@sha256:references/occ_sex.csv@\"", "sha256 = \"" + std::string(64, 'b') + "\"");
  write();
  TempDir scratch;
  CliRun r = run_validate(dir.path(), scratch.path());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(has(r.err, {"references/occ_sex.csv", "sha256 mismatch", std::string(64, 'b')}));
}

TEST_F(PackErrors, CliValidateMissingCrosswalkExitsThree) {
  ASSERT_TRUE(fs::exists(fs::path(IAF_BINARY_DIR) / "iaf"));
  files.erase("crosswalks/occ_lenient.csv");
  write();
  TempDir scratch;
  CliRun r = run_validate(dir.path(), scratch.path());
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(has(r.err, {"crosswalks/occ_lenient.csv", "not found"}));
}

TEST_F(PackErrors, CliValidatePathEscapeExitsTwo) {
  ASSERT_TRUE(fs::exists(fs::path(IAF_BINARY_DIR) / "iaf"));
  replace("file = \"references/occ_age.csv\"", "file = \"/etc/passwd\"");
  write();
  TempDir scratch;
  CliRun r = run_validate(dir.path(), scratch.path());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(has(r.err, {"audit.toml", "key 'file'", "leaves the pack folder", "--allow-outside-pack"}));
}

}  // namespace

// Keys that would otherwise be accepted and silently ignored, and digests in upper case.
TEST_F(PackErrors, ReferenceSha256InUpperCaseLoads) {
  std::string digest = sha256_hex(files.at("references/occ_sex.csv"));
  for (auto& c : digest) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  replace("sha256 = \"@sha256:references/occ_sex.csv@\"", "sha256 = \"" + digest + "\"");
  AuditPack p = load();
  EXPECT_FALSE(p.reference("survey-occ-sex").sha256_changed);
}

TEST_F(PackErrors, ReferenceSha256NotHex) {
  replace("sha256 = \"@sha256:references/occ_sex.csv@\"", "sha256 = \"sha256:abc\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("sha256 = \"sha256:abc\""), "key 'sha256'", "64 hexadecimal digits"}));
}

TEST_F(PackErrors, PersonsPerUnitOnASampleOfPersons) {
  replace("sample_unit = \"persons\"", "sample_unit = \"persons\"\npersons_per_unit = 3");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("persons_per_unit = 3"), "key 'persons_per_unit'", "already in persons"}));
}

TEST_F(PackErrors, SurveyKeysOnARegister) {
  replace("unit = \"workers\"", "unit = \"workers\"\ndesign_effect = 1.5");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), at("design_effect = 1.5"), "key 'design_effect'", "only to survey references", "register"}));
}

TEST_F(PackErrors, TableKeysOnARuleReference) {
  replace("universe = \"all persons\"", "universe = \"all persons\"\nunit = \"persons\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "key 'unit'", "a rule reference has none"}));
}

TEST_F(PackErrors, OtherwiseWithoutCases) {
  insert_after("column = \"sex\"", "otherwise = \"x\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[attribute.sex]", "key 'otherwise'", "no 'cases'"}));
}

TEST_F(PackErrors, WhenTrueWithoutExpression) {
  insert_after("column = \"sex\"", "when_true = \"x\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[attribute.sex]", "key 'when_true'", "no 'expression'"}));
}

TEST_F(PackErrors, ValueMapChain) {
  insert_after("column = \"sex\"", "map = { \"M\" = \"m\", \"m\" = \"남자\" }");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "[attribute.sex]", "key 'map'", "'m' is both a target (of 'M') and a key"}));
}

// Raw ages in one bin add up; only a bin label beside raw values of its bin is a duplicate.
TEST_F(PackErrors, ReferenceTableWithRawAgesInOneBinAddsThemUp) {
  files["references/sex_age.csv"] = "sex,age_band,n\n남자,25,100\n남자,30,7\n여자,19-39,3\n";
  AuditPack p = load();
  EXPECT_DOUBLE_EQ(p.reference("census-sex-age").masses.get({"남자", "19-39"}), 107);
}

TEST_F(PackErrors, BoundsStratumThatTheBinsNeverProduce) {
  replace("attributes = [\"sex\"]\nreference = \"rules\"", "attributes = [\"age_band\"]\nreference = \"rules\"");
  replace("bounds = { \"남자\" = [0.0, 0.2], \"여자\" = [0.0, 0.05] }", "bounds = { \"19-39\" = [0.0, 0.2], \"20-39\" = [0.0, 0.05] }");
  replace("orderings = [\"남자 > 여자\"]", "orderings = [\"19-39 > 40-64\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "key 'bounds'", "'20-39' is not a label of attribute 'age_band'"}));
}

TEST_F(PackErrors, BoundsOrderingThatTheBinsNeverProduce) {
  replace("attributes = [\"sex\"]\nreference = \"rules\"", "attributes = [\"age_band\"]\nreference = \"rules\"");
  replace("bounds = { \"남자\" = [0.0, 0.2], \"여자\" = [0.0, 0.05] }", "bounds = { \"19-39\" = [0.0, 0.2] }");
  replace("orderings = [\"남자 > 여자\"]", "orderings = [\"19-39 > 40+\"]");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "key 'orderings'", "'40+' is not a label of attribute 'age_band'"}));
}

TEST_F(PackErrors, BoundsOnACrosswalkedAttribute) {
  replace("attributes = [\"sex\"]\nreference = \"rules\"", "attributes = [\"occ\"]\nreference = \"rules\"");
  auto m = pack_error();
  EXPECT_TRUE(has(m, {toml_path(), "key 'attributes'", "before crosswalks apply", "'occ' is crosswalked"}));
}
