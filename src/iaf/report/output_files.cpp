#include "iaf/report/output_files.hpp"

#include <unistd.h>

#include <fstream>
#include <vector>

#include "iaf/core/error.hpp"

namespace iaf::report {
namespace fs = std::filesystem;

void write_outputs(const fs::path& dir, const std::map<std::string, std::string>& files) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw DataError(dir.string() + ": cannot create the output directory (" + ec.message() + ")");
  std::vector<std::pair<fs::path, fs::path>> staged;
  auto cleanup = [&] {
    for (const auto& [tmp, final] : staged) fs::remove(tmp, ec);
  };
  for (const auto& [name, content] : files) {
    fs::path final = dir / name;
    fs::path tmp = dir / ("." + name + ".tmp-" + std::to_string(::getpid()));
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    staged.emplace_back(tmp, final);
    if (!out) {
      cleanup();
      throw DataError(final.string() + ": cannot write the report");
    }
  }
  for (const auto& [tmp, final] : staged) {
    fs::rename(tmp, final, ec);
    if (ec) {
      cleanup();
      throw DataError(final.string() + ": cannot move the report into place (" + ec.message() + ")");
    }
  }
}

}  // namespace iaf::report
