#pragma once
// Reports compared: their checks field by field (statuses, by_variant, every metric and every CI
// bound to 1e-12, relative, or absolute below 1), or whole documents to the same tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace iaf::testing {

inline void expect_same_checks(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b, const std::string& what) {
  ASSERT_EQ(a["checks"].size(), b["checks"].size());
  for (size_t i = 0; i < a["checks"].size(); ++i) {
    const auto& x = a["checks"][i];
    const auto& y = b["checks"][i];
    EXPECT_EQ(x["status"], y["status"]) << what << " " << x["id"] << ": " << x["reason"] << " / " << y["reason"];
    EXPECT_EQ(x["by_variant"], y["by_variant"]) << what << " " << x["id"];
    for (const auto& [k, v] : x["metrics"].items()) {
      ASSERT_TRUE(y["metrics"].contains(k)) << what << " " << x["id"] << " " << k;
      if (v.is_null()) {
        EXPECT_TRUE(y["metrics"][k].is_null()) << what << " " << x["id"] << " " << k;
        continue;
      }
      double u = v.get<double>(), w = y["metrics"][k].get<double>();
      EXPECT_LE(std::fabs(u - w), 1e-12 * std::max(1.0, std::fabs(u))) << what << " " << x["id"] << " " << k;
    }
    ASSERT_EQ(x["ci"].size(), y["ci"].size()) << what << " " << x["id"];
    for (const auto& [k, v] : x["ci"].items())
      for (size_t e = 0; e < 2; ++e) {
        double u = v[e].get<double>(), w = y["ci"][k][e].get<double>();
        EXPECT_LE(std::fabs(u - w), 1e-12 * std::max(1.0, std::fabs(u))) << what << " " << x["id"] << " ci " << k;
      }
  }
}

// Two JSON documents equal in every key, its order, every string and array length; numbers equal to
// 1e-12 (relative, or absolute below 1). `where` is the path so far, for the failure message.
inline void expect_same_json(const nlohmann::ordered_json& a, const nlohmann::ordered_json& b, const std::string& where) {
  if (a.is_number() && b.is_number()) {
    double u = a.get<double>(), w = b.get<double>();
    EXPECT_LE(std::fabs(u - w), 1e-12 * std::max(1.0, std::fabs(u))) << where << ": " << u << " vs " << w;
    return;
  }
  ASSERT_EQ(a.type_name(), std::string(b.type_name())) << where;
  if (a.is_object()) {
    ASSERT_EQ(a.size(), b.size()) << where << ": " << a.dump() .substr(0, 200) << " vs " << b.dump().substr(0, 200);
    auto x = a.begin();
    auto y = b.begin();
    for (; x != a.end(); ++x, ++y) {
      ASSERT_EQ(x.key(), y.key()) << where;
      expect_same_json(x.value(), y.value(), where + "." + x.key());
    }
  } else if (a.is_array()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    for (size_t i = 0; i < a.size(); ++i) expect_same_json(a[i], b[i], where + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(a, b) << where;
  }
}

}  // namespace iaf::testing
