#pragma once
// Audits side by side (`iaf compare`) and one audit against the next (`iaf diff`), both read from
// report.json files.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace iaf::report {

struct NamedReport {
  std::string name;  // the file as given
  nlohmann::ordered_json report;
};

// The comparison of several audits: per check (matched by id), each audit's verdict, headline
// metric with CI, taxonomy size k and df, flagged / testable cells and their rate, and the same at
// the shared taxonomy where the pack declares a rollup. format: text, md or html.
std::string compare_reports(const std::vector<NamedReport>& reports, const std::string& format);

struct DiffResult {
  std::string text;
  size_t regressions = 0;  // checks whose status got worse and reached the --fail-on level
};

// What changed from `before` to `after` (statuses, deciding metrics with CIs, coverage).
DiffResult diff_reports(const NamedReport& before, const NamedReport& after, const std::string& fail_on,
                        const std::string& format);

}  // namespace iaf::report
