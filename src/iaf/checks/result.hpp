#pragma once
// What a check found: its verdict with the reason and thresholds that decided it, every metric
// with its confidence interval where one exists, the per-level and per-cell details, the verdicts
// under other crosswalk variants, and both sides' universes and vintages.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "iaf/checks/status.hpp"
#include "iaf/stats/interval.hpp"
#include "iaf/stats/metric.hpp"

namespace iaf::checks {

// A number as reasons print it: 4 significant digits.
std::string num(double v);

struct SideInfo {
  std::string name, universe, vintage;
};

struct CheckResult {
  std::string id, type, disclosure, description, reference;
  std::vector<std::string> attributes;
  Status status = Status::incomputable;
  std::string reason;
  std::string deciding_metric;
  std::optional<Band> band;
  std::map<std::string, double> thresholds;       // every threshold the verdict used
  std::vector<std::pair<std::string, stats::Metric>> metrics;
  std::map<std::string, stats::Interval> ci;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  std::vector<std::pair<std::string, Status>> by_variant;  // "crosswalk:variant" → status
  bool mapping_dependent = false;
  std::optional<Status> standardised_status;     // share checks with standardise_by
  SideInfo synthetic, reference_side;
  std::optional<double> coverage;
  std::optional<std::pair<double, double>> metric_bounds;  // deciding metric if unmapped mass fell at either extreme
  std::optional<double> minimum_detectable;       // the noise floor's 95th percentile

  void add(const std::string& name, stats::Metric m) { metrics.emplace_back(name, std::move(m)); }
  void add(const std::string& name, double v) { metrics.emplace_back(name, stats::Metric::of(v)); }
  // Replaces a metric added earlier (or adds it).
  void set(const std::string& name, stats::Metric m);
  const stats::Metric* metric(const std::string& name) const;
};

}  // namespace iaf::checks
