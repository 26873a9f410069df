#!/usr/bin/env bash
# Builds the libFuzzer targets (clang 14, ASan + UBSan) in build-fuzz/ and runs each for FUZZ_SECONDS
# seconds (default 60) from the seeds in fuzz/corpus/<target>/; new inputs go to
# build-fuzz/work/<target>/ (the committed seeds are not touched). A crash, a sanitizer report, a
# timeout or a broken invariant stops that target: its input is saved in build-fuzz/artifacts/ and
# belongs in fuzz/regressions/<target>/, which tests/bad/fuzz_replay_test.cpp replays in `make test`.
#   FUZZ_SECONDS=300 fuzz/run.sh            FUZZ_TARGETS="expression" fuzz/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD:-build-fuzz}
targets=${FUZZ_TARGETS:-"pack_loader expression table_loader counts_loader"}
jobs=${JOBS:-2}

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz: clang++-14 is not installed (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi
mkdir -p "$build"
cmake -S fuzz -B "$build" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 2; }
cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 || { tail -50 "$build/build.log" >&2; exit 2; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in $targets; do
  mkdir -p "$build/work/$t" "$build/artifacts"
  log="$build/fuzz_$t.log"
  start=$(date +%s)
  if "$build/fuzz_$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
      -dict="fuzz/dict/$t.dict" -artifact_prefix="$build/artifacts/$t-" "$build/work/$t" "fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    corpus=$(ls "$build/work/$t" | wc -l)
    echo "fuzz $t: $(( $(date +%s) - start )) s, $runs inputs, corpus $(ls "fuzz/corpus/$t" | wc -l) seeds + $corpus found, no findings"
  else
    status=1
    echo "fuzz $t: FINDING after $(( $(date +%s) - start )) s (log: $log)" >&2
    grep -E "ERROR|SUMMARY|finding|Test unit written" "$log" | head -5 >&2 || true
  fi
done
exit $status
