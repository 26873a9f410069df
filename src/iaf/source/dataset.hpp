#pragma once
// The files of a row dataset (one format, shards by glob) and how to read exactly the columns a
// pack needs from them through DuckDB.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "iaf/core/error.hpp"
#include "iaf/source/duck.hpp"

namespace iaf::source {

enum class Format { parquet, csv, tsv, jsonl, json };

// The format a file name says (.parquet .csv .tsv .jsonl .ndjson .json, optionally .gz).
std::optional<Format> format_of(const std::filesystem::path& path);
const char* format_name(Format f);

// The files matching `pattern` (a path or a glob, relative paths against `base`), sorted; throws
// DataError when nothing matches.
std::vector<std::filesystem::path> expand_glob(const std::string& pattern, const std::filesystem::path& base);

struct ColumnInfo {
  std::string name;
  std::string type;  // DuckDB's type name, e.g. VARCHAR, BIGINT
  bool numeric = false;
};

// How a column is read: as text labels, or as numbers (for bins).
struct Projection {
  std::string column;
  enum Kind { text, number } kind = text;
};

class RowSource {
 public:
  // All files must share one format (DataError otherwise).
  explicit RowSource(std::vector<std::filesystem::path> files);

  const std::vector<std::filesystem::path>& files() const { return files_; }
  Format format() const { return format_; }
  // The DuckDB table function reading `file` (or every file when empty).
  std::string relation(const std::optional<std::filesystem::path>& file = std::nullopt) const;

  // True when some file has a row (a header alone is none).
  bool has_rows(Duck& duck) const;
  // The error to report when reading `file` failed with `e`: for CSV and TSV, the line that breaks.
  DataError explained(const std::filesystem::path& file, const DataError& e) const;

  // Column names and types of the first file (every shard must have the same columns).
  std::vector<ColumnInfo> columns(Duck& duck) const;
  // Every column of every file as text (NULL as nullopt), in file order: for small tables such as
  // references and crosswalks, whose values iaf parses itself to report the row of a bad one.
  TextResult read_text(Duck& duck) const;
  // Streams `SELECT select_list FROM <each file>` (iaf-built SQL whose columns are VARCHAR or
  // DOUBLE), file by file; returns each file's row count.
  std::vector<uint64_t> stream(Duck& duck, const std::string& select_list,
                               const std::function<void(const Chunk&)>& on_chunk) const;
  // Streams the projected columns, file by file; returns each file's row count. Throws DataError
  // naming the file and column when a requested column is missing or has the wrong kind.
  std::vector<uint64_t> scan(Duck& duck, const std::vector<Projection>& projection,
                             const std::function<void(const Chunk&)>& on_chunk) const;

 private:
  // Runs `read`; a CSV error is re-reported with the first line whose shape breaks, when one does.
  template <typename F>
  auto diagnosed(const std::filesystem::path& file, F read) const -> decltype(read());

  char delimiter() const;
  // The column names of a CSV or TSV file's header (empty for other formats); a header that names
  // a column twice is an error (DuckDB would rename the second).
  std::vector<std::string> checked_header(const std::filesystem::path& file) const;

  std::vector<std::filesystem::path> files_;
  Format format_;
};

}  // namespace iaf::source
