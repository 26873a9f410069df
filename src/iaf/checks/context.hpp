#pragma once
// What every check needs: the pack, the plan and counts it was counted with, and the resampling
// settings.
#include <cstdint>
#include <memory>
#include <string>

#include "iaf/checks/result.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::checks {

class BootstrapDraws;

struct Resampling {
  uint64_t seed = 20260515;
  unsigned replicates = 1000;  // B; 0 turns the uncertainty off
  unsigned threads = 1;
  // Set while the runs of one check (its default and sensitivity variants) resample the same raw
  // counts with the same seed, so they draw them once (uncertainty.hpp).
  std::shared_ptr<BootstrapDraws> shared_draws;
};

struct CheckContext {
  const pack::AuditPack& pack;
  const count::Plan& plan;
  const count::Counts& counts;
  Resampling resampling;
};

// The synthetic grouping of a check (its main one), or nullptr with `why` set when the counts
// cannot produce it.
const count::GroupingCounts& grouping_of(const CheckContext& ctx, const pack::Check& check);

// The result skeleton: ids, both sides' universes and vintages, thresholds.
CheckResult start_result(const CheckContext& ctx, const pack::Check& check);

CheckResult& mark(CheckResult& r, Status s, std::string reason);

}  // namespace iaf::checks
