// The NPK pack run with --dataset on NPK-shaped rows generated here with planted truth: every check
// that is incomputable on the published aggregates (female share by occupation, occupation by
// education, major by occupation) computes on rows and recovers what was planted, and the military
// rates are planted faithful or flattened.
//
// The rows come in three blocks, each isolated by the checks' universes:
//   E  employed civilians: (occupation group, education) from the LALFS joint, age band from LALFS
//      q(g|o), sex from the EAPS female share of the group (faithful) or flattened toward the mean
//      by a factor 0.4; titles drawn from the strict KSCO crosswalk; degree holders are 대학원 so
//      they stay outside the GOMS universe.
//   G  employed graduates aged 23-30 (4년제 대학교; few, so they barely move the education check): a field, a KECO group from GOMS given the
//      field's 계열 mixture (faithful) or the KECO marginal (flattened); sex as in block E.
//   M  men not in work (무직) and active-duty soldiers, with planted active-duty rates by age band.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "iaf/core/label.hpp"
#include "iaf/source/duck.hpp"
#include "support/counts_compare.hpp"
#include "support/fixture.hpp"
#include "support/planted.hpp"

using namespace iaf::testing;
using json = nlohmann::ordered_json;

namespace {

const std::filesystem::path kPack = std::filesystem::path(IAF_SOURCE_DIR) / "examples" / "npk";

std::vector<std::vector<std::string>> read_csv(const std::string& rel) {
  std::ifstream in(kPack / rel);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cur;
    bool q = false;
    for (char c : line) {
      if (c == '"') q = !q;
      else if (c == ',' && !q) {
        f.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    f.push_back(cur);
    rows.push_back(f);
  }
  return rows;
}

// A categorical distribution over labels, sampled with iaf's seeded generator.
struct Categorical {
  std::vector<std::string> labels;
  std::vector<double> weights;
  void add(const std::string& l, double w) {
    labels.push_back(l);
    weights.push_back(w);
  }
  const std::string& draw(iaf::stats::Rng& rng) const {
    double total = 0;
    for (double w : weights) total += w;
    double u = rng.uniform() * total;
    for (size_t i = 0; i < labels.size(); ++i) {
      u -= weights[i];
      if (u < 0) return labels[i];
    }
    return labels.back();
  }
};

struct Truth {
  std::map<std::string, std::pair<double, double>> men_by_band;  // band → (active, all)
  double soldiers = 0, active = 0;
};

struct Design {
  bool faithful = true;
  // references
  std::map<std::string, double> eaps_female;   // KSCO group → women / employed
  std::map<std::string, double> eaps_weight;   // KSCO group → share of employed
  Categorical lalfs_joint;                     // "group|edu3"
  std::map<std::string, Categorical> lalfs_age;  // group → age band
  std::map<std::string, Categorical> goms;     // 계열 → KECO group
  Categorical goms_marginal;
  std::map<std::string, std::vector<std::pair<std::string, double>>> field_gyeyeol;
  // crosswalks
  std::map<std::string, std::vector<std::string>> ksco_titles;  // group → strict titles
  std::map<std::string, std::vector<std::string>> keco_titles;  // KECO group → titles
  std::map<std::string, std::string> ksco_of;                   // title → strict group
};

Design load_design(bool faithful) {
  Design d;
  d.faithful = faithful;
  std::map<std::string, double> all, women;
  for (const auto& r : read_csv("references/kosis_eaps_2024_sex_ksco_major.csv")) {
    all[r[1]] += std::stod(r[2]);
    if (r[0] == "여자") women[r[1]] += std::stod(r[2]);
  }
  double total = 0;
  for (const auto& [g, n] : all) total += n;
  for (const auto& [g, n] : all) {
    d.eaps_female[g] = women[g] / n;
    d.eaps_weight[g] = n / total;
  }
  for (const auto& r : read_csv("references/kosis_lalfs_2024h1_ksco_major_education.csv")) d.lalfs_joint.add(r[0] + "|" + r[1], std::stod(r[2]));
  for (const auto& r : read_csv("references/kosis_lalfs_2024h1_ksco_major_age.csv")) d.lalfs_age[r[0]].add(r[1], std::stod(r[2]));
  std::map<std::string, double> keco_total;
  for (const auto& r : read_csv("references/keis_goms_2017_2019_major_keco.csv")) {
    d.goms[r[0]].add(r[1], std::stod(r[2]));
    keco_total[r[1]] += std::stod(r[2]);
  }
  for (const auto& [k, n] : keco_total) d.goms_marginal.add(k, n);
  for (const auto& r : read_csv("crosswalks/bachelors_field_goms.csv"))
    d.field_gyeyeol[r[0]].emplace_back(r[1], r[2].empty() ? 1.0 : std::stod(r[2]));
  for (const auto& r : read_csv("crosswalks/occupation_ksco_major.strict.csv")) {
    if (r[1] == "(not employed)" || r[1] == "A 군인") continue;
    d.ksco_titles[r[1]].push_back(r[0]);
    d.ksco_of[r[0]] = r[1];
  }
  for (const auto& r : read_csv("crosswalks/occupation_keco_major.lenient.csv"))
    if (r[1] != "(not employed)" && r[0].find("병사") == std::string::npos && r[0].find("부사관") == std::string::npos &&
        r[0].find("장교") == std::string::npos)
      d.keco_titles[r[1]].push_back(r[0]);
  return d;
}

int age_in(const std::string& band, iaf::stats::Rng& rng) {
  int lo = 19, hi = 29;
  if (band == "30-39") lo = 30, hi = 39;
  if (band == "40-49") lo = 40, hi = 49;
  if (band == "50-59") lo = 50, hi = 59;
  if (band == "60+") lo = 60, hi = 79;
  return lo + static_cast<int>(rng.uniform() * (hi - lo + 1));
}

std::string band8(int age) {
  static const int edges[] = {19, 25, 35, 45, 55, 65, 75, 85};
  static const char* labels[] = {"19-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"};
  int i = 7;
  while (age < edges[i]) --i;
  return labels[i];
}

// The planted female share of a KSCO group: the EAPS share, or flattened toward the weighted mean.
double planted_female(const Design& d, const std::string& group) {
  double mean = 0;
  for (const auto& [g, w] : d.eaps_weight) mean += w * d.eaps_female.at(g);
  double s = d.eaps_female.at(group);
  return d.faithful ? s : mean + 0.4 * (s - mean);
}

std::string sex_for_title(const Design& d, const std::string& title, iaf::stats::Rng& rng) {
  auto it = d.ksco_of.find(title);
  double female = it == d.ksco_of.end() ? 0.5 : planted_female(d, it->second);
  return rng.uniform() < female ? "여자" : "남자";
}

Truth write_rows(const FixturePack& f, const Design& d, uint64_t seed) {
  iaf::stats::Rng rng(seed, 0);
  Truth truth;
  std::vector<std::vector<std::string>> rows;
  size_t id = 0;
  auto add = [&](const std::string& sex, int age, const std::string& edu, const std::string& field, const std::string& occ,
                 const std::string& mil) {
    rows.push_back({"u" + std::to_string(id++), sex, std::to_string(age), "서울", edu, field, occ, mil, "미혼"});
    if (sex == "남자") {
      auto& t = truth.men_by_band[band8(age)];
      t.second += 1;
      if (mil == "현역") t.first += 1;
    }
  };
  static const std::map<std::string, std::string> edu7 = {{"중졸이하", "중학교"}, {"고졸", "고등학교"}, {"대졸이상", "대학원"}};
  Categorical independent_group, independent_edu;
  std::map<std::string, double> gw, ew;
  for (size_t i = 0; i < d.lalfs_joint.labels.size(); ++i) {
    auto bar = d.lalfs_joint.labels[i].find('|');
    gw[d.lalfs_joint.labels[i].substr(0, bar)] += d.lalfs_joint.weights[i];
    ew[d.lalfs_joint.labels[i].substr(bar + 1)] += d.lalfs_joint.weights[i];
  }
  for (const auto& [g, w] : gw) independent_group.add(g, w);
  for (const auto& [e, w] : ew) independent_edu.add(e, w);
  // Block E.
  for (int i = 0; i < 200000; ++i) {
    std::string group, edu;
    if (d.faithful) {
      const std::string& cell = d.lalfs_joint.draw(rng);
      group = cell.substr(0, cell.find('|'));
      edu = cell.substr(cell.find('|') + 1);
    } else {
      group = independent_group.draw(rng);
      edu = independent_edu.draw(rng);
    }
    const auto& titles = d.ksco_titles.at(group);
    const std::string& title = titles[static_cast<size_t>(rng.uniform() * titles.size())];
    int age = age_in(d.lalfs_age.at(group).draw(rng), rng);
    add(sex_for_title(d, title, rng), age, edu7.at(edu), edu == "대졸이상" ? "공학·제조·건설" : "해당없음", title, "비현역");
  }
  // Block G.
  const std::vector<std::string> fields = {"공학·제조·건설", "경영·행정·법", "예술·인문", "보건·복지", "교육",
                                           "정보통신기술", "서비스", "사회과학·언론", "자연과학·수학", "농림어업·수의학"};
  for (int i = 0; i < 12000; ++i) {
    const std::string& field = fields[static_cast<size_t>(rng.uniform() * fields.size())];
    std::string keco;
    if (d.faithful) {
      Categorical gy;
      for (const auto& [g, w] : d.field_gyeyeol.at(field)) gy.add(g, w);
      keco = d.goms.at(gy.draw(rng)).draw(rng);
    } else {
      keco = d.goms_marginal.draw(rng);
    }
    const auto& titles = d.keco_titles.at(keco);
    const std::string& title = titles[static_cast<size_t>(rng.uniform() * titles.size())];
    add(sex_for_title(d, title, rng), 23 + static_cast<int>(rng.uniform() * 8), "4년제 대학교", field, title, "비현역");
  }
  // Block M: men by band, with planted active-duty rates (faithful) or a flat 1.2%.
  const std::vector<std::tuple<int, int, double>> bands = {
      {19, 24, 0.20}, {25, 34, 0.05}, {35, 44, 0.03}, {45, 54, 0.015}, {55, 64, 0.004}, {65, 74, 0.0}};
  for (const auto& [lo, hi, rate] : bands) {
    int n = 30000, active = static_cast<int>((d.faithful ? rate : (lo < 65 ? 0.012 : 0.0)) * n);
    for (int i = 0; i < n; ++i) {
      int age = lo + i % (hi - lo + 1);
      bool on_duty = i < active;
      std::string rank = !on_duty ? "무직" : (lo < 25 && i % 10 < 8) || (lo < 35 && i % 10 < 3) ? "육군 병사" : i % 3 ? "육군 부사관" : "육군 장교";
      if (on_duty) {
        truth.active += 1;
        if (rank == "육군 병사") truth.soldiers += 1;
      }
      add("남자", age, "고등학교", "해당없음", rank, on_duty ? "현역" : "비현역");
    }
  }
  f.write_csv("rows.csv", {"uuid", "sex", "age", "province", "education_level", "bachelors_field", "occupation", "military_status", "marital_status"},
              rows);
  return truth;
}

// FI of the planted major × KECO design against GOMS, computed from the design's probabilities
// (not from rows): p(m, k) = Σ_f P(f) w(f→m) P(k|f), P(f) uniform over the ten fields.
double planted_major_fi(const Design& d) {
  std::map<std::string, std::map<std::string, double>> p, q;
  for (const auto& [m, cat] : d.goms)
    for (size_t i = 0; i < cat.labels.size(); ++i) q[m][cat.labels[i]] += cat.weights[i];
  auto normalised = [](const Categorical& c) {
    std::map<std::string, double> out;
    double t = 0;
    for (double w : c.weights) t += w;
    for (size_t i = 0; i < c.labels.size(); ++i) out[c.labels[i]] += c.weights[i] / t;
    return out;
  };
  for (const auto& [field, split] : d.field_gyeyeol) {
    if (field == "해당없음") continue;
    std::map<std::string, double> pk;
    if (d.faithful)
      for (const auto& [g, w] : split)
        for (const auto& [k, v] : normalised(d.goms.at(g))) pk[k] += w * v;
    else
      pk = normalised(d.goms_marginal);
    for (const auto& [m, w] : split)
      for (const auto& [k, v] : pk) p[m][k] += 0.1 * w * v;
  }
  // FI = Σ_a q(a) TVD(p(·|a), q(·|a)) / Σ_a q(a) TVD(p(B), q(·|a)), weights over levels on both sides.
  std::map<std::string, double> pb;
  double qtot = 0;
  for (const auto& [m, row] : p)
    for (const auto& [k, v] : row) pb[k] += v;
  for (const auto& [m, row] : q)
    for (const auto& [k, v] : row) qtot += v;
  auto tvd = [](std::map<std::string, double> a, std::map<std::string, double> b) {
    double ta = 0, tb = 0, s = 0;
    for (auto& [k, v] : a) ta += v;
    for (auto& [k, v] : b) tb += v;
    std::set<std::string> keys;
    for (auto& [k, v] : a) keys.insert(k);
    for (auto& [k, v] : b) keys.insert(k);
    for (const auto& k : keys) s += std::fabs((a.count(k) ? a[k] / ta : 0) - (b.count(k) ? b[k] / tb : 0));
    return s / 2;
  };
  double cm = 0, den = 0, weight = 0;
  for (const auto& [m, row] : q) {
    if (!p.count(m)) continue;
    double qa = 0;
    for (const auto& [k, v] : row) qa += v;
    weight += qa;
    cm += qa * tvd(p[m], row);
    den += qa * tvd(pb, row);
  }
  (void)qtot;
  return (cm / weight) / (den / weight);
}

json audit_rows(bool faithful, Truth& truth, Design& design) {
  FixturePack f;
  design = load_design(faithful);
  truth = write_rows(f, design, faithful ? 11 : 12);
  iaf::cli::AuditOptions o;
  o.pack = kPack;
  o.dataset = f.path("rows.csv").string();
  o.threads = 2;
  o.bootstrap = 50;
  o.write = false;
  return iaf::cli::run_audit(o).report;
}

}  // namespace

TEST(NpkRows, FaithfulRowsRecoverThePlantedStructure) {
  Truth truth;
  Design design;
  json r = audit_rows(true, truth, design);
  EXPECT_EQ(r["audit"]["mode"], "rows");
  const auto& share = check_of(r, "female-share-male-dominated");
  EXPECT_NE(share["status"], "incomputable") << share["reason"];
  EXPECT_NEAR(metric(r, "female-share-male-dominated", "beta"), 1.0, 0.05);
  EXPECT_EQ(share["status"], "pass");
  EXPECT_EQ(share["details"]["screening_all"], "pass");
  EXPECT_NEAR(metric(r, "female-share-male-dominated", "beta_standardised"), 1.0, 0.07);
  EXPECT_EQ(share["by_variant"].size(), 2u);
  const auto& edu = check_of(r, "occupation-by-education");
  EXPECT_NE(edu["status"], "incomputable") << edu["reason"];
  EXPECT_LT(metric(r, "occupation-by-education", "fi"), 0.15);  // block G adds a little graduate-shaped mass
  double planted = planted_major_fi(design);
  EXPECT_NEAR(metric(r, "major-by-occupation", "fi"), planted, 0.05) << "planted FI " << planted;
  // Military: the planted rates, exactly (they are counts), and an institutionally consistent profile.
  for (const auto& [band, t] : truth.men_by_band) {
    if (band != "75-84" && band != "85+") {
      EXPECT_DOUBLE_EQ(metric(r, "military-age-profile", "rate:" + band), t.first / t.second) << band;
    }
  }
  EXPECT_EQ(status(r, "military-age-profile"), "pass") << check_of(r, "military-age-profile")["reason"];
  EXPECT_EQ(status(r, "military-enlisted-majority"), "pass");
  EXPECT_DOUBLE_EQ(metric(r, "military-enlisted-majority", "rate:현역"), truth.soldiers / truth.active);
  EXPECT_EQ(status(r, "military-rank-rules"), "pass");
}

TEST(NpkRows, FlattenedRowsAreCaught) {
  Truth truth;
  Design design;
  json r = audit_rows(false, truth, design);
  EXPECT_NEAR(metric(r, "female-share-male-dominated", "beta"), 0.4, 0.05);
  EXPECT_EQ(status(r, "female-share-male-dominated"), "fail");
  EXPECT_EQ(check_of(r, "female-share-male-dominated")["details"]["screening_all"], "fail");
  EXPECT_NEAR(metric(r, "occupation-by-education", "fi"), 1.0, 0.1);
  EXPECT_EQ(status(r, "occupation-by-education"), "fail");
  double planted = planted_major_fi(design);
  EXPECT_NEAR(planted, 1.0, 1e-12);  // the KECO marginal for every field: independence exactly
  EXPECT_NEAR(metric(r, "major-by-occupation", "fi"), planted, 0.06);
  EXPECT_EQ(status(r, "major-by-occupation"), "fail");
  EXPECT_EQ(status(r, "military-age-profile"), "fail");
  for (const auto& [band, t] : truth.men_by_band) {
    if (band != "75-84" && band != "85+") {
      EXPECT_DOUBLE_EQ(metric(r, "military-age-profile", "rate:" + band), t.first / t.second) << band;
    }
  }
}

// The fast kernel against the reference kernel on the NPK pack itself — every attribute kind it
// uses, the crosswalked titles as raw labels, its AND-universes, the rule with its example ids —
// on one thread and on two, from CSV (strings) and from Parquet (where the fast kernel reads
// DuckDB's hashes of the text columns). Two planted soldiers break the rule (a woman, and a man of
// 40), so the fast kernel's second pass for the ids runs and must name them.
TEST(NpkRows, BothKernelsCountTheSameCells) {
  FixturePack f;
  write_rows(f, load_design(true), 13);
  std::ofstream(f.path("rows.csv"), std::ios::app) << "v2,여자,22,서울,고등학교,해당없음,육군 병사,현역,미혼\n"
                                                  << "v1,남자,40,서울,고등학교,해당없음,해군 병사,현역,미혼\n";
  iaf::source::DuckConfig cfg;
  cfg.external_access = true;  // the test writes its own fixture
  iaf::source::Duck duck(cfg);
  // Small row groups, so that two threads really split the file.
  duck.query("COPY (SELECT * FROM read_csv('" + f.path("rows.csv").string() + "')) TO '" +
                 f.path("rows.parquet").string() + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)",
             "fixture");
  iaf::pack::AuditPack pack = iaf::pack::load_pack(kPack);
  iaf::count::Plan plan = iaf::count::plan_counts(pack);
  for (const char* rows : {"rows.csv", "rows.parquet"}) {
    auto counted = [&](iaf::count::Kernel kernel, unsigned threads) { return counted_rows(pack, plan, f.path(rows), kernel, threads); };
    iaf::count::Counts oracle = counted(iaf::count::Kernel::reference, 1);
    EXPECT_EQ(oracle.examples.at("military-rank-rules"), (std::vector<std::string>{"v1", "v2"})) << rows;
    for (unsigned threads : {1u, 2u})
      expect_same_counts(counted(iaf::count::Kernel::fast, threads), oracle, std::string(rows) + ", " + std::to_string(threads) + " thread(s)");
  }
}
