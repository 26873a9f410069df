#pragma once
// Verdicts, and the default bands that turn a deciding metric into one (DESIGN.md, "Default
// bands": one table in the code, printed in every report, overridable per check).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iaf::checks {

enum class Status { pass, flag, fail, incomputable, not_applicable };
const char* status_name(Status s);
// Severity for --fail-on: pass < flag < fail; incomputable and not_applicable sit outside the scale
// (--fail-on incomputable also counts incomputable checks).
int severity(Status s);
// Whether a check with this status (by name) trips `--fail-on level`: fail trips every level, flag
// trips flag and incomputable, incomputable only incomputable; pass and not_applicable never.
bool trips_fail_on(std::string_view status, std::string_view level);

struct Band {
  std::string check_type, metric;
  bool higher_is_better = false;
  double pass = 0, flag = 0;  // lower-is-better: pass ≤ pass, flag ≤ flag, fail above; else mirrored
  std::string why;
};

// The defaults, one row per check type's deciding metric.
const std::vector<Band>& default_bands();
// The band for a check type with its per-check overrides ("pass", "flag").
Band band_for(const std::string& check_type, const std::map<std::string, double>& overrides);
// The verdict of `value` under `band`.
Status judge(const Band& band, double value);

// Share-screening and rule defaults, also printed in every report.
inline constexpr double kDominatedBelow = 0.30;  // τ: "male-dominated" = under 30% women
inline constexpr double kExcess = 0.05;          // δ: 5 points of excess
inline constexpr double kMinCompliance = 1.0;    // institutional rules are hard

}  // namespace iaf::checks
