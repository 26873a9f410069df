# Every dependency is a Debian bookworm package, except DuckDB, which scripts/setup-deps.sh places in
# third_party/duckdb (pinned npm tarballs, sha256-verified).
find_package(PkgConfig REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(Boost 1.74 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
find_path(PCG_INCLUDE_DIR pcg_random.hpp REQUIRED)

set(IAF_DUCKDB_DIR ${PROJECT_SOURCE_DIR}/third_party/duckdb)
if(NOT EXISTS ${IAF_DUCKDB_DIR}/lib/libduckdb.so OR NOT EXISTS ${IAF_DUCKDB_DIR}/include/duckdb.h)
  message(FATAL_ERROR "DuckDB 1.4.4 is missing from third_party/duckdb: run scripts/setup-deps.sh (make does)")
endif()
add_library(duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb PROPERTIES
  IMPORTED_LOCATION ${IAF_DUCKDB_DIR}/lib/libduckdb.so
  INTERFACE_INCLUDE_DIRECTORIES ${IAF_DUCKDB_DIR}/include)
# Binaries find libduckdb.so beside the checkout, wherever it is cloned.
set(CMAKE_BUILD_RPATH ${IAF_DUCKDB_DIR}/lib)
set(CMAKE_INSTALL_RPATH ${IAF_DUCKDB_DIR}/lib)
