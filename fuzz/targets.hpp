#pragma once
// The fuzz targets' bodies, one function per target, shared by the libFuzzer drivers (fuzz_*.cpp)
// and by the regression replay test (tests/bad/fuzz_replay_test.cpp), which runs every input kept in
// fuzz/regressions/<target>/ and every seed in fuzz/corpus/<target>/ through the same code.
//
// A target accepts any bytes. It may end by an iaf::Error (a clear pack or data error: the expected
// answer to garbage); anything else that escapes, a crash, a sanitizer report or a broken invariant
// (abort) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace iaf::fuzz {

int pack_loader(const uint8_t* data, size_t size);      // bytes → audit.toml → load_pack
int expression(const uint8_t* data, size_t size);       // parse, to_sql, check_types, evaluate, round-trip
int table_loader(const uint8_t* data, size_t size);     // bytes → crosswalk CSV and reference CSV
int counts_loader(const uint8_t* data, size_t size);    // bytes → counts table → count_tables

struct Target {
  const char* name;
  int (*run)(const uint8_t*, size_t);
};
const std::vector<Target>& targets();

}  // namespace iaf::fuzz
