#include "iaf/stats/divergence.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

namespace iaf::stats {
namespace {

std::vector<double> normalised(std::span<const double> m) {
  double total = 0;
  for (double v : m) total += v;
  if (!(total > 0)) throw std::domain_error("distribution with zero total mass");
  std::vector<double> out(m.begin(), m.end());
  for (double& v : out) v /= total;
  return out;
}

void same_length(std::span<const double> p, std::span<const double> q) {
  if (p.size() != q.size()) throw std::invalid_argument("p and q have different numbers of cells");
}

}  // namespace

double total_variation(std::span<const double> p, std::span<const double> q) {
  same_length(p, q);
  auto a = normalised(p), b = normalised(q);
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += std::fabs(a[i] - b[i]);
  return 0.5 * s;
}

double jensen_shannon(std::span<const double> p, std::span<const double> q) {
  same_length(p, q);
  auto a = normalised(p), b = normalised(q);
  // JSD = ½KL(p‖m) + ½KL(q‖m); p·ln(p/m) written as p·log1p((p−q)/(p+q)) keeps precision when p ≈ q.
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double sum = a[i] + b[i];
    if (sum == 0) continue;
    double r = (a[i] - b[i]) / sum;
    if (a[i] > 0) s += a[i] * std::log1p(r);
    if (b[i] > 0) s += b[i] * std::log1p(-r);
  }
  return std::max(0.0, 0.5 * s / std::log(2.0));
}

double js_distance(std::span<const double> p, std::span<const double> q) { return std::sqrt(jensen_shannon(p, q)); }

double hellinger(std::span<const double> p, std::span<const double> q) {
  same_length(p, q);
  auto a = normalised(p), b = normalised(q);
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double d = std::sqrt(a[i]) - std::sqrt(b[i]);
    s += d * d;
  }
  return std::sqrt(0.5 * s);
}

double max_abs_difference(std::span<const double> p, std::span<const double> q) {
  same_length(p, q);
  auto a = normalised(p), b = normalised(q);
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

double impossible_mass(std::span<const double> p, std::span<const double> q) {
  same_length(p, q);
  auto a = normalised(p), b = normalised(q);
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i)
    if (b[i] == 0) s += a[i];
  return s;
}

Metric kullback_leibler(std::span<const double> p, std::span<const double> q, double epsilon) {
  same_length(p, q);
  if (epsilon < 0) throw std::invalid_argument("KL smoothing must be non-negative");
  auto a = normalised(p), b = normalised(q);
  double k = static_cast<double>(a.size());
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double pi = (a[i] + epsilon) / (1 + k * epsilon);
    double qi = (b[i] + epsilon) / (1 + k * epsilon);
    if (pi == 0) continue;
    if (qi == 0) return Metric::none("reference has zero mass where the synthetic has mass; give a smoothing epsilon");
    s += pi * std::log2(pi / qi);
  }
  return Metric::of(s);
}

}  // namespace iaf::stats
