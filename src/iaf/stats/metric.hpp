#pragma once
// A metric's value, or the reason it has none. Undefined metrics are never replaced by 0: reports
// print them as null with the reason (DESIGN.md, Outputs).
#include <cmath>
#include <optional>
#include <string>

namespace iaf::stats {

struct Metric {
  std::optional<double> value;
  std::string reason;  // why there is no value; empty when there is one

  static Metric of(double v) { return {v, {}}; }
  static Metric none(std::string why) { return {std::nullopt, std::move(why)}; }
  bool defined() const { return value.has_value(); }
  double operator*() const { return *value; }
};

}  // namespace iaf::stats
