#include "iaf/report/audit_run.hpp"

#include <algorithm>
#include <filesystem>

#include "iaf/core/digest.hpp"

namespace iaf::report {
namespace fs = std::filesystem;

std::string display_path(const pack::AuditPack& pack, const std::string& path) {
  fs::path p = fs::weakly_canonical(path);
  auto rel = p.lexically_relative(pack.root);
  if (!rel.empty() && *rel.begin() != "..") return rel.generic_string();
  return p.generic_string();
}

std::vector<count::InputFile> pack_inputs(const pack::AuditPack& pack) {
  std::vector<count::InputFile> out;
  for (const auto& [role, file] : pack.pack_files())
    out.push_back({role, display_path(pack, file.string()), fs::file_size(file), "sha256:" + sha256_file(file), -1});
  return out;
}

std::string pack_sha256(const std::vector<count::InputFile>& pack_files) {
  std::vector<std::string> lines;
  for (const auto& f : pack_files) {
    fs::path p(f.path);
    std::string name = p.is_absolute() ? "(outside the pack)/" + p.filename().string() : f.path;
    lines.push_back(name + "  " + f.fingerprint.substr(7) + "\n");
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  std::string all;
  for (const auto& l : lines) all += l;
  return sha256_hex(all);
}

}  // namespace iaf::report
