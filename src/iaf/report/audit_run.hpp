#pragma once
// Everything one audit produced, as the report writers need it.
#include <string>
#include <vector>

#include "iaf/checks/disclosure_coverage.hpp"
#include "iaf/checks/result.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::report {

struct AuditRun {
  const pack::AuditPack& pack;
  const count::Counts& counts;
  std::vector<checks::CheckResult> results;
  std::vector<checks::CoverageRow> coverage;
  std::vector<count::InputFile> pack_files;  // audit.toml, references, crosswalks: sha256
  uint64_t seed = 0;
  unsigned bootstrap = 0;
  std::string dataset_override;              // --dataset / --counts as given, if any
  std::string generated_at;                  // the one field that differs between identical runs
  std::string tool_version;
};

// sha256 over "<path relative to the pack>  <sha256>" lines of audit.toml, its crosswalks and its
// references: the same pack gives the same digest on any machine and whatever data it audits. A
// file outside the pack (--allow-outside-pack) enters by its name, not its machine's path.
std::string pack_sha256(const std::vector<count::InputFile>& pack_files);

// The pack's own files with their sha256 (for the report's inputs).
std::vector<count::InputFile> pack_inputs(const pack::AuditPack& pack);

// A path as reports show it: relative to the pack folder when inside it.
std::string display_path(const pack::AuditPack& pack, const std::string& path);

}  // namespace iaf::report
