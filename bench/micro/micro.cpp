// iaf_micro: Google Benchmark micro-benchmarks of the counting kernel and the bootstrap.
//
//   BM_CountRows/<kernel>        count::count_rows on the NPK pack over a small NPK-shaped Parquet
//                                file (bench/data/npk_100k.parquet from make_data.py, or the file in
//                                IAF_BENCH_ROWS), 2 threads: the fast kernel vs the reference one
//   BM_Bootstrap/<threads>       checks::bootstrap_replicates, B = 1000, on the share check's raw
//                                table (sex × every raw occupation title of the KSCO crosswalk,
//                                2 × 2120 cells) against the EAPS reference, with the marginal
//                                checks' four divergences as the metrics
//   BM_Multinomial/<cells>       stats::multinomial of n = 1,000,000 over <cells> cells
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "iaf/checks/alignment.hpp"
#include "iaf/checks/uncertainty.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/plan.hpp"
#include "iaf/pack/pack.hpp"
#include "iaf/stats/divergence.hpp"
#include "iaf/stats/sampling.hpp"

using namespace iaf;

namespace {

const std::filesystem::path kRoot = IAF_SOURCE_DIR;

const pack::AuditPack& npk() {
  static const pack::AuditPack p = pack::load_pack(kRoot / "examples/npk");
  return p;
}

std::filesystem::path rows_file() {
  if (const char* f = std::getenv("IAF_BENCH_ROWS")) return f;
  return kRoot / "bench/data/npk_100k.parquet";
}

void BM_CountRows(benchmark::State& state, count::Kernel kernel) {
  auto file = std::filesystem::absolute(rows_file());
  if (!std::filesystem::exists(file)) {
    state.SkipWithError(("no " + file.string() + " (run bench/make_data.py --sizes 100k)").c_str());
    return;
  }
  const auto& pack = npk();
  count::Plan plan = count::plan_counts(pack);
  count::RowOptions ro{.files = {file}, .threads = 2, .kernel = kernel};
  uint64_t rows = 0;
  for (auto _ : state) {
    count::Counts c = count::count_rows(pack, plan, ro);
    rows = c.rows;
    benchmark::DoNotOptimize(c);
  }
  state.counters["rows/s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_CAPTURE(BM_CountRows, fast, count::Kernel::fast)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_CountRows, reference, count::Kernel::reference)->Unit(benchmark::kMillisecond)->UseRealTime();

// The share check's raw table: every title the KSCO crosswalk knows × both sexes, with masses
// that fall off like NPK's occupation marginal (heaviest first), 1M rows in all.
struct BootstrapCase {
  CountTable raw{{"occ_major", "sex"}};
  std::optional<checks::Alignment> alignment;
  double n_ref = 0;
  BootstrapCase() {
    const auto& pack = npk();
    const auto& xw = pack.crosswalk("ksco-major").variant(pack.crosswalk("ksco-major").default_variant);
    std::vector<std::string> titles;
    for (const auto& [title, _] : xw.map) titles.push_back(title);
    double total = 0;
    std::vector<double> w;
    for (size_t i = 0; i < titles.size(); ++i) total += w.emplace_back(1.0 / (1.0 + static_cast<double>((i * 7919) % titles.size())));
    for (size_t i = 0; i < titles.size(); ++i) {
      double m = std::round(1e6 * w[i] / total);
      raw.add({titles[i], "남자"}, std::round(m * 0.55));
      raw.add({titles[i], "여자"}, m - std::round(m * 0.55));
    }
    const auto& ref = pack.reference("kosis-eaps-2024-sex-occupation");
    alignment.emplace(raw, ref.masses.marginal({"occ_major", "sex"}), pack, checks::variants_for(pack));
    n_ref = ref.effective_n();
  }
};

std::vector<double> divergences(const DenseTable& p, const DenseTable& q) {
  return {stats::total_variation(p.values(), q.values()), stats::jensen_shannon(p.values(), q.values()),
          stats::hellinger(p.values(), q.values()), stats::max_abs_difference(p.values(), q.values())};
}

void BM_Bootstrap(benchmark::State& state) {
  static BootstrapCase c;
  checks::Resampling r{.seed = 20260515, .replicates = 1000, .threads = static_cast<unsigned>(state.range(0))};
  for (auto _ : state) {
    auto reps = checks::bootstrap_replicates(*c.alignment, c.n_ref, divergences, r, 42);
    benchmark::DoNotOptimize(reps);
  }
  state.counters["raw_cells"] = static_cast<double>(c.alignment->raw().size());
  state.counters["replicates/s"] = benchmark::Counter(1000, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Bootstrap)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Multinomial(benchmark::State& state) {
  std::vector<double> probs(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < probs.size(); ++i) probs[i] = 1.0 / (1.0 + static_cast<double>(i));
  stats::Rng rng(20260515, 0);
  for (auto _ : state) {
    auto x = stats::multinomial(rng, 1'000'000, probs);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_Multinomial)->Arg(2)->Arg(17)->Arg(4240)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
