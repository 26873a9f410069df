# make demo: audit the bundled example; make test: build and run every test. Both set up their own
# dependencies first (scripts/setup-deps.sh is idempotent and quick once done).
BUILD ?= build
JOBS ?= 2

.PHONY: deps build test demo bench clean

deps:
	@scripts/setup-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The demo's audit exits 1 when checks fail, which is its finding, not an error of the demo.
demo: build
	@$(BUILD)/iaf audit examples/npk --out out/npk; code=$$?; [ $$code -le 1 ] || exit $$code

# The side-by-side benchmark of issue 7 (bench/run.sh; data from bench/make_data.py, once) and the
# micro-benchmarks, built in build-bench; results in bench/RESULTS.md.
bench: build
	@scripts/setup-deps.sh --bench
	@cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DIAF_BUILD_BENCH=ON -DIAF_BUILD_TESTS=OFF >/dev/null
	@cmake --build build-bench -j $(JOBS) --target iaf_micro iaf_bench_sql duckdb_run xxh3_file
	@/usr/bin/python3 bench/make_data.py --sizes 100k,1m,7m
	@bench/run.sh
	@build-bench/iaf_micro --benchmark_min_time=0.2

# libFuzzer targets (clang 14, ASan + UBSan) in build-fuzz/, each run for FUZZ_SECONDS; fuzz-smoke is
# the short run CI makes. scripts/sanitize.sh: the whole test suite under ASan + UBSan in build-asan/.
FUZZ_SECONDS ?= 60
.PHONY: fuzz fuzz-smoke sanitize
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) fuzz/run.sh

fuzz-smoke: deps
	@FUZZ_SECONDS=10 JOBS=$(JOBS) fuzz/run.sh

sanitize: deps
	@JOBS=$(JOBS) scripts/sanitize.sh

clean:
	rm -rf $(BUILD) out
