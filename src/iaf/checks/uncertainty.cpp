#include "iaf/checks/uncertainty.hpp"

#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "iaf/core/digest.hpp"
#include "iaf/stats/sampling.hpp"

namespace iaf::checks {

uint64_t purpose_seed(uint64_t audit_seed, const std::string& check, const std::string& purpose) {
  std::string h = sha256_hex(std::to_string(audit_seed) + "\n" + check + "\n" + purpose);
  return std::stoull(h.substr(0, 16), nullptr, 16);
}

void parallel_for(unsigned count, unsigned threads, const std::function<void(unsigned)>& body) {
  unsigned workers = std::max(1u, std::min(threads, count));
  std::atomic<unsigned> next{0};
  std::vector<std::thread> pool;
  std::exception_ptr failure;
  std::mutex m;
  for (unsigned w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      try {
        for (unsigned i; (i = next++) < count;) body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        failure = std::current_exception();
        next = count;
      }
    });
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

std::vector<std::vector<double>> parallel_replicates(unsigned replicates, unsigned threads,
                                                     const std::function<std::vector<double>(unsigned)>& replicate) {
  std::vector<std::vector<double>> out(replicates);
  parallel_for(replicates, threads, [&](unsigned r) { out[r] = replicate(r); });
  return out;
}

DenseTable sample_like(const DenseTable& t, double n, uint64_t seed, uint64_t stream) {
  stats::Rng rng(seed, stream);
  auto draw = stats::multinomial(rng, static_cast<uint64_t>(std::llround(n)), t.values());
  std::vector<double> v(draw.begin(), draw.end());
  return DenseTable(t.shape(), std::move(v));
}

namespace {
std::vector<double> raw_draw(const std::vector<double>& raw, double n, uint64_t seed, unsigned rep) {
  stats::Rng rng(seed, rep);
  auto draw = stats::multinomial(rng, static_cast<uint64_t>(std::llround(n)), raw);
  return std::vector<double>(draw.begin(), draw.end());
}
}  // namespace

const BootstrapDraws::Draws& BootstrapDraws::of(const std::vector<double>& raw, double n, uint64_t seed, const Resampling& r) {
  for (const auto& e : entries_)
    if (e.seed == seed && e.n == n && e.raw == raw && e.draws.size() == r.replicates) return e.draws;
  Entry e{raw, n, seed, Draws(r.replicates)};
  parallel_for(r.replicates, r.threads, [&](unsigned rep) {
    auto draw = raw_draw(raw, n, seed, rep);
    e.draws[rep].assign(draw.begin(), draw.end());
  });
  entries_.push_back(std::move(e));
  return entries_.back().draws;
}

std::vector<std::vector<double>> bootstrap_replicates(const Alignment& a, double n_ref, const MetricsOf& metrics,
                                                      const Resampling& r, uint64_t seed) {
  double n = a.total(a.raw());
  // Kept draws are 32-bit counts; a larger table is drawn again by each run.
  bool share = r.shared_draws && std::llround(n) <= std::numeric_limits<uint32_t>::max();
  const BootstrapDraws::Draws* shared = share ? &r.shared_draws->of(a.raw(), n, seed, r) : nullptr;
  return parallel_replicates(r.replicates, r.threads, [&](unsigned rep) {
    std::vector<double> raw = shared ? std::vector<double>((*shared)[rep].begin(), (*shared)[rep].end())
                                     : raw_draw(a.raw(), n, seed, rep);
    DenseTable q = std::isfinite(n_ref) ? sample_like(a.reference(), n_ref, seed ^ 0x5eed5eed5eed5eedULL, rep) : a.reference();
    return metrics(a.synthetic(raw), q);
  });
}

std::vector<std::vector<double>> noise_replicates(const DenseTable& q, double n_synthetic, double n_ref,
                                                  const MetricsOf& metrics, const Resampling& r, uint64_t seed) {
  return parallel_replicates(r.replicates, r.threads, [&](unsigned rep) {
    DenseTable p = sample_like(q, n_synthetic, seed, rep);
    DenseTable qq = std::isfinite(n_ref) ? sample_like(q, n_ref, seed ^ 0x5eed5eed5eed5eedULL, rep) : q;
    return metrics(p, qq);
  });
}

namespace {
std::vector<double> defined_column(const std::vector<std::vector<double>>& reps, size_t m) {
  std::vector<double> v;
  for (const auto& r : reps)
    if (m < r.size() && std::isfinite(r[m])) v.push_back(r[m]);
  return v;
}
}  // namespace

std::optional<stats::Interval> column_interval(const std::vector<std::vector<double>>& reps, size_t m) {
  auto v = defined_column(reps, m);
  if (v.empty() || 2 * v.size() < reps.size()) return std::nullopt;
  return stats::percentile_interval(v);
}

std::optional<double> column_p95(const std::vector<std::vector<double>>& reps, size_t m) {
  auto v = defined_column(reps, m);
  if (v.empty() || 2 * v.size() < reps.size()) return std::nullopt;
  return stats::quantile(v, 0.95);
}

}  // namespace iaf::checks
