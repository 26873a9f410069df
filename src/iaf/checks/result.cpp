#include "iaf/checks/result.hpp"

#include <fmt/format.h>

namespace iaf::checks {

std::string num(double v) { return fmt::format("{:.4g}", v); }

void CheckResult::set(const std::string& name, stats::Metric m) {
  for (auto& [n, v] : metrics)
    if (n == name) {
      v = std::move(m);
      if (!v.defined()) ci.erase(name);
      return;
    }
  metrics.emplace_back(name, std::move(m));
}

const stats::Metric* CheckResult::metric(const std::string& name) const {
  for (const auto& [n, v] : metrics)
    if (n == name) return &v;
  return nullptr;
}

}  // namespace iaf::checks
