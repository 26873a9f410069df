#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer: configures build-asan/
# with -DIAF_SANITIZE=ON (RelWithDebInfo), builds everything, and runs ctest. Any sanitizer report
# aborts the process that made it, so the test that ran it fails.
#   scripts/sanitize.sh                 SANITIZE_BUILD=/tmp/asan JOBS=4 scripts/sanitize.sh
# LeakSanitizer reports inside libduckdb.so (not instrumented) are suppressed by scripts/lsan.supp,
# which names libduckdb only; a leak in iaf's own code still fails.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD:-build-asan}
jobs=${JOBS:-2}
root=$(pwd)

scripts/setup-deps.sh
start=$(date +%s)
cmake -S . -B "$build" -DIAF_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$jobs"
built=$(date +%s)

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:print_stacktrace=1:strict_string_checks=1:check_initialization_order=1:detect_invalid_pointer_pairs=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
# LeakSanitizer cannot run under ptrace, so the bad-input corpus skips its strace layer here (the
# ordinary `make test` keeps it); its tree checks and every sanitizer check still apply.
export IAF_BAD_NO_STRACE=1
status=0
ctest --test-dir "$build" --output-on-failure -j "$jobs" || status=$?
end=$(date +%s)
echo "sanitize: build $((built - start)) s, tests $((end - built)) s" >&2
exit $status
