#pragma once
// Why DuckDB could not read a CSV or TSV file, said with the file's line number. DuckDB's own
// messages can echo a whole multi-megabyte line, dump its reader options, or suggest options a
// pack cannot set; on that error path iaf reads the file itself to find the line that breaks.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace iaf::source {

// DuckDB's longest CSV line (its max_line_size default), which iaf keeps.
inline constexpr size_t kMaxCsvLine = 2097152;

// What is wrong with `file`, given DuckDB's message: its first line that is not UTF-8, is longer
// than kMaxCsvLine, or has a different field count from the header; else DuckDB's first line.
std::string explain_csv_error(const std::filesystem::path& file, char delim, const std::string& duckdb_message);

// The column names of the file's first line (RFC 4180 quoting, a UTF-8 byte-order mark dropped), an
// empty name given DuckDB's own "column<i>"; nothing for an empty file.
std::vector<std::string> header_names(const std::filesystem::path& file, char delim);

// A column name a header gives twice (DuckDB would quietly rename the second one "name_1").
std::optional<std::string> duplicate_name(const std::vector<std::string>& header);

}  // namespace iaf::source
