#include "iaf/source/dataset.hpp"

#include <glob.h>

#include <algorithm>
#include <memory>

#include "iaf/core/error.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/source/csv_diagnosis.hpp"

namespace iaf::source {
namespace fs = std::filesystem;

std::optional<Format> format_of(const fs::path& path) {
  fs::path p = path;
  if (p.extension() == ".gz") p = p.stem();
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".parquet") return Format::parquet;
  if (ext == ".csv") return Format::csv;
  if (ext == ".tsv" || ext == ".tab") return Format::tsv;
  if (ext == ".jsonl" || ext == ".ndjson") return Format::jsonl;
  if (ext == ".json") return Format::json;
  return std::nullopt;
}

const char* format_name(Format f) {
  switch (f) {
    case Format::parquet: return "parquet";
    case Format::csv: return "csv";
    case Format::tsv: return "tsv";
    case Format::jsonl: return "jsonl";
    case Format::json: return "json";
  }
  return "?";
}

std::vector<fs::path> expand_glob(const std::string& pattern, const fs::path& base) {
  fs::path p(pattern);
  if (p.is_relative()) p = base / p;
  glob_t g{};
  int rc = ::glob(p.c_str(), GLOB_NOSORT, nullptr, &g);
  std::unique_ptr<glob_t, decltype(&globfree)> owned(&g, &globfree);
  std::vector<fs::path> out;
  if (rc == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i)
      if (fs::is_regular_file(g.gl_pathv[i])) out.emplace_back(g.gl_pathv[i]);
  std::error_code ec;
  if (out.empty() && fs::is_directory(p, ec))
    throw DataError(p.string() + ": is a directory; name its files, with a glob such as " + (p / "*.parquet").string());
  if (out.empty()) throw DataError(p.string() + ": no such file (nothing matches this path or glob)");
  std::sort(out.begin(), out.end());
  return out;
}

template <typename F>
auto RowSource::diagnosed(const fs::path& file, F read) const -> decltype(read()) {
  try {
    return read();
  } catch (const DataError& e) {
    throw explained(file, e);
  }
}

DataError RowSource::explained(const fs::path& file, const DataError& e) const {
  if (format_ != Format::csv && format_ != Format::tsv) return e;
  std::string message = e.what();
  // DuckDB's message follows "FILE: "; iaf's own messages about the file pass through as they are.
  std::string prefix = file.string() + ": ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  if (message.find("Error: ") == std::string::npos) return e;  // not DuckDB's
  return DataError(explain_csv_error(file, delimiter(), message));
}

std::vector<std::string> RowSource::checked_header(const fs::path& file) const {
  if (format_ != Format::csv && format_ != Format::tsv) return {};
  std::vector<std::string> names = header_names(file, delimiter());
  if (auto twice = duplicate_name(names))
    throw DataError(file.string() + ": the header names column '" + *twice +
                    "' twice; which one the pack reads would be ambiguous, so rename one");
  return names;
}

char RowSource::delimiter() const { return format_ == Format::tsv ? '\t' : ','; }

bool RowSource::has_rows(Duck& duck) const {
  return !diagnosed(files_[0], [&] { return duck.query("SELECT 1 FROM " + relation() + " LIMIT 1", "dataset"); }).rows.empty();
}

RowSource::RowSource(std::vector<fs::path> files) : files_(std::move(files)) {
  if (files_.empty()) throw DataError("dataset: no files");
  auto first = format_of(files_[0]);
  if (!first)
    throw DataError(files_[0].string() + ": unknown format; name files .parquet, .csv, .tsv, .jsonl or .json");
  format_ = *first;
  for (const auto& f : files_) {
    if (format_of(f) != format_)
      throw DataError(f.string() + ": every file of a dataset must have the same format (" + format_name(format_) + ")");
    std::error_code ec;
    if (fs::is_directory(f, ec))
      throw DataError(f.string() + ": is a directory; name its files, with a glob such as " + (f / "*.parquet").string());
    if (fs::file_size(f, ec) == 0 && !ec) throw DataError(f.string() + ": the file is empty (0 bytes)");
  }
}

std::string RowSource::relation(const std::optional<fs::path>& file) const {
  std::string list = "[";
  if (file) {
    list += quote_literal(file->string());
  } else {
    for (size_t i = 0; i < files_.size(); ++i) list += (i ? ", " : "") + quote_literal(files_[i].string());
  }
  list += "]";
  switch (format_) {
    case Format::parquet: return "read_parquet(" + list + ")";
    case Format::csv:
    case Format::tsv:
      // strict_mode, no null padding and no skipped rows: a ragged row is an error naming its line,
      // not a silently shifted value (left to itself the sniffer may skip leading rows to fit it).
      return "read_csv(" + list + ", header = true, skip = 0, delim = " + (format_ == Format::tsv ? "'\\t'" : "','") +
             ", quote = '\"', escape = '\"', strict_mode = true, null_padding = false, encoding = 'utf-8')";
    case Format::jsonl: return "read_json(" + list + ", format = 'newline_delimited')";
    case Format::json: return "read_json(" + list + ", format = 'auto')";
  }
  return {};
}

std::vector<ColumnInfo> RowSource::columns(Duck& duck) const {
  checked_header(files_[0]);
  auto r = diagnosed(files_[0], [&] { return duck.query("DESCRIBE SELECT * FROM " + relation(files_[0]), files_[0].string()); });
  std::vector<ColumnInfo> out;
  for (const auto& row : r.rows) {
    ColumnInfo c{row[0].value_or(""), row[1].value_or(""), false};
    static const char* numeric[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                                    "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"};
    for (const char* n : numeric)
      if (c.type.rfind(n, 0) == 0) c.numeric = true;
    out.push_back(std::move(c));
  }
  return out;
}

TextResult RowSource::read_text(Duck& duck) const {
  std::string rel = relation();
  if (format_ == Format::csv || format_ == Format::tsv) {
    // Every value is read as text (labels such as "01" stay as written), so the columns are named
    // from the header iaf reads itself and DuckDB's sniffer is off: on a 300 KB crosswalk it costs
    // ten times the read (20 ms of a 22 ms query).
    std::vector<std::string> names = checked_header(files_[0]);
    for (size_t i = 1; i < files_.size(); ++i)
      if (checked_header(files_[i]) != names)
        throw DataError(files_[i].string() + ": its header differs from " + files_[0].string() +
                        "'s; every file of a table needs the same columns");
    std::string columns;
    for (const auto& n : names) columns += (columns.empty() ? "" : ", ") + quote_literal(n) + ": 'VARCHAR'";
    rel.insert(rel.size() - 1, ", auto_detect = false, columns = {" + columns + "}");
  }
  // One statement over every file; every value comes back as its text.
  return diagnosed(files_[0], [&] { return duck.query("SELECT * FROM " + rel, files_.size() == 1 ? files_[0].string() : "dataset"); });
}

std::vector<uint64_t> RowSource::stream(Duck& duck, const std::string& select_list,
                                        const std::function<void(const Chunk&)>& on_chunk) const {
  std::vector<uint64_t> rows;
  for (const auto& file : files_) {
    uint64_t n = 0;
    diagnosed(file, [&] {
      duck.stream("SELECT " + select_list + " FROM " + relation(file), file.string(), [&](const Chunk& chunk) {
        n += chunk.size();
        on_chunk(chunk);
      });
      return 0;
    });
    rows.push_back(n);
  }
  return rows;
}

std::vector<uint64_t> RowSource::scan(Duck& duck, const std::vector<Projection>& projection,
                                      const std::function<void(const Chunk&)>& on_chunk) const {
  std::vector<uint64_t> rows;
  for (const auto& file : files_) {
    auto cols = RowSource({file}).columns(duck);
    std::string select;
    for (const auto& p : projection) {
      auto it = std::find_if(cols.begin(), cols.end(), [&](const ColumnInfo& c) { return c.name == p.column; });
      if (it == cols.end())
        throw DataError(file.string() + ": no column '" + p.column + "' (the pack reads it); columns are checked by name, case-sensitively");
      if (p.kind == Projection::number && !it->numeric)
        throw DataError(file.string() + ": column '" + p.column + "' is " + it->type +
                        ", but the pack bins it as a number; bin a numeric column or map its labels instead");
      if (!select.empty()) select += ", ";
      select += "CAST(" + quote_identifier(p.column) + (p.kind == Projection::number ? " AS DOUBLE)" : " AS VARCHAR)");
    }
    if (select.empty()) select = "NULL::VARCHAR";
    rows.push_back(RowSource({file}).stream(duck, select, on_chunk).front());
  }
  return rows;
}

}  // namespace iaf::source
