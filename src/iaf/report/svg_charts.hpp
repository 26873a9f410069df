#pragma once
// The inline SVG charts of report.html, drawn from a check of report.json: paired bars (marginal),
// residual heatmaps (joint, conditional), the share scatter (share), the rate profile (bounds), the
// compliance gauge (rule) and the verdict × crosswalk-variant matrix (sensitivity). Every chart is an
// <svg data-chart="KIND" role="img"> with a <title> and <desc>; every data mark carries data-mark.
// Which elements are marks (the browser test counts them against report.json):
//   paired-bars    data-mark="bar"    one synthetic bar per details.cells entry
//   heatmap        data-mark="cell"   joint: one per details.cells entry; conditional: one per
//                                     details.levels × details.outcome_labels
//   share-scatter  data-mark="point"  one per details.categories entry with s_p and s_q both numbers
//   rate-profile   data-mark="point"  one per details.strata entry with a rate
//   compliance     data-mark="point"  one, the compliance
//   variant-matrix data-mark="variant" one per by_variant entry (plus data-mark="standardisation",
//                                     two, the crude and the standardised verdict, where
//                                     standardised_status is set)
// All text taken from the report is escaped; labels longer than the room are cut with "…" and keep
// their full text in a <title> tooltip.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace iaf::report::svg {

// Escapes text for HTML, SVG and XML content and attribute values (& < > " '), and replaces C0
// control characters other than tab and newline (which XML 1.0 forbids) with U+FFFD.
std::string esc(std::string_view s);
// A share as a percentage with sensible precision: "12.3%", "4.56%", "0.012%".
std::string pct(double x);
// Approximate width of `s` in units of half an em (a Latin letter ≈ 1, a Hangul or CJK ideograph = 2).
double text_units(std::string_view s);
// `s` cut to at most `max_units` (see text_units), with "…" when cut.
std::string truncate(std::string_view s, double max_units);
// The colour of a verdict.
const char* status_colour(const std::string& status);

struct Chart {
  std::string kind;     // data-chart
  std::string svg;      // the <svg> element
  std::string caption;  // HTML for the <figcaption> (already escaped)
  size_t marks = 0;     // data-mark elements drawn
};

// The chart of the check's type; nullopt when the check has nothing to draw (an incomputable or
// not-applicable check, or a type-specific detail missing). `uid` makes SVG ids unique in the page.
std::optional<Chart> type_chart(const nlohmann::ordered_json& check, const std::string& uid);
// The verdict × crosswalk-variant matrix (and crude vs standardised verdict); nullopt when the check
// has neither by_variant nor a standardised_status.
std::optional<Chart> variant_matrix(const nlohmann::ordered_json& check, const std::string& uid);

// The chart kind a check type calls for ("" for an unknown type).
std::string chart_kind_for(const std::string& check_type);

}  // namespace iaf::report::svg
