#pragma once
// The reports rendered from report.json: report.md (the summary table, then the findings),
// metrics.csv (one row per check × metric), a JUnit XML summary for CI systems, and the summary
// table printed on the terminal.
#include <string>

#include <nlohmann/json.hpp>

namespace iaf::report {

std::string report_markdown(const nlohmann::ordered_json& report);
std::string metrics_csv(const nlohmann::ordered_json& report);
// A check at or above `fail_on` (fail, flag or incomputable) is a JUnit failure.
std::string junit_xml(const nlohmann::ordered_json& report, const std::string& fail_on);
std::string summary_table(const nlohmann::ordered_json& report);

// "0.0412 [0.0398, 0.0431]": a deciding metric with its interval, for tables.
std::string headline(const nlohmann::ordered_json& check);
// A number with 4 significant digits (and a sign for small negatives), "—" for null.
std::string fmt_number(const nlohmann::ordered_json& v);

}  // namespace iaf::report
