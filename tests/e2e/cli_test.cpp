// The command line end to end: exit codes (0, 1 by --fail-on, 2 pack error, 3 data error), the
// report files and their atomic writing, --format junit, --version and --help.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/fixture.hpp"
#include "support/run_iaf.hpp"

using namespace iaf::testing;

namespace {

using Run = IafRun;
Run run(const std::string& args) { return run_iaf(args); }

// One pass, one flag, one fail check.
void write_pack(const FixturePack& f) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({i < 500 ? "M" : "F", i % 10 < 7 ? "a" : "b", i % 4 < 2 ? "x" : "y"});
  f.write_csv("rows.csv", {"sex", "g", "h"}, rows);
  f.write("ref.csv", "sex,g,h,n\nM,a,x,175\nM,a,y,175\nM,b,x,75\nM,b,y,75\nF,a,x,175\nF,a,y,175\nF,b,x,75\nF,b,y,75\n");
  f.write("ref_shift.csv", "sex,g,n\nM,a,275\nM,b,225\nF,a,275\nF,b,225\n");
  f.write_toml(R"(
[audit]
name = "cli"
[dataset]
path = "rows.csv"
[[disclosure]]
id = "d"
quote = "q"
combinations = [["sex"], ["g"], ["sex", "h"]]
[attribute.sex]
column = "sex"
[attribute.g]
column = "g"
[attribute.h]
column = "h"
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
columns = { sex = "sex", g = "g", h = "h", count = "n" }
[[reference]]
id = "shift"
kind = "census"
file = "ref_shift.csv"
sha256 = "{{sha:ref_shift.csv}}"
publisher = "t"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { sex = "sex", g = "g", count = "n" }
[[check]]
id = "sex"
disclosure = "d"
type = "marginal"
attributes = ["sex"]
reference = "ref"
[[check]]
id = "g-flag"
disclosure = "d"
type = "marginal"
attributes = ["g"]
reference = "shift"
thresholds = { pass = 0.05, flag = 0.2 }
[[check]]
id = "g-fail"
disclosure = "d"
type = "marginal"
attributes = ["g"]
reference = "shift"
)");
}

}  // namespace

TEST(Cli, VersionAndHelp) {
  auto v = run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("iaf "), std::string::npos);
  auto h = run("--help");
  EXPECT_EQ(h.code, 0);
  for (const char* s : {"audit", "validate", "profile", "crosswalk"}) EXPECT_NE(h.out.find(s), std::string::npos) << s;
  auto ah = run("audit --help");
  for (const char* s : {"--out", "--format", "--threads", "--seed", "--bootstrap", "--fail-on", "--dataset", "--counts", "--quiet"})
    EXPECT_NE(ah.out.find(s), std::string::npos) << s;
  EXPECT_EQ(run("audit").code, 2);
  EXPECT_EQ(run("frobnicate").code, 2);
}

TEST(Cli, ExitCodeFollowsFailOn) {
  FixturePack f;
  write_pack(f);
  std::string base = "audit " + f.dir().string() + " --bootstrap 50 --out " + f.path("o").string();
  auto fail = run(base);
  EXPECT_EQ(fail.code, 1) << fail.err;
  EXPECT_NE(fail.out.find("g-fail"), std::string::npos);
  EXPECT_NE(fail.out.find("1 pass, 1 flag, 1 fail"), std::string::npos) << fail.out;
  // Relax the failing check away: only the flag is left.
  auto toml = f.path("audit.toml");
  std::ifstream in(toml);
  std::stringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  text.replace(text.rfind("[[check]]"), std::string::npos, "");
  f.write("audit.toml", text);
  EXPECT_EQ(run(base).code, 0);
  EXPECT_EQ(run(base + " --fail-on flag").code, 1);
  EXPECT_EQ(run(base + " --fail-on incomputable").code, 1);
  EXPECT_EQ(run(base + " --fail-on sometimes").code, 2);
}

TEST(Cli, WritesTheRequestedFormatsAndJunit) {
  FixturePack f;
  write_pack(f);
  auto out = f.path("reports");
  auto r = run("audit " + f.dir().string() + " --bootstrap 0 --quiet --format json,md,csv,junit --out " + out.string());
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.out.empty()) << "--quiet prints nothing: " << r.out;
  for (const char* name : {"report.json", "report.md", "metrics.csv", "report.junit.xml"})
    EXPECT_TRUE(std::filesystem::exists(out / name)) << name;
  std::ifstream j(out / "report.junit.xml");
  std::stringstream s;
  s << j.rdbuf();
  std::string xml = s.str();
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"fail\""), std::string::npos);
  auto strict = run("audit " + f.dir().string() + " --bootstrap 0 --quiet --format junit --fail-on flag --out " + out.string());
  std::ifstream j2(out / "report.junit.xml");
  std::stringstream s2;
  s2 << j2.rdbuf();
  EXPECT_NE(s2.str().find("failures=\"2\""), std::string::npos);
  // --fail-on incomputable is the strictest level: the fail and the flag are failures there too.
  run("audit " + f.dir().string() + " --bootstrap 0 --quiet --format junit --fail-on incomputable --out " + out.string());
  std::ifstream j3(out / "report.junit.xml");
  std::stringstream s3;
  s3 << j3.rdbuf();
  EXPECT_NE(s3.str().find("failures=\"2\""), std::string::npos) << s3.str();
  // no temporary files left behind
  for (const auto& e : std::filesystem::directory_iterator(out))
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  EXPECT_EQ(run("audit " + f.dir().string() + " --format pdf --out " + out.string()).code, 2);
}

// --timings names every stage with its seconds, and the fingerprint's own thread when --dataset
// started it; the stages add up to the total it prints.
TEST(Cli, TimingsNameEveryStage) {
  FixturePack f;
  write_pack(f);
  auto r = run("audit " + f.dir().string() + " --bootstrap 0 --quiet --timings --format json --dataset " + f.path("rows.csv").string() +
               " --out " + f.path("o").string());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(R"(timings: load ([0-9.]+) s, count ([0-9.]+) s, checks ([0-9.]+) s, )"
                                                      R"(report ([0-9.]+) s, total ([0-9.]+) s; fingerprint [0-9.]+ s on its own thread)")))
      << r.err;
  double sum = std::stod(m[1]) + std::stod(m[2]) + std::stod(m[3]) + std::stod(m[4]);
  EXPECT_NEAR(sum, std::stod(m[5]), 5e-4) << r.err;
  EXPECT_EQ(run("audit " + f.dir().string() + " --bootstrap 0 --quiet --format json --out " + f.path("o").string()).err.find("timings"),
            std::string::npos);
}

TEST(Cli, PackAndDataErrorsHaveTheirExitCodesAndLeaveNoReport) {
  FixturePack f;
  write_pack(f);
  auto out = f.path("none");
  auto missing = run("audit " + f.dir().string() + " --dataset " + f.path("nope.parquet").string() + " --out " + out.string());
  EXPECT_EQ(missing.code, 3);
  EXPECT_NE(missing.err.find("nope.parquet"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  f.write("ref.csv", "sex,g,h,n\nM,a,x,1\n");  // no longer the declared sha256
  auto changed = run("audit " + f.dir().string() + " --out " + out.string());
  EXPECT_EQ(changed.code, 3);
  EXPECT_NE(changed.err.find("sha256 mismatch"), std::string::npos) << changed.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  auto accepted = run("audit " + f.dir().string() + " --accept-changed-references --bootstrap 0 --out " + out.string());
  EXPECT_NE(accepted.code, 3) << accepted.err;
  std::ifstream in(out / "report.json");
  auto report = nlohmann::json::parse(in);
  bool recorded = false;
  for (const auto& r : report["references"]) recorded = recorded || (r["id"] == "ref" && r["sha256_changed"] == true);
  EXPECT_TRUE(recorded);
  f.write("audit.toml", "[audit]\nname = \"x\"\n[dataset\n");
  auto bad = run("validate " + f.dir().string());
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
}

TEST(Cli, AnAttributeReadOnlyInsideAnExpressionIsCheckedAgainstTheData) {
  FixturePack f;
  f.write("rows.csv", "id,sex\n1,M\n2,F\n");
  f.write_toml(R"(
[audit]
name = "t"
[dataset]
path = "rows.csv"
id_column = "id"
[[disclosure]]
id = "d"
quote = "q"
[attribute.sex]
column = "sex"
[attribute.rank]
cases = [{ when = "occupation LIKE '% 병사'", label = "병사" }]
otherwise = "none"
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
id = "r"
disclosure = "d"
type = "rule"
reference = "rules"
statement = "men"
scope = "rank = '병사'"
assert = "sex = 'M'"
)");
  auto r = run("audit " + f.dir().string() + " --quiet --out " + f.path("out").string());
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("no column 'occupation' (attribute 'rank' reads it)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Binder Error"), std::string::npos) << r.err;
}

TEST(Cli, ValidateAndProfile) {
  FixturePack f;
  write_pack(f);
  auto v = run("validate " + f.dir().string());
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE(v.out.find("3 checks"), std::string::npos) << v.out;
  auto p = run("profile " + f.path("rows.csv").string() + " --columns sex,g");
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find("sex (VARCHAR): 1000 rows, 2 distinct, 0.00% missing"), std::string::npos) << p.out;
  EXPECT_NE(p.out.find("700  a"), std::string::npos) << p.out;
  EXPECT_EQ(run("profile " + f.path("rows.csv").string() + " --columns nosuch").code, 3);
}
