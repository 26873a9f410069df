#include "iaf/stats/sampling.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

namespace iaf::stats {

// Exact below 16 (16! is exact in a double); from 16 on, the truncation error of the series is
// below 1/(1188·17⁹) ≈ 7e-15. BTRS calls this twice per candidate: Boost's lgamma, which promotes
// to long double, took 60% of a bootstrap.
double log_factorial(double x) {
  static const std::array<double, 16> small = [] {
    std::array<double, 16> t{};
    double f = 1;
    for (int k = 0; k < 16; ++k) {
      if (k > 0) f *= k;
      t[static_cast<size_t>(k)] = std::log(f);
    }
    return t;
  }();
  if (x < 16) return small[static_cast<size_t>(x)];
  double y = x + 1, r = 1 / (y * y);
  constexpr double half_log_2pi = 0.91893853320467274178;
  return (y - 0.5) * std::log(y) - y + half_log_2pi + (1.0 / 12 - r * (1.0 / 360 - r * (1.0 / 1260 - r / 1680))) / y;
}

namespace {

uint64_t binomial_inversion(Rng& rng, uint64_t n, double p) {
  double q = 1 - p, s = p / q, a = (static_cast<double>(n) + 1) * s;
  double r = std::pow(q, static_cast<double>(n));
  double u = rng.uniform();
  uint64_t x = 0;
  while (u > r) {
    u -= r;
    ++x;
    if (x > n) return n;  // only reachable through rounding in the running pmf
    r *= a / static_cast<double>(x) - s;
  }
  return x;
}

// Hörmann (1993), "The generation of binomial random variates", algorithm BTRS; p ≤ ½, n·p ≥ 10.
uint64_t binomial_btrs(Rng& rng, uint64_t n, double p) {
  double nd = static_cast<double>(n), q = 1 - p;
  double spq = std::sqrt(nd * p * q);
  double b = 1.15 + 2.53 * spq;
  double a = -0.0873 + 0.0248 * b + 0.01 * p;
  double c = nd * p + 0.5;
  double v_r = 0.92 - 4.2 / b;
  double alpha = (2.83 + 5.1 / b) * spq;
  double m = std::floor((nd + 1) * p);
  // Only candidates outside the squeeze need the density; most are accepted before it.
  double lpq = 0, h = 0;
  bool density = false;
  for (;;) {
    double u = rng.uniform() - 0.5;
    double v = rng.uniform();
    double us = 0.5 - std::fabs(u);
    double k = std::floor((2 * a / us + b) * u + c);
    if (k < 0 || k > nd) continue;
    if (us >= 0.07 && v <= v_r) return static_cast<uint64_t>(k);
    v = std::log(v * alpha / (a / (us * us) + b));
    if (!density) {
      lpq = std::log(p / q);
      h = log_factorial(m) + log_factorial(nd - m);
      density = true;
    }
    if (v <= h - log_factorial(k) - log_factorial(nd - k) + (k - m) * lpq)
      return static_cast<uint64_t>(k);
  }
}

}  // namespace

double Rng::uniform() {
  uint64_t hi = engine_() >> 5, lo = engine_() >> 6;  // 27 + 26 bits
  return (static_cast<double>(hi) * 67108864.0 + static_cast<double>(lo)) / 9007199254740992.0;
}

uint64_t binomial(Rng& rng, uint64_t n, double p) {
  if (!(p >= 0 && p <= 1)) throw std::domain_error("binomial probability outside [0, 1]");
  if (n == 0 || p == 0) return 0;
  if (p == 1) return n;
  bool flip = p > 0.5;
  double pp = flip ? 1 - p : p;
  uint64_t k = static_cast<double>(n) * pp < 10 ? binomial_inversion(rng, n, pp) : binomial_btrs(rng, n, pp);
  return flip ? n - k : k;
}

std::vector<uint64_t> multinomial(Rng& rng, uint64_t n, std::span<const double> probs) {
  std::vector<double> suffix(probs.size() + 1, 0.0);
  for (size_t k = probs.size(); k-- > 0;) {
    if (probs[k] < 0) throw std::domain_error("multinomial with a negative mass");
    suffix[k] = suffix[k + 1] + probs[k];
  }
  std::vector<uint64_t> x(probs.size(), 0);
  uint64_t left = n;
  for (size_t k = 0; k < probs.size() && left > 0; ++k) {
    if (suffix[k + 1] <= 0) {  // the last cell with mass takes what is left
      x[k] = left;
      break;
    }
    double pk = std::min(1.0, probs[k] / suffix[k]);
    x[k] = binomial(rng, left, pk);
    left -= x[k];
  }
  return x;
}

}  // namespace iaf::stats
