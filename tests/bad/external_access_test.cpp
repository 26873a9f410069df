// External access is off (issue 8, item 1): whatever a pack says, DuckDB reads only the pack's
// declared inputs and writes nothing.
//
// Two layers. At the source layer, a `Duck` opened with an allow-list refuses, statement by
// statement, every way SQL has of reaching a file: reading an undeclared one, writing (COPY, EXPORT,
// ATTACH), loading code (INSTALL, LOAD), and widening or unlocking its own settings. End to end, a
// hostile pack pushes SQL-shaped text through every pack field that reaches DuckDB (dataset path
// and glob, counts files, reference and crosswalk files, expressions, column names, labels) and the
// run either fails with a clear message or treats the text as plain data; in both cases the secret
// file beside the pack is never opened (strace), never printed, never changed, and nothing is
// written outside --out.
#include <gtest/gtest.h>

#include "bad/harness.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/source/duck.hpp"

namespace {
namespace fs = std::filesystem;
using namespace iaf::bad;
using iaf::quote_literal;

const std::string kMarker = "SECRET-MARKER-7f3a";

// ---------------------------------------------------------------------------------------------
// The source layer

class DuckContainment : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = box_.root();
    declared_ = dir_ / "pack" / "declared.csv";
    secret_ = dir_ / "secret.csv";
    inside_ = dir_ / "pack" / "undeclared.csv";
    spit(declared_, "sex,n\nM,1\nF,2\n");
    spit(secret_, "sex,n\n" + kMarker + ",1\n");
    spit(inside_, "sex,n\n" + kMarker + ",1\n");
    before_ = box_.snapshot();
    iaf::source::DuckConfig cfg{.threads = 1};
    cfg.allowed_paths = {declared_.string()};
    duck_ = std::make_unique<iaf::source::Duck>(cfg);
  }

  // The statement fails with a DuckDB error, shows no secret, and changes no file.
  void refused(const std::string& sql) {
    SCOPED_TRACE(sql);
    try {
      auto r = duck_->query(sql, "hostile");
      std::string all;
      for (const auto& row : r.rows)
        for (const auto& v : row) all += v.value_or("NULL") + " ";
      ADD_FAILURE() << "the statement ran; it returned: " << all.substr(0, 500);
    } catch (const iaf::DataError& e) {
      EXPECT_EQ(std::string(e.what()).find(kMarker), std::string::npos) << e.what();
      EXPECT_EQ(e.code(), iaf::ExitCode::data);
    }
    EXPECT_EQ(box_.snapshot(), before_) << "the tree changed";
    EXPECT_EQ(slurp(secret_), "sex,n\n" + kMarker + ",1\n");
  }

  // The statement may run or fail, but it reads no secret and changes no file.
  void harmless(const std::string& sql) {
    SCOPED_TRACE(sql);
    try {
      auto r = duck_->query(sql, "hostile");
      for (const auto& row : r.rows)
        for (const auto& v : row) EXPECT_EQ(v.value_or("").find(kMarker), std::string::npos);
    } catch (const iaf::DataError& e) {
      EXPECT_EQ(std::string(e.what()).find(kMarker), std::string::npos) << e.what();
    }
    EXPECT_EQ(box_.snapshot(), before_) << "the tree changed";
    EXPECT_EQ(slurp(declared_), "sex,n\nM,1\nF,2\n");
  }

  std::string lit(const fs::path& p) const { return quote_literal(p.string()); }

  Sandbox box_;
  fs::path dir_, declared_, secret_, inside_;
  std::map<std::string, std::string> before_;
  std::unique_ptr<iaf::source::Duck> duck_;
};

TEST_F(DuckContainment, TheDeclaredFileIsReadable) {
  auto r = duck_->query("SELECT count(*) FROM read_csv(" + lit(declared_) + ")", "declared");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0].value_or(""), "2");
}

TEST_F(DuckContainment, UndeclaredFilesCannotBeRead) {
  for (const fs::path& f : {secret_, inside_}) {
    refused("SELECT * FROM read_csv(" + lit(f) + ")");
    refused("SELECT * FROM read_csv_auto(" + lit(f) + ")");
    refused("SELECT * FROM read_csv([" + lit(declared_) + ", " + lit(f) + "])");
    refused("SELECT * FROM " + lit(f));  // replacement scan
    refused("SELECT * FROM read_text(" + lit(f) + ")");
    refused("SELECT * FROM read_blob(" + lit(f) + ")");
    refused("SELECT * FROM read_json_auto(" + lit(f) + ")");
    refused("SELECT * FROM read_parquet(" + lit(f) + ")");
    refused("SELECT * FROM sniff_csv(" + lit(f) + ")");
    refused("SELECT * FROM parquet_metadata(" + lit(f) + ")");
  }
  refused("SELECT * FROM read_csv('/etc/passwd')");
  refused("SELECT * FROM read_text('/proc/self/environ')");
  // Paths that name the declared file's folder, or reach the secret through it.
  refused("SELECT * FROM read_csv(" + quote_literal((declared_.parent_path() / "*.csv").string()) + ")");
  refused("SELECT * FROM read_csv(" + quote_literal((declared_.parent_path() / ".." / "secret.csv").string()) + ")");
  refused("SELECT * FROM read_csv(" + quote_literal(declared_.string() + "/../../secret.csv") + ")");
  refused("SELECT * FROM glob(" + quote_literal((dir_ / "*").string()) + ")");
  refused("SELECT * FROM glob('/etc/*')");
}

TEST_F(DuckContainment, NothingCanBeWritten) {
  refused("COPY (SELECT 42 AS x) TO " + lit(dir_ / "pwned.csv"));
  refused("COPY (SELECT 42 AS x) TO 'pwned.csv'");
  refused("COPY (SELECT 42 AS x) TO " + lit(dir_ / "pwned.parquet") + " (FORMAT parquet)");
  refused("COPY (SELECT 'x' AS sex, 1 AS n) TO " + lit(declared_));
  refused("CREATE TABLE t AS SELECT 1 AS x; COPY t TO " + lit(dir_ / "pwned.csv"));
  refused("EXPORT DATABASE " + lit(dir_ / "exported"));
  refused("ATTACH " + lit(dir_ / "pwned.duckdb") + " AS p");
  // ATTACH of the declared path itself runs, as an in-memory database (duckdb_databases() shows no
  // path): nothing reaches the file.
  harmless("ATTACH " + lit(declared_) + " AS p; CREATE TABLE p.t AS SELECT 42 AS x; CHECKPOINT p; DETACH p");
  refused("ATTACH " + lit(dir_ / "pwned.sqlite") + " AS p (TYPE sqlite)");
  refused("CHECKPOINT; ATTACH " + lit(dir_ / "pwned2.duckdb"));
  EXPECT_FALSE(fs::exists(dir_ / "pwned.csv"));
  EXPECT_FALSE(fs::exists(box_.cwd() / "pwned.csv"));
  EXPECT_FALSE(fs::exists(fs::current_path() / "pwned.csv"));
  EXPECT_EQ(slurp(declared_), "sex,n\nM,1\nF,2\n");
}

// Not even over a declared input. DuckDB's allowed_paths grant writing as well as reading; only the
// temporary-file step of COPY (tmp_declared.csv, not allowed) stops a plain COPY, and without it
// (USE_TMP_FILE false) DuckDB 1.4.4 overwrites the declared file.
TEST_F(DuckContainment, DeclaredInputsCannotBeOverwritten) {
  refused("COPY (SELECT 'x' AS sex, 1 AS n) TO " + lit(declared_) + " (USE_TMP_FILE false)");
}

TEST_F(DuckContainment, NoExtensionCanBeInstalledOrLoaded) {
  refused("INSTALL httpfs");
  refused("FORCE INSTALL httpfs");
  refused("LOAD httpfs");
  refused("LOAD parquet_nonexistent");
  spit(dir_ / "pack" / "evil.duckdb_extension", "not an extension");
  before_ = box_.snapshot();
  refused("LOAD " + lit(dir_ / "pack" / "evil.duckdb_extension"));
  refused("INSTALL " + lit(dir_ / "pack" / "evil.duckdb_extension"));
  refused("SELECT * FROM read_csv('https://example.invalid/x.csv')");
}

TEST_F(DuckContainment, TheSettingsAreLocked) {
  refused("SET enable_external_access = true");
  refused("SET GLOBAL enable_external_access = true");
  refused("RESET enable_external_access");
  refused("SET lock_configuration = false");
  refused("RESET lock_configuration");
  refused("SET allowed_paths = [" + lit(secret_) + "]");
  refused("SET allowed_directories = ['/']");
  refused("SET temp_directory = " + lit(dir_ / "spill"));
  refused("SET autoinstall_known_extensions = true");
  refused("SET autoload_known_extensions = true");
  refused("SET allow_community_extensions = true");
  refused("SET allow_unsigned_extensions = true");
  refused("PRAGMA enable_external_access = true");
  // After all that, the undeclared file is still out of reach.
  refused("SELECT * FROM read_csv(" + lit(secret_) + ")");
}

// An allowed directory is read AND write for DuckDB (COPY and glob work inside it), so iaf may allow
// only a directory it is content to see written, such as a spill directory inside --out. What it
// must not do is reach above itself.
TEST_F(DuckContainment, AllowedDirectoriesDoNotExtendAboveThemselves) {
  duck_.reset();
  iaf::source::DuckConfig cfg{.threads = 1};
  cfg.allowed_directories = {(dir_ / "pack").string() + "/"};
  duck_ = std::make_unique<iaf::source::Duck>(cfg);
  auto ok = duck_->query("SELECT count(*) FROM read_csv(" + lit(declared_) + ")", "declared");
  EXPECT_EQ(ok.rows.at(0).at(0).value_or(""), "2");
  refused("SELECT * FROM read_csv(" + quote_literal((dir_ / "pack" / ".." / "secret.csv").string()) + ")");
  refused("SELECT * FROM read_csv(" + quote_literal((dir_ / "pack" / "." / ".." / "secret.csv").string()) + ")");
  refused("SELECT * FROM read_csv(" + lit(secret_) + ")");
  refused("COPY (SELECT 1 AS x) TO " + lit(dir_ / "pwned.csv"));
  refused("COPY (SELECT 1 AS x) TO " + quote_literal((dir_ / "pack" / ".." / "pwned.csv").string()));
  refused("SELECT * FROM glob(" + quote_literal((dir_ / "*").string()) + ")");
}

TEST(DuckContainmentOpen, AnEmptyAllowedPathIsRefusedAtOpen) {
  iaf::source::DuckConfig cfg{.threads = 1};
  cfg.allowed_paths = {""};
  EXPECT_THROW(iaf::source::Duck{cfg}, iaf::DataError);
  cfg.allowed_paths.clear();
  cfg.allowed_directories = {""};
  EXPECT_THROW(iaf::source::Duck{cfg}, iaf::DataError);
}

// ---------------------------------------------------------------------------------------------
// End to end: a hostile pack through the binary

// A valid two-check pack; each test swaps in one hostile piece by text replacement.
const char* kPack = R"toml([audit]
name = "hostile"
[dataset]
path = "rows.csv"
id_column = "id"
[[disclosure]]
id = "d"
quote = "q"
combinations = [["sex"], ["band"]]
[attribute.sex]
column = "sex"
[attribute.band]
column = "age"
bins = [0, 40]
labels = ["young", "old"]
[[reference]]
id = "ref"
kind = "census"
file = "ref.csv"
sha256 = "{{sha:ref.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { sex = "sex", count = "n" }
[[reference]]
id = "ref-band"
kind = "census"
file = "ref_band.csv"
sha256 = "{{sha:ref_band.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { band = "band", count = "n" }
[[check]]
id = "sex"
disclosure = "d"
type = "marginal"
attributes = ["sex"]
reference = "ref"
universe = "age >= 0"
[[check]]
id = "band"
disclosure = "d"
type = "marginal"
attributes = ["band"]
reference = "ref-band"
)toml";

const std::string kRows = "id,sex,age\n1,M,30\n2,F,50\n3,M,45\n4,F,20\n";

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    toml_ = kPack;
    files_ = {{"rows.csv", kRows}, {"ref.csv", "sex,n\nM,50\nF,50\n"}, {"ref_band.csv", "band,n\nyoung,50\nold,50\n"}};
    spit(box_.root() / "secret.csv", "id,sex,age\n9," + kMarker + ",30\n");
    spit(box_.pack() / "undeclared.csv", "sex,n\n" + kMarker + ",1\n");
  }

  void set(const std::string& rel, const std::string& content) { files_[rel] = content; }
  void replace(const std::string& from, const std::string& to) {
    size_t at = toml_.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    toml_.replace(at, from.size(), to);
  }

  // Writes the pack, runs `args` (default: audit the pack into {out}) and checks containment;
  // returns the run for the test's own assertions.
  RunResult run(int expected_exit, const std::vector<std::string>& message = {}, std::string args = "") {
    for (const auto& [rel, content] : files_) spit(box_.pack() / rel, content);
    std::string text = toml_;
    for (size_t at; (at = text.find("{{sha:")) != std::string::npos;) {
      size_t end = text.find("}}", at);
      text.replace(at, end + 2 - at, iaf::sha256_file(box_.pack() / text.substr(at + 6, end - at - 6)));
    }
    replace_all(text, "{{root}}", box_.root().string());
    spit(box_.pack() / "audit.toml", text);
    if (args.empty()) args = "audit {pack} --out {out} --bootstrap 0 --threads 2";
    auto before = box_.snapshot();
    RunResult r = box_.run(box_.expand(args), 60, true);
    std::string shown = "exit " + std::to_string(r.exit_code) + "\n" + r.err + r.out;
    SCOPED_TRACE("audit.toml:\n" + text);
    EXPECT_EQ(r.exit_code, expected_exit) << shown;
    for (const auto& w : crash_words()) EXPECT_EQ(r.err.find(w), std::string::npos) << shown;
    for (const auto& m : message) EXPECT_NE(r.err.find(box_.expand(m)), std::string::npos) << "no '" << m << "': " << shown;
    // The secret: never opened, never shown, never changed.
    EXPECT_EQ(r.err.find(kMarker), std::string::npos) << shown;
    EXPECT_EQ(r.out.find(kMarker), std::string::npos) << shown;
    if (fs::exists(box_.out())) {
      for (const auto& e : fs::recursive_directory_iterator(box_.out())) {
        if (e.is_regular_file()) {
          EXPECT_EQ(slurp(e.path()).find(kMarker), std::string::npos) << e.path();
        }
      }
    }
    EXPECT_EQ(slurp(box_.root() / "secret.csv"), "id,sex,age\n9," + kMarker + ",30\n");
    if (r.traced) {
      for (const auto& hit : opens_of(r, box_.root() / "secret.csv")) ADD_FAILURE() << "opened the secret: " << hit;
      for (const auto& hit : opens_of(r, box_.pack() / "undeclared.csv")) ADD_FAILURE() << "opened an undeclared file: " << hit;
      for (const auto& w : writes_outside(r, box_.out())) ADD_FAILURE() << "write outside --out: " << w;
      for (const auto& e : r.execs) ADD_FAILURE() << "started a program: " << e;
    }
    // Nothing new in the tree but --out, and no report after an error.
    for (const auto& [rel, digest] : box_.snapshot()) {
      if (rel.rfind("out/", 0) != 0) {
        EXPECT_TRUE(before.count(rel) && before.at(rel) == digest) << "wrote " << rel;
      }
    }
    if (r.exit_code >= 2) {
      EXPECT_FALSE(fs::exists(box_.out() / "report.json"));
    }
    for (const char* name : {"pwned.csv", "pwned"}) {
      EXPECT_FALSE(fs::exists(box_.cwd() / name));
      EXPECT_FALSE(fs::exists(box_.root() / name));
      EXPECT_FALSE(fs::exists(box_.pack() / name));
    }
    return r;
  }

  std::string report() const { return slurp(box_.out() / "report.json"); }

  Sandbox box_;
  std::string toml_;
  std::map<std::string, std::string> files_;
};

// The hostile text: close a quote, end the statement, write a file, comment out the rest.
const std::string kCopy = "x'); COPY (SELECT 1) TO 'pwned.csv'; --";

// The negative checks above mean something only if the trace sees what the binary opens: profile
// the secret on purpose and find it in the trace.
TEST_F(Hostile, TheTraceSeesWhatTheBinaryOpens) {
  if (!strace_usable()) GTEST_SKIP() << "strace cannot trace here: the syscall layer of these tests is off";
  RunResult r = box_.run(box_.expand("profile {root}/secret.csv --columns sex"), 60, true);
  ASSERT_TRUE(r.traced);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(opens_of(r, box_.root() / "secret.csv").empty()) << "the trace missed an open of the named file";
  EXPECT_TRUE(writes_outside(r, box_.out()).empty());
}

TEST_F(Hostile, TheBasePackRuns) {
  auto r = run(0);
  EXPECT_TRUE(fs::exists(box_.out() / "report.json")) << r.err;
}

TEST_F(Hostile, DatasetPathOutsideThePack) {
  replace("path = \"rows.csv\"", "path = \"../secret.csv\"");
  run(2, {"leaves the pack folder", "--allow-outside-pack"});
}

TEST_F(Hostile, DatasetPathAbsolute) {
  replace("path = \"rows.csv\"", "path = \"{{root}}/secret.csv\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, DatasetGlobReachingOutside) {
  replace("path = \"rows.csv\"", "path = \"../*.csv\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, DatasetSymlinkToTheSecret) {
  fs::create_symlink(box_.root() / "secret.csv", box_.pack() / "link.csv");
  replace("path = \"rows.csv\"", "path = \"link.csv\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, DatasetGlobMatchingASymlinkToTheSecret) {
  fs::create_symlink(box_.root() / "secret.csv", box_.pack() / "rows-2.csv");
  set("rows-1.csv", kRows);
  replace("path = \"rows.csv\"", "path = \"rows-*.csv\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, DatasetPathWithSqlInItIsAFileName) {
  // No such file: the text is a name, not SQL.
  replace("path = \"rows.csv\"", "path = \"rows.csv', header = false) UNION ALL SELECT * FROM read_csv('../secret.csv') --\"");
  run(3, {"no such file"});
}

TEST_F(Hostile, DatasetFileNamedLikeSqlIsReadAsData) {
  std::string name = kCopy + ".csv";
  set(name, kRows);
  replace("path = \"rows.csv\"", "path = \"" + name + "\"");
  run(0);
}

TEST_F(Hostile, DatasetOverrideNamedLikeSqlIsReadAsData) {
  std::string name = kCopy + ".csv";
  spit(box_.root() / "other" / name, kRows);
  run(0, {}, "audit {pack} --out {out} --bootstrap 0 --dataset \"{root}/other/" + name + "\"");
}

TEST_F(Hostile, CountsFileNamedLikeSqlIsReadAsData) {
  std::string name = kCopy + ".csv";
  set(name, "sex,band,age,count\nM,young,30,1\nF,old,50,1\n");
  replace("path = \"rows.csv\"\nid_column = \"id\"", "counts = [\"" + name + "\"]");
  run(0);
}

TEST_F(Hostile, CountsFileOutsideThePack) {
  replace("path = \"rows.csv\"\nid_column = \"id\"", "counts = [\"../secret.csv\"]");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, CountsOverrideWithSqlInTheName) {
  run(3, {"not found"}, "audit {pack} --out {out} --counts \"{root}/x.csv') UNION SELECT * FROM read_csv('{root}/secret.csv\"");
}

TEST_F(Hostile, ReferenceFileNamedLikeSqlIsReadAsData) {
  std::string name = kCopy + ".csv";
  set(name, "sex,n\nM,50\nF,50\n");
  replace("file = \"ref.csv\"\nsha256 = \"{{sha:ref.csv}}\"", "file = \"" + name + "\"\nsha256 = \"{{sha:" + name + "}}\"");
  run(0);
}

TEST_F(Hostile, ReferenceFileIsTheSecret) {
  replace("file = \"ref.csv\"", "file = \"../secret.csv\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, ReferenceSymlinkToTheSecret) {
  fs::create_symlink(box_.root() / "secret.csv", box_.pack() / "ref_link.csv");
  replace("file = \"ref.csv\"", "file = \"ref_link.csv\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, CrosswalkFileNamedLikeSqlIsReadAsData) {
  std::string name = kCopy + ".csv";
  set(name, "from,to\nM,man\nF,woman\n");
  set("ref_sex2.csv", "sex2,n\nman,50\nwoman,50\n");
  replace("[[reference]]\nid = \"ref\"", "[attribute.sex2]\ncolumn = \"sex\"\ncrosswalk = \"cw\"\n[[crosswalk]]\nid = \"cw\"\nfile = \"" + name +
                                            "\"\n[[reference]]\nid = \"ref2\"\nkind = \"census\"\nfile = \"ref_sex2.csv\"\n"
                                            "sha256 = \"{{sha:ref_sex2.csv}}\"\npublisher = \"t\"\nvintage = \"1\"\nuniverse = \"u\"\n"
                                            "unit = \"persons\"\nlicence = \"CC0\"\ncolumns = { sex2 = \"sex2\", count = \"n\" }\n"
                                            "[[reference]]\nid = \"ref\"");
  replace("[[check]]\nid = \"band\"", "[[check]]\nid = \"sex2\"\ndisclosure = \"d\"\ntype = \"marginal\"\nattributes = [\"sex2\"]\n"
                                      "reference = \"ref2\"\n[[check]]\nid = \"band\"");
  run(0);
}

TEST_F(Hostile, CrosswalkFileIsTheSecret) {
  replace("[[reference]]\nid = \"ref\"", "[attribute.sex2]\ncolumn = \"sex\"\ncrosswalk = \"cw\"\n[[crosswalk]]\nid = \"cw\"\n"
                                         "file = \"../secret.csv\"\n[[reference]]\nid = \"ref\"");
  run(2, {"leaves the pack folder"});
}

TEST_F(Hostile, ExpressionClosingTheQuoteIsASyntaxError) {
  replace("universe = \"age >= 0\"", "universe = \"sex = 'M') ; COPY (SELECT 1) TO 'pwned.csv' ; --\"");
  run(2, {"universe"});
}

TEST_F(Hostile, ExpressionWithATableFunctionIsRefused) {
  replace("universe = \"age >= 0\"", "universe = \"read_csv('../secret.csv') IS NULL\"");
  run(2, {"universe"});
}

TEST_F(Hostile, ExpressionWithCommentsIsRefused) {
  replace("universe = \"age >= 0\"", "universe = \"age >= 0 -- ) UNION SELECT * FROM read_csv('../secret.csv')\"");
  run(2, {"universe"});
}

TEST_F(Hostile, ExpressionWithABlockCommentIsRefused) {
  replace("universe = \"age >= 0\"", "universe = \"age >= 0 /* */ OR 1 = 1\"");
  run(2, {"universe"});
}

TEST_F(Hostile, ExpressionWithASemicolonIsRefused) {
  replace("universe = \"age >= 0\"", "universe = \"age >= 0; COPY (SELECT 1) TO 'pwned.csv'\"");
  run(2, {"universe"});
}

TEST_F(Hostile, StringLiteralWithSqlIsCompared) {
  // A valid literal holding quotes: compared as text, matching no row (the check is incomputable).
  replace("universe = \"age >= 0\"", "universe = \"sex = 'M'') ; COPY (SELECT 1) TO ''pwned.csv'' ; --'\"");
  auto r = run(0);
  EXPECT_NE(report().find("\"incomputable\""), std::string::npos);
}

TEST_F(Hostile, ColumnNameWithSqlIsAMissingColumn) {
  replace("[attribute.sex]\ncolumn = \"sex\"", "[attribute.sex]\ncolumn = \"sex\\\" FROM read_csv('../secret.csv') --\"");
  run(3, {"no column"});
}

TEST_F(Hostile, ColumnNamedLikeSqlIsReadAsData) {
  std::string col = "sex\"\") ; COPY (SELECT 1) TO 'pwned.csv' ; --";  // CSV-quoted: sex") ; COPY …
  set("rows.csv", "id,\"" + col + "\",age\n1,M,30\n2,F,50\n3,M,45\n4,F,20\n");
  replace("[attribute.sex]\ncolumn = \"sex\"", "[attribute.sex]\ncolumn = \"sex\\\") ; COPY (SELECT 1) TO 'pwned.csv' ; --\"");
  run(0);
}

TEST_F(Hostile, IdAndWeightColumnsWithSql) {
  replace("id_column = \"id\"", "id_column = \"id\\\" FROM read_csv('../secret.csv') --\"\nweight = \"w\\\"); COPY (SELECT 1) TO 'pwned.csv'; --\"");
  run(3, {"weight"});
}

TEST_F(Hostile, MapLabelWithSqlIsALabel) {
  replace("[attribute.sex]\ncolumn = \"sex\"", "[attribute.sex]\ncolumn = \"sex\"\nmap = { M = \"" + kCopy + "\" }");
  set("ref.csv", "sex,n\n\"" + kCopy + "\",50\nF,50\n");
  run(0);
  EXPECT_NE(report().find(kCopy), std::string::npos) << "the label is reported as written";
}

TEST_F(Hostile, CaseLabelAndConditionWithSql) {
  replace("[attribute.sex]\ncolumn = \"sex\"",
          "[attribute.sex]\ncases = [{ when = \"sex = 'M'' OR 1=1 --'\", label = \"" + kCopy + "\" }, { when = \"sex = 'M'\", label = \"M\" }]\n"
          "otherwise = \"F\"");
  set("ref.csv", "sex,n\n\"" + kCopy + "\",1\nM,50\nF,50\n");
  run(0);  // the hostile case matches nobody: its label gets no rows and 1% of the reference's mass
  EXPECT_NE(report().find(kCopy), std::string::npos);
}

TEST_F(Hostile, BinLabelWithSqlIsALabel) {
  replace("labels = [\"young\", \"old\"]", "labels = [\"" + kCopy + "\", \"old\"]");
  set("ref_band.csv", "band,n\n\"" + kCopy + "\",50\nold,50\n");
  run(0);
  EXPECT_NE(report().find(kCopy), std::string::npos);
}

TEST_F(Hostile, CrosswalkLabelsWithSqlAreLabels) {
  set("cw.csv", "from,to\nM,\"" + kCopy + "\"\nF,woman\n");
  set("ref_sex2.csv", "sex2,n\n\"" + kCopy + "\",50\nwoman,50\n");
  replace("[[reference]]\nid = \"ref\"", "[attribute.sex2]\ncolumn = \"sex\"\ncrosswalk = \"cw\"\n[[crosswalk]]\nid = \"cw\"\nfile = \"cw.csv\"\n"
                                         "[[reference]]\nid = \"ref2\"\nkind = \"census\"\nfile = \"ref_sex2.csv\"\n"
                                         "sha256 = \"{{sha:ref_sex2.csv}}\"\npublisher = \"t\"\nvintage = \"1\"\nuniverse = \"u\"\n"
                                         "unit = \"persons\"\nlicence = \"CC0\"\ncolumns = { sex2 = \"sex2\", count = \"n\" }\n"
                                         "[[reference]]\nid = \"ref\"");
  replace("[[check]]\nid = \"band\"", "[[check]]\nid = \"sex2\"\ndisclosure = \"d\"\ntype = \"marginal\"\nattributes = [\"sex2\"]\n"
                                      "reference = \"ref2\"\n[[check]]\nid = \"band\"");
  run(0);
  EXPECT_NE(report().find(kCopy), std::string::npos);
}

TEST_F(Hostile, RuleScopeAndAssertionWithSql) {
  // Rule checks send scope and assertion through SQL as well (and read the id column for examples).
  replace("[[check]]\nid = \"sex\"", "[[reference]]\nid = \"rules\"\nkind = \"rule\"\npublisher = \"t\"\nvintage = \"1\"\nuniverse = \"u\"\n"
                                       "licence = \"CC0\"\n[[reference.statements]]\nid = \"s1\"\ntext = \"t\"\n"
                                       "[[check]]\nid = \"rule\"\ndisclosure = \"d\"\ntype = \"rule\"\nreference = \"rules\"\nstatement = \"s1\"\n"
                                       "scope = \"sex = 'M'') ; COPY (SELECT 1) TO ''pwned.csv'' ; --' OR age > 0\"\n"
                                       "assert = \"age < 40 OR sex = 'x'' UNION SELECT * FROM read_csv(''../secret.csv'') --'\"\n"
                                       "[[check]]\nid = \"sex\"");
  run(1);  // two of four rows break the rule: the run reports them, with their ids
  EXPECT_NE(report().find("\"rule\""), std::string::npos);
}

TEST_F(Hostile, RuleScopeWithAStatementIsRefused) {
  replace("[[check]]\nid = \"sex\"", "[[reference]]\nid = \"rules\"\nkind = \"rule\"\npublisher = \"t\"\nvintage = \"1\"\nuniverse = \"u\"\n"
                                       "licence = \"CC0\"\n[[reference.statements]]\nid = \"s1\"\ntext = \"t\"\n"
                                       "[[check]]\nid = \"rule\"\ndisclosure = \"d\"\ntype = \"rule\"\nreference = \"rules\"\nstatement = \"s1\"\n"
                                       "scope = \"age > 0) TO 'pwned.csv'; SELECT (1\"\nassert = \"age < 40\"\n"
                                       "[[check]]\nid = \"sex\"");
  run(2, {"scope"});
}

TEST_F(Hostile, ValidateAndCrosswalkCheckAreContainedToo) {
  replace("path = \"rows.csv\"", "path = \"../secret.csv\"");
  run(2, {"leaves the pack folder"}, "validate {pack}");
  run(2, {"leaves the pack folder"}, "crosswalk check {pack}");
}

TEST_F(Hostile, ProfileReadsOnlyTheNamedFile) {
  run(0, {}, "profile {pack}/rows.csv --columns sex");
}

}  // namespace
