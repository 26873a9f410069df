#pragma once
// An embedded DuckDB database opened the way iaf always opens it: extensions never installed or
// loaded on demand, an explicit thread count, and (unless asked otherwise) no file access beyond
// the declared inputs, all set at open and then locked.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iaf::source {

struct DuckConfig {
  unsigned threads = 1;
  // false: DuckDB may touch only `allowed_paths` and `allowed_directories`, and the settings are
  // locked before any statement runs. true is for tests that write fixtures.
  bool external_access = false;
  std::vector<std::string> allowed_paths;
  std::vector<std::string> allowed_directories;
  std::string temp_directory;  // empty: spilling to disk is off
};

// One vector chunk of a streamed result whose columns are VARCHAR or DOUBLE.
class Chunk {
 public:
  size_t size() const { return rows_; }
  size_t width() const { return text_.size(); }
  bool valid(size_t col, size_t row) const;
  std::string_view text(size_t col, size_t row) const;  // VARCHAR columns
  double number(size_t col, size_t row) const;          // DOUBLE columns

 private:
  friend class Duck;
  size_t rows_ = 0;
  std::vector<const void*> text_;    // duckdb_string_t* or null
  std::vector<const double*> number_;
  std::vector<const uint64_t*> validity_;
};

// A small query result with every value as text (NULL as nullopt).
struct TextResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

class Duck {
 public:
  explicit Duck(const DuckConfig& config);
  ~Duck();
  Duck(const Duck&) = delete;
  Duck& operator=(const Duck&) = delete;

  // `context` names what is being read, for error messages ("dataset data/train.parquet").
  TextResult query(const std::string& sql, std::string_view context);
  // Streams the result chunk by chunk; columns must be VARCHAR or DOUBLE.
  void stream(const std::string& sql, std::string_view context, const std::function<void(const Chunk&)>& on_chunk);

 private:
  struct Handles;
  std::unique_ptr<Handles> h_;
};

}  // namespace iaf::source
