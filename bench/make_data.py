#!/usr/bin/python3
"""Writes the benchmark's NPK-shaped rows: bench/data/npk_{1m,7m}.{csv,parquet}.

Standard library only. Every column is drawn from the real Nemotron-Personas-Korea v1.0 value sets
and frequencies published by the third-party audit (../shared/data/npk_audit_eopchang/data/processed):

  - sex × age band from bivariate_detail_all/contingency_age_bin__x__sex.csv, then one age within
    the band, weighted by marginals/age.csv;
  - district from marginals/district.csv, and province from the district's prefix (the district
    marginal sums to the province marginal exactly, so province keeps its marginal);
  - occupation, education_level, bachelors_field, marital_status, family_type, housing_type and
    country each from its own marginal, independently;
  - military_status = '현역' exactly when the occupation is an active-duty title (육군/해군/공군/
    해병대 병사/부사관/장교), which is how NPK has it (those titles' 5,282 rows are its 5,282 현역
    rows); such a row's sex × age band is redrawn from military_breakdown.csv for its rank;
  - a uuid, and `persona`: a ~200-character Korean sentence (the row's own attributes followed by
    words drawn from a fixed random vocabulary of Hangul syllables), different on every row, so the
    text column costs real bytes in both formats and projection matters.

The CSV is written first; the Parquet file is DuckDB's conversion of it (DuckDB's defaults: snappy,
122,880-row row groups), run through bench's own duckdb_run on the project's libduckdb.so. A fixed
seed per file; files that exist are kept unless --force.
"""
import argparse
import bisect
import csv
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "data", "npk_audit_eopchang", "data", "processed")
SEED = 20260515
CHUNK = 250_000

COLUMNS = ["uuid", "persona", "sex", "age", "marital_status", "military_status", "family_type", "housing_type",
           "education_level", "bachelors_field", "occupation", "district", "province", "country"]
MILITARY = {f"{branch} {rank}": rank for branch in ("육군", "해군", "공군", "해병대") for rank in ("병사", "부사관", "장교")}


def read_marginal(name):
    with open(os.path.join(SHARED, "marginals", name + ".csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r[name] for r in rows], [int(r["count"]) for r in rows]


def cumulative(weights):
    out, s = [], 0
    for w in weights:
        s += w
        out.append(s)
    return out


class Source:
    """The real value sets and frequencies."""

    def __init__(self):
        self.marginals = {}
        for name in ["age", "sex", "province", "district", "education_level", "bachelors_field", "occupation",
                     "military_status", "marital_status", "family_type", "housing_type", "country"]:
            values, counts = read_marginal(name)
            self.marginals[name] = (values, cumulative(counts))
        ages, age_cw = self.marginals["age"]
        age_counts = {int(a): c for a, c in zip(ages, read_marginal("age")[1])}
        with open(os.path.join(SHARED, "bivariate_detail_all", "contingency_age_bin__x__sex.csv"), encoding="utf-8",
                  newline="") as f:
            rows = list(csv.reader(f))
        sexes = rows[0][1:]
        self.band_sex, weights = [], []
        for r in rows[1:]:
            for s, c in zip(sexes, r[1:]):
                self.band_sex.append((r[0], s))
                weights.append(int(c))
        self.band_sex_cw = cumulative(weights)
        # Ages of each band (labels "19-24" … "85+"), weighted by the age marginal.
        self.band_ages = {}
        for band in {b for b, _ in self.band_sex}:
            lo, hi = (int(band[:-1]), 200) if band.endswith("+") else map(int, band.split("-"))
            members = sorted(a for a in age_counts if lo <= a <= hi)
            self.band_ages[band] = (members, cumulative([age_counts[a] for a in members]))
        with open(os.path.join(SHARED, "military_breakdown.csv"), encoding="utf-8", newline="") as f:
            mil = list(csv.DictReader(f))
        self.rank_cells = {}
        for rank in {r["rank"] for r in mil}:
            cells = [(r["age_bin"], r["sex"]) for r in mil if r["rank"] == rank]
            self.rank_cells[rank] = (cells, cumulative([int(r["n"]) for r in mil if r["rank"] == rank]))


def vocabulary(rng, size=6000):
    # Common Hangul syllables: initial × medial from the frequent ones, optional final.
    initials = [0, 2, 3, 5, 6, 7, 9, 11, 12, 14, 15, 16, 17, 18]
    medials = [0, 1, 4, 5, 8, 12, 13, 17, 18, 20]
    finals = [0, 0, 0, 4, 8, 16, 17, 21, 1]
    syllables = [chr(0xAC00 + (i * 21 + m) * 28 + f) for i in initials for m in medials for f in finals]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.choice((1, 2, 2, 3, 3, 4)))))
    return sorted(words)


def draw(rng, source, name, k):
    values, cw = source.marginals[name]
    return rng.choices(values, cum_weights=cw, k=k)


def make_chunk(rng, source, words, n):
    band_sex = rng.choices(source.band_sex, cum_weights=source.band_sex_cw, k=n)
    occupation = draw(rng, source, "occupation", n)
    military = []
    for i, occ in enumerate(occupation):
        rank = MILITARY.get(occ)
        if rank:
            cells, cw = source.rank_cells[rank]
            band_sex[i] = rng.choices(cells, cum_weights=cw, k=1)[0]
            military.append("현역")
        else:
            military.append("비현역")
    age = [0] * n
    by_band = {}
    for i, (band, _) in enumerate(band_sex):
        by_band.setdefault(band, []).append(i)
    for band, rows in by_band.items():
        members, cw = source.band_ages[band]
        for i, a in zip(rows, rng.choices(members, cum_weights=cw, k=len(rows))):
            age[i] = a
    sex = [s for _, s in band_sex]
    district = draw(rng, source, "district", n)
    province = [d.split("-", 1)[0] for d in district]
    cols = {name: draw(rng, source, name, n) for name in
            ["education_level", "bachelors_field", "marital_status", "family_type", "housing_type", "country"]}
    out = []
    getrandbits, choices = rng.getrandbits, rng.choices
    for i in range(n):
        u = "%032x" % ((getrandbits(128) & ~(0xF << 76) & ~(0x3 << 62)) | (0x4 << 76) | (0x2 << 62))
        uuid = f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
        head = f"{district[i]}에 사는 {age[i]}세 {sex[i]}, {occupation[i]}. "
        text = head + " ".join(choices(words, k=80))
        persona = text[:200].rstrip() + "."
        out.append([uuid, persona, sex[i], age[i], cols["marital_status"][i], military[i], cols["family_type"][i],
                    cols["housing_type"][i], cols["education_level"][i], cols["bachelors_field"][i], occupation[i],
                    district[i], province[i], cols["country"][i]])
    return out


def write_csv(path, rows_total, seed, source):
    rng = random.Random(seed)
    words = vocabulary(random.Random(seed ^ 0x5EED))
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        done = 0
        while done < rows_total:
            n = min(CHUNK, rows_total - done)
            w.writerows(make_chunk(rng, source, words, n))
            done += n
            print(f"  {os.path.basename(path)}: {done:,} rows", file=sys.stderr, flush=True)
    os.replace(tmp, path)


def write_parquet(csv_path, parquet_path, duckdb_run):
    tmp = parquet_path + ".tmp"
    types = ", ".join(f"'{c}': '{'BIGINT' if c == 'age' else 'VARCHAR'}'" for c in COLUMNS)
    sql = (f"COPY (SELECT * FROM read_csv('{csv_path}', header = true, columns = {{{types}}})) "
           f"TO '{tmp}' (FORMAT parquet)")
    subprocess.run([duckdb_run, "--threads", "2", sql], check=True, stdout=subprocess.DEVNULL)
    os.replace(tmp, parquet_path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rewrite files that already exist")
    ap.add_argument("--out", default=os.path.join(HERE, "data"))
    ap.add_argument("--duckdb-run", default=os.path.join(ROOT, "build-bench", "duckdb_run"))
    ap.add_argument("--sizes", default="1m,7m", help="comma-separated, from: 100k, 1m, 7m")
    args = ap.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit(f"make_data: {SHARED} is absent: the benchmark draws its rows from the real NPK marginals "
                 "published there (the shared data checkout beside this repository), so it cannot run without it")
    if not os.access(args.duckdb_run, os.X_OK):
        sys.exit(f"make_data: {args.duckdb_run} is missing (make bench builds it)")
    source = Source()
    os.makedirs(args.out, exist_ok=True)
    sizes = {"100k": 100_000, "1m": 1_000_000, "7m": 7_000_000}
    for i, name in enumerate(["100k", "1m", "7m"]):
        if name not in args.sizes.split(","):
            continue
        csv_path = os.path.join(args.out, f"npk_{name}.csv")
        pq_path = os.path.join(args.out, f"npk_{name}.parquet")
        if args.force or not os.path.exists(csv_path):
            t = time.time()
            print(f"make_data: writing {csv_path}", file=sys.stderr)
            write_csv(csv_path, sizes[name], SEED + i, source)
            print(f"make_data: {csv_path} in {time.time() - t:.0f} s", file=sys.stderr)
        if args.force or not os.path.exists(pq_path) or os.path.getmtime(pq_path) < os.path.getmtime(csv_path):
            t = time.time()
            write_parquet(csv_path, pq_path, args.duckdb_run)
            print(f"make_data: {pq_path} in {time.time() - t:.0f} s", file=sys.stderr)
        print(f"make_data: {name}: {os.path.getsize(csv_path) / 1e6:,.0f} MB CSV, "
              f"{os.path.getsize(pq_path) / 1e6:,.0f} MB Parquet", file=sys.stderr)


if __name__ == "__main__":
    main()
