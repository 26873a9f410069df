#pragma once
// report.json: the schema-versioned record of an audit (docs/report-schema.md). Every other output
// — report.md, metrics.csv, report.html, JUnit, `iaf compare`, `iaf diff` — is rendered from it.
#include <nlohmann/json.hpp>

#include "iaf/report/audit_run.hpp"

namespace iaf::report {

inline constexpr const char* kSchemaVersion = "1.0";

nlohmann::ordered_json report_json(const AuditRun& run);

// The report's `summary` counts from its checks.
nlohmann::ordered_json summary_of(const nlohmann::ordered_json& checks);

}  // namespace iaf::report
