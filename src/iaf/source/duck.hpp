#pragma once
// An embedded DuckDB database opened the way iaf always opens it: extensions never installed or
// loaded on demand, an explicit thread count, and (unless asked otherwise) no file access beyond
// the declared inputs, all set at open and then locked.
#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
  bool track_progress = false;  // let queries report progress (set before the lock)
};

// Progress of a running query: rows processed, rows expected (0 when unknown), percentage (−1 when
// unknown).
using Progress = std::function<void(uint64_t rows, uint64_t total, double percentage)>;

// What a streamed or consumed column holds: VARCHAR, DOUBLE, or UBIGINT (DuckDB's hash() of a value).
enum class ColumnKind { text, number, hash };

// One vector chunk of a streamed result whose columns are VARCHAR, DOUBLE or UBIGINT. The accessors are
// inline because the counting kernel calls them for every value of every row; they read DuckDB's
// own layouts (duckdb_string_t, validity bitmasks), which duck.cpp checks against duckdb.h.
class Chunk {
 public:
  size_t size() const { return rows_; }
  size_t width() const { return text_.size(); }
  bool valid(size_t col, size_t row) const {
    const uint64_t* v = validity_[col];
    return !v || (v[row / 64] >> (row % 64)) & 1;
  }
  // VARCHAR columns
  std::string_view text(size_t col, size_t row) const {
    const char* s = string_at(col, row);
    uint32_t n = length(s);
    if (n <= kInlined) return {s + 4, n};
    const char* ptr;
    std::memcpy(&ptr, s + 8, sizeof ptr);
    return {ptr, n};
  }
  // True when the string lives inside the vector (12 bytes or less).
  bool text_inlined(size_t col, size_t row) const { return length(string_at(col, row)) <= kInlined; }
  // The 16 bytes of an inlined string as DuckDB holds them (length and up to 12 bytes): equal
  // words mean equal strings, so they key a cache without hashing or comparing the text.
  std::pair<uint64_t, uint64_t> inlined_words(size_t col, size_t row) const {
    std::pair<uint64_t, uint64_t> w;
    const char* s = string_at(col, row);
    std::memcpy(&w.first, s, 8);
    std::memcpy(&w.second, s + 8, 8);
    return w;
  }
  double number(size_t col, size_t row) const { return number_[col][row]; }  // DOUBLE columns
  uint64_t hash(size_t col, size_t row) const { return hash_[col][row]; }    // UBIGINT columns

 private:
  friend class Duck;
  static constexpr uint32_t kInlined = 12;  // duckdb_string_t: 4-byte length, then 12 bytes or prefix + pointer
  const char* string_at(size_t col, size_t row) const { return static_cast<const char*>(text_[col]) + 16 * row; }
  static uint32_t length(const char* s) {
    uint32_t n;
    std::memcpy(&n, s, sizeof n);
    return n;
  }
  size_t rows_ = 0;
  std::vector<const void*> text_;    // duckdb_string_t* or null
  std::vector<const double*> number_;
  std::vector<const uint64_t*> hash_;
  std::vector<const uint64_t*> validity_;
};

// A small query result with every value as text (NULL as nullopt).
struct TextResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// A worker that consumes chunks inside DuckDB's own threads: one per thread, merged at the end.
class ChunkConsumer {
 public:
  virtual ~ChunkConsumer() = default;
  virtual void consume(const Chunk& chunk) = 0;
  // Absorbs another thread's partial result.
  virtual void merge(ChunkConsumer& other) = 0;
};

struct ScanColumn {
  std::string sql;  // iaf-built SQL over the relation's columns
  ColumnKind kind = ColumnKind::text;
};

class Duck {
 public:
  explicit Duck(const DuckConfig& config);
  ~Duck();
  Duck(const Duck&) = delete;
  Duck& operator=(const Duck&) = delete;

  // A chunk view over a duckdb_data_chunk whose columns are of the given kinds.
  static Chunk wrap(void* data_chunk, const std::vector<ColumnKind>& kinds);

  // `context` names what is being read, for error messages ("dataset data/train.parquet").
  // `progress`, when given (and the database tracks progress), is called from a watcher thread.
  TextResult query(const std::string& sql, std::string_view context, const Progress& progress = nullptr);
  // Streams the result chunk by chunk; columns must be VARCHAR or DOUBLE.
  void stream(const std::string& sql, std::string_view context, const std::function<void(const Chunk&)>& on_chunk);
  // Runs `columns` over `relation` through a parallel aggregate: DuckDB hands each of its worker
  // threads its own consumer (from `make`), feeds it chunks, and merges the consumers; the merged one
  // is returned. Nothing is materialised and no other thread touches a consumer.
  std::unique_ptr<ChunkConsumer> consume_parallel(const std::string& relation, const std::vector<ScanColumn>& columns,
                                                  const std::function<std::unique_ptr<ChunkConsumer>()>& make,
                                                  std::string_view context, const Progress& progress = nullptr);

 private:
  // `consumed`, when given, counts the rows a parallel consume has handled; progress reports it.
  TextResult query(const std::string& sql, std::string_view context, const Progress& progress,
                   const std::atomic<uint64_t>* consumed);
  struct Handles;
  std::unique_ptr<Handles> h_;
};

}  // namespace iaf::source
