#pragma once
// report.html: one self-contained page rendered from report.json — no network, no external fonts, no
// script libraries (a few lines of inline script open the collapsed sections for printing). It holds
// the disclosure coverage table, the summary by disclosure with verdict badges, one section per check
// (its chart, drawn as inline SVG by svg_charts, the verdict's context — both sides' universes and
// vintages, coverage, minimum detectable value, a threshold sweep — and collapsible detail tables),
// the provenance and the licences. Every string from the report is HTML-escaped.
#include <string>

#include <nlohmann/json.hpp>

namespace iaf::report {

std::string report_html(const nlohmann::ordered_json& report);

}  // namespace iaf::report
