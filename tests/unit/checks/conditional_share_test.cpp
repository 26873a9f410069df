// Planted truth for conditional and share checks (issue 4).
#include <gtest/gtest.h>

#include <cmath>

#include "support/fixture.hpp"
#include "support/planted.hpp"

using namespace iaf::testing;
using iaf::cli::AuditOptions;
using json = nlohmann::ordered_json;

namespace {

constexpr size_t kA = 6, kB = 12;

std::vector<std::string> labels(const std::string& prefix, size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

// A 6 × 12 reference joint with real dependence: q(b|a) ∝ exp(amp · cos(2π(a/6 + b/12))).
std::vector<double> dependent_joint(double amp) {
  std::vector<double> qa = {0.25, 0.2, 0.18, 0.15, 0.12, 0.10};
  std::vector<double> q(kA * kB);
  for (size_t a = 0; a < kA; ++a) {
    double z = 0;
    std::vector<double> row(kB);
    for (size_t b = 0; b < kB; ++b) {
      row[b] = std::exp(amp * std::cos(2 * M_PI * (a / 6.0 + b / 12.0)));
      z += row[b];
    }
    for (size_t b = 0; b < kB; ++b) q[a * kB + b] = qa[a] * row[b] / z;
  }
  return q;
}

std::vector<double> product_of_marginals(const std::vector<double>& q) {
  std::vector<double> ra(kA, 0), cb(kB, 0), out(q.size());
  for (size_t a = 0; a < kA; ++a)
    for (size_t b = 0; b < kB; ++b) {
      ra[a] += q[a * kB + b];
      cb[b] += q[a * kB + b];
    }
  for (size_t a = 0; a < kA; ++a)
    for (size_t b = 0; b < kB; ++b) out[a * kB + b] = ra[a] * cb[b];
  return out;
}

std::vector<uint64_t> exact_counts(const std::vector<double>& p, double n) {
  std::vector<uint64_t> c;
  for (double v : p) c.push_back(static_cast<uint64_t>(std::llround(v * n)));
  return c;
}

const char* kConditionalToml = R"(
[audit]
name = "planted conditional"
seed = 5

[dataset]
path = "rows.csv"

[[disclosure]]
id = "indep"
quote = "B was assigned independently of A"
combinations = [["a", "b"], ["a"], ["b"]]

[attribute.a]
column = "a"

[attribute.b]
column = "b"

[[reference]]
id = "ref"
kind = "census"
file = "ref.csv"
sha256 = "{{sha:ref.csv}}"
publisher = "test"
vintage = "2020"
universe = "all"
unit = "persons"
licence = "CC0"
columns = { a = "a", b = "b", count = "n" }

[[check]]
id = "b-given-a"
disclosure = "indep"
type = "conditional"
attributes = ["a", "b"]
reference = "ref"

[[check]]
id = "marginal-a"
disclosure = "indep"
type = "marginal"
attributes = ["a"]
reference = "ref"

[[check]]
id = "marginal-b"
disclosure = "indep"
type = "marginal"
attributes = ["b"]
reference = "ref"

[[check]]
id = "joint-ab"
disclosure = "indep"
type = "joint"
attributes = ["a", "b"]
reference = "ref"
)";

json audit_conditional(const std::vector<uint64_t>& synthetic, const std::vector<double>& reference) {
  FixturePack f;
  std::vector<std::vector<std::string>> ref_rows;
  for (size_t a = 0; a < kA; ++a)
    for (size_t b = 0; b < kB; ++b)
      ref_rows.push_back({"a" + std::to_string(a), "b" + std::to_string(b),
                          std::to_string(static_cast<long long>(std::llround(reference[a * kB + b] * 1e6)))});
  f.write_csv("ref.csv", {"a", "b", "n"}, ref_rows);
  std::vector<std::vector<std::string>> rows;
  for (auto row : rows_for(synthetic, {labels("a", kA), labels("b", kB)})) rows.push_back({row[1], row[2]});
  f.write_csv("rows.csv", {"a", "b"}, rows);
  f.write_toml(kConditionalToml);
  AuditOptions o;
  o.bootstrap = 200;
  return f.audit(o).report;
}

}  // namespace

TEST(PlantedConditional, RowsFromADependentReferencePass) {
  auto q = dependent_joint(1.2);
  auto r = audit_conditional(draw_counts(50000, q, 77), q);
  EXPECT_EQ(status(r, "b-given-a"), "pass");
  EXPECT_LT(metric(r, "b-given-a", "fi"), 0.1);
  EXPECT_NEAR(metric(r, "b-given-a", "rho"), 1.0, 0.1);
  EXPECT_GT(metric(r, "b-given-a", "pi"), 0.9);
  EXPECT_NEAR(metric(r, "joint-ab", "rho"), 1.0, 0.1);
}

TEST(PlantedConditional, BDrawnFromItsOwnMarginalGivesFootprintOne) {
  auto q = dependent_joint(1.2);
  auto indep = product_of_marginals(q);
  auto r = audit_conditional(draw_counts(50000, indep, 78), q);
  double fi = metric(r, "b-given-a", "fi");
  auto ci = check_of(r, "b-given-a")["ci"]["fi"];
  EXPECT_NEAR(fi, 1.0, 0.05);
  EXPECT_LE(ci[0].get<double>(), 1.0 + 0.02) << "FI = 1 within sampling noise";
  EXPECT_LT(metric(r, "b-given-a", "rho"), 0.1);
  EXPECT_EQ(status(r, "b-given-a"), "fail");
  EXPECT_EQ(status(r, "marginal-a"), "pass");
  EXPECT_EQ(status(r, "marginal-b"), "pass");
}

TEST(PlantedConditional, TransposedInteractionHasTheRightAmountInTheWrongPlaces) {
  auto q = dependent_joint(0.5);
  auto indep = product_of_marginals(q);
  std::vector<double> p(q.size());
  for (size_t i = 0; i < q.size(); ++i) p[i] = 2 * indep[i] - q[i];  // the interaction reversed
  for (double v : p) ASSERT_GT(v, 0);
  auto r = audit_conditional(exact_counts(p, 200000), q);
  EXPECT_NEAR(metric(r, "b-given-a", "rho"), 1.0, 0.02);
  EXPECT_LT(metric(r, "b-given-a", "pi"), 0);
  EXPECT_EQ(status(r, "b-given-a"), "fail");
  EXPECT_NEAR(metric(r, "b-given-a", "fi"), 2.0, 0.05);
  EXPECT_EQ(status(r, "marginal-a"), "pass");
  EXPECT_EQ(status(r, "marginal-b"), "pass");
}

TEST(PlantedConditional, PartlyFlattenedFlagsAndNoDependenceIsNotApplicable) {
  auto q = dependent_joint(1.2);
  auto indep = product_of_marginals(q);
  std::vector<double> p(q.size());
  for (size_t i = 0; i < q.size(); ++i) p[i] = 0.65 * q[i] + 0.35 * indep[i];
  auto r = audit_conditional(exact_counts(p, 200000), q);
  EXPECT_NEAR(metric(r, "b-given-a", "fi"), 0.35, 0.03);
  EXPECT_EQ(status(r, "b-given-a"), "flag");
  // A reference without dependence: FI has nothing to measure.
  auto flat = audit_conditional(draw_counts(50000, indep, 3), indep);
  EXPECT_EQ(status(flat, "b-given-a"), "not_applicable") << check_of(flat, "b-given-a")["reason"];
  EXPECT_TRUE(check_of(flat, "b-given-a")["metrics"]["fi"].is_null());
  EXPECT_TRUE(check_of(flat, "b-given-a")["metrics"]["rho"].is_null());
}

TEST(PlantedConditional, LevelsAbsentFromTheSyntheticOverFivePercentAreIncomputable) {
  auto q = dependent_joint(1.2);
  std::vector<double> p = q;
  for (size_t b = 0; b < kB; ++b) p[5 * kB + b] = 0;  // level a5 (10% of the reference) missing
  auto r = audit_conditional(exact_counts(p, 100000), q);
  const auto& c = check_of(r, "b-given-a");
  EXPECT_EQ(c["status"], "incomputable");
  EXPECT_EQ(c["details"]["levels_absent_from_synthetic"][0]["level"], "a5");
  EXPECT_NEAR(c["details"]["levels_absent_from_synthetic"][0]["reference_mass"].get<double>(), 0.10, 1e-5);
}

namespace {

// Occupations o0..o9 with female shares from 0.1 to 0.8.
constexpr size_t kO = 10;
std::vector<double> occupation_weights() { return {0.16, 0.14, 0.12, 0.11, 0.10, 0.09, 0.08, 0.08, 0.07, 0.05}; }
std::vector<double> female_shares() { return {0.10, 0.15, 0.22, 0.25, 0.35, 0.45, 0.55, 0.62, 0.70, 0.80}; }

const char* kShareToml = R"(
[audit]
name = "planted share"
seed = 9

[dataset]
path = "rows.csv"

[[disclosure]]
id = "indep"
quote = "occupations were assigned independently of sex"
combinations = [["occupation", "sex"], ["occupation", "sex", "age"]]

[attribute.occupation]
column = "occupation"

[attribute.sex]
column = "sex"

[attribute.age_band]
column = "age"
bins = [19, 35, 55]
labels = ["19-34", "35-54", "55+"]

[[reference]]
id = "shares"
kind = "census"
file = "shares.csv"
sha256 = "{{sha:shares.csv}}"
publisher = "test"
vintage = "2024"
universe = "employed"
unit = "persons"
licence = "CC0"
columns = { occupation = "occupation", sex = "sex", count = "n" }

[[reference]]
id = "ages"
kind = "census"
file = "ages.csv"
sha256 = "{{sha:ages.csv}}"
publisher = "test"
vintage = "2024"
universe = "employed"
unit = "persons"
licence = "CC0"
columns = { occupation = "occupation", age_band = "age_band", count = "n" }

[[check]]
id = "female-share"
disclosure = "indep"
type = "share"
attributes = ["occupation", "sex"]
target = { sex = "F" }
reference = "shares"
%STANDARDISE%
)";

}  // namespace

TEST(PlantedShare, FlattenedByAKnownFactorGivesThatSlopeAndFailsStrictScreening) {
  FixturePack f;
  auto w = occupation_weights(), s = female_shares();
  double sbar = 0;
  for (size_t o = 0; o < kO; ++o) sbar += w[o] * s[o];
  std::vector<std::vector<std::string>> ref, rows;
  std::vector<uint64_t> counts;
  for (size_t o = 0; o < kO; ++o) {
    ref.push_back({"o" + std::to_string(o), "F", std::to_string(std::llround(1e6 * w[o] * s[o]))});
    ref.push_back({"o" + std::to_string(o), "M", std::to_string(std::llround(1e6 * w[o] * (1 - s[o])))});
    double sp = sbar + 0.4 * (s[o] - sbar);  // planted flattening
    counts.push_back(static_cast<uint64_t>(std::llround(200000 * w[o] * sp)));
    counts.push_back(static_cast<uint64_t>(std::llround(200000 * w[o] * (1 - sp))));
  }
  f.write_csv("shares.csv", {"occupation", "sex", "n"}, ref);
  f.write("ages.csv", "occupation,age_band,n\no0,19-34,1\n");
  for (auto row : rows_for(counts, {labels("o", kO), {"F", "M"}})) rows.push_back({row[1], row[2], "40"});
  f.write_csv("rows.csv", {"occupation", "sex", "age"}, rows);
  std::string toml = kShareToml;
  toml.replace(toml.find("%STANDARDISE%"), 13, "");
  f.write_toml(toml);
  AuditOptions o;
  o.bootstrap = 200;
  auto r = f.audit(o).report;
  const auto& c = check_of(r, "female-share");
  EXPECT_NEAR(metric(r, "female-share", "beta"), 0.4, 0.05);
  EXPECT_EQ(c["status"], "fail");
  EXPECT_EQ(c["details"]["screening_all"], "fail");
  EXPECT_EQ(c["details"]["screening_majority"], "fail");
  // o0..o3 have s_q ≤ 0.30: the dominated set
  EXPECT_EQ(metric(r, "female-share", "dominated_categories"), 4);
  auto ci = c["ci"]["beta"];
  EXPECT_LT(ci[0].get<double>(), 0.4);
  EXPECT_GT(ci[1].get<double>(), 0.4);
}

TEST(PlantedShare, AnAgeMixThatMisleadsTheCrudeVerdictIsCorrectedByStandardisation) {
  FixturePack f;
  const std::vector<double> a = {0.30, 0.35, 0.40, 0.45}, c = {0.25, 0.0, -0.25};
  const std::vector<std::vector<double>> mix = {{0.8, 0.15, 0.05}, {0.6, 0.3, 0.1}, {0.1, 0.3, 0.6}, {0.05, 0.15, 0.8}};
  const std::vector<std::string> ages = {"25", "45", "60"}, bands = {"19-34", "35-54", "55+"};
  std::vector<std::vector<std::string>> shares, weights, rows;
  for (size_t o = 0; o < 4; ++o) {
    double female = 0;
    for (size_t g = 0; g < 3; ++g) {
      female += mix[o][g] * (a[o] + c[g]);
      weights.push_back({"o" + std::to_string(o), bands[g], std::to_string(std::llround(250000 * mix[o][g]))});
      // Synthetic: right shares within every age band, but the same age mix in every occupation.
      long long n = 10000, fem = std::llround(n * (a[o] + c[g]));
      for (long long k = 0; k < n; ++k) rows.push_back({"o" + std::to_string(o), k < fem ? "F" : "M", ages[g]});
    }
    shares.push_back({"o" + std::to_string(o), "F", std::to_string(std::llround(250000 * female))});
    shares.push_back({"o" + std::to_string(o), "M", std::to_string(std::llround(250000 * (1 - female)))});
  }
  f.write_csv("shares.csv", {"occupation", "sex", "n"}, shares);
  f.write_csv("ages.csv", {"occupation", "age_band", "n"}, weights);
  f.write_csv("rows.csv", {"occupation", "sex", "age"}, rows);
  std::string toml = kShareToml;
  toml.replace(toml.find("%STANDARDISE%"), 13, "standardise_by = { attribute = \"age_band\", weights = \"ages\" }");
  f.write_toml(toml);
  AuditOptions o;
  o.bootstrap = 100;
  auto r = f.audit(o).report;
  const auto& ch = check_of(r, "female-share");
  EXPECT_LT(metric(r, "female-share", "beta"), 0.5);
  EXPECT_EQ(ch["status"], "fail");
  EXPECT_NEAR(metric(r, "female-share", "beta_standardised"), 1.0, 0.01);
  EXPECT_EQ(ch["standardised_status"], "pass");
  EXPECT_EQ(ch["details"]["standardised"]["age_robust"], false);
  EXPECT_EQ(ch["details"]["screening_all"], "fail");
  EXPECT_EQ(ch["details"]["standardised"]["screening_all"], "pass");
}
