#pragma once
// The three ways a run can end badly, each with its documented exit code (DESIGN.md, CLI).
#include <stdexcept>
#include <string>

namespace iaf {

enum class ExitCode : int {
  ok = 0,        // nothing at or above the --fail-on level
  findings = 1,  // a check at or above the --fail-on level
  usage = 2,     // bad command line or bad audit pack
  data = 3,      // missing file, bad checksum, unreadable input
};

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// A mistake in the command line or the audit pack: the user fixes the pack.
struct PackError : Error {
  explicit PackError(const std::string& message) : Error(ExitCode::usage, message) {}
};

// Input that cannot be read or trusted: the user fixes the data or its path.
struct DataError : Error {
  explicit DataError(const std::string& message) : Error(ExitCode::data, message) {}
};

}  // namespace iaf
