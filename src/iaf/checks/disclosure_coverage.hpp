#pragma once
// The disclosure coverage table every report opens with: each combination the card discloses,
// the checks that audit it, or "no reference" with what reference would be needed.
#include <string>
#include <vector>

#include "iaf/checks/result.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::checks {

struct CoverageRow {
  std::string disclosure;
  std::vector<std::string> combination;
  std::vector<std::string> checks;   // ids of the checks that audit it
  std::vector<std::string> statuses; // their statuses, same order
  std::string needed;                // when no check audits it
};

// A check audits a combination of its disclosure when the dataset columns behind them are the
// same (a check may state its combination with `covers`).
std::vector<CoverageRow> disclosure_coverage(const pack::AuditPack& pack, const std::vector<CheckResult>& results);

}  // namespace iaf::checks
