// The USA pack skeleton (examples/usa) on generated USA-shaped rows and planted reference tables
// (made here, never committed as official figures): a synthetic whose occupations ignore the state
// and whose female shares are flattened by 0.4 is caught, and `iaf compare` sets it beside NPK.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "iaf/core/digest.hpp"
#include "iaf/report/compare.hpp"
#include "support/fixture.hpp"
#include "support/planted.hpp"

using namespace iaf::testing;
using json = nlohmann::ordered_json;

namespace {

const std::filesystem::path kRepo(IAF_SOURCE_DIR);

std::map<std::string, std::vector<std::string>> titles_by_major() {
  std::ifstream in(kRepo / "examples/usa/crosswalks/occupation_soc_major.csv");
  std::string line;
  std::getline(in, line);
  std::map<std::string, std::vector<std::string>> out;
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
    out[f[1]].push_back(f[0]);
  }
  return out;
}

std::string csv_field(const std::string& s) { return s.find(',') == std::string::npos ? s : "\"" + s + "\""; }

}  // namespace

TEST(UsaPack, GeneratedRowsWithPlantedFlatteningAndNoLocationEffectAreCaught) {
  TempDir tmp;
  std::filesystem::copy(kRepo / "examples/usa", tmp / "usa", std::filesystem::copy_options::recursive);
  auto majors = titles_by_major();
  ASSERT_EQ(majors.size(), 23u);
  const std::vector<std::string> states = {"California", "Texas", "New York", "Ohio", "Florida"};
  // Planted truth: female share by major from 0.08 to 0.9; the reference's major mix varies by state.
  std::vector<std::string> names;
  std::vector<double> female, weight;
  size_t i = 0;
  for (const auto& [m, t] : majors) {
    names.push_back(m);
    female.push_back(0.08 + 0.82 * static_cast<double>(i % 12) / 11.0);
    weight.push_back(1.0 + static_cast<double>(i % 5));
    ++i;
  }
  std::ostringstream sex_ref, state_ref;
  sex_ref << "sex,soc_major,employed\n";
  state_ref << "state,soc_major,employed\n";
  for (size_t k = 0; k < names.size(); ++k) {
    sex_ref << "Female," << csv_field(names[k]) << "," << std::llround(1e5 * weight[k] * female[k]) << "\n";
    sex_ref << "Male," << csv_field(names[k]) << "," << std::llround(1e5 * weight[k] * (1 - female[k])) << "\n";
    for (size_t s = 0; s < states.size(); ++s)
      state_ref << states[s] << "," << csv_field(names[k]) << "," << std::llround(2e4 * weight[k] * (1 + 0.8 * std::sin(1.7 * k + 2.1 * s))) << "\n";
  }
  std::filesystem::create_directories(tmp / "usa/references");  // a clone has no empty folders
  std::ofstream(tmp / "usa/references/acs_sex_occupation.csv") << sex_ref.str();
  std::ofstream(tmp / "usa/references/acs_state_occupation.csv") << state_ref.str();
  // The manifest's sha256 slots, filled as a user would.
  std::ifstream in(tmp / "usa/audit.toml");
  std::stringstream toml;
  toml << in.rdbuf();
  std::string text = toml.str();
  for (const char* f : {"references/acs_sex_occupation.csv", "references/acs_state_occupation.csv"}) {
    auto at = text.find(std::string("file = \"") + f + "\"");
    auto sha = text.find("0000000000000000000000000000000000000000000000000000000000000000", at);
    text.replace(sha, 64, iaf::sha256_file(tmp / "usa" / f));
  }
  std::ofstream(tmp / "usa/audit.toml") << text;
  // Rows: majors by weight, any state (the location independence the card states), sex flattened.
  double mean = 0, wsum = 0;
  for (size_t k = 0; k < names.size(); ++k) {
    mean += weight[k] * female[k];
    wsum += weight[k];
  }
  mean /= wsum;
  iaf::stats::Rng rng(2026, 1);
  std::ostringstream rows;
  rows << "uuid,sex,age,state,occupation\n";
  for (int r = 0; r < 60000; ++r) {
    double u = rng.uniform() * wsum;
    size_t k = 0;
    while (u > weight[k]) u -= weight[k++];
    const auto& t = majors[names[k]];
    const std::string& title = t[static_cast<size_t>(rng.uniform() * t.size())];
    double fp = mean + 0.4 * (female[k] - mean);
    rows << "u" << r << "," << (rng.uniform() < fp ? "Female" : "Male") << "," << 18 + static_cast<int>(rng.uniform() * 60) << ","
         << states[static_cast<size_t>(rng.uniform() * states.size())] << "," << csv_field(title) << "\n";
  }
  std::ofstream(tmp / "rows.csv") << rows.str();

  iaf::cli::AuditOptions o;
  o.pack = tmp / "usa";
  o.dataset = (tmp / "rows.csv").string();
  o.bootstrap = 100;
  o.threads = 2;
  o.out = tmp / "out";
  json usa = iaf::cli::run_audit(o).report;
  EXPECT_NEAR(metric(usa, "female-share-male-dominated", "beta"), 0.4, 0.05);
  EXPECT_EQ(status(usa, "female-share-male-dominated"), "fail");
  EXPECT_NEAR(metric(usa, "occupation-by-state", "fi"), 1.0, 0.1);
  EXPECT_EQ(status(usa, "occupation-by-state"), "fail");
  EXPECT_EQ(check_of(usa, "occupation-by-sex")["details"]["rollup"]["k"], 9);
  EXPECT_EQ(check_of(usa, "occupation-by-sex")["details"]["rollup"]["k_before"], 23);
  EXPECT_NEAR(check_of(usa, "occupation-by-sex")["coverage"].get<double>(), 1.0, 1e-12);

  iaf::cli::AuditOptions n;
  n.pack = kRepo / "examples/npk";
  n.bootstrap = 100;
  n.write = false;
  json npk = iaf::cli::run_audit(n).report;
  std::string table = iaf::report::compare_reports({{"npk", npk}, {"usa", usa}}, "text");
  EXPECT_NE(table.find("female-share-male-dominated"), std::string::npos);
  EXPECT_NE(table.find("Nemotron-Personas-USA"), std::string::npos);
  std::ofstream(tmp / "compare.txt") << table;
  if (std::getenv("IAF_PRINT_COMPARE")) std::cout << table;
}
