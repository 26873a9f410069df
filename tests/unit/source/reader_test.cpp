#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "iaf/core/error.hpp"
#include "iaf/source/counts_file.hpp"
#include "iaf/source/dataset.hpp"
#include "iaf/source/duck.hpp"
#include "support/temp_dir.hpp"

using namespace iaf;
using namespace iaf::source;
using iaf::testing::TempDir;

namespace {

// Rows with Korean labels (including one needing quotes in CSV), numbers and a NULL.
const char* kRows =
    "SELECT * FROM (VALUES "
    "('서울-강남구', '여자', 33, '출판 디자이너, \"그 외\"', 'x'),"
    "('경기-화성시', '남자', 19, '육군 병사', 'y'),"
    "('제주-제주시', '여자', 85, NULL, 'z'),"
    "('세종-세종시', '남자', 40, '무직', 'w')) t(district, sex, age, occupation, persona)";

void write_fixture(const std::filesystem::path& file, const std::string& format_clause) {
  Duck writer(DuckConfig{.threads = 1, .external_access = true});
  writer.query("COPY (" + std::string(kRows) + ") TO '" + file.string() + "' " + format_clause, "fixture");
}

struct Read {
  std::vector<std::vector<std::string>> rows;
  std::vector<uint64_t> per_file;
};

Read read_back(const std::vector<std::filesystem::path>& files, const std::vector<Projection>& projection) {
  DuckConfig cfg{.threads = 2};
  for (const auto& f : files) cfg.allowed_paths.push_back(f.string());
  Duck duck(cfg);
  RowSource src(files);
  Read out;
  out.per_file = src.scan(duck, projection, [&](const Chunk& c) {
    for (size_t r = 0; r < c.size(); ++r) {
      std::vector<std::string> row;
      for (size_t k = 0; k < c.width(); ++k) {
        if (!c.valid(k, r)) row.push_back("NULL");
        else if (projection[k].kind == Projection::number) row.push_back(std::to_string(c.number(k, r)));
        else row.emplace_back(c.text(k, r));
      }
      out.rows.push_back(row);
    }
  });
  return out;
}

const std::vector<std::vector<std::string>> kExpected = {
    {"출판 디자이너, \"그 외\"", "서울-강남구", "33.000000"},
    {"육군 병사", "경기-화성시", "19.000000"},
    {"NULL", "제주-제주시", "85.000000"},
    {"무직", "세종-세종시", "40.000000"}};

const std::vector<Projection> kProjection = {{"occupation", Projection::text}, {"district", Projection::text},
                                             {"age", Projection::number}};

}  // namespace

class ReaderFormats : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(ReaderFormats, KoreanLabelsRoundTripColumnProjected) {
  TempDir dir;
  auto [name, clause] = GetParam();
  auto file = dir / name;
  write_fixture(file, clause);
  auto got = read_back({file}, kProjection);
  EXPECT_EQ(got.rows, kExpected);
  EXPECT_EQ(got.per_file, std::vector<uint64_t>{4});
}

INSTANTIATE_TEST_SUITE_P(Formats, ReaderFormats,
                         ::testing::Values(std::make_pair("rows.parquet", "(FORMAT parquet)"),
                                           std::make_pair("rows.csv", "(FORMAT csv, HEADER true)"),
                                           std::make_pair("rows.tsv", "(FORMAT csv, HEADER true, DELIMITER '\t')"),
                                           std::make_pair("rows.jsonl", "(FORMAT json)"),
                                           std::make_pair("rows.csv.gz", "(FORMAT csv, HEADER true, COMPRESSION gzip)")));

TEST(Reader, GlobOfShardsReadsEveryFileInOrder) {
  TempDir dir;
  write_fixture(dir / "train-00000.parquet", "(FORMAT parquet)");
  write_fixture(dir / "train-00001.parquet", "(FORMAT parquet)");
  auto files = expand_glob("train-*.parquet", dir.path());
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename(), "train-00000.parquet");
  auto got = read_back(files, kProjection);
  EXPECT_EQ(got.rows.size(), 8u);
  EXPECT_EQ(got.per_file, (std::vector<uint64_t>{4, 4}));
  EXPECT_THROW(expand_glob("nothing-*.parquet", dir.path()), DataError);
}

TEST(Reader, JsonArrayFile) {
  TempDir dir;
  std::ofstream(dir / "rows.json") << R"([{"sex": "여자", "age": 33}, {"sex": "남자", "age": 19}])";
  auto got = read_back({dir / "rows.json"}, {{"sex", Projection::text}, {"age", Projection::number}});
  EXPECT_EQ(got.rows, (std::vector<std::vector<std::string>>{{"여자", "33.000000"}, {"남자", "19.000000"}}));
}

TEST(Reader, ErrorsNameTheFileAndTheProblem) {
  TempDir dir;
  auto file = dir / "rows.parquet";
  write_fixture(file, "(FORMAT parquet)");
  try {
    read_back({file}, {{"no_such_column", Projection::text}});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("rows.parquet"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("no column 'no_such_column'"), std::string::npos);
  }
  try {
    read_back({file}, {{"sex", Projection::number}});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("'sex' is VARCHAR"), std::string::npos);
  }
  EXPECT_THROW(RowSource({dir / "rows.xlsx"}), DataError);
}

TEST(Reader, RaggedCsvIsAnError) {
  TempDir dir;
  std::ofstream(dir / "ragged.csv") << "sex,age\n여자,33\n남자,19,extra\n여자,40\n";
  EXPECT_THROW(read_back({dir / "ragged.csv"}, {{"sex", Projection::text}}), DataError);
}

TEST(Reader, RestrictedDatabaseCannotReadUndeclaredFiles) {
  TempDir dir;
  write_fixture(dir / "declared.parquet", "(FORMAT parquet)");
  write_fixture(dir / "secret.parquet", "(FORMAT parquet)");
  Duck duck(DuckConfig{.threads = 1, .allowed_paths = {(dir / "declared.parquet").string()}});
  EXPECT_NO_THROW(duck.query("SELECT count(*) FROM read_parquet('" + (dir / "declared.parquet").string() + "')", "ok"));
  EXPECT_THROW(duck.query("SELECT count(*) FROM read_parquet('" + (dir / "secret.parquet").string() + "')", "secret"),
               DataError);
  EXPECT_THROW(duck.query("SET enable_external_access = true", "unlock"), DataError);
}

TEST(CountsFile, ReadsRowsAndCountsAndRejectsBadCounts) {
  TempDir dir;
  std::ofstream(dir / "counts.csv") << "sex,age_band,count\n여자,19-24,40523\n남자,19-24,44556\n여자,85+,0\n";
  Duck duck(DuckConfig{.threads = 1, .allowed_directories = {dir.path().string()}});
  auto c = read_counts(duck, dir / "counts.csv", "count");
  ASSERT_EQ(c.rows.rows.size(), 3u);
  EXPECT_EQ(c.mass, (std::vector<double>{40523, 44556, 0}));
  EXPECT_EQ(c.rows.rows[0][0], "여자");
  EXPECT_EQ(c.columns.size(), 3u);

  auto message = [&](const std::string& file, const std::string& body) {
    std::ofstream(dir / file) << body;
    try {
      read_counts(duck, dir / file, "count");
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("neg.csv", "sex,count\n여자,-3\n").find("not a finite non-negative"), std::string::npos);
  EXPECT_NE(message("dup.csv", "sex,count\n여자,3\n여자,4\n").find("appears twice"), std::string::npos);
  EXPECT_NE(message("text.csv", "sex,count\n여자,many\n").find("not numeric"), std::string::npos);
  EXPECT_NE(message("empty.csv", "sex,count\n").find("no rows"), std::string::npos);
  EXPECT_NE(message("nocount.csv", "sex,n\n여자,3\n").find("no count column"), std::string::npos);
  // Two rows alike in one column but not the other are two cells.
  EXPECT_EQ(message("two.csv", "sex,age,count\n여자,19,3\n여자,20,4\n"), "no error");
}
