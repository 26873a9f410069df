#include "iaf/source/csv_diagnosis.hpp"

#include <cstdio>
#include <fstream>
#include <set>
#include <vector>

#include "iaf/core/label.hpp"

namespace iaf::source {
namespace fs = std::filesystem;
namespace {

// Calls `on_line(number, text)` for each physical line (without its line ending) until it returns
// true; lines are read whole, which is fine on this error path.
template <typename F>
void each_line(const fs::path& file, F on_line) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (on_line(n, line)) return;
  }
}

std::string first_non_utf8_line(const fs::path& file) {
  std::string found;
  each_line(file, [&](size_t n, const std::string& line) {
    if (is_valid_utf8(line)) return false;
    // Step one character (1–4 bytes) at a time to the first byte that starts none.
    std::string_view v(line);
    size_t at = 0;
    for (;;) {
      size_t k = 1;
      while (k <= 4 && at + k <= v.size() && !is_valid_utf8(v.substr(at, k))) ++k;
      if (k > 4 || at + k > v.size()) break;
      at += k;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(line[at]));
    found = "line " + std::to_string(n) + " is not valid UTF-8 (byte " + hex + " at byte " + std::to_string(at + 1) +
            " of the line); save the file as UTF-8 (an EUC-KR/CP949 export converts with iconv -f CP949 -t UTF-8)";
    return true;
  });
  return found;
}

std::string first_long_line(const fs::path& file) {
  std::string found;
  each_line(file, [&](size_t n, const std::string& line) {
    if (line.size() <= kMaxCsvLine) return false;
    found = "line " + std::to_string(n) + " is " + std::to_string(line.size()) + " bytes, longer than the " +
            std::to_string(kMaxCsvLine) + " bytes iaf reads in one CSV line; shorten that field, or convert the file to Parquet";
    return true;
  });
  return found;
}

// Splits a header line into its fields (RFC 4180 quoting).
std::vector<std::string> header_fields(const std::string& line, char delim) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') out.back() += line[++i];
      else quoted = !quoted;
    } else if (c == delim && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Counts fields line by line (quotes may span lines); the first line whose count differs from
// the header's.
std::string first_ragged_line(const fs::path& file, char delim) {
  std::ifstream in(file, std::ios::binary);
  size_t line = 1, fields = 1, header = 0;
  bool quoted = false, any = false;
  auto ragged = [&] {
    return "line " + std::to_string(line) + " has " + std::to_string(fields) + " fields where the header has " +
           std::to_string(header) + "; every row needs one value per column";
  };
  char c;
  while (in.get(c)) {
    any = true;
    if (c == '"') quoted = !quoted;
    else if (!quoted && c == delim) ++fields;
    else if (!quoted && c == '\n') {
      if (line == 1) header = fields;
      else if (fields != header && fields > 1) return ragged();
      ++line;
      fields = 1;
      any = false;
    }
  }
  if (any && line > 1 && fields != header) return ragged();
  return {};
}

// DuckDB's first line, without its error class, at most 300 bytes.
std::string short_form(const std::string& message) {
  std::string first = message.substr(0, message.find('\n'));
  const std::string prefix = "Invalid Input Error: ";
  if (first.rfind(prefix, 0) == 0) first.erase(0, prefix.size());
  if (first.size() > 300) first = first.substr(0, 300) + "…";
  return first;
}

}  // namespace

std::string explain_csv_error(const fs::path& file, char delim, const std::string& duckdb_message) {
  std::string why;
  if (duckdb_message.find("Invalid unicode") != std::string::npos || duckdb_message.find("utf-8") != std::string::npos)
    why = first_non_utf8_line(file);
  if (why.empty() && duckdb_message.find("aximum line size") != std::string::npos) why = first_long_line(file);
  if (why.empty()) why = first_ragged_line(file, delim);
  if (why.empty()) why = short_form(duckdb_message);
  return file.string() + ": " + why;
}

std::vector<std::string> header_names(const fs::path& file, char delim) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (!std::getline(in, line)) return {};
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
  std::vector<std::string> names = header_fields(line, delim);
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i].empty()) names[i] = "column" + std::to_string(i);
  return names;
}

std::optional<std::string> duplicate_name(const std::vector<std::string>& header) {
  std::set<std::string> seen;
  for (const auto& f : header)
    if (!seen.insert(f).second) return f;
  return std::nullopt;
}

}  // namespace iaf::source
