#!/usr/bin/env bash
# The side-by-side benchmark of issue 7 (DESIGN.md, Performance), in one run on the same data:
# whole-process wall times, each case repeated REPEATS times (default 5) round-robin, medians.
#
#   bare scan        duckdb_run: SELECT sum(hash(<the columns the pack reads>)) FROM <file>
#   GROUPING SETS    duckdb_run: one query, every grouping of the pack's plan as a grouping set
#   pandas           read_csv(usecols=…) + the same groupings (pandas_counts.py), CSV only
#   iaf              build/iaf audit examples/npk --dataset FILE --format json --bootstrap 0|1000
#                    (--kernel reference once more, for comparison); --timings gives each run's
#                    stage times (load, count, checks, report, and the fingerprint's own thread)
#   fingerprint      xxh3_file: XXH3-128 of the whole file, as iaf fingerprints its input
#   stats + report   build/iaf audit on a copy of the pack whose counts tables are the same
#                    groupings, counted from the same rows (counts_pack.py): no row is read; and on
#                    the 1M tables with every count × 7 (the same cells, seven times the rows)
#   pack load        build/iaf validate examples/npk: the fixed cost every audit pays
#
# duckdb_run and iaf both run on 2 threads (THREADS), extensions neither installed nor loaded.
# Needs bench/data (make_data.py) and build-bench (make bench builds both). Prints the table and the
# issue's targets; writes bench/data/results.json and bench/data/results.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
data=$here/data
tools=${IAF_BENCH_BUILD:-$root/build-bench}
iaf=${IAF:-$root/build/iaf}  # IAF: time another build of iaf (IAF_REVISION: its revision)
repeats=${REPEATS:-5}
threads=${THREADS:-2}
py=/usr/bin/python3

for f in "$data/npk_1m.parquet" "$data/npk_1m.csv" "$data/npk_7m.parquet"; do
  [[ -f $f ]] || { echo "bench: $f is missing: run bench/make_data.py (make bench does)" >&2; exit 1; }
done
for t in "$tools/duckdb_run" "$tools/iaf_bench_sql" "$tools/xxh3_file" "$iaf"; do
  [[ -x $t ]] || { echo "bench: $t is missing: run make bench" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/iaf-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Time a snapshot of the binary, so that a rebuild during the run cannot change what is measured.
cp "$iaf" "$work/iaf"
iaf=$work/iaf
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  if [[ -n ${IAF_REVISION:-} ]]; then
    echo "revision: $IAF_REVISION"
  else
    echo "revision: $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "modified: $(git -C "$root" status --porcelain --untracked-files=no -- src 2>/dev/null | awk '{print $2}' | tr '\n' ' ')"
  fi
  echo "iaf sha256: $(sha256sum "$iaf" | cut -c1-16)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$work/about.txt"
cat "$work/about.txt" >&2

echo "bench: deriving the baseline queries from examples/npk (iaf_bench_sql)" >&2
for f in npk_1m.parquet npk_1m.csv npk_7m.parquet; do
  "$tools/iaf_bench_sql" "$root/examples/npk" "$data/$f" >"$work/${f/./_}.json"
done
echo "bench: counting the same groupings into counts tables (untimed setup)" >&2
"$py" "$here/counts_pack.py" "$work/npk_1m_parquet.json" "$root/examples/npk" "$work/pack_counts_1m" "$tools/duckdb_run"
"$py" "$here/counts_pack.py" "$work/npk_7m_parquet.json" "$root/examples/npk" "$work/pack_counts_7m" "$tools/duckdb_run"
"$py" "$here/counts_pack.py" "$work/npk_1m_parquet.json" "$root/examples/npk" "$work/pack_counts_1m_x7" "$tools/duckdb_run" 7

pandas_ok=1
"$py" -c "import pandas" 2>/dev/null || pandas_ok=0
[[ $pandas_ok == 1 ]] || echo "bench: pandas is not importable by $py (Debian: apt-get install python3-pandas); its row is skipped" >&2

"$py" - "$work" "$data" "$tools" "$iaf" "$root" "$repeats" "$threads" "$pandas_ok" >"$work/spec.json" <<'EOF'
import json, sys
work, data, tools, iaf, root, repeats, threads, pandas_ok = sys.argv[1:]
q = {k: json.load(open(f"{work}/{k}.json", encoding="utf-8")) for k in ["npk_1m_parquet", "npk_1m_csv", "npk_7m_parquet"]}
duck = [f"{tools}/duckdb_run", "--threads", threads]
cases = []
def case(name, argv, ok=(0,), **kw):
    cases.append({"name": name, "argv": argv, "ok": list(ok), **kw})
def audit(name, pack, extra, t=threads):
    case(name, [iaf, "audit", pack, "--format", "json", "--threads", t, "--out", f"{work}/out_{name}", "--quiet", "--timings", *extra],
         ok=(0, 1))
pack = f"{root}/examples/npk"
for size, key in [("1m", "npk_1m_parquet"), ("7m", "npk_7m_parquet")]:
    case(f"scan_pq_{size}", duck + [q[key]["scan_sql"]])
    case(f"xxh3_pq_{size}", [f"{tools}/xxh3_file", f"{data}/npk_{size}.parquet"])
    case(f"scan_id_pq_{size}", duck + [q[key]["scan_id_sql"]])
    case(f"gsets_pq_{size}", duck + [q[key]["grouping_sets_sql"]])
    for b in ("0", "1000"):
        audit(f"iaf_pq_{size}_b{b}", pack, ["--dataset", f"{data}/npk_{size}.parquet", "--bootstrap", b])
audit("iaf_ref_pq_1m_b0", pack, ["--dataset", f"{data}/npk_1m.parquet", "--bootstrap", "0", "--kernel", "reference"])
case("scan_csv_1m", duck + [q["npk_1m_csv"]["scan_sql"]])
case("gsets_csv_1m", duck + [q["npk_1m_csv"]["grouping_sets_sql"]])
if pandas_ok == "1":
    case("pandas_csv_1m", ["/usr/bin/python3", f"{root}/bench/pandas_counts.py", f"{data}/npk_1m.csv"])
for b in ("0", "1000"):
    audit(f"iaf_csv_1m_b{b}", pack, ["--dataset", f"{data}/npk_1m.csv", "--bootstrap", b])
for size in ("1m", "7m", "1m_x7"):
    for b in ("0", "1000"):
        audit(f"iaf_counts_{size}_b{b}", f"{work}/pack_counts_{size}", ["--bootstrap", b])
audit("iaf_counts_1m_b1000_t1", f"{work}/pack_counts_1m", ["--bootstrap", "1000"], t="1")
for b in ("0", "1000"):
    audit(f"iaf_packcounts_b{b}", pack, ["--bootstrap", b])
case("iaf_validate", [iaf, "validate", pack])
print(json.dumps({"repeats": int(repeats), "cases": cases}, ensure_ascii=False))
EOF

echo "bench: timing $(grep -o '"name"' "$work/spec.json" | wc -l) cases × $repeats runs, round-robin" >&2
"$py" "$here/measure.py" "$work/spec.json" "$work/results.json"
"$py" "$here/report.py" "$work" "$data" "$threads" "$repeats"
