#pragma once
// iaf's own random draws, so that bootstrap replicates are the same on every standard library and
// thread count: PCG32 streams, uniform doubles, binomials and multinomials by conditional binomials.
#include <cstdint>
#include <span>
#include <vector>

#include <pcg_random.hpp>

namespace iaf::stats {

class Rng {
 public:
  // Replicate r of a run always draws from stream r of the run's seed.
  Rng(uint64_t seed, uint64_t stream) : engine_(seed, stream) {}
  double uniform();  // in [0, 1), 53 random bits

 private:
  pcg32 engine_;
};

// Binomial(n, p): inversion when n·min(p,1−p) < 10, Hörmann's BTRS transformed rejection otherwise,
// so the expected cost is bounded whatever n is.
uint64_t binomial(Rng& rng, uint64_t n, double p);

// log(x!) for a whole number x ≥ 0, by a table and Stirling's series with four correction terms.
double log_factorial(double x);

// Multinomial(n, probs) by conditional binomials: cell k ~ Binomial(n − Σ_{j<k} x_j,
// p_k / Σ_{j≥k} p_j). `probs` are non-negative masses (normalised here).
std::vector<uint64_t> multinomial(Rng& rng, uint64_t n, std::span<const double> probs);

}  // namespace iaf::stats
