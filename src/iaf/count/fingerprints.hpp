#pragma once
// The dataset files' fingerprints (report.json's inputs), computed on a thread of their own from
// the moment the files are known: hashing is a pass over every byte of every file, which the scan,
// reading only the projected columns, never makes, so it overlaps the pack's load and the scan.
#include <atomic>
#include <exception>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace iaf::count {

enum class Fingerprint { xxh3, sha256 };

// "xxh3-128:<hex>" or "sha256:<hex>" of one file, read on the caller's thread.
std::string fingerprint(const std::filesystem::path& file, Fingerprint hash);

class Fingerprints {
 public:
  // background = false (one thread): the files are hashed by the first get(), on its thread.
  Fingerprints(std::vector<std::filesystem::path> files, Fingerprint hash, bool background);
  // Stops a computation whose result nobody took (an audit that failed before its report).
  ~Fingerprints();
  Fingerprints(const Fingerprints&) = delete;
  Fingerprints& operator=(const Fingerprints&) = delete;

  const std::vector<std::filesystem::path>& files() const { return files_; }
  // One per file, in order; waits for the thread, and rethrows its error.
  const std::vector<std::string>& get();
  // Wall seconds the hashing took, once get() has returned.
  double seconds() const { return seconds_; }

 private:
  void compute();

  std::vector<std::filesystem::path> files_;
  Fingerprint hash_;
  std::vector<std::string> prints_;
  std::exception_ptr error_;
  std::atomic<bool> stop_{false};
  double seconds_ = 0;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace iaf::count
