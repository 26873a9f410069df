#!/usr/bin/env python3
"""Builds the USA pack's crosswalks from the SOC/ISCO coding-system tables (figures, not files):

  crosswalks/occupation_soc_major.csv  SOC 2018 detailed occupation title -> SOC 2018 major group
  crosswalks/soc_major_common.csv      SOC 2018 major group -> the shared cross-locale taxonomy:
                                       ISCO-08 major groups with 2 and 3 merged (see README.md),
                                       weighted by each major group's share of SOC->ISCO links

Upstream: github.com/danielruss/codingsystems@f7b531e (soc2018_all.csv, soc2010_soc2018.csv,
soc2010_isco2008.csv: BLS SOC 2018 structure, the BLS SOC 2010<->2018 and ISCO-08<->SOC 2010
crosswalks). Standard library only.

usage: build_crosswalks.py [--shared DIR] [--check]"""
import argparse
import csv
import filecmp
import hashlib
import io
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(PACK))

# ISCO-08 major groups, with 2 (professionals) and 3 (technicians and associate professionals)
# merged: KSCO-8 files both under its major group 2, and no KSCO<->ISCO link table was available.
COMMON = {
    "1": "1 Managers",
    "2": "2-3 Professionals, technicians and associate professionals",
    "3": "2-3 Professionals, technicians and associate professionals",
    "4": "4 Clerical support workers",
    "5": "5 Service and sales workers",
    "6": "6 Skilled agricultural, forestry and fishery workers",
    "7": "7 Craft and related trades workers",
    "8": "8 Plant and machine operators, and assemblers",
    "9": "9 Elementary occupations",
    "0": "0 Armed forces occupations",
}


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def render(rows, header):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def build(shared):
    src = os.path.join(shared, "us_soc_isco_codingsystems")
    soc = read(os.path.join(src, "soc2018_all.csv"))
    majors = {r["code"]: r["code"] + " " + r["title"] for r in soc if r["Hierarchical_structure"] == "Major"}
    detailed = [r for r in soc if r["Hierarchical_structure"] == "Detailed"]
    titles = {}
    for r in detailed:
        title = r["title"].strip()
        if title in titles and titles[title] != majors[r["soc2d"]]:
            sys.exit(f"build_crosswalks: SOC title {title!r} sits in two major groups")
        titles[title] = majors[r["soc2d"]]
    occupation = render(sorted([t, m, ""] for t, m in titles.items()), ["from", "to", "weight"])

    # Each SOC 2018 detailed code spreads a weight of 1 over its ISCO-08 links (via SOC 2010).
    to2010 = {}
    for r in read(os.path.join(src, "soc2010_soc2018.csv")):
        to2010.setdefault(r["soc2018"], []).append(r["soc2010"])
    isco = {}
    for r in read(os.path.join(src, "soc2010_isco2008.csv")):
        isco.setdefault(r["soc2010"], []).append(r["isco2008"])
    weights = {}
    for r in detailed:
        links = [i for s in to2010.get(r["code"], []) for i in isco.get(s, [])]
        for i in links:
            key = (majors[r["soc2d"]], COMMON[i[0]])
            weights[key] = weights.get(key, 0.0) + 1.0 / len(links)
    rows = []
    for major in sorted(majors.values()):
        parts = sorted((t, w) for (m, t), w in weights.items() if m == major)
        total = sum(w for _, w in parts)
        if not parts:
            sys.exit(f"build_crosswalks: no ISCO link for {major}")
        rounded = [round(w / total, 6) for _, w in parts]
        rounded[-1] = round(1 - sum(rounded[:-1]), 6)  # exactly 1 per group
        rows += [[major, t, f"{w:.6f}"] for (t, _), w in zip(parts, rounded) if w > 0]
    common = render(rows, ["from", "to", "weight"])
    upstream = {}
    for name in ("soc2018_all.csv", "soc2010_soc2018.csv", "soc2010_isco2008.csv"):
        with open(os.path.join(src, name), "rb") as f:
            upstream[name] = hashlib.sha256(f.read()).hexdigest()
    sources = "# Sources of the USA crosswalks\n\nBuilt by `examples/usa/build/build_crosswalks.py` from github.com/danielruss/codingsystems@f7b531e6a8de84e375d49ceb2927da2a4420281e (BLS SOC 2018 structure; BLS SOC 2010↔2018 and ISCO-08↔SOC 2010 crosswalks; reformatted US federal and ILO classifications):\n\n| upstream file | sha256 |\n|---|---|\n"
    sources += "".join(f"| `{k}` | `{v}` |\n" for k, v in sorted(upstream.items()))
    sources += f"\n`occupation_soc_major.csv`: {len(titles)} SOC 2018 detailed occupation titles → their major group.\n`soc_major_common.csv`: {len(majors)} major groups → ISCO-08 major groups (2 and 3 merged), each weighted by its detailed occupations' share of SOC→ISCO-08 links (a detailed code with n links gives 1/n to each).\n"
    return {"crosswalks/occupation_soc_major.csv": occupation, "crosswalks/soc_major_common.csv": common, "crosswalks/SOURCES.md": sources}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared", "data"))
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.shared):
        sys.exit(f"build_crosswalks: no upstream data folder at {a.shared} (give --shared)")
    files = build(a.shared)
    diffs = []
    for rel, text in files.items():
        path = os.path.join(PACK, rel)
        if a.check:
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    diffs.append(rel)
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
    if a.check:
        if diffs:
            print("build_crosswalks --check: differs: " + ", ".join(diffs))
            return 1
        print("build_crosswalks --check: the USA crosswalks reproduce byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
