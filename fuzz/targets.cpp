// The fuzz targets (see targets.hpp). Each writes the input where the code under test reads it, in a
// private work directory made once per process, and calls the same entry points `iaf audit` does.
#include "targets.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "iaf/checks/checks.hpp"
#include "iaf/checks/disclosure_coverage.hpp"
#include "iaf/core/digest.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/pack/attribute.hpp"
#include "iaf/pack/crosswalk.hpp"
#include "iaf/pack/expression.hpp"
#include "iaf/pack/expression_eval.hpp"
#include "iaf/pack/expression_sql.hpp"
#include "iaf/pack/expression_types.hpp"
#include "iaf/pack/pack.hpp"
#include "iaf/pack/reference.hpp"
#include "iaf/report/audit_run.hpp"
#include "iaf/report/json_report.hpp"
#include "iaf/source/duck.hpp"

namespace iaf::fuzz {
namespace fs = std::filesystem;
namespace {

// A broken invariant: report it the way a crash is reported.
[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "iaf fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void write(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

void write(const fs::path& p, const uint8_t* data, size_t size) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

// The files every pack of the pack-loader target may name: the layout of the bad-input corpus's base
// pack (tests/bad/cases), whose audit.toml sections are this target's seeds.
const char* kRows = "id,sex,age,occupation\n1,M,25,clerk\n2,F,45,nurse\n3,M,70,soldier\n4,F,30,clerk\n"
                    "5,M,50,nurse\n6,F,20,clerk\n7,M,33,soldier\n8,F,66,nurse\n";
const char* kCrosswalk = "from,to,weight\nclerk,office,1\nsoldier,army,0.5\nsoldier,office,0.5\n";

// The pack of the counts target: every check type, every attribute kind, over one counts table.
const char* kCountsPack = R"toml([audit]
name = "fuzz counts"
[dataset]
counts = ["counts.csv"]
[[disclosure]]
id = "d"
quote = "q"
combinations = [["sex"], ["band"], ["sex", "band"], ["occ", "sex"], ["grp"]]
[attribute.sex]
column = "sex"
[attribute.band]
column = "age"
bins = [0, 40]
labels = ["young", "old"]
[attribute.occ]
column = "occupation"
[attribute.grp]
column = "occupation"
crosswalk = "cw"
[attribute.soldier]
expression = "occupation = 'soldier'"
[[crosswalk]]
id = "cw"
file = "cw.csv"
min_coverage = 0.5
[[reference]]
id = "ref-sex"
kind = "census"
file = "ref_sex.csv"
sha256 = "{{sha:ref_sex.csv}}"
publisher = "p"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { sex = "sex", count = "n" }
[[reference]]
id = "ref-sb"
kind = "census"
file = "ref_sb.csv"
sha256 = "{{sha:ref_sb.csv}}"
publisher = "p"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { sex = "sex", band = "band", count = "n" }
[[reference]]
id = "ref-occ"
kind = "survey"
sample_size = 1000
sample_unit = "persons"
design_effect = 2
file = "ref_occ.csv"
sha256 = "{{sha:ref_occ.csv}}"
publisher = "p"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { occ = "occ", sex = "sex", count = "n" }
[[reference]]
id = "ref-grp"
kind = "census"
file = "ref_grp.csv"
sha256 = "{{sha:ref_grp.csv}}"
publisher = "p"
vintage = "1"
universe = "u"
unit = "persons"
licence = "CC0"
columns = { grp = "grp", count = "n" }
[[reference]]
id = "rules"
kind = "rule"
publisher = "p"
vintage = "1"
universe = "u"
licence = "CC0"
[[reference.statements]]
id = "s1"
text = "soldiers are young"
[[check]]
id = "m-sex"
disclosure = "d"
type = "marginal"
attributes = ["sex"]
reference = "ref-sex"
universe = "age >= 20"
[[check]]
id = "j-sb"
disclosure = "d"
type = "joint"
attributes = ["sex", "band"]
reference = "ref-sb"
[[check]]
id = "c-sb"
disclosure = "d"
type = "conditional"
attributes = ["sex", "band"]
reference = "ref-sb"
[[check]]
id = "s-occ"
disclosure = "d"
type = "share"
attributes = ["occ", "sex"]
target = { sex = "F" }
reference = "ref-occ"
[[check]]
id = "m-grp"
disclosure = "d"
type = "marginal"
attributes = ["grp"]
reference = "ref-grp"
[[check]]
id = "r-soldier"
disclosure = "d"
type = "rule"
reference = "rules"
statement = "s1"
scope = "soldier = 'true'"
assert = "age < 40"
[[check]]
id = "b-band"
disclosure = "d"
type = "bounds"
attributes = ["band"]
reference = "rules"
event = "occupation = 'soldier'"
bounds = { young = [0, 1], old = [0, 0.5] }
orderings = ["young > old"]
)toml";

struct Workdir {
  fs::path root;
  Workdir() {
    std::string tmpl = (fs::temp_directory_path() / "iaf-fuzz-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) finding("cannot make a work directory");
    root = tmpl;
    // The pack-loader target's pack folder.
    write(root / "pack" / "rows.csv", kRows);
    write(root / "pack" / "refs" / "sex.csv", "sex,n\nM,50\nF,50\n");
    write(root / "pack" / "refs" / "band.csv", "band,n\n19-39,4\n40-64,2\n65+,2\n");
    write(root / "pack" / "refs" / "job.csv", "job,n\noffice,3\ncare,3\narmy,2\n");
    write(root / "pack" / "cw.csv", "from,to\nclerk,office\nnurse,care\nsoldier,army\n");
    write(root / "pack" / "counts.csv", "sex,age,count\nM,25,1\nF,45,1\nM,70,1\nF,30,1\n");
    // The counts target's pack.
    fs::path c = root / "counts";
    write(c / "counts.csv", "sex,age,occupation,count\nM,30,clerk,10\nF,50,soldier,5\n");
    write(c / "cw.csv", kCrosswalk);
    write(c / "ref_sex.csv", "sex,n\nM,50\nF,50\n");
    write(c / "ref_sb.csv", "sex,band,n\nM,young,20\nM,old,30\nF,young,25\nF,old,25\n");
    write(c / "ref_occ.csv", "occ,sex,n\nclerk,M,30\nclerk,F,30\nsoldier,M,35\nsoldier,F,5\n");
    write(c / "ref_grp.csv", "grp,n\noffice,70\narmy,30\n");
    std::string toml = kCountsPack;
    for (size_t at; (at = toml.find("{{sha:")) != std::string::npos;) {
      size_t end = toml.find("}}", at);
      toml.replace(at, end + 2 - at, sha256_file(c / toml.substr(at + 6, end - at - 6)));
    }
    write(c / "audit.toml", toml);
  }
  ~Workdir() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

Workdir& work() {
  static Workdir w;
  return w;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

int pack_loader(const uint8_t* data, size_t size) {
  fs::path dir = work().root / "pack";
  // {{sha:FILE}} becomes the sha256 of the pack's FILE, as in the corpus, so that seeds and their
  // mutations get past the checksum to the tables.
  std::string text(reinterpret_cast<const char*>(data), size);
  for (size_t at = 0; (at = text.find("{{sha:", at)) != std::string::npos;) {
    size_t end = text.find("}}", at);
    if (end == std::string::npos || end - at > 200) break;
    fs::path file = dir / text.substr(at + 6, end - at - 6);
    std::error_code ec;
    std::string sha = fs::is_regular_file(file, ec) && file.lexically_normal().string().rfind(dir.string(), 0) == 0
                          ? sha256_file(file)
                          : std::string(64, '0');
    text.replace(at, end + 2 - at, sha);
    at += sha.size();
  }
  write(dir / "audit.toml", text);
  try {
    pack::AuditPack p = pack::load_pack(dir);
    count::Plan plan = count::plan_counts(p);
    (void)plan;
  } catch (const Error&) {
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------

namespace {

const std::map<std::string, pack::ValueType>& fixed_types() {
  static const std::map<std::string, pack::ValueType> types = {
      {"a", pack::ValueType::number},   {"b", pack::ValueType::number},         {"age", pack::ValueType::number},
      {"n", pack::ValueType::number},   {"sex", pack::ValueType::text},         {"name", pack::ValueType::text},
      {"occupation", pack::ValueType::text}, {"district", pack::ValueType::text}};
  return types;
}

pack::Value fixed_value(const std::string& id, bool nulls) {
  if (nulls && (id == "name" || id == "n")) return pack::Null{};
  if (id == "a") return 30.0;
  if (id == "b") return 1.5;
  if (id == "age") return 19.0;
  if (id == "n") return -2.0;
  if (id == "sex") return std::string("M");
  if (id == "occupation") return std::string("육군 병사");
  if (id == "district") return std::string("서울 종로구");
  if (id == "name") return std::string("O'Brien %_");
  throw PackError("no identifier '" + id + "'");
}

// The fixed row as SQL, for the differential check: evaluate() against DuckDB running to_sql().
std::string fixed_row_sql(bool nulls) {
  std::string sql = "SELECT 30.0::DOUBLE AS a, 1.5::DOUBLE AS b, 19.0::DOUBLE AS age, ";
  sql += nulls ? "NULL::DOUBLE AS n, " : "-2.0::DOUBLE AS n, ";
  sql += "'M' AS sex, '육군 병사' AS occupation, '서울 종로구' AS district, ";
  sql += nulls ? "NULL::VARCHAR AS name" : "'O''Brien %_' AS name";
  return sql;
}

source::Duck& memory_duck() {
  static source::Duck duck(source::DuckConfig{.threads = 1});
  return duck;
}

}  // namespace

int expression(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  pack::ExprPtr e;
  try {
    e = pack::parse_expression(text, "fuzz");
  } catch (const Error&) {
    return 0;
  }
  if (!e) finding("parse_expression returned null for: " + text);
  // The canonical text parses back to itself (with room for the parentheses it adds: "--x" is
  // canonically "(-(-x))", which nests deeper).
  std::string canon = pack::to_text(*e);
  try {
    pack::ExpressionLimits roomy{.max_length = 100 * canon.size() + 100, .max_depth = 10 * pack::ExpressionLimits{}.max_depth};
    auto again = pack::parse_expression(canon, "fuzz canonical", roomy);
    if (pack::to_text(*again) != canon) finding("to_text is not a fixed point: '" + canon + "' → '" + pack::to_text(*again) + "'");
  } catch (const Error& err) {
    finding("the canonical text of '" + text + "' does not parse: '" + canon + "': " + err.what());
  }
  (void)pack::identifiers(*e);
  (void)pack::conjuncts(e);
  for (SqlDialect d : {SqlDialect::duckdb, SqlDialect::trino, SqlDialect::spark, SqlDialect::bigquery}) {
    try {
      (void)pack::to_sql(*e, [&](const std::string& id) { return quote_identifier(id, d); }, d);
    } catch (const Error&) {
    }
  }
  pack::ValueType type;
  try {
    type = pack::check_types(
        *e,
        [](const std::string& id) {
          auto it = fixed_types().find(id);
          if (it == fixed_types().end()) throw PackError("no identifier '" + id + "'");
          return it->second;
        },
        "fuzz");
  } catch (const Error&) {
    return 0;
  }
  for (bool nulls : {false, true}) {
    try {
      pack::Value v = pack::evaluate(*e, [&](const std::string& id) { return fixed_value(id, nulls); });
      bool is_null = std::holds_alternative<pack::Null>(v);
      bool ok = is_null || (type == pack::ValueType::boolean && std::holds_alternative<bool>(v)) ||
                (type == pack::ValueType::number && std::holds_alternative<double>(v)) ||
                (type == pack::ValueType::text && std::holds_alternative<std::string>(v));
      if (!ok) finding("evaluate's value does not have check_types' type " + std::string(pack::type_name(type)) + ": " + canon);
      if (type == pack::ValueType::boolean) (void)pack::holds(*e, [&](const std::string& id) { return fixed_value(id, nulls); });
      // The same condition through SQL in DuckDB must give the same answer (DESIGN: "the same
      // three-valued NULL logic on both paths"). Only conditions: they decide which rows count.
      if (type != pack::ValueType::boolean) continue;
      std::string sql = pack::to_sql(*e, [&](const std::string& id) {
        std::string q = quote_identifier(id);
        return fixed_types().at(id) == pack::ValueType::number ? "CAST(" + q + " AS DOUBLE)"
                                                               : pack::sql_nfc("CAST(" + q + " AS VARCHAR)", SqlDialect::duckdb);
      });
      source::TextResult r;
      try {
        r = memory_duck().query("SELECT CAST((" + sql + ") AS VARCHAR) FROM (" + fixed_row_sql(nulls) + ") t", "fuzz");
      } catch (const Error&) {
        continue;  // DuckDB refuses what evaluate() computes: not compared (e.g. an out-of-range number)
      }
      std::string want = is_null ? "NULL" : std::get<bool>(v) ? "true" : "false";
      std::string got = r.rows.at(0).at(0).value_or("NULL");
      if (got != want)
        finding("evaluate() says " + want + ", DuckDB says " + got + (nulls ? " (row with NULLs)" : "") + " for: " + canon +
                "\n  SQL: " + sql);
    } catch (const Error&) {
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------

int table_loader(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uint8_t mode = data[0];
  ++data;
  --size;
  const char* ext = (mode & 8) ? ".tsv" : ".csv";
  fs::path file = work().root / "tables" / (std::string("table") + ext);
  write(file, data, size);
  // One database for the process: its allow-list names the one file every input is written to.
  static source::Duck duck([&] {
    source::DuckConfig cfg{.threads = 1};
    cfg.allowed_paths = {(work().root / "tables" / "table.csv").string(), (work().root / "tables" / "table.tsv").string()};
    return cfg;
  }());
  try {
    if (mode & 1) {
      pack::CrosswalkSpec spec;
      spec.id = "cw";
      spec.variants = {{"default", file}};
      pack::Crosswalk cw = pack::load_crosswalk(duck, spec, "default", 100000);
      for (const auto& [from, targets] : cw.map) {
        double sum = 0;
        for (const auto& [to, w] : targets) {
          if (!(w > 0 && w <= 1)) finding("crosswalk weight outside (0, 1] accepted");
          sum += w;
        }
        if (std::fabs(sum - 1) > 1e-6) finding("crosswalk weights of '" + from + "' sum to " + std::to_string(sum));
      }
    } else {
      static pack::Attribute sex = [] {
        pack::Attribute a;
        a.name = "sex";
        a.column = "sex";
        return a;
      }();
      static pack::Attribute band = [] {
        pack::Attribute a;
        a.name = "band";
        a.column = "age";
        a.bins = {0, 40};
        a.labels = {"young", "old"};
        return a;
      }();
      pack::Reference ref;
      ref.id = "ref";
      ref.file = file;
      ref.columns = {{"sex", "sex"}};
      if (mode & 16) ref.columns.emplace_back("band", "band");
      ref.count_column = "n";
      if (mode & 2) ref.dash = "zero";
      if (mode & 4) ref.measure = "share";
      pack::load_reference_table(
          duck, ref, [&](const std::string& name) -> const pack::Attribute* { return name == "sex" ? &sex : &band; }, 1000000);
      double total = 0;
      for (const auto& [key, m] : ref.masses.cells()) {
        if (!(m >= 0) || !std::isfinite(m)) finding("reference mass " + std::to_string(m) + " accepted");
        total += m;
      }
      if (!(total > 0)) finding("a reference with total " + std::to_string(total) + " accepted");
    }
  } catch (const Error&) {
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------

int counts_loader(const uint8_t* data, size_t size) {
  fs::path dir = work().root / "counts";
  static pack::AuditPack pack = pack::load_pack(dir);
  static count::Plan plan = count::plan_counts(pack);
  write(dir / "counts.csv", data, size);
  try {
    count::Counts counts = count::count_tables(pack, plan, pack.dataset.counts, 1, count::Fingerprint::xxh3);
    checks::CheckContext ctx{pack, plan, counts, {7, 10, 1}};
    report::AuditRun run{pack, counts, checks::run_checks(ctx), {}, report::pack_inputs(pack)};
    run.coverage = checks::disclosure_coverage(pack, run.results);
    run.generated_at = "fuzz";
    run.tool_version = "fuzz";
    (void)report::report_json(run).dump();
  } catch (const Error&) {
  }
  return 0;
}

const std::vector<Target>& targets() {
  static const std::vector<Target> t = {
      {"pack_loader", pack_loader}, {"expression", expression}, {"table_loader", table_loader}, {"counts_loader", counts_loader}};
  return t;
}

}  // namespace iaf::fuzz
