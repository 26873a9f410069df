// Every input the fuzzers ever crashed on (fuzz/regressions/<target>/) is replayed through the same
// target code, one test per input, and so is every seed of the corpora (fuzz/corpus/<target>/): a
// regression test of each finding in the ordinary build, with no libFuzzer needed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "targets.hpp"

namespace {
namespace fs = std::filesystem;

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const iaf::fuzz::Target& target(const std::string& name) {
  for (const auto& t : iaf::fuzz::targets())
    if (name == t.name) return t;
  throw std::runtime_error("no fuzz target " + name);
}

std::vector<fs::path> inputs(const std::string& kind) {
  std::vector<fs::path> out;
  fs::path dir = fs::path(IAF_FUZZ_DIR) / kind;
  if (!fs::exists(dir)) return out;
  for (const auto& t : fs::directory_iterator(dir))
    if (t.is_directory())
      for (const auto& f : fs::directory_iterator(t.path()))
        if (f.is_regular_file() && f.path().filename().string()[0] != '.') out.push_back(f.path());
  std::sort(out.begin(), out.end());
  return out;
}

void replay(const fs::path& file) {
  std::string name = file.parent_path().filename().string();
  std::string data = bytes_of(file);
  EXPECT_EQ(target(name).run(reinterpret_cast<const uint8_t*>(data.data()), data.size()), 0) << file;
}

class FuzzRegression : public ::testing::TestWithParam<fs::path> {};
TEST_P(FuzzRegression, Replays) { replay(GetParam()); }

std::string regression_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string s = info.param.parent_path().filename().string() + "_" + info.param.filename().string();
  for (auto& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Fuzz, FuzzRegression, ::testing::ValuesIn(inputs("regressions")), regression_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzRegression);

TEST(FuzzSeeds, EverySeedOfEveryTargetRuns) {
  size_t n = 0;
  for (const auto& t : iaf::fuzz::targets()) {
    for (const auto& f : inputs("corpus"))
      if (f.parent_path().filename() == t.name) {
        replay(f);
        ++n;
      }
  }
  EXPECT_GT(n, 0u) << "no seeds under fuzz/corpus";
}

}  // namespace
