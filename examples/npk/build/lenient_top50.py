#!/usr/bin/env python3
"""Prints the 50 heaviest lenient-only KSCO assignments (titles the strict crosswalk does not map)
as the Markdown table in examples/npk/README.md, with each title's NPK mass.

usage: lenient_top50.py [--shared DIR]"""
import argparse
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.dirname(HERE)
ap = argparse.ArgumentParser()
ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(PACK))), "shared", "data"))
a = ap.parse_args()
marginals = os.path.join(a.shared, "npk_audit_eopchang", "data", "processed", "marginals", "occupation.csv")
with open(marginals, encoding="utf-8") as f:
    mass = {r["occupation"]: int(r["count"]) for r in csv.DictReader(f)}
employed = sum(n for t, n in mass.items() if t != "무직" and not t.startswith("전직 "))
with open(os.path.join(PACK, "crosswalks", "occupation_ksco_major.strict.csv"), encoding="utf-8") as f:
    strict = {r["from"] for r in csv.DictReader(f)}
with open(os.path.join(PACK, "crosswalks", "occupation_ksco_major.lenient.csv"), encoding="utf-8") as f:
    rows = [r for r in csv.DictReader(f) if r["from"] not in strict]
rows.sort(key=lambda r: (-mass[r["from"]], r["from"]))
print("| # | NPK title | NPK rows | share of employed | KSCO-8 major group | reviewer's basis |")
print("|---|---|---|---|---|---|")
for i, r in enumerate(rows[:50], 1):
    basis = r["basis"].replace("assigned: ", "").replace("|", "\\|")
    print(f"| {i} | {r['from']} | {mass[r['from']]:,} | {100 * mass[r['from']] / employed:.2f}% | {r['to']} | {basis} |")
