#pragma once
// The one-line "reading rows" meter that `iaf audit` draws on a terminal's standard error.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace iaf::cli {

class ProgressLine {
 public:
  explicit ProgressLine(std::FILE* out) : out_(out), start_(std::chrono::steady_clock::now()) {}
  ~ProgressLine() { finish(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Redraws at most four times a second; safe to call from any thread.
  void update(uint64_t rows, double percentage);
  // Clears the line so that what follows starts on a clean one.
  void finish();

 private:
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_{};
  std::mutex m_;
  bool drawn_ = false;
};

// "1,234,567": rows with thousands separators.
std::string grouped(uint64_t n);

}  // namespace iaf::cli
