#!/usr/bin/python3
"""counts_pack.py QUERIES.json PACK OUT_DIR DUCKDB_RUN [SCALE]: a copy of PACK whose [dataset] counts are
the benchmark rows' own counts tables, one per grouping of the plan (iaf_bench_sql's counts_tables:
its dimensions' columns, scope = its universe), written by DuckDB from the rows, every count
multiplied by SCALE (default 1).

`iaf audit OUT_DIR` then runs every check on exactly the groupings (the same raw tables) that
`iaf audit PACK --dataset ROWS` counts, without reading a row: the statistics and report stages
alone, which is how the benchmark times them. SCALE = 7 gives the same cells with seven times the
rows, which is how it shows the uncertainty stage does not depend on the row count.
"""
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    queries_path, pack, out, duckdb_run = sys.argv[1:5]
    scale = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    q = json.load(open(queries_path, encoding="utf-8"))
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(pack, out, ignore=shutil.ignore_patterns("counts", "build"))
    os.makedirs(os.path.join(out, "counts"))
    entries = []
    sqls = []
    for t in q["counts_tables"]:
        path = os.path.join(out, "counts", t["name"] + ".csv")
        sql = f"SELECT * REPLACE (\"count\" * {scale} AS \"count\") FROM ({t['sql']})"
        sqls.append(f"COPY ({sql}) TO '{path}' (HEADER, DELIMITER ',')")
        rel = "counts/" + t["name"] + ".csv"
        if t["scope"]:
            entries.append("  { file = %s, scope = %s }," % (json.dumps(rel), json.dumps(t["scope"], ensure_ascii=False)))
        else:
            entries.append("  %s," % json.dumps(rel))
    subprocess.run([duckdb_run, "--threads", "2", *sqls], check=True, stdout=subprocess.DEVNULL)
    toml_path = os.path.join(out, "audit.toml")
    toml = open(toml_path, encoding="utf-8").read()
    block = "counts = [\n" + "\n".join(entries) + "\n]"
    toml, n = re.subn(r"^counts = \[.*?^\]", lambda _: block, toml, count=1, flags=re.S | re.M)
    if n != 1:
        sys.exit("counts_pack: no counts = [...] list in " + toml_path)
    open(toml_path, "w", encoding="utf-8").write(toml)


if __name__ == "__main__":
    main()
