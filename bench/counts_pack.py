#!/usr/bin/python3
"""counts_pack.py QUERIES.json PACK OUT_DIR DUCKDB_RUN: a copy of PACK whose [dataset] counts are the
benchmark rows' own counts tables, one per grouping of the plan (iaf_bench_sql's counts_tables:
its dimensions' columns, scope = its universe), written by DuckDB from the rows.

`iaf audit OUT_DIR` then runs every check on exactly the groupings (the same raw tables) that
`iaf audit PACK --dataset ROWS` counts, without reading a row: the statistics and report stages
alone, which is how the benchmark times them.
"""
import json
import os
import re
import shutil
import subprocess
import sys


def main():
    queries_path, pack, out, duckdb_run = sys.argv[1:5]
    q = json.load(open(queries_path, encoding="utf-8"))
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(pack, out, ignore=shutil.ignore_patterns("counts", "build"))
    os.makedirs(os.path.join(out, "counts"))
    entries = []
    sqls = []
    for t in q["counts_tables"]:
        path = os.path.join(out, "counts", t["name"] + ".csv")
        sqls.append(f"COPY ({t['sql']}) TO '{path}' (HEADER, DELIMITER ',')")
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
