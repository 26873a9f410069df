/* The benchmark's baseline: a minimal C program on the same libduckdb.so as iaf. It opens an
 * in-memory database the way iaf does (an explicit thread count; extensions never auto-installed
 * or auto-loaded), runs each SQL statement given on the command line, fetches its whole result,
 * and prints the number of result rows and the first value. Nothing else, so its wall time is
 * DuckDB's own cost of the query plus the process and library start-up iaf pays too.
 *
 *   duckdb_run [--threads N] SQL [SQL ...]
 */
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set(duckdb_config cfg, const char* key, const char* value) {
  if (duckdb_set_config(cfg, key, value) != DuckDBSuccess) {
    fprintf(stderr, "duckdb_run: DuckDB rejected %s = %s\n", key, value);
    return 0;
  }
  return 1;
}

int main(int argc, char** argv) {
  const char* threads = "2";
  int first = 1;
  if (argc > 2 && strcmp(argv[1], "--threads") == 0) {
    threads = argv[2];
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: duckdb_run [--threads N] SQL [SQL ...]\n");
    return 2;
  }
  duckdb_config cfg;
  if (duckdb_create_config(&cfg) != DuckDBSuccess) return 1;
  if (!set(cfg, "autoinstall_known_extensions", "false") || !set(cfg, "autoload_known_extensions", "false") ||
      !set(cfg, "threads", threads))
    return 1;
  duckdb_database db;
  char* error = NULL;
  if (duckdb_open_ext(NULL, &db, cfg, &error) != DuckDBSuccess) {
    fprintf(stderr, "duckdb_run: open: %s\n", error ? error : "?");
    return 1;
  }
  duckdb_destroy_config(&cfg);
  duckdb_connection con;
  if (duckdb_connect(db, &con) != DuckDBSuccess) return 1;
  int status = 0;
  for (int i = first; i < argc && status == 0; ++i) {
    duckdb_result r;
    if (duckdb_query(con, argv[i], &r) != DuckDBSuccess) {
      fprintf(stderr, "duckdb_run: %s\n", duckdb_result_error(&r));
      status = 1;
    } else {
      idx_t rows = duckdb_row_count(&r);
      char* v = rows && duckdb_column_count(&r) ? duckdb_value_varchar(&r, 0, 0) : NULL;
      printf("rows=%llu first=%s\n", (unsigned long long)rows, v ? v : "");
      duckdb_free(v);
    }
    duckdb_destroy_result(&r);
  }
  duckdb_disconnect(&con);
  duckdb_close(&db);
  return status;
}
