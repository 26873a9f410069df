#include "iaf/source/duck.hpp"

#include <duckdb.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <set>
#include <thread>

#include "iaf/core/error.hpp"
#include "iaf/core/sql_text.hpp"

namespace iaf::source {

struct Duck::Handles {
  duckdb_database db = nullptr;
  duckdb_connection con = nullptr;
  bool select_only = true;  // a restricted handle runs one SELECT per call, nothing else

  // One statement, prepared; refused unless it is a SELECT on a restricted handle. DuckDB's
  // allowed_paths grant writing as well as reading, so this is what keeps even a declared input
  // from being overwritten (COPY … TO it) should SQL of iaf's making ever carry more than it should.
  duckdb_prepared_statement prepare(const std::string& sql, std::string_view context) const {
    duckdb_extracted_statements extracted = nullptr;
    idx_t n = duckdb_extract_statements(con, sql.c_str(), &extracted);
    auto fail = [&](const std::string& why) {
      duckdb_destroy_extracted(&extracted);
      throw DataError(std::string(context) + ": " + why);
    };
    if (n == 0) fail(duckdb_extract_statements_error(extracted) ? duckdb_extract_statements_error(extracted) : "no statement");
    if (n > 1 && select_only) fail("refused: " + std::to_string(n) + " statements where iaf runs one SELECT");
    if (n > 1) {
      duckdb_destroy_extracted(&extracted);
      return nullptr;  // an unrestricted handle runs a script through duckdb_query
    }
    duckdb_prepared_statement stmt = nullptr;
    if (duckdb_prepare_extracted_statement(con, extracted, 0, &stmt) != DuckDBSuccess) {
      std::string message = duckdb_prepare_error(stmt) ? duckdb_prepare_error(stmt) : "cannot prepare";
      duckdb_destroy_prepare(&stmt);
      fail(message);
    }
    duckdb_destroy_extracted(&extracted);
    if (select_only && duckdb_prepared_statement_type(stmt) != DUCKDB_STATEMENT_TYPE_SELECT) {
      duckdb_destroy_prepare(&stmt);
      throw DataError(std::string(context) + ": refused: not a SELECT (a restricted DuckDB runs queries only)");
    }
    return stmt;
  }
};

namespace {

std::string list_literal(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote_literal(items[i]);
  return out + "]";
}

void set(duckdb_config cfg, const char* key, const std::string& value) {
  if (duckdb_set_config(cfg, key, value.c_str()) != DuckDBSuccess)
    throw Error(ExitCode::data, std::string("DuckDB rejected setting ") + key + " = " + value);
}

std::string tidy(std::string_view context, const char* error) {
  std::string message = error ? error : "unknown DuckDB error";
  return std::string(context) + ": " + message;
}

}  // namespace

Duck::Duck(const DuckConfig& config) : h_(std::make_unique<Handles>()) {
  h_->select_only = !config.external_access;
  for (const auto& p : config.allowed_paths)
    if (p.empty()) throw DataError("DuckDB: an empty allowed path would widen access to the working directory");
  for (const auto& p : config.allowed_directories)
    if (p.empty()) throw DataError("DuckDB: an empty allowed directory would widen access to the working directory");
  duckdb_config cfg;
  if (duckdb_create_config(&cfg) != DuckDBSuccess) throw DataError("DuckDB: cannot create a configuration");
  try {
    set(cfg, "autoinstall_known_extensions", "false");
    set(cfg, "autoload_known_extensions", "false");
    set(cfg, "threads", std::to_string(config.threads == 0 ? 1 : config.threads));
  } catch (...) {
    duckdb_destroy_config(&cfg);
    throw;
  }
  char* error = nullptr;
  duckdb_state state = duckdb_open_ext(nullptr, &h_->db, cfg, &error);
  duckdb_destroy_config(&cfg);
  if (state != DuckDBSuccess) {
    std::string message = tidy("DuckDB open", error);
    duckdb_free(error);
    throw DataError(message);
  }
  if (duckdb_connect(h_->db, &h_->con) != DuckDBSuccess) {
    duckdb_close(&h_->db);
    throw DataError("DuckDB: cannot connect");
  }
  // DuckDB 1.4.4's C configuration rejects the list-valued allow-lists and an empty temp_directory,
  // so the constructor applies them as its first statements, then disables external access and
  // locks the configuration: no other statement can run before the lock. Table functions check
  // access when they run, not when they are bound, so this must precede every query.
  std::vector<std::string> setup = {"SET temp_directory = " + quote_literal(config.temp_directory)};
  if (config.track_progress) {
    setup.push_back("SET enable_progress_bar = true");
    setup.push_back("SET enable_progress_bar_print = false");
    setup.push_back("SET progress_bar_time = 0");
  }
  if (!config.external_access) {
    if (!config.allowed_paths.empty()) setup.push_back("SET allowed_paths = " + list_literal(config.allowed_paths));
    if (!config.allowed_directories.empty())
      setup.push_back("SET allowed_directories = " + list_literal(config.allowed_directories));
    setup.push_back("SET enable_external_access = false");
    setup.push_back("SET lock_configuration = true");
  }
  for (const auto& sql : setup) {
    duckdb_result r;
    if (duckdb_query(h_->con, sql.c_str(), &r) != DuckDBSuccess) {
      std::string message = tidy("DuckDB setup (" + sql + ")", duckdb_result_error(&r));
      duckdb_destroy_result(&r);
      duckdb_disconnect(&h_->con);
      duckdb_close(&h_->db);
      throw DataError(message);
    }
    duckdb_destroy_result(&r);
  }
}

Duck::~Duck() {
  if (h_->con) duckdb_disconnect(&h_->con);
  if (h_->db) duckdb_close(&h_->db);
}

namespace {

// Polls a connection's query progress from its own thread while a query runs. DuckDB measures
// progress at the scan, which runs ahead of a slow sink: for a parallel consume it reads 100% while
// the consumers are still at work, so there the rows they have consumed are counted instead.
class ProgressWatcher {
 public:
  ProgressWatcher(duckdb_connection con, const Progress& report, const std::atomic<uint64_t>* consumed)
      : con_(con), report_(report), consumed_(consumed) {
    if (report_) thread_ = std::thread([this] { run(); });
  }
  ~ProgressWatcher() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(m_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(m_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return done_; })) {
      duckdb_query_progress_type p = duckdb_query_progress(con_);
      if (!consumed_) {
        report_(p.rows_processed, p.total_rows_to_process, p.percentage);
        continue;
      }
      uint64_t rows = consumed_->load(std::memory_order_relaxed);
      uint64_t total = p.total_rows_to_process;  // DuckDB's estimate of the scan's rows
      double percentage = total > 0 ? std::min(100.0, 100.0 * static_cast<double>(rows) / static_cast<double>(total)) : -1;
      report_(rows, total, percentage);
    }
  }
  duckdb_connection con_;
  Progress report_;
  const std::atomic<uint64_t>* consumed_;
  std::thread thread_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
};

}  // namespace

TextResult Duck::query(const std::string& sql, std::string_view context, const Progress& progress) {
  return query(sql, context, progress, nullptr);
}

TextResult Duck::query(const std::string& sql, std::string_view context, const Progress& progress,
                       const std::atomic<uint64_t>* consumed) {
  duckdb_prepared_statement stmt = h_->prepare(sql, context);
  duckdb_result r;
  duckdb_state state;
  {
    ProgressWatcher watcher(h_->con, progress, consumed);
    state = stmt ? duckdb_execute_prepared(stmt, &r) : duckdb_query(h_->con, sql.c_str(), &r);
  }
  duckdb_destroy_prepare(&stmt);
  if (state != DuckDBSuccess) {
    std::string message = tidy(context, duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    throw DataError(message);
  }
  TextResult out;
  idx_t cols = duckdb_column_count(&r), rows = duckdb_row_count(&r);
  for (idx_t c = 0; c < cols; ++c) out.columns.emplace_back(duckdb_column_name(&r, c));
  out.rows.reserve(rows);
  bool all_text = true;
  for (idx_t c = 0; c < cols; ++c) all_text = all_text && duckdb_column_type(&r, c) == DUCKDB_TYPE_VARCHAR;
  if (all_text) {
    // Text read straight from the result's vectors: the value-at-a-time accessors below cast and
    // allocate per value, which was most of the time a pack's crosswalks took to load.
    const std::vector<ColumnKind> text(cols, ColumnKind::text);
    while (duckdb_data_chunk dc = duckdb_fetch_chunk(r)) {
      Chunk chunk = wrap(dc, text);
      for (size_t i = 0; i < chunk.size(); ++i) {
        std::vector<std::optional<std::string>> row(cols);
        for (idx_t c = 0; c < cols; ++c)
          if (chunk.valid(c, i)) row[c] = std::string(chunk.text(c, i));
        out.rows.push_back(std::move(row));
      }
      duckdb_destroy_data_chunk(&dc);
    }
    duckdb_destroy_result(&r);
    return out;
  }
  for (idx_t i = 0; i < rows; ++i) {
    std::vector<std::optional<std::string>> row(cols);
    for (idx_t c = 0; c < cols; ++c) {
      if (duckdb_value_is_null(&r, c, i)) continue;
      char* v = duckdb_value_varchar(&r, c, i);
      row[c] = std::string(v ? v : "");
      duckdb_free(v);
    }
    out.rows.push_back(std::move(row));
  }
  duckdb_destroy_result(&r);
  return out;
}

void Duck::stream(const std::string& sql, std::string_view context, const std::function<void(const Chunk&)>& on_chunk) {
  duckdb_prepared_statement stmt = h_->prepare(sql, context);
  if (!stmt) throw DataError(std::string(context) + ": a stream runs one statement");
  // The streaming pending result is deprecated after 1.4 but is the C API's only way, in the
  // pinned 1.4.4, to read a large result without materialising it.
  duckdb_pending_result pending;
  duckdb_state state = duckdb_pending_prepared_streaming(stmt, &pending);
  duckdb_destroy_prepare(&stmt);
  if (state != DuckDBSuccess) {
    std::string message = tidy(context, duckdb_pending_error(pending));
    duckdb_destroy_pending(&pending);
    throw DataError(message);
  }
  duckdb_result r;
  state = duckdb_execute_pending(pending, &r);
  if (state != DuckDBSuccess) {
    std::string message = tidy(context, duckdb_pending_error(pending));
    duckdb_destroy_pending(&pending);
    duckdb_destroy_result(&r);
    throw DataError(message);
  }
  duckdb_destroy_pending(&pending);

  idx_t cols = duckdb_column_count(&r);
  std::vector<ColumnKind> kinds(cols);
  for (idx_t c = 0; c < cols; ++c) {
    duckdb_type t = duckdb_column_type(&r, c);
    if (t != DUCKDB_TYPE_VARCHAR && t != DUCKDB_TYPE_DOUBLE) {
      duckdb_destroy_result(&r);
      throw DataError(std::string(context) + ": internal: streamed column is neither VARCHAR nor DOUBLE");
    }
    kinds[c] = t == DUCKDB_TYPE_VARCHAR ? ColumnKind::text : ColumnKind::number;
  }
  try {
    for (;;) {
      duckdb_data_chunk dc = duckdb_fetch_chunk(r);
      if (!dc) break;
      Chunk chunk = wrap(dc, kinds);
      try {
        on_chunk(chunk);
      } catch (...) {
        duckdb_destroy_data_chunk(&dc);
        throw;
      }
      duckdb_destroy_data_chunk(&dc);
    }
    const char* error = duckdb_result_error(&r);
    if (error) throw DataError(tidy(context, error));
  } catch (...) {
    duckdb_destroy_result(&r);
    throw;
  }
  duckdb_destroy_result(&r);
}

// Chunk reads these layouts inline (duck.hpp).
static_assert(sizeof(duckdb_string_t) == 16 && offsetof(duckdb_string_t, value.inlined.inlined) == 4 &&
              offsetof(duckdb_string_t, value.pointer.ptr) == 8);

}  // namespace iaf::source

namespace iaf::source {
namespace {

// The aggregate's extra info: how to make consumers, the final result, and the first error.
struct ParallelScan {
  std::function<std::unique_ptr<ChunkConsumer>()> make;
  std::vector<ColumnKind> kinds;
  std::unique_ptr<ChunkConsumer> result;
  std::mutex mutex;
  std::atomic<uint64_t> consumed{0};  // rows handed to consumers so far, for progress
  std::string error;                  // a consumer's first error, reported as it was written
  // Every consumer alive in some state. On an error DuckDB 1.4.4 drops aggregate states without
  // calling their destructor, so what is left here when the query is over is freed by the scan.
  std::set<ChunkConsumer*> live;

  ChunkConsumer* adopt(std::unique_ptr<ChunkConsumer> c) {
    std::lock_guard<std::mutex> lock(mutex);
    return *live.insert(c.release()).first;
  }
  std::unique_ptr<ChunkConsumer> release(ChunkConsumer* c) {
    std::lock_guard<std::mutex> lock(mutex);
    live.erase(c);
    return std::unique_ptr<ChunkConsumer>(c);
  }
  ~ParallelScan() {
    for (ChunkConsumer* c : live) delete c;
  }

  void fail(duckdb_function_info info, const std::exception& e) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (error.empty()) error = e.what();
    }
    duckdb_aggregate_function_set_error(info, e.what());
  }
};

struct ConsumerState {
  ChunkConsumer* consumer;  // owned through scan->live; the state is raw bytes DuckDB copies around
  ParallelScan* scan;
};

ParallelScan& scan_of(duckdb_function_info info) {
  return *static_cast<ParallelScan*>(duckdb_aggregate_function_get_extra_info(info));
}

idx_t state_size(duckdb_function_info) { return sizeof(ConsumerState); }

void state_init(duckdb_function_info info, duckdb_aggregate_state state) {
  auto* s = reinterpret_cast<ConsumerState*>(state);
  s->consumer = nullptr;
  s->scan = &scan_of(info);
  try {
    s->consumer = scan_of(info).adopt(scan_of(info).make());
  } catch (const std::exception& e) {
    scan_of(info).fail(info, e);
  }
}

// The destructor has no function info: the scan is found through the state.
void state_destroy(duckdb_aggregate_state* states, idx_t count) {
  for (idx_t i = 0; i < count; ++i) {
    auto* s = reinterpret_cast<ConsumerState*>(states[i]);
    if (s->consumer) s->scan->release(s->consumer);  // and the unique_ptr frees it
    s->consumer = nullptr;
  }
}

void state_update(duckdb_function_info info, duckdb_data_chunk input, duckdb_aggregate_state* states) {
  try {
    ParallelScan& scan = scan_of(info);
    Chunk chunk = Duck::wrap(input, scan.kinds);
    // An ungrouped aggregate: every row of a chunk belongs to the same (thread-local) state.
    auto* s = reinterpret_cast<ConsumerState*>(states[0]);
    if (s->consumer && chunk.size() > 0) s->consumer->consume(chunk);
    scan.consumed.fetch_add(chunk.size(), std::memory_order_relaxed);
  } catch (const std::exception& e) {
    scan_of(info).fail(info, e);
  }
}

void state_combine(duckdb_function_info info, duckdb_aggregate_state* source, duckdb_aggregate_state* target, idx_t count) {
  try {
    for (idx_t i = 0; i < count; ++i) {
      auto* from = reinterpret_cast<ConsumerState*>(source[i]);
      auto* to = reinterpret_cast<ConsumerState*>(target[i]);
      if (!from->consumer) continue;
      if (!to->consumer) std::swap(to->consumer, from->consumer);
      else to->consumer->merge(*from->consumer);
    }
  } catch (const std::exception& e) {
    scan_of(info).fail(info, e);
  }
}

void state_finalize(duckdb_function_info info, duckdb_aggregate_state* source, duckdb_vector result, idx_t count, idx_t offset) {
  ParallelScan& scan = scan_of(info);
  auto* out = static_cast<int64_t*>(duckdb_vector_get_data(result));
  for (idx_t i = 0; i < count; ++i) {
    auto* s = reinterpret_cast<ConsumerState*>(source[i]);
    out[offset + i] = 0;
    if (s->consumer) {
      auto owned = scan.release(s->consumer);
      std::lock_guard<std::mutex> lock(scan.mutex);
      scan.result = std::move(owned);
    }
    s->consumer = nullptr;
  }
}

}  // namespace

Chunk Duck::wrap(void* data_chunk, const std::vector<ColumnKind>& kinds) {
  auto dc = static_cast<duckdb_data_chunk>(data_chunk);
  Chunk chunk;
  chunk.rows_ = duckdb_data_chunk_get_size(dc);
  for (idx_t c = 0; c < kinds.size(); ++c) {
    duckdb_vector v = duckdb_data_chunk_get_vector(dc, c);
    void* data = duckdb_vector_get_data(v);
    chunk.text_.push_back(kinds[c] == ColumnKind::text ? data : nullptr);
    chunk.number_.push_back(kinds[c] == ColumnKind::number ? static_cast<const double*>(data) : nullptr);
    chunk.hash_.push_back(kinds[c] == ColumnKind::hash ? static_cast<const uint64_t*>(data) : nullptr);
    chunk.validity_.push_back(duckdb_vector_get_validity(v));
  }
  return chunk;
}

std::unique_ptr<ChunkConsumer> Duck::consume_parallel(const std::string& relation, const std::vector<ScanColumn>& columns,
                                                      const std::function<std::unique_ptr<ChunkConsumer>()>& make,
                                                      std::string_view context, const Progress& progress) {
  static std::atomic<uint64_t> serial{0};
  auto scan = std::make_unique<ParallelScan>();
  scan->make = make;
  for (const auto& c : columns) scan->kinds.push_back(c.kind);
  std::string name = "iaf_consume_" + std::to_string(++serial);

  duckdb_aggregate_function fn = duckdb_create_aggregate_function();
  duckdb_aggregate_function_set_name(fn, name.c_str());
  for (const auto& c : columns) {
    duckdb_type type = c.kind == ColumnKind::text ? DUCKDB_TYPE_VARCHAR : c.kind == ColumnKind::number ? DUCKDB_TYPE_DOUBLE : DUCKDB_TYPE_UBIGINT;
    duckdb_logical_type t = duckdb_create_logical_type(type);
    duckdb_aggregate_function_add_parameter(fn, t);
    duckdb_destroy_logical_type(&t);
  }
  duckdb_logical_type ret = duckdb_create_logical_type(DUCKDB_TYPE_BIGINT);
  duckdb_aggregate_function_set_return_type(fn, ret);
  duckdb_destroy_logical_type(&ret);
  duckdb_aggregate_function_set_functions(fn, state_size, state_init, state_update, state_combine, state_finalize);
  duckdb_aggregate_function_set_destructor(fn, state_destroy);
  duckdb_aggregate_function_set_special_handling(fn);  // NULLs reach the consumer (counted as missing)
  duckdb_aggregate_function_set_extra_info(fn, scan.get(), nullptr);
  duckdb_state registered = duckdb_register_aggregate_function(h_->con, fn);
  duckdb_destroy_aggregate_function(&fn);
  if (registered != DuckDBSuccess) throw DataError(std::string(context) + ": cannot register the counting aggregate");

  std::string args;
  for (const auto& c : columns) args += (args.empty() ? "" : ", ") + c.sql;
  try {
    query("SELECT " + name + "(" + args + ") FROM " + relation, context, progress, &scan->consumed);
  } catch (const DataError&) {
    // DuckDB prefixes a consumer's error with its own words ("Invalid Input Error: …").
    if (!scan->error.empty()) throw DataError(scan->error);
    throw;
  }
  if (!scan->result) scan->result = make();  // no rows: an empty consumer
  return std::move(scan->result);
}

}  // namespace iaf::source
