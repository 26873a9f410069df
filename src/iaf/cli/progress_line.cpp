#include "iaf/cli/progress_line.hpp"

#include <fmt/format.h>

namespace iaf::cli {

std::string grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void ProgressLine::update(uint64_t rows, double percentage) {
  std::lock_guard<std::mutex> lock(m_);
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = "reading rows: " + grouped(rows);
  if (percentage >= 0) line += fmt::format(" ({:.0f}%)", percentage);
  if (seconds > 0.5) line += fmt::format(", {:.2f}M rows/s", static_cast<double>(rows) / seconds / 1e6);
  // \r and an erase-to-end so a shorter line leaves nothing of the longer one behind.
  std::fputs(("\r" + line + "\x1b[K").c_str(), out_);
  std::fflush(out_);
  drawn_ = true;
}

void ProgressLine::finish() {
  std::lock_guard<std::mutex> lock(m_);
  if (!drawn_) return;
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
  drawn_ = false;
}

}  // namespace iaf::cli
