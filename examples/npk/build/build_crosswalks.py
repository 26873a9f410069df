#!/usr/bin/python3
"""Build the occupational and field-of-study crosswalks of the NPK audit pack.

usage: build_crosswalks.py [--shared DIR] [--out DIR] [--check]

Reads the NPK occupation and bachelors_field marginals, the KSCO-8 and KECO 2025 code trees and the
GOMS topic statistics from the shared data folder (default: <repo>/../shared/data), computes the
strict matches, merges them with the reviewed assignments kept beside this script
(lenient_ksco.tsv, lenient_keco.tsv, ksco_keco_unit_links.tsv, bachelors_field_goms.tsv) and writes
the crosswalk CSVs and SOURCES.md (default: examples/npk/crosswalks). --check rebuilds into a
temporary folder and compares byte for byte with the files in --out (exit 1 on any difference).

Python 3 standard library only. The output depends only on the inputs: run it twice, get the same bytes.
"""

import argparse
import collections
import csv
import difflib
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "examples" / "npk" / "crosswalks"

# Upstream files, relative to the shared data folder. Folder → PROVENANCE.md gives repository and commit.
F_OCC = "npk_audit_eopchang/data/processed/marginals/occupation.csv"
F_FIELD = "npk_audit_eopchang/data/processed/marginals/bachelors_field.csv"
F_KSCO = "ksco_keco_codes_yolkgit/ksco-tree.json"
F_KECO = "ksco_keco_codes_yolkgit/keco-tree.json"
F_KECO_INDEX = "ksco_keco_codes_yolkgit/keco-index.json"
F_GOMS = "goms_keis_topic_stats/data/normalized/goms_distribution_long.csv"
UPSTREAM = [
    (F_OCC, "NPK occupation titles with exact full-population counts (2,120 titles, 1,000,000 rows)"),
    (F_FIELD, "NPK bachelors_field values with counts (11 values)"),
    (F_KSCO, "KSCO 8th edition tree (levels 1-5)"),
    (F_KECO, "KECO 2025 tree (levels 1-4)"),
    (F_KECO_INDEX, "KECO 2025 code → term index"),
    (F_GOMS, "GOMS topic statistics, long format (GOMS_003 graduates by 전공계열: the 7 계열 labels and the cohort sizes in the field → 계열 notes)"),
]

NOT_EMPLOYED = "(not employed)"
NO_DEGREE = "(no degree)"
MIDDOT = "\u00b7"
KSCO_MAJOR = {
    "1": "1 관리자",
    "2": "2 전문가 및 관련 종사자",
    "3": "3 사무 종사자",
    "4": "4 서비스 종사자",
    "5": "5 판매 종사자",
    "6": "6 농림어업 숙련 종사자",
    "7": "7 기능원 및 관련 기능 종사자",
    "8": "8 장치" + MIDDOT + "기계 조작 및 조립 종사자",
    "9": "9 단순노무 종사자",
    "A": "A 군인",
}
KECO_MAJOR = {
    "0": "경영·사무·금융·보험직",
    "1": "연구직 및 공학 기술직",
    "2": "교육·법률·사회복지·경찰·소방직 및 군인",
    "3": "보건·의료직",
    "4": "예술·디자인·방송·스포츠직",
    "5": "미용·여행·숙박·음식·경비·청소직",
    "6": "영업·판매·운전·운송직",
    "7": "건설·채굴직",
    "8": "설치·정비·생산직",
    "9": "농림어업직",
}
LEVEL = {1: "대분류", 2: "중분류", 3: "소분류", 4: "세분류", 5: "세세분류"}

RE_JOBSEEK = re.compile(r"^전직 .+, 현재 구직중$")
RE_MILITARY = re.compile(r"^(육군|해군|공군|해병대) (병사|부사관|장교)$")
RANKS = ("병사", "부사관", "장교")
# Military titles carry no KSCO/KECO name; the rank gives the closest node.
MILITARY_KSCO = {"병사": "A0900 그 외 군인", "부사관": "A0300 부사관", "장교": "A01 장교 (영관급 A011 / 위관급 A012)"}
MILITARY_KECO = {"병사": "2509 기타 군인", "부사관": "2504 부사관", "장교": "2501 영관급 이상 / 2502 위관급 장교"}

# Normalisation used for the "normalised" strict rule (documented in SOURCES.md):
#   1. Unicode NFC;
#   2. drop the conjunction 및 (and "and", "&") when it stands as a word of its own;
#   3. delete all whitespace and the characters  · ㆍ ‧ ・ ･ . , ( ) [ ] /
NORM_DROP_WORDS = re.compile(r"(?<!\S)(?:및|and|&)(?!\S)")
NORM_DROP_CHARS = re.compile(r"[\s\u00b7\u318d\u2027\u30fb\uff65.,()\[\]/]")
NORM_RULES = [
    "Unicode NFC;",
    "the conjunction `및` (also `and`, `&`) is dropped when it stands as a word of its own (whitespace or string edge on both sides);",
    "all whitespace is deleted, and so are the characters `·` (U+00B7), `ㆍ` (U+318D), `‧` (U+2027), `・` (U+30FB), "
    "`･` (U+FF65), `.`, `,`, `(`, `)`, `[`, `]`, `/` (brackets are deleted, their content is kept).",
]


class BuildError(Exception):
    pass


def nfc(s):
    return unicodedata.normalize("NFC", s)


def norm(s):
    s = NORM_DROP_WORDS.sub(" ", nfc(s))
    return NORM_DROP_CHARS.sub("", s)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------- inputs

def read_counts(path, column):
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if column not in reader.fieldnames or "count" not in reader.fieldnames:
            raise BuildError(f"{path}: expected columns {column},count")
        out = {}
        for row in reader:
            label = nfc(row[column])
            if label in out:
                raise BuildError(f"{path}: duplicate label {label!r}")
            out[label] = int(row["count"])
    return out


def read_tree(path, levels):
    with open(path, encoding="utf-8") as f:
        nodes = json.load(f)
    by_code = {}
    for n in nodes:
        n = dict(n, name=nfc(n["name"]))
        if n["code"] in by_code:
            raise BuildError(f"{path}: duplicate code {n['code']}")
        by_code[n["code"]] = n
    for n in by_code.values():
        if n["level"] not in levels:
            raise BuildError(f"{path}: node {n['code']} has level {n['level']}")
    return by_code


def read_provenance(shared, folder):
    text = (shared / folder / "PROVENANCE.md").read_text(encoding="utf-8")
    repo = re.search(r"^- Repo: (\S+)", text, re.M)
    commit = re.search(r"^- Commit: ([0-9a-f]{40})", text, re.M)
    if not repo or not commit:
        raise BuildError(f"{folder}/PROVENANCE.md: no 'Repo:' or 'Commit:' line")
    return repo.group(1), commit.group(1)


def read_tsv(path, columns):
    """Tab-separated table: '#' lines are comments, then a header row that must equal `columns`."""
    rows, header = [], None
    with open(path, encoding="utf-8", newline="") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.endswith("\r"):
                raise BuildError(f"{path.name}:{lineno}: CRLF line ending")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if header is None:
                header = fields
                if header != columns:
                    raise BuildError(f"{path.name}:{lineno}: header must be {columns}, found {header}")
                continue
            if len(fields) != len(columns):
                raise BuildError(f"{path.name}:{lineno}: {len(fields)} fields, expected {len(columns)}")
            rows.append((lineno, dict(zip(columns, (nfc(x.strip()) for x in fields)))))
    if header is None:
        raise BuildError(f"{path.name}: no header row")
    return rows


def goms_dimension(path, topic):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return {nfc(r["dimension_value"]) for r in csv.DictReader(f) if r["topic_id"] == topic} - {"전체"}


def goms_cohorts(path):
    """GOMS_003 graduates by 전공계열 (frequency, all graduates), per cohort year."""
    out = collections.defaultdict(dict)
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["topic_id"] == "GOMS_003" and r["measure_type"] == "frequency" and r["subgroup"] == "전체":
                out[nfc(r["dimension_value"])][int(r["year"])] = float(r["value"])
    if not out:
        raise BuildError(f"{path}: no GOMS_003 frequency rows")
    return out


# ---------------------------------------------------------------------------------------------- matching

def index_names(nodes, min_level):
    exact, normal = collections.defaultdict(list), collections.defaultdict(list)
    for n in nodes:
        if n["level"] >= min_level:
            exact[n["name"]].append(n)
            normal[norm(n["name"])].append(n)
    return exact, normal


def pick(nodes):
    """The node cited for a match: the deepest, then the smallest code."""
    return sorted(nodes, key=lambda n: (-n["level"], n["code"]))[0]


def strict_match(title, exact, normal, major_of):
    """('exact'|'normalised', node, candidates) or (None, None, candidates) or ('ambiguous', None, candidates)."""
    if title in exact:
        kind, cands = "exact", exact[title]
    elif norm(title) in normal:
        kind, cands = "normalised", normal[norm(title)]
    else:
        return None, None, []
    if len({major_of(n) for n in cands}) > 1:
        return "ambiguous", None, cands
    return kind, pick(cands), cands


def weight_ok(rows, where):
    """rows: list of (target, weight-string). Empty weight only for a single target; weights sum exactly to 1."""
    if len(rows) == 1 and rows[0][1] == "":
        return
    if any(w == "" for _, w in rows):
        raise BuildError(f"{where}: a label with several targets needs a weight on every row")
    total = Decimal(0)
    for t, w in rows:
        try:
            d = Decimal(w)
        except Exception:
            raise BuildError(f"{where}: weight {w!r} is not a decimal number")
        if not (0 < d <= 1):
            raise BuildError(f"{where}: weight {w} outside (0, 1]")
        total += d
    if total != 1:
        raise BuildError(f"{where}: weights sum to {total}, not exactly 1")
    if len({t for t, _ in rows}) != len(rows):
        raise BuildError(f"{where}: the same target twice")


# ---------------------------------------------------------------------------------------------- build

class Crosswalk:
    def __init__(self, name):
        self.name = name
        self.rows = []  # dicts: from, to, weight, basis, node

    def add(self, frm, to, basis, weight="", node=""):
        self.rows.append({"from": frm, "to": to, "weight": weight, "basis": basis, "node": node})

    def froms(self):
        return {r["from"] for r in self.rows}


def load_lenient(path, kind, titles, allowed, strict_titles):
    cols = ["title", "target", "weight", "ksco", "reason"] if kind == "ksco" else \
           ["title", "target", "weight", "keco", "ksco", "reason"]
    grouped = collections.OrderedDict()
    for lineno, r in read_tsv(path, cols):
        where = f"{path.name}:{lineno}"
        if r["title"] not in titles:
            raise BuildError(f"{where}: {r['title']!r} is not an NPK occupation title")
        if r["target"] not in allowed:
            raise BuildError(f"{where}: target {r['target']!r} is not one of the allowed labels")
        if r["title"] in strict_titles:
            raise BuildError(f"{where}: {r['title']!r} is already mapped by the strict rules; remove the row")
        if not r["reason"]:
            raise BuildError(f"{where}: empty reason")
        grouped.setdefault(r["title"], []).append((lineno, r))
    for title, items in grouped.items():
        weight_ok([(r["target"], r["weight"]) for _, r in items], f"{path.name}:{items[0][0]} ({title})")
    return grouped


def build(shared, out):
    shared = Path(shared)
    for rel, _ in UPSTREAM:
        if not (shared / rel).is_file():
            raise BuildError(f"missing upstream file {shared / rel}")

    occ = read_counts(shared / F_OCC, "occupation")
    fields = read_counts(shared / F_FIELD, "bachelors_field")
    ksco = read_tree(shared / F_KSCO, {1, 2, 3, 4, 5})
    keco = read_tree(shared / F_KECO, {1, 2, 3, 4})
    with open(shared / F_KECO_INDEX, encoding="utf-8") as f:
        keco_index = [(e["code"], nfc(e["term"])) for e in json.load(f)]
    cohorts = goms_cohorts(shared / F_GOMS)
    # The KECO target labels must be the KECO 2025 major names and the GOMS_012 occupation groups, byte for byte.
    tree_majors = {n["code"]: n["name"] for n in keco.values() if n["level"] == 1}
    if tree_majors != KECO_MAJOR:
        raise BuildError(f"KECO major labels differ from the {F_KECO} level-1 names: {tree_majors}")
    if goms_dimension(shared / F_GOMS, "GOMS_012") != set(KECO_MAJOR.values()):
        raise BuildError("KECO major labels differ from the GOMS_012 occupation groups")
    if {n["code"]: n["level"] for n in ksco.values() if n["level"] == 1}.keys() != KSCO_MAJOR.keys():
        raise BuildError(f"KSCO major codes differ from the {F_KSCO} level-1 codes")

    total_rows = sum(occ.values())
    military = {t: RE_MILITARY.match(t).group(2) for t in occ if RE_MILITARY.match(t)}
    jobseek = {t for t in occ if RE_JOBSEEK.match(t)}
    if "무직" not in occ:
        raise BuildError("no '무직' title in the occupation marginal")
    if len(military) != 12:
        raise BuildError(f"expected 12 active-duty military titles, found {len(military)}")
    not_employed = {"무직"} | jobseek
    employed = {t for t in occ if t not in not_employed}
    employed_mass = sum(occ[t] for t in employed)

    ksco_major = lambda n: n["code"][0]
    keco_major = lambda n: n["code"][0]
    k_exact, k_norm = index_names(ksco.values(), 2)
    # KECO strict: tree names (levels 2-4) and keco-index terms.
    keco_terms = [dict(keco[c], name=term, via="keco-index") if c in keco else None for c, term in keco_index]
    if None in keco_terms:
        raise BuildError("keco-index.json names a code that is not in keco-tree.json")
    keco_nodes = [dict(n, via="keco-tree") for n in keco.values()] + \
                 [n for n in keco_terms if n["level"] >= 2 and n["name"] != keco[n["code"]]["name"]]
    e_exact, e_norm = index_names(keco_nodes, 2)

    notes = {"ambiguous": {"ksco": [], "keco": []}}

    def special_rows(cw, military_label, military_node):
        for t in sorted(not_employed):
            basis = "special: 무직 = not employed" if t == "무직" else \
                "special: '전직 …, 현재 구직중' = former occupation, now job-seeking (not employed)"
            cw.add(t, NOT_EMPLOYED, basis)
        for t, rank in sorted(military.items()):
            cw.add(t, military_label, f"special: active-duty military title, rank {rank} (closest node {military_node[rank]})")

    def strict(name, exact, normal, major_of, labels, military_label, military_node, tree_word):
        cw = Crosswalk(name)
        special_rows(cw, military_label, military_node)
        nodes_of = {}
        for t in sorted(employed - set(military)):
            kind, node, cands = strict_match(t, exact, normal, major_of)
            if kind == "ambiguous":
                notes["ambiguous"][name].append((t, sorted({(n["code"], n["name"]) for n in cands})))
                continue
            if kind is None:
                continue
            nodes_of[t] = cands
            via = " (keco-index term)" if node.get("via") == "keco-index" else ""
            cw.add(t, labels[major_of(node)], f"{kind}: {tree_word} {LEVEL[node['level']]} {node['code']} {node['name']}{via}",
                   node=node["code"])
        return cw, nodes_of

    ksco_strict, ksco_nodes_of = strict("ksco", k_exact, k_norm, ksco_major, KSCO_MAJOR, KSCO_MAJOR["A"], MILITARY_KSCO, "KSCO-8")
    keco_strict, _ = strict("keco", e_exact, e_norm, keco_major, KECO_MAJOR, KECO_MAJOR["2"], MILITARY_KECO, "KECO 2025")

    # Normalised-name collisions: a title whose normalised name reaches nodes of two major groups, even if an
    # exact match decided it (reported, and excluded from strict when it is the deciding rule).
    for name, normal, major_of in (("ksco", k_norm, ksco_major), ("keco", e_norm, keco_major)):
        for t in sorted(employed - set(military)):
            cands = normal.get(norm(t), [])
            if len({major_of(n) for n in cands}) > 1 and t not in {a for a, _ in notes["ambiguous"][name]}:
                notes["ambiguous"][name].append((t, sorted({(n["code"], n["name"]) for n in cands})))

    # Lenient KSCO.
    ksco_labels = set(KSCO_MAJOR.values()) | {NOT_EMPLOYED}
    keco_labels = set(KECO_MAJOR.values()) | {NOT_EMPLOYED}
    len_ksco = load_lenient(HERE / "lenient_ksco.tsv", "ksco", occ, ksco_labels, ksco_strict.froms())
    ksco_relative = {}
    ksco_lenient = Crosswalk("ksco-lenient")
    ksco_lenient.rows = list(ksco_strict.rows)
    for title, items in len_ksco.items():
        for lineno, r in items:
            code = r["ksco"]
            if code:
                if code not in ksco:
                    raise BuildError(f"lenient_ksco.tsv:{lineno}: KSCO code {code} is not in the KSCO-8 tree")
                if KSCO_MAJOR[code[0]] != r["target"]:
                    raise BuildError(f"lenient_ksco.tsv:{lineno}: KSCO {code} is in major {code[0]}, not {r['target']!r}")
                if len(items) == 1:
                    ksco_relative[title] = code
            ksco_lenient.add(title, r["target"], "assigned: " + r["reason"], weight=r["weight"], node=code)

    # Lenient KECO, with the KSCO → KECO chain checked where a row cites its KSCO node.
    links = {}
    for lineno, r in read_tsv(HERE / "ksco_keco_unit_links.tsv", ["ksco", "keco", "reason"]):
        if r["ksco"] not in ksco or ksco[r["ksco"]]["level"] != 4:
            raise BuildError(f"ksco_keco_unit_links.tsv:{lineno}: {r['ksco']} is not a KSCO-8 세분류")
        if r["keco"] not in keco:
            raise BuildError(f"ksco_keco_unit_links.tsv:{lineno}: {r['keco']} is not a KECO 2025 code")
        links[r["ksco"]] = r["keco"]
    keco_l4 = collections.defaultdict(list)
    for n in keco.values():
        if n["level"] == 4:
            keco_l4[norm(n["name"])].append(n["code"])

    def ksco_unit(code):
        n = ksco[code]
        while n["level"] > 4:
            n = ksco[n["parent"]]
        if n["level"] < 4:
            same = [c for c in ksco.values() if c["parent"] == n["code"] and norm(c["name"]) == norm(n["name"])]
            if len(same) != 1:
                return None
            n = same[0]
        return n

    def chain(code):
        u = ksco_unit(code)
        if u is None:
            return None
        if u["code"] in links:
            return links[u["code"]]
        hit = keco_l4.get(norm(u["name"]), [])
        return hit[0] if len(hit) == 1 else None

    len_keco = load_lenient(HERE / "lenient_keco.tsv", "keco", occ, keco_labels, keco_strict.froms())
    keco_lenient = Crosswalk("keco-lenient")
    keco_lenient.rows = list(keco_strict.rows)
    chain_checked = 0
    for title, items in len_keco.items():
        for lineno, r in items:
            where = f"lenient_keco.tsv:{lineno}"
            code = r["keco"]
            if code:
                if code not in keco:
                    raise BuildError(f"{where}: KECO code {code} is not in the KECO 2025 tree")
                if KECO_MAJOR[code[0]] != r["target"]:
                    raise BuildError(f"{where}: KECO {code} is in major {KECO_MAJOR[code[0]]!r}, not {r['target']!r}")
            if r["ksco"]:
                if r["ksco"] not in ksco:
                    raise BuildError(f"{where}: KSCO code {r['ksco']} is not in the KSCO-8 tree")
                known = {n["code"] for n in ksco_nodes_of.get(title, [])} | ({ksco_relative[title]} if title in ksco_relative else set())
                if r["ksco"] not in known:
                    raise BuildError(f"{where}: KSCO {r['ksco']} is neither the strict KSCO match nor the lenient_ksco.tsv relative of {title!r}")
                expected = chain(r["ksco"])
                if expected is None:
                    raise BuildError(f"{where}: no KECO node for KSCO {r['ksco']} (add its 세분류 to ksco_keco_unit_links.tsv)")
                if code != expected:
                    raise BuildError(f"{where}: KSCO {r['ksco']} leads to KECO {expected}, the row cites {code!r}")
                chain_checked += 1
            keco_lenient.add(title, r["target"], "assigned: " + r["reason"], weight=r["weight"], node=code)

    # Chain consistency of the strict KECO rows (reported, not enforced: a direct name match wins).
    keco_strict_disagree = []
    for r in keco_strict.rows:
        t = r["from"]
        if t in ksco_nodes_of:
            exp = chain(pick(ksco_nodes_of[t])["code"])
            if exp and KECO_MAJOR[exp[0]] != r["to"]:
                keco_strict_disagree.append((t, r["node"], exp))

    # Field of study → GOMS 계열.
    gyeyeol = sorted(k for k in cohorts if k != "전체")
    field_cw = Crosswalk("field")
    grouped = collections.OrderedDict()
    for lineno, r in read_tsv(HERE / "bachelors_field_goms.tsv", ["field", "target", "weight", "basis"]):
        if r["field"] not in fields:
            raise BuildError(f"bachelors_field_goms.tsv:{lineno}: {r['field']!r} is not an NPK bachelors_field value")
        if r["target"] not in set(gyeyeol) | {NO_DEGREE}:
            raise BuildError(f"bachelors_field_goms.tsv:{lineno}: {r['target']!r} is not a GOMS 전공계열 nor {NO_DEGREE}")
        grouped.setdefault(r["field"], []).append(r)
    missing = set(fields) - set(grouped)
    if missing:
        raise BuildError(f"bachelors_field_goms.tsv: no row for {sorted(missing)}")
    for f_, items in grouped.items():
        weight_ok([(r["target"], r["weight"]) for r in items], f"bachelors_field_goms.tsv ({f_})")
        for r in items:
            field_cw.add(f_, r["target"], r["basis"], weight=r["weight"])

    # Military rank: total over all titles.
    rank_cw = Crosswalk("rank")
    for t in occ:
        if t in military:
            rank_cw.add(t, military[t], "special: active-duty military title")
        else:
            rank_cw.add(t, "none", "not an active-duty military title")

    # Coverage.
    def coverage(cw):
        mapped = cw.froms()
        emp = sum(occ[t] for t in mapped if t in employed)
        rows = sum(occ[t] for t in mapped)
        return {"titles": len(mapped), "employed_titles": len(mapped & employed), "employed": emp,
                "employed_share": emp / employed_mass, "rows": rows, "rows_share": rows / total_rows}

    cov = collections.OrderedDict()
    cov["occupation_ksco_major.strict"] = coverage(ksco_strict)
    cov["occupation_ksco_major.lenient"] = coverage(ksco_lenient)
    cov["occupation_keco_major.strict"] = coverage(keco_strict)
    cov["occupation_keco_major.lenient"] = coverage(keco_lenient)
    for name in ("occupation_ksco_major.lenient", "occupation_keco_major.lenient"):
        if cov[name]["employed_share"] < 0.99:
            raise BuildError(f"{name}: only {cov[name]['employed_share']:.2%} of employed mass mapped (needs ≥ 99%)")
    unassigned = {
        "ksco": sorted(employed - ksco_lenient.froms(), key=lambda t: (-occ[t], t)),
        "keco": sorted(employed - keco_lenient.froms(), key=lambda t: (-occ[t], t)),
    }

    # Write.
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    counts = {}

    def write_csv(fname, cw, columns):
        rows = sorted(cw.rows, key=lambda r: (r["from"], r["to"]))
        seen = collections.defaultdict(list)
        for r in rows:
            seen[r["from"]].append((r["to"], r["weight"]))
        for frm, targets in seen.items():
            weight_ok(targets, f"{fname} ({frm})")
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([r[c] for c in columns])
        (out / fname).write_bytes(buf.getvalue().encode("utf-8"))
        written.append(fname)
        counts[fname] = len(rows)

    occ_cols = ["from", "to", "weight", "basis", "node"]
    write_csv("occupation_ksco_major.strict.csv", ksco_strict, occ_cols)
    write_csv("occupation_ksco_major.lenient.csv", ksco_lenient, occ_cols)
    write_csv("occupation_keco_major.strict.csv", keco_strict, occ_cols)
    write_csv("occupation_keco_major.lenient.csv", keco_lenient, occ_cols)
    write_csv("bachelors_field_goms.csv", field_cw, ["from", "to", "weight", "basis"])
    write_csv("occupation_military_rank.csv", rank_cw, ["from", "to", "basis"])

    # The shared cross-locale taxonomy (iaf compare): KSCO-8 majors onto ISCO-08 majors, 2 and 3 merged.
    common_cw = Crosswalk("ksco_major_common")
    ksco_majors = {to for r in ksco_lenient.rows for to in [r["to"]] if to != NOT_EMPLOYED}
    for lineno, r in read_tsv(HERE / "ksco_major_common.tsv", ["ksco_major", "common", "basis"]):
        if r["ksco_major"] not in ksco_majors:
            raise BuildError(f"ksco_major_common.tsv:{lineno}: {r['ksco_major']!r} is not a KSCO major group label of the crosswalks")
        common_cw.add(r["ksco_major"], r["common"], r["basis"])
    missing = ksco_majors - {r["from"] for r in common_cw.rows}
    if missing:
        raise BuildError(f"ksco_major_common.tsv: no row for {sorted(missing)}")
    write_csv("ksco_major_common.csv", common_cw, ["from", "to", "weight", "basis"])

    ctx = dict(shared=shared, occ=occ, employed=employed, employed_mass=employed_mass, total_rows=total_rows,
               military=military, jobseek=jobseek, cov=cov, notes=notes, unassigned=unassigned,
               len_ksco=len_ksco, len_keco=len_keco, ksco_lenient=ksco_lenient, keco_lenient=keco_lenient,
               cohorts=cohorts, gyeyeol=gyeyeol, links=links, chain_checked=chain_checked,
               keco_strict_disagree=keco_strict_disagree, ksco_strict=ksco_strict, keco_strict=keco_strict,
               counts=counts)
    (out / "SOURCES.md").write_bytes(sources_md(ctx).encode("utf-8"))
    written.append("SOURCES.md")
    return written, ctx


# ---------------------------------------------------------------------------------------------- SOURCES.md

def pct(x):
    return f"{100 * x:.2f}%"


def sources_md(c):
    occ, cov = c["occ"], c["cov"]
    L = []
    a = L.append
    a("# Crosswalks of the NPK audit pack")
    a("")
    a("Built by `examples/npk/build/build_crosswalks.py` (Python 3 standard library; `--check` verifies that these")
    a("files are what the script produces). The upstream files are not copied into the project: the script reads")
    a("them from the shared data folder and writes tables of its own, citing them below. The reviewed assignments")
    a("(`build/lenient_ksco.tsv`, `build/lenient_keco.tsv`, `build/ksco_keco_unit_links.tsv`,")
    a("`build/bachelors_field_goms.tsv`) are this project's judgement.")
    a("")
    a("## Files")
    a("")
    a("| file | what | rows |")
    a("|---|---|---|")
    desc = [
        ("occupation_ksco_major.strict.csv", "NPK occupation title → KSCO-8 major group (1–9, A 군인) or `(not employed)`, by exact or normalised name match only, plus the special labels"),
        ("occupation_ksco_major.lenient.csv", "the strict rows plus a reviewed assignment (`basis` = `assigned: …`) for every other employed title"),
        ("occupation_keco_major.strict.csv", "NPK occupation title → KECO 2025 major group (the 10 GOMS KECO-2018 group names) or `(not employed)`, by name match only"),
        ("occupation_keco_major.lenient.csv", "the strict rows plus the reviewed assignments, each through the title's KSCO-8 node (see the chain below)"),
        ("bachelors_field_goms.csv", "NPK bachelors_field (11 values) → GOMS 전공계열 (7) or `(no degree)`, weighted where a field spans several 계열"),
        ("occupation_military_rank.csv", "every NPK title → 병사, 부사관, 장교 or none (total: all titles)"),
        ("ksco_major_common.csv", "KSCO-8 major group → the shared cross-locale taxonomy of `iaf compare`: ISCO-08 major groups with 2 and 3 merged (KSCO-8 files professionals and technicians together; `build/ksco_major_common.tsv`)"),
    ]
    for fname, what in desc:
        a(f"| `{fname}` | {what} | {c['counts'][fname]} |")
    a("")
    a("Columns: `from,to,weight,basis` (+ `node`: the KSCO-8 / KECO code the row cites). `weight` is empty unless a")
    a("label has several targets, whose weights then sum exactly to 1. Rows are sorted by `from`, then `to`.")
    a("")
    a("## Upstream files")
    a("")
    a("| file (under the shared data folder) | repository | commit | sha256 | used for |")
    a("|---|---|---|---|---|")
    for rel, what in UPSTREAM:
        repo, commit = read_provenance(c["shared"], rel.split("/")[0])
        a(f"| `{rel}` | {repo} | `{commit}` | `{sha256(c['shared'] / rel)}` | {what} |")
    a("")
    a("NPK figures: aggregates computed by a third party (eopchang) from nvidia/Nemotron-Personas-Korea v1.0 (CC BY 4.0).")
    a("KSCO-8 (제8차 한국표준직업분류, 2024) and KECO 2025 (한국고용직업분류) are Statistics Korea classifications, as")
    a("re-formatted to JSON in the repository above. GOMS: 한국고용정보원 대졸자직업이동경로조사, 주제별 통계.")
    a("")
    a("## Population")
    a("")
    n_js = len(c["jobseek"])
    js_mass = sum(occ[t] for t in c["jobseek"])
    mil_mass = sum(occ[t] for t in c["military"])
    a(f"- {len(occ)} titles, {c['total_rows']:,} rows. `무직`: {occ['무직']:,} rows; {n_js} `전직 …, 현재 구직중` titles: {js_mass:,} rows.")
    a(f"- Employed mass = every other title: {len(c['employed'])} titles, {c['employed_mass']:,} rows "
      f"({pct(c['employed_mass'] / c['total_rows'])} of all rows), including the 12 active-duty military titles ({mil_mass:,} rows).")
    a("")
    a("## Rules")
    a("")
    a("**Special labels** (both classifications): `무직` and every `전직 X, 현재 구직중` → `(not employed)`;")
    a("`{육군,해군,공군,해병대} {병사,부사관,장교}` → `A 군인` (KSCO) / `교육·법률·사회복지·경찰·소방직 및 군인` (KECO).")
    a("")
    a("**Strict** (`basis` `exact:` or `normalised:`): the title equals the name of a KSCO-8 node of level 2–5")
    a("(중분류 … 세세분류), or of a KECO 2025 node of level 2–4 or a `keco-index.json` term; failing that, the two")
    a("agree after normalisation. The row cites the deepest matching node. A title whose candidate nodes fall in two")
    a("major groups is left out of strict and listed below. Normalisation:")
    a("")
    for i, rule in enumerate(NORM_RULES, 1):
        a(f"{i}. {rule}")
    a("")
    a("**Lenient** (`basis` `assigned: …`): every employed title the strict rules leave out gets a reviewed")
    a("assignment. For KSCO each row names the KSCO-8 node taken as the title's closest relative (NPK uses")
    a("KSCO-7-era names, e.g. `범용 소프트웨어 프로그래머` for KSCO-8 `범용 소프트웨어 개발자`); the script checks that")
    a("the node exists and lies in the assigned major group. KECO 2025's 세분류 are KSCO-8's 세분류 regrouped under the")
    a("same names, so a KECO row goes title → KSCO-8 node (its strict match, or its KSCO relative) → that node's")
    a(f"세분류 → the KECO 세분류 of the same normalised name ({len(c['links'])} reworded names are linked by hand in")
    a(f"`ksco_keco_unit_links.tsv`); the script re-derives this chain for the {c['chain_checked']} rows that cite their KSCO node")
    a("and fails on any disagreement.")
    if c["keco_strict_disagree"]:
        a("")
        a("Strict KECO rows whose direct name match differs in major group from the KSCO chain (the direct match is kept):")
        for t, node, exp in c["keco_strict_disagree"]:
            a(f"- `{t}`: KECO {node} by name, chain gives {exp}")
    a("")
    a("**Military rank**: the 12 active-duty titles → their rank; every other title (including `전직 …`) → `none`.")
    a("")
    a("## Coverage")
    a("")
    a("| crosswalk | titles mapped | employed titles | share of employed mass | share of all rows |")
    a("|---|---|---|---|---|")
    for name, v in cov.items():
        a(f"| {name} | {v['titles']} | {v['employed_titles']} / {len(c['employed'])} | {pct(v['employed_share'])} | {pct(v['rows_share'])} |")
    a("")
    for name, key, cw in (("KSCO", "ksco", c["ksco_strict"]), ("KECO", "keco", c["keco_strict"])):
        kinds = collections.Counter(r["basis"].split(":")[0] for r in cw.rows if r["from"] in c["employed"])
        mass = collections.Counter()
        for r in cw.rows:
            if r["from"] in c["employed"]:
                mass[r["basis"].split(":")[0]] += occ[r["from"]]
        parts = ", ".join(f"{k} {kinds[k]} titles / {pct(mass[k] / c['employed_mass'])}" for k in ("exact", "normalised", "special") if kinds[k])
        a(f"- {name} strict, employed mass by rule: {parts}.")
        amb = c["notes"]["ambiguous"][key]
        if amb:
            a(f"- {name} normalised-name ambiguities (left out of strict): " +
              "; ".join(f"`{t}` → " + ", ".join(f"{cd} {nm}" for cd, nm in cands) for t, cands in amb) + ".")
        else:
            a(f"- {name}: no title matches nodes of two different major groups (exactly or after normalisation).")
        un = c["unassigned"][key]
        if un:
            a(f"- {name} lenient leaves {len(un)} employed titles unmapped: " + ", ".join(f"`{t}` ({occ[t]})" for t in un) + ".")
    a("")
    a("## Field of study → 계열")
    a("")
    a("ISCED-F 2013 broad fields (the NPK values follow them: 01 교육, 02 예술·인문, 03 사회과학·언론, 04 경영·행정·법,")
    a("05 자연과학·수학, 06 정보통신기술, 07 공학·제조·건설, 08 농림어업·수의학, 09 보건·복지, 10 서비스) against the seven")
    a("대계열 of the Korean 학과(전공) 분류 used by GOMS (인문, 사회, 교육, 공학, 자연, 의약, 예체능). Single-계열 fields are")
    a("a direct reading of the two classifications. The split weights are assumptions (rounded to 0.1), not")
    a("estimates; no published table crosses the two classifications. Plausibility figures, GOMS_003 graduates by")
    a("계열 (weighted population, graduating cohorts; all graduates):")
    a("")
    years = sorted({y for v in c["cohorts"].values() for y in v})
    last3 = [y for y in years if y >= years[-1] - 2]
    a("| 계열 | " + " | ".join(str(y) for y in last3) + " | pooled |")
    a("|---|" + "---|" * (len(last3) + 1))
    pooled = {}
    for g in c["gyeyeol"]:
        vals = [c["cohorts"][g].get(y, 0.0) for y in last3]
        pooled[g] = sum(vals)
        a(f"| {g} | " + " | ".join(f"{v:,.0f}" for v in vals) + f" | {pooled[g]:,.0f} |")
    a("")
    h, ye = pooled.get("인문", 0), pooled.get("예체능", 0)
    if h and ye:
        a(f"- 예술·인문 → 인문 0.5 / 예체능 0.5: pooled 인문 {h:,.0f} vs 예체능 {ye:,.0f}; 예체능 also holds 체육 and 미용")
        a(f"  (ISCED-F 10 서비스). If about 30% of 예체능 is such programmes (an assumption; 체육 alone had 411 four-year")
        a(f"  departments in 2019, second only to 경영학's 809 — KEDI 교육통계서비스 figures as reported by 천지일보,")
        a(f"  http://www.newscj.com/news/articleView.html?idxno=666846), 인문's share is {h / (h + 0.7 * ye):.2f} → 0.5.")
    a(f"- 보건·복지 → 의약 0.7 / 사회 0.3: pooled 의약 {pooled.get('의약', 0):,.0f}; welfare programmes (가족·사회·복지학,")
    a("  410 four-year departments in 2019, same source) are counted inside 사회 and not separable in GOMS.")
    a("- 농림어업·수의학 → 자연 0.9 / 의약 0.1: veterinary medicine (about 500 entrants a year at 10 colleges) is a small")
    a("  part of the field next to agriculture, forestry and fisheries.")
    a("- 서비스 → 예체능 0.5 / 사회 0.4 / 공학 0.1: sports and beauty (예체능), tourism, hospitality management, police,")
    a("  security and military science (사회), transport services and occupational safety (공학).")
    a("- Sensitivity: an audit using this crosswalk should be rerun with the split fields moved wholly to either side.")
    a("")
    a("## Caveats")
    a("")
    g_b, g_s = occ.get("건물 경비원", 0), occ.get("시설 경비원", 0)
    a("- The targets are KSCO-8 (2024) and KECO 2025. Reference series coded in KSCO-7 or KECO-2018 (GOMS) may file")
    a("  some occupations in another major group than KSCO-8 does; titles near KSCO-8's reorganised units (guards,")
    a("  teacher aides, care and childcare workers) are the ones to check when comparing with such references.")
    a(f"- Guards: `건물 경비원` ({g_b:,} rows, the heaviest lenient title) follows KSCO-8 9420 건물 관리원 (94201 아파트")
    a(f"  경비원) → 9, while `시설 경비원` ({g_s:,} rows) matches KSCO-8 41231 exactly → 4; together they are")
    a(f"  {pct((g_b + g_s) / c['employed_mass'])} of employed mass.")
    a("- The military titles carry no KSCO/KECO name; the rank gives the closest node (병사 → A0900 그 외 군인).")
    a("- KECO strict is small by construction: KECO 2025 stops at 세분류, while most NPK titles are KSCO 세세분류 names.")
    a("")
    return "\n".join(L)


# ---------------------------------------------------------------------------------------------- main

def print_coverage(ctx, stream):
    print(f"employed mass: {ctx['employed_mass']:,} rows in {len(ctx['employed'])} titles "
          f"(of {ctx['total_rows']:,} rows, {len(ctx['occ'])} titles)", file=stream)
    for name, v in ctx["cov"].items():
        print(f"{name:32s} employed {pct(v['employed_share']):>7s}  all rows {pct(v['rows_share']):>7s}  "
              f"titles {v['titles']:5d} (employed {v['employed_titles']})", file=stream)
    print(f"lenient-only titles: KSCO {len(ctx['len_ksco'])}, KECO {len(ctx['len_keco'])}", file=stream)
    for key in ("ksco", "keco"):
        amb = ctx["notes"]["ambiguous"][key]
        print(f"{key.upper()} normalised-name ambiguities: {len(amb)}" + ("".join(f"\n  {t}: {c}" for t, c in amb)), file=stream)
        if ctx["unassigned"][key]:
            print(f"{key.upper()} lenient unmapped employed titles: {len(ctx['unassigned'][key])}", file=stream)


def compare(built, target, names):
    problems = []
    for name in names:
        a, b = built / name, target / name
        if not b.exists():
            problems.append(f"missing: {name}")
            continue
        if a.read_bytes() != b.read_bytes():
            old = b.read_text(encoding="utf-8", errors="replace").splitlines()
            new = a.read_text(encoding="utf-8", errors="replace").splitlines()
            diff = list(difflib.unified_diff(old, new, f"committed/{name}", f"rebuilt/{name}", n=0, lineterm=""))
            changed = sum(1 for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---")))
            problems.append(f"differs: {name} ({changed} changed lines)\n" + "\n".join("    " + d for d in diff[:20]) +
                            ("\n    …" if len(diff) > 20 else ""))
    extra = sorted(p.name for p in target.iterdir() if p.is_file() and p.name not in names) if target.is_dir() else []
    for name in extra:
        problems.append(f"not produced by the script: {name}")
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=str(DEFAULT_SHARED), help=f"shared data folder (default {DEFAULT_SHARED})")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("--check", action="store_true", help="rebuild into a temporary folder and compare with --out")
    args = ap.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                names, ctx = build(args.shared, tmp)
                problems = compare(Path(tmp), Path(args.out), names)
            print_coverage(ctx, sys.stdout)
            if problems:
                print(f"crosswalks in {args.out} are NOT what the script builds:", file=sys.stderr)
                for p in problems:
                    print("  " + p, file=sys.stderr)
                return 1
            print(f"check: {len(names)} files in {args.out} are up to date")
            return 0
        names, ctx = build(args.shared, args.out)
        print_coverage(ctx, sys.stdout)
        print(f"wrote {len(names)} files to {args.out}")
        return 0
    except BuildError as e:
        print(f"build_crosswalks: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
