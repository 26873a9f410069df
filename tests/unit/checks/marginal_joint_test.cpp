// Planted truth for marginal and joint checks (issue 3): rows sampled from the reference pass
// inside the noise of N; a reference shifted by a known TVD of 0.08 flags with that TVD; a label
// on the synthetic side only is reported, not dropped.
#include <gtest/gtest.h>

#include <cmath>

#include "support/fixture.hpp"
#include "support/planted.hpp"

using namespace iaf::testing;
using iaf::cli::AuditOptions;

namespace {

const std::vector<std::string> kRegions = {"서울", "부산", "대구", "인천", "광주", "대전"};
const std::vector<double> kRegionShares = {0.30, 0.22, 0.16, 0.14, 0.10, 0.08};

std::string pack_toml(const std::string& extra_checks = "") {
  return R"(
[audit]
name = "planted marginal"
seed = 11

[dataset]
path = "rows.csv"
id_column = "id"

[[disclosure]]
id = "marginals"
quote = "the marginals match the census"
combinations = [["region"], ["region", "sex"]]

[attribute.region]
column = "region"

[attribute.sex]
column = "sex"

[[reference]]
id = "census"
kind = "census"
file = "ref.csv"
sha256 = "{{sha:ref.csv}}"
publisher = "test census"
vintage = "2020"
universe = "everyone"
unit = "persons"
licence = "CC0"
columns = { region = "region", sex = "sex", count = "n" }

[[check]]
id = "marginal-region"
disclosure = "marginals"
type = "marginal"
attributes = ["region"]
reference = "census"

[[check]]
id = "joint-region-sex"
disclosure = "marginals"
type = "joint"
attributes = ["region", "sex"]
reference = "census"
)" + extra_checks;
}

// Reference: region × sex with the given region shares and 48% men everywhere except a twist.
void write_reference(const FixturePack& f, const std::vector<double>& region_shares) {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < kRegions.size(); ++i) {
    double men = 0.48 + 0.02 * static_cast<double>(i);
    rows.push_back({kRegions[i], "M", std::to_string(static_cast<long long>(std::llround(1e6 * region_shares[i] * men)))});
    rows.push_back({kRegions[i], "F", std::to_string(static_cast<long long>(std::llround(1e6 * region_shares[i] * (1 - men))))});
  }
  f.write_csv("ref.csv", {"region", "sex", "n"}, rows);
}

std::vector<double> joint_probs(const std::vector<double>& region_shares) {
  std::vector<double> p;
  for (size_t i = 0; i < kRegions.size(); ++i) {
    double men = 0.48 + 0.02 * static_cast<double>(i);
    p.push_back(region_shares[i] * men);
    p.push_back(region_shares[i] * (1 - men));
  }
  return p;
}

}  // namespace

TEST(PlantedMarginal, RowsSampledFromTheReferencePassInsideTheNoise) {
  FixturePack f;
  write_reference(f, kRegionShares);
  auto counts = draw_counts(20000, joint_probs(kRegionShares), 20260515);
  f.write_csv("rows.csv", {"id", "region", "sex"}, rows_for(counts, {kRegions, {"M", "F"}}));
  f.write_toml(pack_toml());
  AuditOptions o;
  o.bootstrap = 300;
  auto out = f.audit(o);
  const auto& r = out.report;
  EXPECT_EQ(status(r, "marginal-region"), "pass");
  EXPECT_EQ(status(r, "joint-region-sex"), "pass");
  for (const char* id : {"marginal-region", "joint-region-sex"}) {
    double tvd = metric(r, id, "tvd");
    double floor = check_of(r, id)["minimum_detectable"];
    EXPECT_LT(tvd, floor) << id << ": a faithful sample's TVD is inside the noise floor of N = 20000";
    EXPECT_GT(tvd, 0) << id;
  }
  // The joint of a faithful sample keeps the reference's dependence.
  EXPECT_NEAR(metric(r, "joint-region-sex", "rho"), 1.0, 0.35);
  EXPECT_EQ(out.exit_code, 0);
}

TEST(PlantedMarginal, ShiftedReferenceFlagsWithTheKnownTvd) {
  FixturePack f;
  // Synthetic shares exactly p; the reference moves 0.08 of mass from 서울 to 대전 and 광주.
  std::vector<double> q = {0.22, 0.22, 0.16, 0.14, 0.14, 0.12};
  write_reference(f, q);
  std::vector<uint64_t> counts;
  for (double p : joint_probs(kRegionShares)) counts.push_back(static_cast<uint64_t>(std::llround(p * 50000)));
  f.write_csv("rows.csv", {"id", "region", "sex"}, rows_for(counts, {kRegions, {"M", "F"}}));
  f.write_toml(pack_toml());
  AuditOptions o;
  o.bootstrap = 200;
  auto r = f.audit(o).report;
  EXPECT_NEAR(metric(r, "marginal-region", "tvd"), 0.08, 1e-3);
  EXPECT_EQ(status(r, "marginal-region"), "flag");
  EXPECT_NEAR(metric(r, "joint-region-sex", "tvd"), 0.08, 1e-3);
  EXPECT_EQ(status(r, "joint-region-sex"), "flag");
  auto ci = check_of(r, "marginal-region")["ci"]["tvd"];
  EXPECT_LT(ci[0].get<double>(), 0.08 + 1e-3);
  EXPECT_GT(ci[1].get<double>(), 0.08 - 1e-3);
}

TEST(PlantedMarginal, ASyntheticOnlyCategoryIsReportedNotDropped) {
  FixturePack f;
  write_reference(f, kRegionShares);
  auto regions = kRegions;
  regions.push_back("세종");  // not in the reference
  std::vector<double> p = kRegionShares;
  for (double& v : p) v *= 0.97;
  p.push_back(0.03);
  std::vector<uint64_t> counts;
  for (double v : p) counts.push_back(static_cast<uint64_t>(std::llround(v * 10000)));
  std::vector<std::vector<std::string>> rows;
  for (auto row : rows_for(counts, {regions})) {
    row.push_back("M");
    rows.push_back(row);
  }
  f.write_csv("rows.csv", {"id", "region", "sex"}, rows);
  f.write_toml(pack_toml());
  AuditOptions o;
  o.bootstrap = 0;
  auto r = f.audit(o).report;
  const auto& c = check_of(r, "marginal-region");
  const auto& book = c["details"]["codebooks"][0];
  EXPECT_EQ(book["synthetic_only"], nlohmann::ordered_json::array({"세종"}));
  EXPECT_EQ(book["labels"].size(), 7u);
  // Its 3% is impossible mass (the census has nobody there) and part of the TVD.
  EXPECT_NEAR(metric(r, "marginal-region", "impossible_mass"), 0.03, 1e-12);
  bool listed = false;
  for (const auto& cell : c["details"]["cells"])
    if (cell["cell"][0] == "세종") {
      listed = true;
      EXPECT_EQ(cell["reference"].get<double>(), 0.0);
      EXPECT_EQ(cell["synthetic"].get<double>(), 300.0);
    }
  EXPECT_TRUE(listed);
}
