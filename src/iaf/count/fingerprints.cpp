#include "iaf/count/fingerprints.hpp"

#include <chrono>

#include "iaf/core/digest.hpp"

namespace iaf::count {
namespace fs = std::filesystem;

std::string fingerprint(const fs::path& file, Fingerprint hash) {
  return hash == Fingerprint::sha256 ? "sha256:" + sha256_file(file) : "xxh3-128:" + xxh3_128_file(file);
}

Fingerprints::Fingerprints(std::vector<fs::path> files, Fingerprint hash, bool background)
    : files_(std::move(files)), hash_(hash) {
  if (background) thread_ = std::thread([this] { compute(); });
}

Fingerprints::~Fingerprints() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Fingerprints::compute() {
  auto start = std::chrono::steady_clock::now();
  try {
    for (const auto& file : files_)
      prints_.push_back(hash_ == Fingerprint::sha256 ? "sha256:" + sha256_file(file, &stop_)
                                                     : "xxh3-128:" + xxh3_128_file(file, &stop_));
  } catch (...) {
    error_ = std::current_exception();
  }
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

const std::vector<std::string>& Fingerprints::get() {
  if (!done_) {
    if (thread_.joinable()) thread_.join();
    else compute();
    done_ = true;
  }
  if (error_) std::rethrow_exception(error_);
  return prints_;
}

}  // namespace iaf::count
