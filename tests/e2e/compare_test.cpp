// Cross-locale comparison (issue 9): the cardinality confound on planted data. Two locales share the
// same true flattening of the female share by occupation (s_p = s̄ + 0.2 (s_q − s̄)); one reference
// has 10 occupation categories, the other 200 that roll up into the same 10. Raw flag counts differ
// twentyfold; the flag rates and the verdicts at the shared taxonomy agree. Also `iaf compare` and
// `iaf diff` through the binary.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "iaf/report/compare.hpp"
#include "support/fixture.hpp"

using namespace iaf::testing;
using json = nlohmann::ordered_json;

namespace {

// Female share of parent category c (0..9): three women-scarce, four balanced, three men-scarce, so
// every cell either keeps its share or moves by far more than the flag gates (|p/q − 1| ≥ 0.25 and
// |p − q| ≥ 0.001) in both taxonomies; equal weights for every subcategory.
double share(size_t c) { return c < 3 ? 0.05 : c < 7 ? 0.5 : 0.95; }

json locale(size_t split, const std::string& name) {
  FixturePack f;
  double mean = 0;
  for (size_t c = 0; c < 10; ++c) mean += share(c) / 10;
  std::vector<std::vector<std::string>> ref, counts, common;
  for (size_t c = 0; c < 10; ++c)
    for (size_t s = 0; s < split; ++s) {
      std::string occ = split == 1 ? "c" + std::to_string(c) : "c" + std::to_string(c) + "." + std::to_string(s);
      double per = 1e6 / (10.0 * split), sp = mean + 0.2 * (share(c) - mean), syn = 100000.0 / (10.0 * split);
      ref.push_back({occ, "F", std::to_string(std::llround(per * share(c)))});
      ref.push_back({occ, "M", std::to_string(std::llround(per * (1 - share(c))))});
      counts.push_back({occ, "F", std::to_string(std::llround(syn * sp))});
      counts.push_back({occ, "M", std::to_string(std::llround(syn * (1 - sp)))});
      common.push_back({occ, "G" + std::to_string(c)});
    }
  f.write_csv("ref.csv", {"occ", "sex", "n"}, ref);
  f.write_csv("counts.csv", {"occ", "sex", "count"}, counts);
  f.write_csv("common.csv", {"from", "to"}, common);
  f.write_toml(R"(
[audit]
name = ")" + name + R"("
locale = ")" + name + R"("
[dataset]
counts = ["counts.csv"]
[[disclosure]]
id = "occupation-independence"
quote = "occupations were assigned independently of sex"
combinations = [["occ", "sex"]]
[attribute.occ]
column = "occ"
[attribute.sex]
column = "sex"
[[crosswalk]]
id = "common"
file = "common.csv"
[[reference]]
id = "ref"
kind = "census"
file = "ref.csv"
sha256 = "{{sha:ref.csv}}"
publisher = "planted"
vintage = "1"
universe = "employed"
unit = "persons"
licence = "CC0"
columns = { occ = "occ", sex = "sex", count = "n" }
[[check]]
id = "occupation-by-sex"
disclosure = "occupation-independence"
type = "joint"
attributes = ["occ", "sex"]
reference = "ref"
rollup = { attribute = "occ", crosswalk = "common" }
)");
  iaf::cli::AuditOptions o;
  o.bootstrap = 100;
  o.out = f.path("out");
  json r = f.audit(o).report;
  return r;
}

}  // namespace

TEST(Compare, RawFlagCountsAreConfoundedByTheTaxonomySizeWhileRatesAndTheCommonLevelAgree) {
  json small = locale(1, "ten"), large = locale(20, "two-hundred");
  const auto& a = check_of(small, "occupation-by-sex");
  const auto& b = check_of(large, "occupation-by-sex");
  double fa = a["metrics"]["flagged_cells"], fb = b["metrics"]["flagged_cells"];
  double ra = a["metrics"]["flag_rate"], rb = b["metrics"]["flag_rate"];
  EXPECT_EQ(a["metrics"]["testable_cells"].get<double>(), 20);
  EXPECT_EQ(b["metrics"]["testable_cells"].get<double>(), 400);
  EXPECT_EQ(fa, 12);
  EXPECT_GE(fb, 10 * fa) << "raw counts: " << fa << " vs " << fb;
  EXPECT_NEAR(ra, rb, 0.05) << "rates: " << ra << " vs " << rb;
  // At the shared taxonomy both audits are the same audit.
  const auto& ca = a["details"]["rollup"];
  const auto& cb = b["details"]["rollup"];
  EXPECT_EQ(ca["k"], 10);
  EXPECT_EQ(cb["k"], 10);
  EXPECT_EQ(cb["k_before"], 200);
  EXPECT_EQ(ca["status"], cb["status"]);
  EXPECT_NEAR(ca["value"].get<double>(), cb["value"].get<double>(), 1e-4);
  EXPECT_EQ(ca["flagged_cells"], cb["flagged_cells"]);
  // The comparison shows both the confounded counts and the fair ones.
  std::string text = iaf::report::compare_reports({{"ten", small}, {"two-hundred", large}}, "text");
  EXPECT_NE(text.find("occupation-by-sex"), std::string::npos);
  EXPECT_NE(text.find("400"), std::string::npos) << text;
  std::string md = iaf::report::compare_reports({{"ten", small}, {"two-hundred", large}}, "md");
  EXPECT_NE(md.find("| occupation-by-sex | joint | two-hundred (two-hundred) |"), std::string::npos) << md;
}

TEST(Diff, ARegressionIsACheckThatNowTripsTheLevel) {
  json before = locale(1, "ten");
  auto with = [&](const std::string& status) {
    json r = before;
    r["checks"][0]["status"] = status;
    return r;
  };
  auto regressions = [&](const std::string& from, const std::string& to, const std::string& level) {
    return iaf::report::diff_reports({"a", with(from)}, {"b", with(to)}, level, "text").regressions;
  };
  EXPECT_EQ(regressions("pass", "fail", "fail"), 1u);
  EXPECT_EQ(regressions("pass", "flag", "fail"), 0u);
  EXPECT_EQ(regressions("flag", "fail", "flag"), 1u);
  EXPECT_EQ(regressions("incomputable", "fail", "fail"), 1u);  // a new finding once it can be computed
  EXPECT_EQ(regressions("fail", "incomputable", "fail"), 0u);
  EXPECT_EQ(regressions("pass", "fail", "incomputable"), 1u);  // the strictest level counts fails too
  EXPECT_EQ(regressions("pass", "flag", "incomputable"), 1u);
  EXPECT_EQ(regressions("pass", "incomputable", "incomputable"), 1u);
  EXPECT_EQ(regressions("fail", "fail", "incomputable"), 0u);
}

TEST(Diff, ReportsRegressionsAndExitsByFailOn) {
  json before = locale(1, "ten");
  json after = before;
  after["checks"][0]["status"] = "pass";  // an improvement
  auto d = iaf::report::diff_reports({"a", after}, {"b", before}, "fail", "text");
  EXPECT_EQ(d.regressions, before["checks"][0]["status"] == "fail" ? 1u : 0u) << d.text;
  auto same = iaf::report::diff_reports({"a", before}, {"b", before}, "fail", "text");
  EXPECT_EQ(same.regressions, 0u);
  EXPECT_NE(same.text.find("same"), std::string::npos);
  // through the binary: exit 1 on the regression
  TempDir tmp;
  std::ofstream(tmp / "old.json") << after.dump();
  std::ofstream(tmp / "new.json") << before.dump();
  int st = std::system((std::string(IAF_BINARY_DIR) + "/iaf diff " + (tmp / "old.json").string() + " " + (tmp / "new.json").string() +
                        " --fail-on flag > /dev/null")
                           .c_str());
  EXPECT_EQ(WEXITSTATUS(st), 1);
  st = std::system((std::string(IAF_BINARY_DIR) + "/iaf diff " + (tmp / "new.json").string() + " " + (tmp / "old.json").string() + " > /dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(st), 0);
  std::ofstream(tmp / "bad.json") << "{ not json";
  st = std::system((std::string(IAF_BINARY_DIR) + "/iaf compare " + (tmp / "bad.json").string() + " 2> /dev/null").c_str());
  EXPECT_EQ(WEXITSTATUS(st), 3);
}
