#!/usr/bin/env python3
"""Re-shapes the third-party NPK audit's complete two-way tables and published association metrics
into tests/data/peer_eopchang.json, for the peer-reproduction test (tests/unit/stats/peer_test.cpp).

Source: github.com/eopchang/nemotron-personas-korea-audit, commit
99b064bcffc3e0cb9cbb538890bf694484067e0e (aggregates of the full 1,000,000-row
Nemotron-Personas-Korea v1.0, NVIDIA, CC BY 4.0; the audit's reports are CC BY 4.0), files
data/processed/bivariate/metrics_long.csv and data/processed/bivariate_detail_all/contingency_*.csv.
A table is "complete" when its shape equals the n_rows x n_cols of metrics_long (the others were
cut to top-K + 기타 and cannot reproduce the published figures). Standard library only.

usage: extract_eopchang.py [SHARED_DATA_DIR] [OUT_JSON]
"""
import csv
import hashlib
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "tests", "data", "peer_eopchang.json")
audit = os.path.join(shared, "npk_audit_eopchang", "data", "processed")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


metrics_file = os.path.join(audit, "bivariate", "metrics_long.csv")
published = {}
with open(metrics_file, encoding="utf-8") as f:
    for row in csv.DictReader(f):
        published[(row["x"], row["y"])] = row

pairs = []
sources = {"bivariate/metrics_long.csv": sha256(metrics_file)}
for (x, y), m in published.items():
    path = os.path.join(audit, "bivariate_detail_all", f"contingency_{x}__x__{y}.csv")
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cols = rows[0][1:]
    labels = [r[0] for r in rows[1:]]
    table = [[int(v) for v in r[1:]] for r in rows[1:]]
    if len(labels) != int(m["n_rows"]) or len(cols) != int(m["n_cols"]):
        continue  # truncated to top-K + 기타
    sources[f"bivariate_detail_all/contingency_{x}__x__{y}.csv"] = sha256(path)
    pairs.append({
        "x": x, "y": y, "row_labels": labels, "col_labels": cols, "table": table,
        "published": {k: float(m[k]) for k in
                      ["MI_nats", "H_x", "H_y", "NMI", "V", "U_y_given_x", "U_x_given_y", "TVD_indep", "N"]},
    })

doc = {
    "source": "github.com/eopchang/nemotron-personas-korea-audit@99b064bcffc3e0cb9cbb538890bf694484067e0e "
              "data/processed/ (aggregates of nvidia/Nemotron-Personas-Korea v1.0, CC BY 4.0)",
    "built_by": "scripts/peer/extract_eopchang.py",
    "upstream_sha256": sources,
    "pairs": pairs,
}
os.makedirs(os.path.dirname(out_path), exist_ok=True)
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=1, sort_keys=True)
    f.write("\n")
print(f"{len(pairs)} complete tables -> {out_path}")
