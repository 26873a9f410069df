#include <gtest/gtest.h>

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <cmath>
#include <numeric>

#include "iaf/stats/chi_square.hpp"
#include "iaf/stats/sampling.hpp"

using namespace iaf::stats;

namespace {

// Draws `draws` binomials and tests the histogram against the exact pmf (cells pooled below 5).
double log10_p_of_fit(uint64_t n, double p, size_t draws, uint64_t seed) {
  Rng rng(seed, 7);
  std::vector<double> hist(n + 1, 0.0);
  for (size_t i = 0; i < draws; ++i) hist[binomial(rng, n, p)] += 1;
  boost::math::binomial_distribution<double> dist(static_cast<double>(n), p);
  std::vector<double> pmf(n + 1);
  for (uint64_t k = 0; k <= n; ++k) pmf[k] = boost::math::pdf(dist, static_cast<double>(k));
  return *goodness_of_fit(hist, pmf).log10_p;
}

}  // namespace

// The sampler's output follows the binomial law in both regimes (inversion, BTRS) and after the
// p > ½ reflection. With a fixed seed these are deterministic; a wrong sampler gives p ≈ 0.
TEST(Binomial, MatchesExactPmf) {
  EXPECT_GT(log10_p_of_fit(20, 0.1, 200000, 1), -4);    // n·p = 2: inversion
  EXPECT_GT(log10_p_of_fit(200, 0.3, 200000, 2), -4);   // n·p = 60: BTRS
  EXPECT_GT(log10_p_of_fit(1000, 0.97, 200000, 3), -4); // reflected, BTRS
  EXPECT_GT(log10_p_of_fit(40, 0.2499, 200000, 4), -4); // n·p just under 10: inversion
}

TEST(Binomial, LargeNHasTheRightMoments) {
  Rng rng(20260515, 0);
  const uint64_t n = 1000000000;  // cost is independent of n
  const double p = 0.0123;
  double sum = 0, sum2 = 0;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    double x = static_cast<double>(binomial(rng, n, p));
    sum += x;
    sum2 += x * x;
  }
  double mean = sum / draws, var = sum2 / draws - mean * mean;
  double sd_of_mean = std::sqrt(n * p * (1 - p) / draws);
  EXPECT_NEAR(mean, n * p, 5 * sd_of_mean);
  EXPECT_NEAR(var / (n * p * (1 - p)), 1.0, 0.05);
}

TEST(Binomial, EdgeCases) {
  Rng rng(1, 1);
  EXPECT_EQ(binomial(rng, 0, 0.5), 0u);
  EXPECT_EQ(binomial(rng, 10, 0.0), 0u);
  EXPECT_EQ(binomial(rng, 10, 1.0), 10u);
  EXPECT_THROW(binomial(rng, 10, 1.5), std::domain_error);
}

TEST(Multinomial, SumsToNAndIsReproduciblePerStream) {
  std::vector<double> probs = {0.5, 0, 0.2, 0.25, 0.05, 0};
  Rng a(99, 3), b(99, 3), c(99, 4);
  auto x = multinomial(a, 1000000, probs);
  EXPECT_EQ(x, multinomial(b, 1000000, probs));
  EXPECT_NE(x, multinomial(c, 1000000, probs));
  EXPECT_EQ(std::accumulate(x.begin(), x.end(), uint64_t{0}), 1000000u);
  EXPECT_EQ(x[1], 0u);
  EXPECT_EQ(x[5], 0u);
}

TEST(Multinomial, CellMeansMatchProbabilities) {
  std::vector<double> probs = {3, 1, 6};  // masses, normalised by the sampler
  std::vector<double> sums(3, 0);
  const int reps = 4000;
  const uint64_t n = 500;
  for (int r = 0; r < reps; ++r) {
    Rng rng(5, static_cast<uint64_t>(r));
    auto x = multinomial(rng, n, probs);
    for (size_t k = 0; k < 3; ++k) sums[k] += static_cast<double>(x[k]);
  }
  for (size_t k = 0; k < 3; ++k) {
    double pk = probs[k] / 10, expected = n * pk;
    double sd = std::sqrt(n * pk * (1 - pk) / reps);
    EXPECT_NEAR(sums[k] / reps, expected, 5 * sd) << k;
  }
}

// The BTRS acceptance test's log-factorials, against Boost's lgamma: exact in the table, and the
// Stirling series from 16 on to a few ulps (relative 1e-14 covers the handover and large n).
TEST(Binomial, LogFactorialMatchesLgamma) {
  for (double x : {0.0, 1.0, 5.0, 15.0, 16.0, 17.0, 40.0, 1000.0, 123456.0, 1e9})
    EXPECT_NEAR(log_factorial(x), boost::math::lgamma(x + 1), 1e-14 * std::max(1.0, boost::math::lgamma(x + 1))) << x;
}

TEST(Binomial, BtrsAcceptsWithTheRightDensity) {
  // A sampler whose log-factorial were off would skew the accepted draws: fit the exact pmf at
  // sizes whose candidates fall on both sides of the table's end (mode near 16) and far beyond.
  EXPECT_GT(log10_p_of_fit(64, 0.25, 200000, 5), -4);
  EXPECT_GT(log10_p_of_fit(5000, 0.4, 200000, 6), -4);
}
