#!/usr/bin/env python3
"""Rebuilds the NPK pack's references (references/) and counts tables (counts/) from their upstream
files, records every upstream file's sha256 in build/UPSTREAM.json, and renders audit.toml from
build/audit.toml.in with the sha256 of every reference and upstream file.

The upstream files are public material kept beside the repository in ../shared/data (see each
folder's PROVENANCE.md); they are never copied into the pack: these tables are re-shaped from
their figures. Standard library only.

usage: build_tables.py [--shared DIR] [--out PACK_DIR] [--check]
  --shared  the upstream data folder (default: <repository>/../shared/data)
  --out     where to write references/, counts/ and build/UPSTREAM.json (default: examples/npk)
  --check   rebuild into a temporary folder and compare with the committed files (exit 1 on any
            difference)
"""
import argparse
import csv
import filecmp
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACK = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(PACK))

# NPK's 8 age bands (the third-party audit's bins) and EAPS's 5 bands.
AGE_BANDS = [(19, 25, "19-24"), (25, 35, "25-34"), (35, 45, "35-44"), (45, 55, "45-54"),
             (55, 65, "55-64"), (65, 75, "65-74"), (75, 85, "75-84"), (85, 999, "85+")]

# MOIS province names → NPK's short forms.
PROVINCES = {
    "서울특별시": "서울", "부산광역시": "부산", "대구광역시": "대구", "인천광역시": "인천",
    "광주광역시": "광주", "대전광역시": "대전", "울산광역시": "울산", "세종특별자치시": "세종",
    "경기도": "경기", "강원특별자치도": "강원", "충청북도": "충청북", "충청남도": "충청남",
    "전북특별자치도": "전북", "전라남도": "전라남", "경상북도": "경상북", "경상남도": "경상남",
    "제주특별자치도": "제주",
}

# KSCO-8 major groups as the pack labels them (crosswalks/occupation_ksco_major.*.csv use the same).
KSCO_MAJOR = {
    "1": "1 관리자", "2": "2 전문가 및 관련 종사자", "3": "3 사무 종사자", "4": "4 서비스 종사자",
    "5": "5 판매 종사자", "6": "6 농림어업 숙련 종사자", "7": "7 기능원 및 관련 기능 종사자",
    "8": "8 장치·기계 조작 및 조립 종사자", "9": "9 단순노무 종사자",
}
# 직업별_학력별.csv names its major groups without codes.
LALFS_MAJOR = {
    "관리자": "1", "전문가 및 관련 종사자": "2", "사무 종사자": "3", "서비스 종사자": "4",
    "판매 종사자": "5", "농림·어업 숙련 종사자": "6", "기능원 및 관련 기능 종사자": "7",
    "장치·기계 조작 및 조립 종사자": "8", "단순노무 종사자": "9",
}
EDU3 = {"교육정도(중졸이하)": "중졸이하", "교육정도(고졸)": "고졸", "교육정도(대졸이상)": "대졸이상"}
AGE5 = {"연령(15~29세)": "15-29", "연령(30~39세)": "30-39", "연령(40~49세)": "40-49",
        "연령(50~59세)": "50-59", "연령(60세 이상)": "60+"}
GOMS_MAJORS = ["인문", "사회", "교육", "공학", "자연", "의약", "예체능"]


class Build:
    def __init__(self, shared, out):
        self.shared = shared
        self.out = out
        self.upstream = {}

    def src(self, *parts):
        path = os.path.join(self.shared, *parts)
        if not os.path.exists(path):
            sys.exit(f"build_tables: upstream file missing: {path}")
        rel = "/".join(parts)
        with open(path, "rb") as f:
            self.upstream[rel] = hashlib.sha256(f.read()).hexdigest()
        return path

    def write(self, rel, header, rows):
        path = os.path.join(self.out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())


def number(text):
    return int(text.replace(",", "").strip())


def band_of(age):
    for lo, hi, label in AGE_BANDS:
        if lo <= age < hi:
            return label
    return None


def mois(b):
    """MOIS resident registration, April 2025: 17 province rows × sex × single year of age (19+)."""
    path = b.src("mois_population_2025_04", "202504_202504_연령별인구현황_월간_남녀구분.csv")
    with open(path, encoding="cp949", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    cells = {}
    for row in rows[1:]:
        name, code = row[0].rsplit("(", 1)
        if not code.rstrip(")").endswith("00000000"):
            continue  # districts and dongs: the province rows are the national total's parts
        province = PROVINCES[name.strip()]
        for i, col in enumerate(header):
            for sex_key, sex in (("_남_", "남자"), ("_여_", "여자")):
                if sex_key not in col or not (col.endswith("세") or col.endswith("세 이상")):
                    continue
                age = int(col.split(sex_key)[1].replace("세 이상", "").replace("세", ""))
                band = band_of(age)
                if band is None:
                    continue  # under 19: outside NPK's universe
                key = (province, sex, band)
                cells[key] = cells.get(key, 0) + number(row[i])
    if len({k[0] for k in cells}) != 17:
        sys.exit("build_tables: MOIS file does not have 17 provinces")
    b.write("references/mois_2025_04_province_sex_age_19plus.csv", ["province", "sex", "age_band", "population"],
            sorted([list(k) + [v] for k, v in cells.items()]))
    men_19_24 = sum(v for (p, s, a), v in cells.items() if s == "남자" and a == "19-24")
    return {"mois_men_19_24": men_19_24, "mois_adults": sum(cells.values())}


def eaps_sex_occupation(b):
    """KOSIS EAPS employed by sex × KSCO major group, 2024 (thousands); "* …" subtotal rows dropped."""
    path = b.src("kosis_labour_cha1367", "성별_직업별.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("2024")
    out = []
    for sex, occ, *values in rows[1:]:
        if sex == "계" or occ.startswith("*") or occ == "계":
            continue
        out.append([sex, KSCO_MAJOR[occ.split(" ", 1)[0]], number(values[col - 2])])
    if len(out) != 18:
        sys.exit(f"build_tables: expected 2 sexes × 9 major groups in 성별_직업별.csv, got {len(out)}")
    b.write("references/kosis_eaps_2024_sex_ksco_major.csv", ["sex", "occ_major", "employed_thousands"], sorted(out))


def lalfs_occupation(b):
    """직업별_학력별.csv: KSCO major group × 5 age bands and × 3 education levels, first half of 2024 (the
    latest period the file holds; thousands). Sub-major rows are skipped: the pack audits major groups."""
    path = b.src("kosis_labour_cha1367", "직업별_학력별.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    periods, kinds = rows[0], rows[1]
    wanted = [i for i, p in enumerate(periods) if p == "2024.1/2"]
    if len(wanted) != 9:
        sys.exit("build_tables: 직업별_학력별.csv lacks the 2024 first half-year")
    age, edu = {}, {}
    for row in rows[2:]:
        if row[0] not in LALFS_MAJOR:
            continue
        major = KSCO_MAJOR[LALFS_MAJOR[row[0]]]
        for i in wanted:
            kind = kinds[i]
            value = row[i].strip()
            if value in ("-", ""):
                sys.exit(f"build_tables: 직업별_학력별.csv has an empty major-group cell ({row[0]}, {kind})")
            if kind in AGE5:
                age[(major, AGE5[kind])] = age.get((major, AGE5[kind]), 0) + number(value)
            elif kind in EDU3:
                edu[(major, EDU3[kind])] = edu.get((major, EDU3[kind]), 0) + number(value)
    b.write("references/kosis_lalfs_2024h1_ksco_major_age.csv", ["occ_major", "age_band_eaps", "employed_thousands"],
            sorted([[k[0], k[1], v] for k, v in age.items()]))
    b.write("references/kosis_lalfs_2024h1_ksco_major_education.csv", ["occ_major", "edu3", "employed_thousands"],
            sorted([[k[0], k[1], v] for k, v in edu.items()]))


def goms(b):
    """KEIS GOMS: employed graduates by 전공계열 (7) × KECO-2018 major group (10), 2017–2019 cohorts pooled
    (weighted population estimates). Also the cohorts' employment share, for the survey's n."""
    path = b.src("goms_keis_topic_stats", "data", "normalized", "goms_distribution_long.csv")
    cells, employed, graduates = {}, 0.0, 0.0
    with open(path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["measure_type"] != "frequency" or r["year"] not in ("2017", "2018", "2019"):
                continue
            if r["topic_id"] == "GOMS_012" and r["subgroup"] in GOMS_MAJORS and r["dimension_value"] != "전체":
                key = (r["subgroup"], r["dimension_value"])
                cells[key] = cells.get(key, 0.0) + float(r["value"])
            if r["topic_id"] == "GOMS_001" and r["dimension_value"] == "전체":
                if r["subgroup"] == "전체":
                    graduates += float(r["value"])
                elif r["subgroup"] == "취업자":
                    employed += float(r["value"])
    if len(cells) != 70:
        sys.exit(f"build_tables: expected 7 × 10 GOMS cells, got {len(cells)}")
    b.write("references/keis_goms_2017_2019_major_keco.csv", ["major7", "occ_keco", "employed_graduates"],
            sorted([[k[0], k[1], f"{v:.0f}"] for k, v in cells.items()]))
    return {"goms_employment_share": employed / graduates if graduates else None}


def census_shares(b):
    """Census 2020 marital status (15+) and education (25+) shares, as quoted by the third-party NPK audit
    from Statistics Korea's releases (data/reference/kosis_reference.json)."""
    path = b.src("npk_audit_eopchang", "data", "reference", "kosis_reference.json")
    with open(path, encoding="utf-8") as f:
        ref = json.load(f)
    b.write("references/census_2020_marital_15plus.csv", ["marital_status", "share"],
            [[k, v] for k, v in ref["marital_status"]["values"].items()])
    b.write("references/census_2020_education_25plus.csv", ["education_level", "share"],
            [[k, v] for k, v in ref["education_level"]["values"].items()])


def read_contingency(b, name):
    path = b.src("npk_audit_eopchang", "data", "processed", "bivariate_detail_all", f"contingency_{name}.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    cols = rows[0][1:]
    return [(r[0], c, int(v)) for r in rows[1:] for c, v in zip(cols, r[1:])]


def counts(b):
    """NPK's side: the third-party audit's exact full-population aggregates, re-shaped into counts tables
    keyed by NPK columns (province, education_level, …) or derived attributes (age_band, military_rank)."""
    age_sex = read_contingency(b, "age_bin__x__sex")
    b.write("counts/age_band_sex.csv", ["age_band", "sex", "count"], [list(c) for c in age_sex])
    path = b.src("npk_audit_eopchang", "data", "processed", "marginals", "province.csv")
    with open(path, encoding="utf-8", newline="") as f:
        prov = [[r["province"], r["count"]] for r in csv.DictReader(f)]
    b.write("counts/province.csv", ["province", "count"], prov)
    b.write("counts/age_band_education_level.csv", ["age_band", "education_level", "count"],
            [list(c) for c in read_contingency(b, "age_bin__x__education_level")])
    b.write("counts/age_band_marital_status.csv", ["age_band", "marital_status", "count"],
            [list(c) for c in read_contingency(b, "age_bin__x__marital_status")])
    # Occupation tables: the top 20 titles and "기타" (everything else, including job-seekers and soldiers).
    b.write("counts/sex_occupation_top20.csv", ["sex", "occupation", "count"],
            [list(c) for c in read_contingency(b, "sex__x__occupation")])
    b.write("counts/education_level_occupation_top20.csv", ["education_level", "occupation", "count"],
            [list(c) for c in read_contingency(b, "education_level__x__occupation")])
    b.write("counts/bachelors_field_occupation_top20.csv", ["bachelors_field", "occupation", "count"],
            [list(c) for c in read_contingency(b, "bachelors_field__x__occupation")])
    # Active duty by rank × sex × age band (only active-duty rows: the table's scope).
    path = b.src("npk_audit_eopchang", "data", "processed", "military_breakdown.csv")
    with open(path, encoding="utf-8", newline="") as f:
        mil = [(r["rank"], r["sex"], r["age_bin"], int(r["n"])) for r in csv.DictReader(f)]
    b.write("counts/military_rank_sex_age_band_active.csv", ["military_status", "military_rank", "sex", "age_band", "count"],
            [["현역"] + list(m) for m in mil])
    # Sex × age band × military status over every row: active duty from the rank table, the rest
    # from the age band × sex table (non-active = all − active).
    active = {}
    for rank, sex, band, n in mil:
        active[(sex, band)] = active.get((sex, band), 0) + n
    rows = []
    for band, sex, n in age_sex:
        a = active.get((sex, band), 0)
        rows.append([sex, band, "현역", a])
        rows.append([sex, band, "비현역", n - a])
    b.write("counts/sex_age_band_military_status.csv", ["sex", "age_band", "military_status", "count"], sorted(rows))
    total_active = sum(n for *_, n in mil)
    return {"npk_active_duty": total_active}


def build(shared, out):
    b = Build(shared, out)
    facts = {}
    facts.update(mois(b))
    eaps_sex_occupation(b)
    lalfs_occupation(b)
    facts.update(goms(b))
    census_shares(b)
    facts.update(counts(b))
    manifest = {
        "built_by": "examples/npk/build/build_tables.py",
        "upstream": {k: b.upstream[k] for k in sorted(b.upstream)},
        "derived_facts": facts,
    }
    os.makedirs(os.path.join(out, "build"), exist_ok=True)
    with open(os.path.join(out, "build", "UPSTREAM.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    render_pack(out, b.upstream)
    return facts


def render_pack(out, upstream):
    """audit.toml from build/audit.toml.in: {{sha:FILE}} becomes the sha256 of a pack file,
    {{up:FILE}} that of an upstream file (so the manifest records each upstream file's digest)."""
    with open(os.path.join(HERE, "audit.toml.in"), encoding="utf-8") as f:
        text = f.read()
    while "{{" in text:
        start = text.index("{{")
        end = text.index("}}", start)
        kind, name = text[start + 2:end].split(":", 1)
        if kind == "sha":
            with open(os.path.join(out, name), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        elif kind == "up":
            if name not in upstream:
                sys.exit(f"build_tables: audit.toml.in names upstream {name}, which the build did not read")
            digest = upstream[name]
        else:
            sys.exit(f"build_tables: unknown placeholder {{{{{kind}:…}}}} in audit.toml.in")
        text = text[:start] + digest + text[end + 2:]
    with open(os.path.join(out, "audit.toml"), "w", encoding="utf-8", newline="") as f:
        f.write(text)


OUTPUTS = ["references", "counts", os.path.join("build", "UPSTREAM.json"), "audit.toml"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(REPO), "shared", "data"))
    ap.add_argument("--out", default=PACK)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    if not os.path.isdir(a.shared):
        sys.exit(f"build_tables: no upstream data folder at {a.shared} (give --shared)")
    if not a.check:
        facts = build(a.shared, a.out)
        print(json.dumps(facts, ensure_ascii=False))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(a.shared, tmp)
        diffs = []
        for item in OUTPUTS:
            mine, theirs = os.path.join(tmp, item), os.path.join(a.out, item)
            if os.path.isfile(mine):
                if not os.path.isfile(theirs) or not filecmp.cmp(mine, theirs, shallow=False):
                    diffs.append(item)
                continue
            for name in sorted(set(os.listdir(mine)) | set(os.listdir(theirs) if os.path.isdir(theirs) else [])):
                p, q = os.path.join(mine, name), os.path.join(theirs, name)
                if not os.path.exists(p) or not os.path.exists(q) or not filecmp.cmp(p, q, shallow=False):
                    diffs.append(os.path.join(item, name))
        if diffs:
            print("build_tables --check: differs from the committed files: " + ", ".join(diffs))
            print("  (rebuild with: /usr/bin/python3 examples/npk/build/build_tables.py)")
            return 1
        print("build_tables --check: references, counts, UPSTREAM.json and audit.toml reproduce byte for byte")
        return 0


if __name__ == "__main__":
    sys.exit(main())
