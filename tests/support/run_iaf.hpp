#pragma once
// Runs the built iaf binary with a shell command line and captures its exit code and output.
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.hpp"

namespace iaf::testing {

struct IafRun {
  int code;
  std::string out, err;
};

inline IafRun run_iaf(const std::string& args) {
  TempDir tmp;
  std::string cmd = std::string(IAF_BINARY_DIR) + "/iaf " + args + " >" + (tmp / "out").string() + " 2>" + (tmp / "err").string();
  int status = std::system(cmd.c_str());
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(tmp / "out"), slurp(tmp / "err")};
}

}  // namespace iaf::testing
