#!/usr/bin/python3
"""pandas_counts.py FILE.csv: the pandas baseline — read_csv(usecols=the columns the NPK pack's
checks read), then the pack's twelve groupings (iaf_bench_sql's grouping_sets_sql, written by hand
in pandas: the same bins, value map, cases, indicators and universes; a universe is one more key,
as in the GROUPING SETS query) as groupby(...).size(). Prints the number of groups in all, which
equals the GROUPING SETS query's row count on the same file (run.sh checks it).

Exit 77 when pandas is not importable (Debian: apt-get install python3-pandas).
"""
import sys

try:
    import numpy as np
    import pandas as pd
except ImportError:
    sys.exit(77)

COLUMNS = ["age", "bachelors_field", "education_level", "marital_status", "military_status", "occupation", "province", "sex"]
INF = float("inf")


def main(path):
    df = pd.read_csv(path, usecols=COLUMNS)
    age, sex, occ, edu = df["age"], df["sex"], df["occupation"], df["education_level"]
    age_band = pd.cut(age, [19, 25, 35, 45, 55, 65, 75, 85, INF], right=False,
                      labels=["19-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"])
    age_band_eaps = pd.cut(age, [15, 30, 40, 50, 60, INF], right=False, labels=["15-29", "30-39", "40-49", "50-59", "60+"])
    edu3 = edu.map({"무학": "중졸이하", "초등학교": "중졸이하", "중학교": "중졸이하", "고등학교": "고졸",
                    "2~3년제 전문대학": "대졸이상", "4년제 대학교": "대졸이상", "대학원": "대졸이상"}).fillna(edu)
    branches = ["육군", "해군", "공군", "해병대"]
    rank = pd.Series(np.select([occ.isin([f"{b} {r}" for b in branches]) for r in ("병사", "부사관", "장교")],
                               ["병사", "부사관", "장교"], "none"), index=df.index)
    scope = rank == "병사"
    assertion = (sex == "남자") & age_band.isin(["19-24", "25-34"])
    active = df["military_status"] == "현역"
    employed = (occ != "무직") & ~occ.str.startswith("전직 ") & (rank == "none")
    graduates = edu.isin(["2~3년제 전문대학", "4년제 대학교"]) & age.between(23, 30) & employed
    keys = {"sex": sex, "province": df["province"], "age_band": age_band, "education_level": edu,
            "marital_status": df["marital_status"], "military_status": df["military_status"], "occupation": occ,
            "age_band_eaps": age_band_eaps, "edu3": edu3, "bachelors_field": df["bachelors_field"],
            "scope": scope, "assert": assertion, "event_rank": scope, "event_active": active,
            "u_adult": age_band != "19-24", "u_active": active, "u_male": sex == "남자", "u_employed": employed,
            "u_graduates": graduates}
    groupings = [["sex"], ["province"], ["age_band", "sex"], ["u_adult", "education_level"], ["marital_status"],
                 ["u_active", "scope", "assert"], ["u_active", "military_status", "event_rank"],
                 ["u_male", "age_band", "event_active"], ["u_employed", "occupation", "sex"],
                 ["u_employed", "occupation", "age_band_eaps", "sex"], ["u_employed", "edu3", "occupation"],
                 ["u_graduates", "bachelors_field", "occupation"]]
    groups = 0
    for g in groupings:
        counts = pd.DataFrame({k: keys[k] for k in g}).groupby(g, observed=True, dropna=False).size()
        groups += len(counts)
    print(f"rows={len(df)} groups={groups}")


if __name__ == "__main__":
    main(sys.argv[1])
