#!/usr/bin/python3
"""Independent oracle for iaf's statistics: writes tests/golden/*.json.

Written from docs/metrics.md (and the "Checks"/"Testing" sections of DESIGN.md) only, without
reading the C++ sources.  Run from the repository root:

    /usr/bin/python3 scripts/oracle/make_golden.py

How the numbers are produced
----------------------------
* Every expected value is the metrics.md formula evaluated in mpmath at 50 significant digits on
  the exact binary values of the inputs, then rounded to the nearest double ("truth").
* Every value that scipy / statsmodels can compute (chi2_contingency, power_divergence /
  chisquare, entropy, jensenshannon, contingency.association, chi2.logsf, multipletests fdr_bh,
  proportion_confint wilson) is computed with them as well and must agree with the truth; the
  script aborts otherwise.  This is the check that the mpmath code implements the right formula.
* Every metric is also evaluated by a plain float64 implementation of the same formula
  (left-to-right sums, no compensation): it must agree with the truth within a quarter of the
  tolerance written to the file, which shows the tolerance is reachable by a straightforward
  double-precision implementation.
* log10 p of chi-square upper tails always comes from mpmath.gammainc (regularized, 50 digits).

Tolerance rule (written into every file): a value passes when
    |got - expect| <= max(default_rel * |expect|, abs)
where abs is the file's default_abs, or the metric's own "abs" in the file's tolerance table,
or the case's own "tolerance": {metric: abs} when present (first-order error propagation for
ill-conditioned inputs, computed below).  Lists are compared element-wise; null must be null.
"""
import fractions
import json
import math
import os
import sys

import mpmath
import numpy as np
import scipy
import statsmodels
from mpmath import mp
from scipy import stats
from scipy.spatial.distance import jensenshannon
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

mp.dps = 50
U = 2.0 ** -53          # unit roundoff of IEEE double
REL = 1e-12             # default relative tolerance (DESIGN.md "Testing")
GEN = "scripts/oracle/make_golden.py"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "golden")
rng = np.random.default_rng(20260515)


def fail(msg):
    sys.stderr.write("make_golden: ABORT: " + msg + "\n")
    sys.exit(1)


# --------------------------------------------------------------------------------------------
# Two arithmetic back ends running the same formulas: MP (truth) and FL (plain float64 check).
# --------------------------------------------------------------------------------------------
class MP:
    name = "mp"
    num = staticmethod(lambda x: mp.mpf(x))
    sqrt = staticmethod(mp.sqrt)
    log = staticmethod(mp.log)
    fsum = staticmethod(lambda xs: mp.fsum(list(xs)))
    LN2 = mp.log(2)
    ZERO = mp.mpf(0)


def _naive_sum(xs):
    s = 0.0
    for x in xs:
        s += x
    return s


class FL:
    name = "fl"
    num = staticmethod(float)
    sqrt = staticmethod(lambda x: math.sqrt(max(x, 0.0)))   # a double code must clamp -0 noise
    log = staticmethod(math.log)
    fsum = staticmethod(_naive_sum)
    LN2 = math.log(2.0)
    ZERO = 0.0


class Margin:
    """Collects distances of every threshold decision from its threshold (MP pass only)."""

    def __init__(self):
        self.items = []

    def add(self, what, value, threshold):
        self.items.append((abs(value - threshold), what))

    def check(self, case, rel=1e-9):
        for d, what in self.items:
            if (d != 0 or what != "argmin") and d < rel:
                fail("%s: decision %s is within %g of its threshold" % (case, what, d))


NOMARGIN = None


def M(m, what, value, threshold):
    if m is not None:
        m.add(what, value, threshold)


# --------------------------------------------------------------------------------------------
# chi-square upper tail, log10, from mpmath (the only source of log10_p values)
# --------------------------------------------------------------------------------------------
def log10_chi2_sf(x, df):
    x = mp.mpf(x)
    a = mp.mpf(df) / 2
    if x <= 0:
        return mp.mpf(0)
    q = mp.gammainc(a, x / 2, mp.inf, regularized=True)
    lq = mp.log10(q)
    if q > 0.5:
        # same quantity, refined where 1 - q is below 50 digits: log10(1 - P) via log1p
        p = mp.gammainc(a, 0, x / 2, regularized=True)
        lr = mp.log1p(-p) / mp.log(10)
        if abs(lr - lq) > mp.mpf(10) ** -45:
            fail("chi2 tail: log10(Q) and log1p(-P) disagree at x=%s df=%s" % (x, df))
        lq = lr
    return lq


def lp_tol(x, df, dx):
    """Absolute change of log10 p when the statistic moves by dx (first-order propagation)."""
    if dx == 0:
        return mp.mpf(0)
    x = mp.mpf(x)
    base = log10_chi2_sf(x, df)
    up = log10_chi2_sf(x + dx, df)
    dn = log10_chi2_sf(max(x - dx, mp.mpf(0)), df)
    return max(abs(up - base), abs(dn - base))


def sqrt_tol(x, dx):
    """Absolute error of sqrt(x) when x carries absolute error dx."""
    x = max(mp.mpf(x), mp.mpf(0))
    return max(mp.sqrt(x + dx) - mp.sqrt(x), mp.sqrt(x) - mp.sqrt(max(x - dx, mp.mpf(0))))


# --------------------------------------------------------------------------------------------
# 1. divergences
# --------------------------------------------------------------------------------------------
DIV_KEYS = ["tvd", "jsd", "js_distance", "js_distance_nats", "hellinger", "kl", "kl_smoothed",
            "max_abs_diff", "impossible_mass"]


def normalise(B, raw):
    v = [B.num(x) for x in raw]
    s = B.fsum(v)
    if s == 0:
        return None
    return [x / s for x in v]


def kl_bits(B, p, q):
    if any(b == 0 and a > 0 for a, b in zip(p, q)):
        return None
    return B.fsum(a * B.log(a / b) for a, b in zip(p, q) if a > 0) / B.LN2


def divergences(B, P, Q, eps):
    p, q = normalise(B, P), normalise(B, Q)
    if p is None or q is None:
        return {k: None for k in DIV_KEYS}
    k = len(p)
    r = {}
    r["tvd"] = B.fsum(abs(a - b) for a, b in zip(p, q)) / 2
    m = [(a + b) / 2 for a, b in zip(p, q)]
    klpm = B.fsum(a * B.log(a / c) for a, c in zip(p, m) if a > 0)
    klqm = B.fsum(b * B.log(b / c) for b, c in zip(q, m) if b > 0)
    jsd = (klpm + klqm) / 2 / B.LN2
    if B is FL:
        jsd = max(jsd, 0.0)
    r["jsd"] = jsd
    r["js_distance"] = B.sqrt(jsd)
    r["js_distance_nats"] = B.sqrt(jsd * B.LN2)
    r["hellinger"] = B.sqrt(B.fsum((B.sqrt(a) - B.sqrt(b)) ** 2 for a, b in zip(p, q)) / 2)
    r["kl"] = kl_bits(B, p, q)
    e = B.num(eps)
    if eps == 0:
        r["kl_smoothed"] = r["kl"]
    else:
        ps = [(a + e) / (1 + k * e) for a in p]
        qs = [(b + e) / (1 + k * e) for b in q]
        r["kl_smoothed"] = kl_bits(B, ps, qs)
    r["max_abs_diff"] = max(abs(a - b) for a, b in zip(p, q))
    r["impossible_mass"] = B.fsum([a for a, b in zip(p, q) if b == 0] + [B.ZERO])
    return r


DIV_ABS = 5e-14   # normalising up to 200 raw masses: about k*u absolute on [0,1]-valued metrics


def divergences_case_tol(t):
    tol = {}
    if t["jsd"] is not None:
        tol["js_distance"] = sqrt_tol(t["jsd"], DIV_ABS)
        tol["js_distance_nats"] = sqrt_tol(t["jsd"] * MP.LN2, DIV_ABS * MP.LN2)
    return tol


def divergences_scipy(P, Q, eps, t):
    """Cross-checks against scipy; returns {metric: scipy value}."""
    out = {}
    p, q = np.array(P, float), np.array(Q, float)
    if p.sum() == 0 or q.sum() == 0:
        return out
    with np.errstate(invalid="ignore"):
        jn, j2 = float(jensenshannon(p, q)), float(jensenshannon(p, q, base=2))
    if math.isfinite(jn):       # scipy takes sqrt of its (rounded, possibly negative) sum
        out["js_distance_nats"] = jn
        out["jsd"] = j2 ** 2
    if t["kl"] is not None:
        out["kl"] = float(stats.entropy(p, q, base=2))
    if eps != 0 and t["kl_smoothed"] is not None:
        k = len(p)
        ps = (p / p.sum() + eps) / (1 + k * eps)
        qs = (q / q.sum() + eps) / (1 + k * eps)
        out["kl_smoothed"] = float(stats.entropy(ps, qs, base=2))
    return out


# --------------------------------------------------------------------------------------------
# 2. goodness of fit
# --------------------------------------------------------------------------------------------
GOF_TESTS = ["chi2", "df", "log10_p", "g", "g_log10_p", "freeman_tukey", "cohen_w"]


def gof(B, O_raw, Q_raw, kind, n_ref, marg=None):
    K = len(O_raw)
    O = [B.num(x) for x in O_raw]
    N = B.fsum(O)
    pos = [k for k in range(K) if Q_raw[k] > 0]
    r = {}
    aux = {}
    r["impossible_mass"] = (None if N == 0 else
                            B.fsum([O[k] for k in range(K) if Q_raw[k] == 0] + [B.ZERO]) / N)
    Op = [O[k] for k in pos]
    Np = B.fsum(Op + [B.ZERO])
    r["n_used"] = Np
    qsum = B.fsum(B.num(Q_raw[k]) for k in pos)
    qn = [B.num(Q_raw[k]) / qsum for k in pos]
    Mc = len(pos)
    if kind == "fixed":
        E1 = [Np * q for q in qn]
        small = E1
    else:
        n = B.num(n_ref)
        R = [n * q for q in qn]
        col = [o + x for o, x in zip(Op, R)]
        T = Np + n
        E1 = [Np * c / T for c in col]
        E2 = [n * c / T for c in col]
        small = [min(a, b) for a, b in zip(E1, E2)]
    # ---- pooling (metrics.md) ----
    five = B.num(5)
    for j in range(Mc):
        M(marg, "E<5 cell %d" % j, small[j], five)
    pool = [j for j in range(Mc) if small[j] < five]
    unp = [j for j in range(Mc) if small[j] >= five]

    def pool_small():
        s1 = B.fsum(E1[j] for j in pool)
        if kind == "fixed":
            return s1
        return min(s1, B.fsum(E2[j] for j in pool))

    if pool:
        while True:
            ps = pool_small()
            if unp:
                M(marg, "pool<5", ps, five)
            if not (ps < five and unp):
                break
            best = min(unp, key=lambda j: (small[j], j))
            for j in unp:
                if j != best and small[j] != small[best]:
                    M(marg, "argmin", small[j], small[best])
            unp.remove(best)
            pool.append(best)
    r["pooled_cells"] = len(pool)
    aux["pool"] = sorted(pool)
    cellsO = [Op[j] for j in unp] + ([B.fsum(Op[j] for j in pool)] if pool else [])
    cellsE1 = [E1[j] for j in unp] + ([B.fsum(E1[j] for j in pool)] if pool else [])
    if kind == "survey":
        cellsR = [R[j] for j in unp] + ([B.fsum(R[j] for j in pool)] if pool else [])
        cellsE2 = [E2[j] for j in unp] + ([B.fsum(E2[j] for j in pool)] if pool else [])
        pairs = list(zip(cellsO, cellsE1)) + list(zip(cellsR, cellsE2))
    else:
        pairs = list(zip(cellsO, cellsE1))
    if len(cellsO) < 2:
        for k in GOF_TESTS:
            r[k] = None
    else:
        chi2 = B.fsum((o - e) ** 2 / e for o, e in pairs)
        g = 2 * B.fsum(o * B.log(o / e) for o, e in pairs if o > 0)
        ft = 4 * B.fsum((B.sqrt(o) - B.sqrt(e)) ** 2 for o, e in pairs)
        df = len(cellsO) - 1
        r["chi2"], r["g"], r["freeman_tukey"], r["df"] = chi2, g, ft, df
        denom = Np if kind == "fixed" else Np + n
        r["cohen_w"] = B.sqrt(chi2 / denom)
        if B is MP:
            r["log10_p"] = log10_chi2_sf(chi2, df)
            r["g_log10_p"] = log10_chi2_sf(g, df)
            aux["sum_abs_dev"] = mp.fsum(abs(o - e) for o, e in pairs)
            aux["sum_mass"] = mp.fsum(o for o, e in pairs)
            aux["denom"] = denom
        else:
            r["log10_p"] = SKIP
            r["g_log10_p"] = SKIP
    # ---- per-cell z, unpooled, original cells ----
    z = [None] * K
    zbound = mp.mpf(0)
    for jj, k in enumerate(pos):
        q = qn[jj]
        if kind == "fixed":
            e = Np * q
            if e == 0:
                continue
            z[k] = (O[k] - e) / B.sqrt(e)
            if B is MP:
                zbound = max(zbound, 8 * U * (mp.sqrt(e) + abs(z[k])))
        else:
            if Np == 0:
                continue
            p = O[k] / Np
            var = p * (1 - p) / Np + q * (1 - q) / n
            if var == 0:
                continue
            z[k] = (p - q) / B.sqrt(var)
            if B is MP:
                zbound = max(zbound, 8 * U * ((p + q) / mp.sqrt(var) + abs(z[k])))
    r["z"] = z
    aux["zbound"] = zbound
    return r, aux


GOF_ABS = 1e-15
LOG10P_ABS = 1e-13   # gamma_q's relative error (a few hundred ulps at large a) as log10 abs error


def gof_case_tol(t, aux):
    tol = {}
    if t["chi2"] is not None:
        dchi = 32 * U * aux["sum_abs_dev"]
        dg = 32 * U * aux["sum_mass"]
        tol["chi2"] = dchi
        tol["freeman_tukey"] = dchi
        tol["g"] = dg
        tol["log10_p"] = lp_tol(t["chi2"], t["df"], dchi)
        tol["g_log10_p"] = lp_tol(t["g"], t["df"], dg)
        tol["cohen_w"] = sqrt_tol(t["chi2"] / aux["denom"], dchi / aux["denom"])
    tol["z"] = aux["zbound"]
    return tol


def gof_scipy(O_raw, Q_raw, kind, n_ref, t, aux):
    out = {}
    if t["chi2"] is None:
        return out
    pos = [k for k in range(len(O_raw)) if Q_raw[k] > 0]
    O = np.array([O_raw[k] for k in pos], float)
    q = np.array([Q_raw[k] for k in pos], float)
    q = q / q.sum()
    pool = aux["pool"]
    unp = [j for j in range(len(pos)) if j not in pool]

    def pooled(v):
        return np.array([v[j] for j in unp] + ([v[pool].sum()] if pool else []))

    if kind == "fixed":
        Oc, Ec = pooled(O), pooled(O.sum() * q)
        res = stats.chisquare(Oc, Ec)
        out["chi2"] = float(res.statistic)
        lsf = stats.chi2.logsf(res.statistic, len(Oc) - 1)
        out["g"] = float(stats.power_divergence(Oc, Ec, lambda_="log-likelihood").statistic)
        if (Oc > 0).all():
            out["freeman_tukey"] = float(
                stats.power_divergence(Oc, Ec, lambda_="freeman-tukey").statistic)
    else:
        tab = np.vstack([pooled(O), pooled(n_ref * q)])
        res = stats.chi2_contingency(tab, correction=False)
        out["chi2"] = float(res[0])
        if res[2] != t["df"]:
            fail("scipy df mismatch")
        lsf = stats.chi2.logsf(res[0], res[2])
        out["g"] = float(stats.chi2_contingency(tab, correction=False,
                                                lambda_="log-likelihood")[0])
        if (tab > 0).all():
            out["freeman_tukey"] = float(stats.chi2_contingency(
                tab, correction=False, lambda_="freeman-tukey")[0])
    if np.isfinite(lsf) and lsf > -700:
        out["log10_p"] = float(lsf / math.log(10))
    return out


# --------------------------------------------------------------------------------------------
# 3. contingency tables
# --------------------------------------------------------------------------------------------
CT_KEYS = ["n", "rows_used", "cols_used", "chi2_independence", "df", "log10_p", "chi2_yates", "g",
           "cramers_v", "cramers_v_bc", "tschuprow_t", "h_rows", "h_cols", "h_joint", "mi",
           "mi_bits", "nmi", "u_cols_given_rows", "u_rows_given_cols", "dependence_mass"]


def entropy_nats(B, probs):
    return -B.fsum([x * B.log(x) for x in probs if x > 0] + [B.ZERO])


def contingency(B, table):
    R = len(table)
    C = len(table[0]) if R else 0
    rows = [i for i in range(R) if any(v > 0 for v in table[i])]
    cols = [j for j in range(C) if any(table[i][j] > 0 for i in range(R))]
    X = [[B.num(table[i][j]) for j in cols] for i in rows]
    r, c = len(rows), len(cols)
    rs = [B.fsum(row) for row in X]
    cs = [B.fsum(X[i][j] for i in range(r)) for j in range(c)]
    n = B.fsum(rs + [B.ZERO])
    out = {k: None for k in CT_KEYS}
    out["n"], out["rows_used"], out["cols_used"] = n, r, c
    aux = {}
    if n == 0:
        return out, aux
    pr = [x / n for x in rs]
    pc = [x / n for x in cs]
    pij = [[x / n for x in row] for row in X]
    hA, hB = entropy_nats(B, pr), entropy_nats(B, pc)
    hAB = entropy_nats(B, [x for row in pij for x in row])
    mi = hA + hB - hAB
    if B is MP and abs(mi) < mp.mpf(10) ** -40 * (1 + hA + hB + hAB):
        mi = mp.mpf(0)      # 50-digit residue of an exactly independent table
    out.update(h_rows=hA, h_cols=hB, h_joint=hAB, mi=mi, mi_bits=mi / B.LN2)
    out["nmi"] = mi / ((hA + hB) / 2) if hA + hB != 0 else None
    out["u_cols_given_rows"] = mi / hB if hB != 0 else None
    out["u_rows_given_cols"] = mi / hA if hA != 0 else None
    out["dependence_mass"] = B.fsum(abs(pij[i][j] - pr[i] * pc[j])
                                    for i in range(r) for j in range(c)) / 2
    aux["hsum"] = hA + hB + hAB
    if r < 2 or c < 2:
        return out, aux
    E = [[rs[i] * cs[j] / n for j in range(c)] for i in range(r)]
    cells = [(X[i][j], E[i][j]) for i in range(r) for j in range(c)]
    chi2 = B.fsum((o - e) ** 2 / e for o, e in cells)
    out["chi2_independence"] = chi2
    out["g"] = 2 * B.fsum(o * B.log(o / e) for o, e in cells if o > 0)
    df = (r - 1) * (c - 1)
    out["df"] = df
    if r == 2 and c == 2:
        half = B.num(0.5)
        out["chi2_yates"] = B.fsum(max(abs(o - e) - half, B.ZERO) ** 2 / e for o, e in cells)
    phi2 = chi2 / n
    out["cramers_v"] = B.sqrt(phi2 / min(r - 1, c - 1))
    out["tschuprow_t"] = B.sqrt(phi2 / B.sqrt(B.num((r - 1) * (c - 1))))
    if n > 1:
        phi2t = max(B.ZERO, phi2 - B.num((r - 1) * (c - 1)) / (n - 1))
        rt = r - B.num((r - 1) ** 2) / (n - 1)
        ct = c - B.num((c - 1) ** 2) / (n - 1)
        mm = min(rt - 1, ct - 1)
        if mm > 0:
            out["cramers_v_bc"] = B.sqrt(phi2t / mm)
        aux["bc"] = (phi2 - B.num((r - 1) * (c - 1)) / (n - 1), mm)
    if B is MP:
        out["log10_p"] = log10_chi2_sf(chi2, df)
        aux["sum_abs_dev"] = mp.fsum(abs(o - e) for o, e in cells)
    else:
        out["log10_p"] = SKIP
    return out, aux


CT_ABS = 1e-15


def contingency_case_tol(t, aux):
    tol = {}
    if t["n"] == 0:
        return tol
    dmi = 64 * U * aux["hsum"]
    tol["mi"] = dmi
    tol["mi_bits"] = dmi / MP.LN2
    if t["nmi"] is not None:
        tol["nmi"] = dmi / ((t["h_rows"] + t["h_cols"]) / 2)
    if t["u_cols_given_rows"] is not None:
        tol["u_cols_given_rows"] = dmi / t["h_cols"]
    if t["u_rows_given_cols"] is not None:
        tol["u_rows_given_cols"] = dmi / t["h_rows"]
    if t["chi2_independence"] is not None:
        n = t["n"]
        dchi = 32 * U * aux["sum_abs_dev"]
        tol["chi2_independence"] = dchi
        tol["chi2_yates"] = dchi
        tol["g"] = 32 * U * n
        tol["log10_p"] = lp_tol(t["chi2_independence"], t["df"], dchi)
        r, c = t["rows_used"], t["cols_used"]
        phi2 = t["chi2_independence"] / n
        tol["cramers_v"] = sqrt_tol(phi2 / min(r - 1, c - 1), dchi / n / min(r - 1, c - 1))
        s = mp.sqrt((r - 1) * (c - 1))
        tol["tschuprow_t"] = sqrt_tol(phi2 / s, dchi / n / s)
        if t["cramers_v_bc"] is not None:
            pre, mm = aux["bc"]
            dphi = dchi / n + 8 * U * (r - 1) * (c - 1) / (n - 1)
            if pre > -dphi:     # near the max(0, .) clamp or above it: sqrt propagation
                tol["cramers_v_bc"] = sqrt_tol(max(pre, 0) / mm, dphi / mm) \
                    + 8 * U * t["cramers_v_bc"] * (r + c)
    return tol


def contingency_scipy(table, t):
    out = {}
    if t["chi2_independence"] is None:
        if t["n"]:
            a = np.array(table, float)
            out["h_rows"] = float(stats.entropy(a.sum(1)))
            out["h_cols"] = float(stats.entropy(a.sum(0)))
            out["h_joint"] = float(stats.entropy(a.ravel()))
        return out
    a = np.array(table, dtype=np.int64)
    a = a[a.sum(1) > 0][:, a.sum(0) > 0]
    res = stats.chi2_contingency(a, correction=False)
    out["chi2_independence"] = float(res[0])
    if res[2] != t["df"]:
        fail("scipy df mismatch %s %s" % (res[2], t["df"]))
    lsf = stats.chi2.logsf(res[0], res[2])
    if np.isfinite(lsf) and lsf > -700:
        out["log10_p"] = float(lsf / math.log(10))
    out["g"] = float(stats.chi2_contingency(a, correction=False, lambda_="log-likelihood")[0])
    if a.shape == (2, 2):
        out["chi2_yates"] = float(stats.chi2_contingency(a, correction=True)[0])
    out["cramers_v"] = float(stats.contingency.association(a, method="cramer"))
    out["tschuprow_t"] = float(stats.contingency.association(a, method="tschuprow"))
    out["h_rows"] = float(stats.entropy(a.sum(1)))
    out["h_cols"] = float(stats.entropy(a.sum(0)))
    out["h_joint"] = float(stats.entropy(a.ravel()))
    return out


# --------------------------------------------------------------------------------------------
# 4. dependence (N-dimensional)
# --------------------------------------------------------------------------------------------
def _grid(shape):
    return [tuple(int(v) for v in np.unravel_index(i, shape)) for i in range(int(np.prod(shape)))]


def dep_mass(B, shape, flat):
    t = normalise(B, flat)
    if t is None:
        return None, None, None
    idx = _grid(shape)
    margs = []
    for d, size in enumerate(shape):
        margs.append([B.fsum([t[i] for i, ix in enumerate(idx) if ix[d] == lvl] + [B.ZERO])
                      for lvl in range(size)])
    prod = []
    for ix in idx:
        v = B.num(1)
        for d, lvl in enumerate(ix):
            v = v * margs[d][lvl]
        prod.append(v)
    resid = [a - b for a, b in zip(t, prod)]
    D = B.fsum(abs(x) for x in resid) / 2
    return D, resid, (t, prod)


def dependence(B, shape, P, Q):
    dp, rp, xp = dep_mass(B, shape, P)
    dq, rq, xq = dep_mass(B, shape, Q)
    out = {"d_p": dp, "d_q": dq, "rho": None, "pi": None}
    if dp is not None and dq is not None and dq != 0:
        out["rho"] = dp / dq
    aux = {}
    if rp is not None and rq is not None and any(x != 0 for x in rp) and any(x != 0 for x in rq):
        npn = B.sqrt(B.fsum(x * x for x in rp))
        nqn = B.sqrt(B.fsum(x * x for x in rq))
        out["pi"] = B.fsum(a * b for a, b in zip(rp, rq)) / (npn * nqn)
        if B is MP:
            def l2(v):
                return mp.sqrt(mp.fsum(x * x for x in v))
            d = len(shape) + 1
            aux["pi"] = 16 * U * d * (l2([a + b for a, b in zip(*xp)]) / npn
                                      + l2([a + b for a, b in zip(*xq)]) / nqn)
    return out, aux


DEP_ABS = 1e-15


def dependence_case_tol(t, aux):
    tol = {}
    if t["rho"] is not None:
        tol["rho"] = 64 * U * (1 + t["rho"]) / t["d_q"]
    if t["pi"] is not None:
        tol["pi"] = aux["pi"]
    return tol


# --------------------------------------------------------------------------------------------
# 5. conditional mismatch / footprint
# --------------------------------------------------------------------------------------------
FP_KEYS = ["cm", "fi", "fi_ref", "fi_denominator", "fi_ref_denominator", "tvd_level",
           "excluded_levels", "excluded_ref_mass", "incomputable"]


def footprint(B, P, Q, marg=None):
    A, K = len(P), len(P[0])
    p = [[B.num(x) for x in row] for row in P]
    q = [[B.num(x) for x in row] for row in Q]
    Pt = B.fsum(x for row in p for x in row)
    Qt = B.fsum(x for row in q for x in row)
    if Qt == 0:
        fail("footprint: reference with zero total is not a case")
    p = [[x / Pt for x in row] for row in p] if Pt != 0 else p     # Pt = 0: every level excluded
    q = [[x / Qt for x in row] for row in q]
    pa = [B.fsum(row) for row in p]
    qa = [B.fsum(row) for row in q]
    pB = [B.fsum(p[a][b] for a in range(A)) for b in range(K)]
    qB = [B.fsum(q[a][b] for a in range(A)) for b in range(K)]
    ppos = [any(x > 0 for x in P[a]) for a in range(A)]
    qpos = [any(x > 0 for x in Q[a]) for a in range(A)]
    excluded = [a for a in range(A) if not ppos[a] and qpos[a]]
    aplus = [a for a in range(A) if ppos[a] and qpos[a]]
    out = {k: None for k in FP_KEYS}
    out["excluded_levels"] = excluded
    erm = B.fsum([qa[a] for a in excluded] + [B.ZERO])
    out["excluded_ref_mass"] = erm
    M(marg, "excluded mass > 5%", erm, B.num(0.05))
    out["incomputable"] = bool(erm > B.num(0.05))
    tvl = [None] * A
    if aplus:
        W = B.fsum(qa[a] for a in aplus)
        w = {a: qa[a] / W for a in aplus}
        cond_q = {a: [q[a][b] / qa[a] for b in range(K)] for a in aplus}
        for a in aplus:
            tvl[a] = B.fsum(abs(p[a][b] / pa[a] - cond_q[a][b]) for b in range(K)) / 2
        cm = B.fsum(w[a] * tvl[a] for a in aplus)
        den = B.fsum(w[a] * B.fsum(abs(pB[b] - cond_q[a][b]) for b in range(K)) / 2
                     for a in aplus)
        den_ref = B.fsum(w[a] * B.fsum(abs(qB[b] - cond_q[a][b]) for b in range(K)) / 2
                         for a in aplus)
        out.update(cm=cm, fi_denominator=den, fi_ref_denominator=den_ref)
        out["fi"] = cm / den if den != 0 else None
        out["fi_ref"] = cm / den_ref if den_ref != 0 else None
    out["tvd_level"] = tvl
    return out


FP_ABS = 1e-14   # conditionals and TVDs over up to 30 levels: a few tens of ulps on [0,1] values


def footprint_case_tol(t):
    tol = {}
    for k, d in (("fi", "fi_denominator"), ("fi_ref", "fi_ref_denominator")):
        if t[k] is not None:
            tol[k] = FP_ABS * (1 + abs(t[k])) / t[d]
    return tol


# --------------------------------------------------------------------------------------------
# 6. shares
# --------------------------------------------------------------------------------------------
SH_KEYS = ["s_p", "s_q", "excluded", "beta", "beta_parity", "kappa", "kappa_parity",
           "dominated", "screening_all", "screening_majority"]


def share(B, P, Q, t, tau, delta, marg=None):
    O = len(P)
    p = [[B.num(x) for x in row] for row in P]
    q = [[B.num(x) for x in row] for row in Q]
    Qt = B.fsum(x for row in q for x in row)
    po = [B.fsum(row) for row in p]
    qo = [B.fsum(row) / Qt for row in q]
    excluded = [o for o in range(O) if not any(x > 0 for x in P[o]) or not any(x > 0 for x in Q[o])]
    inc = [o for o in range(O) if o not in excluded]
    sp = [None] * O
    sq = [None] * O
    for o in inc:
        sp[o] = p[o][t] / po[o]
        sq[o] = q[o][t] / B.fsum(q[o])
    out = {k: None for k in SH_KEYS}
    out["s_p"], out["s_q"], out["excluded"] = sp, sq, excluded
    half = B.num(0.5)
    kap = [None] * O
    kpar = [None] * O
    out["kappa"], out["kappa_parity"] = kap, kpar
    out["dominated"] = []
    aux = {}
    if not inc:
        return out, aux
    W = B.fsum(qo[o] for o in inc)
    w = {o: qo[o] / W for o in inc}
    sbp = B.fsum(w[o] * sp[o] for o in inc)
    sbq = B.fsum(w[o] * sq[o] for o in inc)
    den = B.fsum(w[o] * (sq[o] - sbq) ** 2 for o in inc)
    num = B.fsum(w[o] * (sq[o] - sbq) * (sp[o] - sbp) for o in inc)
    out["beta"] = num / den if den != 0 else None
    denp = B.fsum(w[o] * (sq[o] - half) ** 2 for o in inc)
    nump = B.fsum(w[o] * (sq[o] - half) * (sp[o] - half) for o in inc)
    out["beta_parity"] = nump / denp if denp != 0 else None
    k5 = B.num(0.05)
    for o in inc:
        M(marg, "kappa |dq|", abs(sq[o] - sbq), k5)
        M(marg, "kappa_parity |dq|", abs(sq[o] - half), k5)
        if abs(sq[o] - sbq) >= k5:
            kap[o] = (sp[o] - sbp) / (sq[o] - sbq)
        if abs(sq[o] - half) >= k5:
            kpar[o] = (sp[o] - half) / (sq[o] - half)
    T, D = B.num(tau), B.num(delta)
    dom = []
    for o in inc:
        M(marg, "tau", sq[o], T)
        if sq[o] <= T:
            dom.append(o)
    out["dominated"] = dom
    if dom:
        exc = []
        for o in dom:
            M(marg, "delta", sp[o] - sq[o], D)
            exc.append(sp[o] - sq[o] >= D)
        out["screening_all"] = "fail" if all(exc) else "pass"
        out["screening_majority"] = "fail" if 2 * sum(exc) > len(dom) else "pass"
    if B is MP:
        # first-order error bounds for the regression-type ratios
        e = 8 * U
        aux["beta"] = None if out["beta"] is None else \
            (e * mp.fsum(w[o] * (abs(sq[o] - sbq) + abs(sp[o] - sbp)) for o in inc)
             + abs(out["beta"]) * 2 * e * mp.fsum(w[o] * abs(sq[o] - sbq) for o in inc)) / den
        aux["beta_parity"] = None if out["beta_parity"] is None else \
            (e * mp.fsum(w[o] * (abs(sq[o] - half) + abs(sp[o] - half)) for o in inc)
             + abs(out["beta_parity"]) * 2 * e * mp.fsum(w[o] * abs(sq[o] - half) for o in inc)) / denp
        aux["kappa"] = max([e * (1 + abs(kap[o])) / abs(sq[o] - sbq)
                            for o in inc if kap[o] is not None] + [mp.mpf(0)])
        aux["kappa_parity"] = max([e * (1 + abs(kpar[o])) / abs(sq[o] - half)
                                   for o in inc if kpar[o] is not None] + [mp.mpf(0)])
    return out, aux


SH_ABS = 1e-14


def share_case_tol(t, aux):
    return {k: v for k, v in aux.items() if v is not None}


# --------------------------------------------------------------------------------------------
# 7. direct standardisation
# --------------------------------------------------------------------------------------------
def standardise(B, P3, Qgo, t, marg=None):
    O = len(P3)
    s_adj, miss, incomp = [None] * O, [None] * O, []
    for o in range(O):
        G = len(P3[o])
        pog = [B.fsum(B.num(x) for x in P3[o][g]) for g in range(G)]
        qs = B.fsum(B.num(x) for x in Qgo[o])
        if qs == 0:
            incomp.append(o)
            continue
        qn = [B.num(x) / qs for x in Qgo[o]]
        present = [g for g in range(G) if any(x > 0 for x in P3[o][g])]
        m = B.fsum([qn[g] for g in range(G) if g not in present] + [B.ZERO])
        miss[o] = m
        M(marg, "missing weight > 0.20", m, B.num(0.20))
        if m > B.num(0.20):
            incomp.append(o)
            continue
        Wp = B.fsum(qn[g] for g in present)
        s_adj[o] = B.fsum(qn[g] / Wp * (B.num(P3[o][g][t]) / pog[g]) for g in present)
    return {"s_adj": s_adj, "missing_weight": miss, "incomputable": incomp}


ST_ABS = 1e-14


# --------------------------------------------------------------------------------------------
# 8. intervals
# --------------------------------------------------------------------------------------------
Z975 = float(stats.norm.ppf(0.975))


def wilson(B, x, n):
    if n == 0:
        return {"lo": None, "hi": None}
    z = B.num(Z975)
    x, n = B.num(x), B.num(n)
    ph = x / n
    centre = (ph + z * z / (2 * n)) / (1 + z * z / n)
    hw = z / (1 + z * z / n) * B.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n))
    lo, hi = centre - hw, centre + hw
    if B is MP:
        if abs(lo) < mp.mpf(10) ** -40:
            lo = mp.mpf(0)
        if abs(hi - 1) < mp.mpf(10) ** -40:
            hi = mp.mpf(1)
    return {"lo": lo, "hi": hi}


def bh_exact(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: (p[i], i))
    fr = [fractions.Fraction(p[i]) for i in order]
    q = [None] * m
    run = fractions.Fraction(1)
    for rank in range(m, 0, -1):
        run = min(run, fr[rank - 1] * m / rank)
        q[order[rank - 1]] = run
    return q


# --------------------------------------------------------------------------------------------
# comparison helpers
# --------------------------------------------------------------------------------------------
SKIP = object()
STATS = {}
CURRENT_FILE = [""]


def to_json(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    if isinstance(v, int):
        return v
    f = float(v)
    if not math.isfinite(f):
        fail("non-finite value %r" % (v,))
    return 0.0 if f == 0 else f


def allowed(e, metric, file_tol, case_tol):
    a = file_tol.get(metric, {}).get("abs", file_tol["default_abs"])
    if metric in case_tol:
        a = max(a, float(case_tol[metric]))
    return max(REL * abs(e), a)


def compare(case, metric, got, exp, file_tol, case_tol, frac, who):
    """exp: json-ready expected; got: value from another implementation."""
    if got is SKIP:
        return
    if isinstance(exp, list):
        if not isinstance(got, list) or len(got) != len(exp):
            fail("%s %s: %s list shape differs" % (case, metric, who))
        for i, (g, e) in enumerate(zip(got, exp)):
            compare(case, "%s" % metric, g, e, file_tol, case_tol, frac, who + "[%d]" % i)
        return
    if exp is None or got is None:
        if not (exp is None and got is None):
            fail("%s %s: %s gives %r, truth %r" % (case, metric, who, got, exp))
        return
    if isinstance(exp, (bool, str)):
        if got != exp:
            fail("%s %s: %s gives %r, truth %r" % (case, metric, who, got, exp))
        return
    tol = allowed(exp, metric, file_tol, case_tol)
    if not math.isfinite(float(got)):
        fail("%s %s: %s gives non-finite %r" % (case, metric, who, got))
    err = abs(float(got) - exp)
    key = (CURRENT_FILE[0], metric, who.split("[")[0])
    STATS[key] = max(STATS.get(key, 0.0), err / tol)
    if err > frac * tol:
        fail("%s %s: %s gives %r, truth %r (err %.3g > %.3g x tol %.3g)"
             % (case, metric, who, float(got), exp, err, frac, tol))


def check_case(name, truth_json, fl, scipy_vals, file_tol, case_tol, scipy_frac=1.0,
               scipy_tol=None):
    for k, e in truth_json.items():
        if fl is not None and k in fl:
            g = fl[k]
            compare(name, k, g, e, file_tol, case_tol, 0.25, "float64")
    st = dict(case_tol)
    for k, v in (scipy_tol or {}).items():
        st[k] = max(float(v), st.get(k, 0.0))
    for k, g in (scipy_vals or {}).items():
        compare(name, k, g, truth_json[k], file_tol, st, scipy_frac, "scipy")


def case_tol_json(t_json, tol_mp, file_tol):
    """Keep only the per-case abs tolerances that loosen the file's rule somewhere."""
    out = {}
    for k, v in tol_mp.items():
        v = float(v)
        base = file_tol.get(k, {}).get("abs", file_tol["default_abs"])
        e = t_json.get(k)
        vals = [x for x in (e if isinstance(e, list) else [e]) if isinstance(x, float)]
        if not vals:
            continue
        if any(v > max(REL * abs(x), base) for x in vals):
            out[k] = float("%.3g" % (v * 1.0000001))
    return out


def assert_close(what, got, want, rel=1e-12):
    if not abs(got - want) <= rel * abs(want):
        fail("quoted value %s: computed %r, quoted %r" % (what, got, want))
    QUOTED.append((what, want, got))


QUOTED = []


def versions():
    return {"python": sys.version.split()[0], "scipy": scipy.__version__,
            "numpy": np.__version__, "mpmath": mpmath.__version__,
            "statsmodels": statsmodels.__version__}


def write(fname, tolerance, payload):
    doc = {"generator": GEN, "versions": versions(), "tolerance": tolerance}
    doc.update(payload)
    text = json.dumps(doc, sort_keys=True, indent=1, allow_nan=False) + "\n"
    with open(os.path.join(OUT, fname), "w", encoding="utf-8") as f:
        f.write(text)
    return len(text)


RULE = ("pass iff |got-expect| <= max(default_rel*|expect|, abs), abs = the metric's 'abs' here "
        "if listed else default_abs, raised to the case's tolerance[metric] when the case has one "
        "(first-order error propagation for ill-conditioned inputs); lists element-wise; "
        "null must be null; integers, booleans and strings exactly")


def unique_names(cases):
    names = [c["name"] for c in cases]
    if len(set(names)) != len(names):
        fail("duplicate case names")


# --------------------------------------------------------------------------------------------
# random helpers
# --------------------------------------------------------------------------------------------
def dirichlet(k, alpha=1.0):
    return rng.dirichlet([alpha] * k)


def nonneg(*arrays):
    for a in arrays:
        flat = []

        def walk(x):
            if isinstance(x, (list, tuple, np.ndarray)):
                for y in x:
                    walk(y)
            else:
                flat.append(x)
        walk(a)
        if any((not math.isfinite(float(x))) or x < 0 for x in flat):
            fail("negative or non-finite input mass")


def pyfloats(a):
    return [float(x) for x in np.asarray(a, float).ravel()]


def pyints(a):
    return [int(x) for x in np.asarray(a).ravel()]


def multinomial(n, p):
    p = np.asarray(p, float)
    return pyints(rng.multinomial(n, p / p.sum()))


# ============================================================================================
# 1. divergences.json
# ============================================================================================
def build_divergences():
    ftol = {"default_rel": REL, "default_abs": DIV_ABS, "rule": RULE,
            "why_default_abs": "p and q are normalised from up to 200 raw masses: the sum's "
                               "rounding moves every [0,1]-valued metric by about k*u absolute"}
    cases = []

    def add(name, P, Q, eps):
        nonneg(P, Q)
        t = divergences(MP, P, Q, eps)
        tj = {k: to_json(v) for k, v in t.items()}
        ct = case_tol_json(tj, divergences_case_tol(t), ftol)
        fl = divergences(FL, P, Q, eps)
        check_case(name, tj, fl, divergences_scipy(P, Q, eps, t), ftol, ct)
        c = {"name": name, "p": P, "q": Q, "eps": eps, "expect": tj}
        if ct:
            c["tolerance"] = ct
        cases.append(c)
        return tj

    d1 = add("design_js_p10_q55", [1, 0], [0.5, 0.5], 0)
    assert_close("divergence js_distance_nats p=[1,0] q=[.5,.5]", d1["js_distance_nats"],
                 0.46450140402245893)
    assert_close("divergence jsd bits p=[1,0] q=[.5,.5]", d1["jsd"], 0.3112781244591328)
    d2 = add("design_tvd_hellinger_uniform4_vs_4321", [0.25] * 4, [0.4, 0.3, 0.2, 0.1], 0)
    assert_close("divergence tvd p=[.25]*4 q=[.4,.3,.2,.1]", d2["tvd"], 0.2)
    assert_close("divergence hellinger p=[.25]*4 q=[.4,.3,.2,.1]", d2["hellinger"],
                 0.16789959640267477)
    add("identical_raw_counts", [3, 5, 0, 12], [3, 5, 0, 12], 0)
    add("disjoint_support", [1, 2, 0, 0], [0, 0, 3, 1], 0)
    add("disjoint_support_smoothed", [1, 2, 0, 0], [0, 0, 3, 1], 1e-3)
    add("unnormalised_raw_masses", [3, 1], [10, 30], 0)
    add("q_zero_under_p_mass_kl_null", [5, 3, 2], [6, 4, 0], 0)
    add("q_zero_under_p_mass_smoothed", [5, 3, 2], [6, 4, 0], 1e-6)
    add("p_zero_where_q_positive", [6, 4, 0], [5, 3, 2], 0)
    add("q_zero_total_undefined", [1, 2, 3], [0, 0, 0], 0)
    add("p_zero_total_undefined", [0, 0], [1, 1], 0.01)
    add("single_cell", [7], [2], 0)
    add("uniform_vs_uniform_smoothed_half", [1] * 5, [2] * 5, 0.5)

    lengths = [2, 3, 4, 5, 7, 10, 16, 25, 40, 64, 100, 150, 200]
    gi = 0
    for k in lengths:
        p, q = dirichlet(k), dirichlet(k, 0.5)
        add("gen_dirichlet_k%d" % k, pyfloats(p), pyfloats(q), [0, 1e-9, 1e-4][gi % 3])
        gi += 1
    for k in (3, 12, 60, 200):
        p, q = dirichlet(k), dirichlet(k)
        q[rng.choice(k, size=max(1, k // 4), replace=False)] = 0.0
        add("gen_q_zeros_k%d" % k, pyfloats(p), pyfloats(q), 1e-6)
        p2 = dirichlet(k, 2.0)
        p2[rng.choice(k, size=max(1, k // 3), replace=False)] = 0.0
        add("gen_p_zeros_k%d" % k, pyfloats(p2), pyfloats(dirichlet(k)), 0)
    for k in (2, 9, 50, 200):
        P = multinomial(1000 * k, dirichlet(k))
        add("gen_identical_counts_k%d" % k, P, list(P), 0)
    for k in (2, 6, 20, 100, 200):
        p = dirichlet(k, 5.0)
        q = p + 1e-9 * rng.standard_normal(k) * p
        add("gen_near_equal_1e-9_k%d" % k, pyfloats(p), pyfloats(q), 0)
    for k in (5, 30):
        add("gen_counts_vs_counts_k%d" % k, multinomial(500, dirichlet(k)),
            multinomial(50000, dirichlet(k)), 1e-3)
    unique_names(cases)
    return write("divergences.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 2. goodness_of_fit.json
# ============================================================================================
def build_gof():
    ftol = {"default_rel": REL, "default_abs": GOF_ABS, "rule": RULE,
            "log10_p": {"abs": LOG10P_ABS, "why": "log10 of an upper tail near 1: gamma_q's "
                        "relative error (a few hundred ulps at large df/2) is this absolute error"},
            "g_log10_p": {"abs": LOG10P_ABS, "why": "as log10_p"},
            "why_case_tolerance": "chi2/freeman_tukey: 32u*sum|O-E|; g: 32u*sum O (the O ln(O/E) "
                                  "terms cancel); log10_p and cohen_w: those propagated; z: "
                                  "8u*(sqrt(E)+|z|) resp. 8u*((p+q)/sd+|z|)"}
    cases = []

    def add(name, O, Q, kind="fixed", n_ref=None):
        nonneg(O, Q)
        m = Margin()
        t, aux = gof(MP, O, Q, kind, n_ref, m)
        m.check(name)
        tj = {k: to_json(v) for k, v in t.items()}
        ct = case_tol_json(tj, gof_case_tol(t, aux), ftol)
        fl, _ = gof(FL, O, Q, kind, n_ref)
        # scipy's Freeman-Tukey is 8*sum(O - sqrt(O*E)): it cancels to about u*N absolute
        sct = {"freeman_tukey": 16 * U * float(aux.get("sum_mass", 0))}
        check_case(name, tj, fl, gof_scipy(O, Q, kind, n_ref, t, aux), ftol, ct, scipy_tol=sct)
        c = {"name": name, "kind": kind, "observed": O, "q": Q, "expect": tj}
        if kind == "survey":
            c["n_ref"] = n_ref
        if ct:
            c["tolerance"] = ct
        cases.append(c)
        return tj, aux

    d, _ = add("design_16_18_16_14_12_12_vs_uniform", [16, 18, 16, 14, 12, 12], [1] * 6)
    assert_close("gof chi2 [16,18,16,14,12,12]", d["chi2"], 2.0)
    assert_close("gof p [16,18,16,14,12,12]", 10 ** d["log10_p"], 0.8491450360846096)
    assert_close("gof log10_p [16,18,16,14,12,12]", d["log10_p"],
                 math.log10(0.8491450360846096))
    # pooling: E = [50,30,12,3,2,1,2]; S = cells 3..6, pooled E = 8
    d, _ = add("pool_four_small_cells", [48, 33, 10, 3, 2, 0, 4], [50, 30, 12, 3, 2, 1, 2])
    assert d["pooled_cells"] == 4 and d["df"] == 3
    # E = [60,30,6,2,1,1]: pool {3,4,5} has E 4 < 5, absorbs cell 2 (E 6)
    d, _ = add("pool_absorbs_next_smallest", [55, 35, 4, 4, 2, 0], [60, 30, 6, 2, 1, 1])
    assert d["pooled_cells"] == 4 and d["df"] == 2
    # a single small cell (E 4) must absorb the next-smallest (E 46)
    d, _ = add("pool_single_small_cell_absorbs", [52, 41, 7], [50, 46, 4])
    assert d["pooled_cells"] == 2 and d["df"] == 1
    # E = [50,23,23,2,2]: pool E 4 absorbs one of the tied 23s: the lower index (1)
    d, aux = add("pool_tie_lowest_index", [47, 30, 19, 1, 3], [50, 23, 23, 2, 2])
    assert aux["pool"] == [1, 3, 4], aux["pool"]
    d, _ = add("impossible_mass_q_zero_cell", [30, 20, 5, 45], [0.4, 0.4, 0, 0.2])
    assert d["impossible_mass"] == 0.05 and d["z"][2] is None
    d, _ = add("collapse_to_single_cell", [3, 1, 1], [1, 1, 1])
    assert d["chi2"] is None and d["pooled_cells"] == 3
    add("single_positive_q_cell", [10, 5], [1, 0])
    add("all_observed_zero", [0, 0, 0], [1, 2, 3])
    add("all_mass_impossible", [0, 4, 0], [1, 0, 1])
    add("perfect_fit_chi2_zero", [25, 25, 50], [1, 1, 2])
    add("weighted_noninteger_masses", [12.5, 30.25, 7.75, 49.5], [0.1, 0.3, 0.1, 0.5])
    # survey (two-sample) forms of the same situations
    add("survey_design_vector_n600", [16, 18, 16, 14, 12, 12], [1] * 6, "survey", 600)
    d, _ = add("survey_pooling", [480, 300, 120, 30, 20, 10, 40], [50, 30, 12, 3, 2, 1, 2],
               "survey", 100)
    assert d["pooled_cells"] >= 2
    add("survey_impossible_mass", [30, 20, 5, 45], [0.4, 0.4, 0, 0.2], "survey", 2000)
    add("survey_collapse_single_cell", [3, 1, 1], [1, 1, 1], "survey", 9)
    add("survey_small_n_ref_pools", [400, 300, 200, 100], [0.4, 0.3, 0.25, 0.05], "survey", 40)
    # generated
    specs = [
        (2, 50, "fixed", None, 0), (3, 200, "fixed", None, 0), (6, 1000, "fixed", None, 0.02),
        (10, 30, "fixed", None, 0), (12, 10 ** 4, "fixed", None, 0.05),
        (25, 500, "fixed", None, 0), (40, 10 ** 5, "fixed", None, 0.01),
        (60, 2000, "fixed", None, 0), (8, 10 ** 6, "fixed", None, 0.2),
        (11, 10 ** 6, "fixed", None, 0.0), (30, 10 ** 6, "fixed", None, 1.0),
        (5, 400, "survey", 300, 0), (9, 5000, "survey", 20000, 0.1),
        (20, 10 ** 5, "survey", 3000, 0.05), (15, 10 ** 6, "survey", 10 ** 5, 0.5),
        (7, 10 ** 6, "survey", 400, 0), (50, 800, "survey", 1200, 0),
    ]
    for i, (K, N, kind, n_ref, dev) in enumerate(specs):
        q = dirichlet(K, 0.7)
        if i % 4 == 1:
            q[rng.choice(K, size=max(1, K // 5), replace=False)] *= 1e-3   # small expected cells
        if i % 5 == 2:
            q[rng.integers(K)] = 0.0                                       # impossible cell
        src = q / q.sum() * (1 - dev) + dev * dirichlet(K)
        if i % 5 == 2:
            src = src + 0.01 / K
        O = multinomial(N, src)
        add("gen_%s_K%d_N%d_dev%g" % (kind, K, N, dev), O, pyfloats(q), kind,
            None if n_ref is None else n_ref)
    # the far tail must be finite and from mpmath
    far = [c for c in cases if c["expect"]["log10_p"] is not None and c["expect"]["log10_p"] < -320]
    if len(far) < 2:
        fail("expected at least two GOF cases whose p-value underflows double")
    unique_names(cases)
    return write("goodness_of_fit.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 3. contingency.json
# ============================================================================================
NPK_AGE_SEX = [[44556, 40523], [80638, 72731], [83931, 78946], [95929, 94370], [94340, 96415],
               [61941, 67358], [28297, 39528], [5926, 14571]]
NPK_SEX_FIELD = [[311436, 58771, 35361, 18114, 9691, 9387, 22259, 8373, 8269, 9517, 4380],
                 [362985, 9100, 19552, 30917, 24856, 22111, 6910, 10065, 8950, 7432, 1564]]


def build_contingency():
    ftol = {"default_rel": REL, "default_abs": CT_ABS, "rule": RULE,
            "why_case_tolerance": "chi2_independence/chi2_yates: 32u*sum|O-E|; g: 32u*n (the "
                                  "n ln(n/E) terms cancel); log10_p, V, T, V_bc: propagated; "
                                  "mi, mi_bits, nmi, U: 64u*(H(A)+H(B)+H(A,B)) propagated "
                                  "(MI is a difference of entropies)"}
    cases = []

    def add(name, table):
        nonneg(table)
        t, aux = contingency(MP, table)
        tj = {k: to_json(v) for k, v in t.items()}
        for k in ("n",):
            if all(isinstance(v, int) for row in table for v in row):
                tj[k] = int(t[k])
        ct = case_tol_json(tj, contingency_case_tol(t, aux), ftol)
        fl, _ = contingency(FL, table)
        check_case(name, tj, fl, contingency_scipy(table, t), ftol, ct)
        c = {"name": name, "table": table, "expect": tj}
        if ct:
            c["tolerance"] = ct
        cases.append(c)
        return tj

    d = add("agresti_party_by_gender", [[762, 327, 468], [484, 239, 477]])
    assert_close("agresti chi2", d["chi2_independence"], 30.070149095754672)
    assert d["df"] == 2
    assert_close("agresti p", 10 ** d["log10_p"], 2.9535891832117595e-07)
    assert_close("agresti G", d["g"], 30.016692613239655)
    assert_close("agresti V", d["cramers_v"], 0.10443580235646777)
    d = add("vcd_arthritis_treatment_by_improved", [[29, 7, 7], [13, 7, 21]])
    assert_close("arthritis chi2", d["chi2_independence"], 13.055019852524108)
    assert_close("arthritis G", d["g"], 13.529807129357849)
    assert_close("arthritis V", d["cramers_v"], 0.3942295054993213)
    d = add("two_by_two_3113", [[3, 1], [1, 3]])
    assert_close("2x2 chi2", d["chi2_independence"], 2.0)
    assert_close("2x2 yates", d["chi2_yates"], 0.5)
    assert_close("2x2 V", d["cramers_v"], 0.5)
    # NPK tables: third-party audit github.com/eopchang/nemotron-personas-korea-audit, commit
    # 99b064bcffc3e0cb9cbb538890bf694484067e0e, data/processed/bivariate_detail_all/
    # contingency_age_bin__x__sex.csv and contingency_sex__x__bachelors_field.csv
    d = add("npk_age_bin_by_sex", NPK_AGE_SEX)
    assert_close("NPK age_bin x sex V", d["cramers_v"], 0.08025695489874611)
    assert_close("NPK age_bin x sex dependence_mass", d["dependence_mass"], 0.023739987616)
    # the audit's own figures (data/processed/bivariate/metrics_long.csv), float noise allowed
    assert_close("NPK age_bin x sex MI (audit)", d["mi"], 0.003283113330151863, 1e-9)
    assert_close("NPK age_bin x sex NMI (audit)", d["nmi"], 0.002483115854298858, 1e-9)
    assert_close("NPK age_bin x sex U(sex|age) (audit)", d["u_cols_given_rows"],
                 0.004736801002419175, 1e-9)
    d = add("npk_sex_by_bachelors_field", NPK_SEX_FIELD)
    assert_close("NPK sex x field chi2", d["chi2_independence"], 69759.06640939428)
    assert d["df"] == 10 and math.isfinite(d["log10_p"]) and d["log10_p"] < -15000
    QUOTED.append(("NPK sex x field log10_p (p underflows double)", None, d["log10_p"]))
    assert_close("NPK sex x field V (audit)", d["cramers_v"], 0.2641194169488383, 1e-9)
    assert_close("NPK sex x field NMI (audit)", d["nmi"], 0.037113046515710506, 1e-9)
    assert_close("NPK sex x field D (audit)", d["dependence_mass"], 0.087283331864, 1e-9)
    d = add("two_by_two_yates_capped", [[2, 1], [1, 1]])
    assert d["chi2_yates"] == 0.0
    add("zero_row_dropped_to_2x2", [[10, 20], [0, 0], [30, 5]])
    add("zero_column_dropped", [[4, 0, 9, 2], [7, 0, 1, 8]])
    add("one_by_k", [[3, 9, 4, 1]])
    add("k_by_one", [[5], [2], [8]])
    add("single_cell", [[7]])
    add("one_nonzero_cell_3x3", [[0, 0, 0], [0, 12, 0], [0, 0, 0]])
    add("all_zero_2x3", [[0, 0, 0], [0, 0, 0]])
    add("exactly_independent_dyadic", [[1, 3, 4], [3, 9, 12]])
    add("diagonal_perfect_association", [[20, 0, 0], [0, 15, 0], [0, 0, 5]])
    add("n_two_bc_undefined", [[1, 0], [0, 1]])
    # generated: shapes from 2x2 to 20x50
    shapes = [(2, 2), (2, 3), (3, 2), (3, 3), (2, 5), (4, 4), (5, 3), (3, 7), (6, 6), (8, 2),
              (2, 11), (7, 9), (10, 10), (4, 25), (12, 8), (15, 15), (20, 10), (9, 30),
              (20, 50), (20, 50), (2, 2), (3, 4), (5, 5), (6, 12), (16, 3), (11, 17), (14, 40),
              (20, 20), (2, 40), (18, 6), (5, 50), (13, 13), (20, 50), (8, 24), (3, 3), (10, 45),
              (4, 6), (7, 7), (2, 20), (19, 49), (6, 3), (12, 12)]
    Ns = [30, 10 ** 6, 200, 5000, 31, 10 ** 4, 1000, 10 ** 6, 500, 80, 10 ** 5, 3000, 40,
          10 ** 6, 2500, 10 ** 5, 700, 10 ** 6, 10 ** 6, 5000, 10 ** 6, 60, 10 ** 6, 900, 10 ** 4,
          10 ** 6, 20000, 300, 10 ** 6, 150, 10 ** 5, 999, 1000, 10 ** 6, 33, 10 ** 6, 120,
          10 ** 6, 45, 10 ** 6, 10 ** 6, 400]
    for i, ((r, c), N) in enumerate(zip(shapes, Ns)):
        mode = i % 6
        if mode == 0:      # near-independent: product of margins
            P = np.outer(dirichlet(r, 2), dirichlet(c, 2))
            tag = "indep"
        elif mode == 1:    # strong dependence
            P = rng.dirichlet([0.3] * (r * c)).reshape(r, c)
            tag = "dep"
        elif mode == 2:    # sparse
            P = rng.dirichlet([1.0] * (r * c)).reshape(r, c)
            P[rng.random((r, c)) < 0.6] = 0
            if P.sum() == 0:
                P[0, 0] = 1
            tag = "sparse"
        elif mode == 3:    # mild dependence
            P = np.outer(dirichlet(r, 3), dirichlet(c, 3)) * (1 + 0.3 * rng.standard_normal((r, c)))
            P = np.abs(P)
            tag = "mild"
        elif mode == 4:    # with an all-zero row and column
            P = rng.dirichlet([1.0] * (r * c)).reshape(r, c)
            if r > 2:
                P[rng.integers(r), :] = 0
            if c > 2:
                P[:, rng.integers(c)] = 0
            tag = "zero_row_col"
        else:
            P = rng.dirichlet([5.0] * (r * c)).reshape(r, c)
            tag = "flat"
        T = np.array(multinomial(N, P.ravel())).reshape(r, c)
        add("gen_%02d_%dx%d_N%d_%s" % (i, r, c, N, tag), [pyints(row) for row in T])
    unique_names(cases)
    return write("contingency.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 4. dependence.json
# ============================================================================================
def build_dependence():
    ftol = {"default_rel": REL, "default_abs": DEP_ABS, "rule": RULE,
            "why_case_tolerance": "rho: 64u*(1+rho)/d_q; pi: 16u*(d+1)*(|p|+|prod p|)/|resid| "
                                  "summed over both sides (L2 norms): weak residuals make the "
                                  "cosine ill-conditioned"}
    cases = []

    def add(name, shape, P, Q):
        nonneg(P, Q)
        t, aux = dependence(MP, shape, P, Q)
        tj = {k: to_json(v) for k, v in t.items()}
        ct = case_tol_json(tj, dependence_case_tol(t, aux), ftol)
        fl, _ = dependence(FL, shape, P, Q)
        check_case(name, tj, fl, None, ftol, ct)
        c = {"name": name, "shape": list(shape), "p": P, "q": Q, "expect": tj}
        if ct:
            c["tolerance"] = ct
        cases.append(c)
        return tj

    q2 = pyfloats(dirichlet(12).reshape(3, 4))
    d = add("p_equals_q_3x4", [3, 4], q2, list(q2))
    assert d["rho"] == 1.0 and d["pi"] == 1.0
    # dyadic product of marginals: exact in double, residual exactly zero
    indep = [a * b for a in (1, 3) for b in (1, 3, 4)]            # total 32
    d = add("p_product_of_marginals_dyadic", [2, 3], indep, pyfloats(dirichlet(6)))
    assert d["d_p"] == 0 and d["rho"] == 0 and d["pi"] is None
    d = add("q_independent_dyadic_rho_null", [2, 3], pyfloats(dirichlet(6)), indep)
    assert d["rho"] is None and d["pi"] is None and d["d_q"] == 0
    d = add("reversed_interaction_2x2", [2, 2], [0.1, 0.4, 0.4, 0.1], [0.4, 0.1, 0.1, 0.4])
    assert abs(d["pi"] + 1) < 1e-15 and d["rho"] == 1.0
    # p = prod(q) - (q - prod(q)) / 2 (same margins, interaction reversed and halved)
    qq = np.array(dirichlet(20, 3)).reshape(4, 5)
    prod = np.outer(qq.sum(1), qq.sum(0))
    pp = prod - 0.5 * (qq - prod)
    assert (pp >= 0).all()
    d = add("reversed_half_interaction_4x5", [4, 5], pyfloats(pp), pyfloats(qq))
    assert d["pi"] < -0.999999
    # "transposed": p(a,b) = q(b,a) on a square grid
    qt = np.array(dirichlet(16, 0.5)).reshape(4, 4)
    d = add("transposed_4x4", [4, 4], pyfloats(qt.T), pyfloats(qt))
    # permuted levels of B: p = prod(q) + (q - prod(q))[:, cyclic shift]: same margins,
    # the interaction moved to other cells
    q33 = np.array([[0.25, 0.05, 0.03], [0.05, 0.25, 0.03], [0.03, 0.05, 0.26]])
    prod = np.outer(q33.sum(1), q33.sum(0))
    p33 = prod + (q33 - prod)[:, [1, 2, 0]]
    assert (p33 >= 0).all()
    d = add("permuted_columns_3x3", [3, 3], pyfloats(p33), pyfloats(q33))
    assert d["pi"] < 0 and abs(d["rho"] - 1) < 0.3, d
    add("zero_totals_undefined", [2, 2], [0, 0, 0, 0], [1, 2, 3, 4])
    # 3-D and 4-D, with zero slices
    for shape in ([2, 3, 4], [3, 3, 3], [2, 2, 2, 2], [3, 2, 4, 2], [4, 3, 2, 5]):
        K = int(np.prod(shape))
        qv = rng.dirichlet([0.7] * K)
        mix = rng.uniform(0.2, 0.9)
        qa = qv.reshape(shape)
        margs = [qa.sum(axis=tuple(a for a in range(len(shape)) if a != d)) for d in range(len(shape))]
        prod = margs[0]
        for m in margs[1:]:
            prod = np.multiply.outer(prod, m)
        pv = mix * qv + (1 - mix) * prod.ravel()
        add("mix_%s_%.3f" % ("x".join(map(str, shape)), mix), shape, pyfloats(pv), pyfloats(qv))
        # zero slice: a level of axis 0 empty in p, another axis's level empty in both
        pz = rng.dirichlet([1.0] * K).reshape(shape)
        qz = rng.dirichlet([1.0] * K).reshape(shape)
        pz[0] = 0
        idx = [slice(None)] * len(shape)
        idx[-1] = shape[-1] - 1
        pz[tuple(idx)] = 0
        qz[tuple(idx)] = 0
        add("zero_slices_%s" % "x".join(map(str, shape)), shape, pyfloats(pz), pyfloats(qz))
    # dyadic 3-D independent p and exact p = q in 3-D
    i3 = [a * b * c for a in (1, 1) for b in (1, 2, 5) for c in (3, 1)]   # total 2*8*4 = 64
    d = add("p_independent_3d_dyadic", [2, 3, 2], i3, pyfloats(dirichlet(12)))
    assert d["d_p"] == 0 and d["pi"] is None
    unique_names(cases)
    return write("dependence.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 5. footprint.json
# ============================================================================================
def build_footprint():
    ftol = {"default_rel": REL, "default_abs": FP_ABS, "rule": RULE,
            "why_default_abs": "conditionals p(b|a) and TVDs over up to 30 levels: a few tens "
                               "of ulps on [0,1]-valued metrics",
            "why_case_tolerance": "fi, fi_ref: default_abs*(1+fi)/denominator (a ratio of two "
                                  "TVD averages)"}
    cases = []

    def add(name, P, Q):
        nonneg(P, Q)
        m = Margin()
        t = footprint(MP, P, Q, m)
        m.check(name)
        tj = {k: to_json(v) for k, v in t.items()}
        ct = case_tol_json(tj, footprint_case_tol(t), ftol)
        fl = footprint(FL, P, Q)
        check_case(name, tj, fl, None, ftol, ct)
        c = {"name": name, "p": P, "q": Q, "expect": tj}
        if ct:
            c["tolerance"] = ct
        cases.append(c)
        return tj

    q = [pyfloats(r) for r in dirichlet(12).reshape(3, 4)]
    d = add("p_equals_q", q, [list(r) for r in q])
    assert d["cm"] == 0 and d["fi"] == 0
    # p(B|a) = p(B) for all a: dyadic product, q random -> FI exactly 1
    pind = [[a * b for b in (1, 2, 1, 4)] for a in (1, 3, 4)]   # total 8*8 = 64
    d = add("p_independent_fi_one", pind, [pyfloats(r) for r in dirichlet(12).reshape(3, 4)])
    assert d["fi"] == 1.0
    # excluded level (p(a)=0) with small reference mass: renormalised weights
    qx = [[30, 10, 5], [5, 20, 10], [2, 1, 1], [6, 4, 6]]       # row 2 has 4% of 100
    px = [[40, 12, 8], [7, 25, 6], [0, 0, 0], [9, 3, 10]]
    d = add("excluded_level_4pct", px, qx)
    assert d["excluded_levels"] == [2] and d["incomputable"] is False
    qx2 = [[30, 10, 5], [5, 20, 10], [6, 3, 3], [2, 4, 2]]      # row 2 has 12%
    d = add("excluded_level_12pct_incomputable", px, qx2)
    assert d["incomputable"] is True and d["cm"] is not None
    d = add("q_zero_level_weight_zero", [[10, 5, 5], [3, 3, 4], [8, 1, 1]],
            [[20, 6, 4], [0, 0, 0], [2, 5, 3]])
    assert d["tvd_level"][1] is None and d["excluded_levels"] == []
    d = add("both_zero_level", [[10, 5], [0, 0], [3, 9]], [[8, 8], [0, 0], [2, 7]])
    # q with no dependence (dyadic), p(B) != q(B): fi_ref null, fi defined
    qind = [[a * b for b in (1, 3, 4)] for a in (1, 1, 2)]      # total 4*8 = 32
    d = add("q_no_dependence_fi_ref_null", [[5, 1, 2], [1, 6, 1], [2, 2, 9]], qind)
    assert d["fi_ref"] is None and d["fi"] is not None
    # both without dependence and same B marginal: both denominators 0
    pind2 = [[a * b for b in (1, 3, 4)] for a in (3, 1, 4)]     # total 8*8
    d = add("both_independent_same_b_margin", pind2, qind)
    assert d["fi"] is None and d["fi_ref"] is None and d["cm"] == 0
    d = add("p_all_zero_incomputable", [[0, 0], [0, 0]], [[1, 2], [3, 4]])
    assert d["cm"] is None and d["incomputable"] is True
    shapes = [(2, 2), (2, 5), (3, 3), (4, 2), (5, 7), (6, 4), (3, 30), (12, 30), (8, 8), (10, 3),
              (12, 12), (7, 20), (2, 30), (9, 5), (11, 2), (4, 16), (6, 25), (12, 6), (5, 5),
              (3, 12), (10, 30), (12, 2)]
    for i, (A, K) in enumerate(shapes):
        Q = rng.dirichlet([0.8] * (A * K)).reshape(A, K)
        mode = i % 5
        if mode == 0:       # sample of q
            P = np.array(multinomial(20 * A * K, Q.ravel()), float).reshape(A, K)
            tag = "sample"
        elif mode == 1:     # flattened toward p's own marginal
            Pm = np.outer(Q.sum(1), Q.sum(0))
            P = 0.4 * Q + 0.6 * Pm
            tag = "flattened"
        elif mode == 2:     # unrelated
            P = rng.dirichlet([0.8] * (A * K)).reshape(A, K)
            tag = "unrelated"
        elif mode == 3:     # with an excluded level and a q-zero level
            P = rng.dirichlet([1.0] * (A * K)).reshape(A, K)
            if A >= 3:
                P[1] = 0
                Q[2] = 0
            else:
                P[0, 0] = 0
            tag = "excl"
        else:               # sparse counts
            P = np.array(multinomial(5 * A * K, rng.dirichlet([0.3] * (A * K))), float).reshape(A, K)
            tag = "sparse"
        add("gen_%02d_%dx%d_%s" % (i, A, K, tag), [pyfloats(r) for r in P],
            [pyfloats(r) for r in Q])
    unique_names(cases)
    return write("footprint.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 6. share.json
# ============================================================================================
def build_share():
    ftol = {"default_rel": REL, "default_abs": SH_ABS, "rule": RULE,
            "why_case_tolerance": "beta, beta_parity, kappa, kappa_parity: first-order "
                                  "propagation of ~8u errors in the shares through the "
                                  "centred ratios"}
    cases = []
    TAU, DELTA = 0.30, 0.05

    def add(name, P, Q, t=1):
        nonneg(P, Q)
        m = Margin()
        tt, aux = share(MP, P, Q, t, TAU, DELTA, m)
        m.check(name)
        tj = {k: to_json(v) for k, v in tt.items()}
        ct = case_tol_json(tj, share_case_tol(tt, aux), ftol)
        fl, _ = share(FL, P, Q, t, TAU, DELTA)
        check_case(name, tj, fl, None, ftol, ct)
        c = {"name": name, "p": P, "q": Q, "target": t, "tau": TAU, "delta": DELTA, "expect": tj}
        if ct:
            c["tolerance"] = ct
        cases.append(c)
        return tj

    # planted flattening, all dyadic so that beta = 0.4 exactly:
    # q(o) = [8,4,2,2]/16, s_q - 1/2 = 5*dev/64 with sum w*dev = 0 (so sbar_q = 1/2), and
    # s_p - 1/2 = 0.4 * (s_q - 1/2) = 2*dev/64
    wq = [8, 4, 2, 2]
    dev = [-1, 2, -4, 4]            # -8 + 8 - 8 + 8 = 0
    assert sum(w * x for w, x in zip(wq, dev)) == 0
    sq = [fractions.Fraction(1, 2) + fractions.Fraction(5 * d, 64) for d in dev]
    sp = [fractions.Fraction(1, 2) + fractions.Fraction(2 * d, 64) for d in dev]   # 0.4 * 5/64 = 2/64
    assert all(x - fractions.Fraction(1, 2) == fractions.Fraction(2, 5) * (y - fractions.Fraction(1, 2))
               for x, y in zip(sp, sq))
    Qp = [[float(w * 64 * (1 - s)), float(w * 64 * s)] for w, s in zip(wq, sq)]
    pw = [3, 5, 7, 1]               # p(o) arbitrary (does not enter beta)
    Pp = [[float(w * 64 * (1 - s)), float(w * 64 * s)] for w, s in zip(pw, sp)]
    d = add("planted_beta_0.4_dyadic", Pp, Qp)
    assert d["s_q"] == [float(x) for x in sq] and d["s_p"] == [float(x) for x in sp]
    assert d["beta"] == 0.4 and d["beta_parity"] == 0.4, (d["beta"], d["beta_parity"])
    QUOTED.append(("share planted beta (exact 0.4 by construction)", 0.4, d["beta"]))
    # faithful: same conditionals, different p(o)
    Qf = [[72, 28], [20, 80], [57, 43], [90, 10], [40, 60]]
    Pf = [[72 * 3, 28 * 3], [2 * 5, 8 * 5], [57 * 2, 43 * 2], [9 * 2, 1 * 2], [4, 6]]
    d = add("faithful_beta_one", Pf, Qf)
    assert abs(d["beta"] - 1) < 1e-15
    # uniform share: every category gets 3/8 in p
    d = add("uniform_share_beta_zero", [[5, 3], [10, 6], [20, 12], [40, 24]], Qf[:4])
    assert d["beta"] == 0
    # no variation in s_q (all 1/4, dyadic weights): beta null, beta_parity defined
    d = add("constant_s_q_beta_null", [[6, 4], [9, 1], [3, 5]], [[3, 1], [6, 2], [12, 4]])
    assert d["beta"] is None and d["beta_parity"] is not None and d["kappa"] == [None] * 3
    d = add("s_q_all_half_both_null", [[6, 4], [9, 1]], [[1, 1], [4, 4]])
    assert d["beta"] is None and d["beta_parity"] is None
    d = add("excluded_categories", [[10, 2], [0, 0], [5, 5], [3, 9]],
            [[20, 3], [4, 4], [0, 0], [6, 10]])
    assert d["excluded"] == [1, 2]
    d = add("screening_all_fail", [[80, 20], [70, 30], [40, 60]], [[90, 10], [80, 20], [44, 56]])
    assert d["screening_all"] == "fail" and d["screening_majority"] == "fail"
    d = add("screening_majority_fail_all_pass",
            [[80, 20], [70, 30], [85, 15], [40, 60]], [[90, 10], [81, 19], [86, 14], [44, 56]])
    assert d["screening_all"] == "pass" and d["screening_majority"] == "fail"
    d = add("screening_half_is_not_majority",
            [[80, 20], [86, 14], [40, 60]], [[90, 10], [85, 15], [44, 56]])
    assert d["screening_all"] == "pass" and d["screening_majority"] == "pass"
    d = add("no_dominated_screening_null", [[50, 50], [40, 60]], [[44, 56], [35, 65]])
    assert d["screening_all"] is None
    d = add("three_columns_target_2", [[10, 5, 5], [2, 2, 16], [6, 6, 8]],
            [[12, 6, 2], [1, 3, 16], [5, 5, 10]], 2)
    for i in range(12):
        O = int(rng.integers(3, 25))
        K = 2 if i % 4 else 3
        Q = rng.dirichlet([1.0] * (O * K)).reshape(O, K) * 1e5
        if i % 3 == 0:
            # flattened toward the overall share with a random factor
            f = rng.uniform(0.1, 0.9)
            P = Q * f + (1 - f) * np.outer(Q.sum(1), Q.sum(0) / Q.sum())
            P = np.array(multinomial(200 * O, P.ravel()), float).reshape(O, K)
        elif i % 3 == 1:
            P = np.array(multinomial(50 * O * K, Q.ravel()), float).reshape(O, K)
        else:
            P = rng.dirichlet([1.0] * (O * K)).reshape(O, K)
        if i % 5 == 4:
            P[0] = 0
        add("gen_%02d_O%d_K%d" % (i, O, K), [pyfloats(r) for r in P],
            [pyfloats(np.round(r, 3)) for r in Q], 1)
    unique_names(cases)
    return write("share.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 7. standardise.json
# ============================================================================================
def build_standardise():
    ftol = {"default_rel": REL, "default_abs": ST_ABS, "rule": RULE}
    cases = []

    def add(name, P3, Qgo, t=1):
        nonneg(P3, Qgo)
        m = Margin()
        tt = standardise(MP, P3, Qgo, t, m)
        m.check(name)
        tj = {k: to_json(v) for k, v in tt.items()}
        fl = standardise(FL, P3, Qgo, t)
        check_case(name, tj, fl, None, ftol, {})
        crude = []
        for o in range(len(P3)):
            tot = sum(sum(x) for x in P3[o])
            crude.append(None if tot == 0 else float(
                mp.fsum(mp.mpf(P3[o][g][t]) for g in range(len(P3[o]))) / mp.fsum(
                    mp.mpf(x) for g in P3[o] for x in g)))
        cases.append({"name": name, "p": P3, "q_g_given_o": Qgo, "target": t, "expect": tj,
                      "crude_share_info": crude})
        return tj, crude

    # crude share differs from the standardised one: the synthetic occupation is young-heavy,
    # and young people have a higher target share
    P3 = [[[20, 80], [30, 20], [40, 10]],      # o0: age bands young/mid/old x (male, female)
          [[10, 10], [30, 30], [50, 50]]]
    Q = [[0.1, 0.3, 0.6], [0.3, 0.3, 0.4]]
    d, crude = add("crude_differs_from_standardised", P3, Q)
    assert abs(d["s_adj"][0] - crude[0]) > 0.1
    d, _ = add("empty_stratum_missing_below_0.20", [[[5, 5], [0, 0], [3, 7]]], [[0.5, 0.15, 0.35]])
    assert d["missing_weight"][0] < 0.2 and d["s_adj"][0] is not None
    d, _ = add("empty_stratum_missing_above_0.20", [[[5, 5], [0, 0], [3, 7]], [[1, 2], [3, 4], [5, 6]]],
               [[0.4, 0.35, 0.25], [1, 1, 1]])
    assert d["incomputable"] == [0] and d["s_adj"][0] is None
    d, _ = add("q_zero_weight_stratum_present", [[[2, 8], [6, 4], [1, 1]]], [[0, 3, 1]])
    d, _ = add("category_without_synthetic_rows", [[[0, 0], [0, 0]], [[4, 6], [7, 3]]],
               [[0.5, 0.5], [0.2, 0.8]])
    assert d["incomputable"] == [0]
    d, _ = add("target_index_0_four_bands", [[[9, 1], [7, 3], [5, 5], [3, 7]]], [[1, 2, 3, 4]], 0)
    for i in range(6):
        O, G, K = int(rng.integers(2, 8)), int(rng.integers(2, 7)), 2
        P3 = np.array(multinomial(40 * O * G, rng.dirichlet([0.6] * (O * G * K)))).reshape(O, G, K)
        Qg = rng.dirichlet([1.0] * G, size=O)
        add("gen_%d_O%d_G%d" % (i, O, G), [[pyints(P3[o][g]) for g in range(G)] for o in range(O)],
            [pyfloats(r) for r in Qg], 1)
    unique_names(cases)
    return write("standardise.json", ftol, {"cases": cases}), len(cases)


# ============================================================================================
# 8. intervals.json
# ============================================================================================
def build_intervals():
    ftol = {"default_rel": REL, "default_abs": 1e-15, "rule": RULE,
            "log10_p": {"abs": LOG10P_ABS, "why": "as in goodness_of_fit.json"},
            "wilson_z": "z = scipy.stats.norm.ppf(0.975) = %r" % Z975}
    wil = []
    pairs = [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (0, 10000), (10000, 10000), (37, 10000),
             (5000, 10000), (1, 2), (0, 0), (17, 23), (999999, 10 ** 6), (1, 10 ** 6),
             (123456, 10 ** 6), (50, 100), (2, 7)]
    for x, n in pairs:
        t = wilson(MP, x, n)
        tj = {k: to_json(v) for k, v in t.items()}
        check_case("wilson %d/%d" % (x, n), tj, wilson(FL, x, n), None, ftol, {})
        if n:
            lo, hi = proportion_confint(x, n, alpha=0.05, method="wilson")
            check_case("wilson %d/%d" % (x, n), tj, None, {"lo": float(lo), "hi": float(hi)},
                       ftol, {"lo": 1e-15, "hi": 1e-15})
        wil.append({"x": x, "n": n, "expect": tj})
    bh = []
    vecs = [[0.01, 0.04, 0.03, 0.2], [0.5], [1.0, 1.0, 1.0], [0.001, 0.001, 0.5, 0.9, 1.0],
            [0.04, 0.01, 0.04, 0.04, 0.2, 0.8, 1.0, 0.0001],
            pyfloats(rng.uniform(0, 1, 25)), pyfloats(rng.uniform(0, 0.05, 12)),
            [0.0, 0.02, 0.02, 0.5], pyfloats(np.round(rng.uniform(0, 1, 40), 2))]
    for v in vecs:
        sm = multipletests(v, method="fdr_bh")[1]
        ex = bh_exact(v)
        for a, b in zip(sm, ex):
            if abs(float(a) - float(b)) > 1e-15 * max(1, float(b)):
                fail("BH statsmodels %r vs exact %r" % (a, b))
        bh.append({"p": v, "expect": {"q": [float(x) for x in sm]}})
    tails = []
    xs = [(1e-3, 1), (1e-3, 500), (0.5, 10), (1.0, 1), (2.0, 5), (3.84, 1), (10.0, 10),
          (30.070149095754672, 2), (100.0, 3), (50.0, 100), (480.0, 500), (600.0, 500),
          (1000.0, 1), (1380.0, 10), (1385.0, 10), (1390.0, 10), (1395.0, 10), (1400.0, 10),
          (1405.0, 10), (1410.0, 10), (1420.0, 10), (1425.0, 10), (1427.0, 10),
          (1427.7719561298886, 10), (1428.0, 10), (1430.0, 10), (1440.0, 10), (1375.0, 1),
          (1373.8726312223941, 1), (1756.787533183877, 100), (1760.0, 100),
          (2717.670825528944, 500), (2700.0, 500), (1500.0, 100), (2000.0, 500),
          (69759.06640939428, 10), (1e4, 50), (1e5, 1), (1e5, 500), (1e6, 1), (1e6, 500),
          (2.0, 500), (250.0, 250), (0.1, 3), (7.5, 20), (1e-3, 50), (40.0, 17)]
    for x, df in xs:
        lp = log10_chi2_sf(x, df)
        # stability against precision
        with mp.workdps(80):
            lp80 = log10_chi2_sf(x, df)
        if abs(lp - lp80) > mp.mpf(10) ** -30 * max(1, abs(lp80)):
            fail("mpmath chi2 tail unstable at %r %r" % (x, df))
        lsf = stats.chi2.logsf(x, df)
        if np.isfinite(lsf) and lsf > -700:
            if abs(lsf / math.log(10) - float(lp)) > max(1e-12 * abs(float(lp)), LOG10P_ABS):
                fail("scipy chi2 tail disagrees at %r %r: %r vs %r"
                     % (x, df, lsf / math.log(10), float(lp)))
        tails.append({"x": x, "df": df, "expect": {"log10_p": to_json(lp)}})
    near = [t["expect"]["log10_p"] for t in tails if -310 < t["expect"]["log10_p"] < -290]
    if not (any(v < -300 for v in near) and any(v > -300 for v in near)):
        fail("need chi2 tails near 1e-300")
    n = write("intervals.json", ftol, {"wilson": wil, "bh": bh, "chi2_tail": tails})
    return n, (len(wil), len(bh), len(tails))


def main():
    os.makedirs(OUT, exist_ok=True)
    report = []
    for fn, b in (("divergences.json", build_divergences), ("goodness_of_fit.json", build_gof),
                  ("contingency.json", build_contingency), ("dependence.json", build_dependence),
                  ("footprint.json", build_footprint), ("share.json", build_share),
                  ("standardise.json", build_standardise), ("intervals.json", build_intervals)):
        CURRENT_FILE[0] = fn
        size, count = b()
        report.append("%-22s %8d bytes  cases %s" % (fn, size, count))
    print("\n".join(report))
    if os.environ.get("GOLDEN_STATS"):
        for k in sorted(STATS):
            print("  worst err/tol %-22s %-20s %-8s %.3g" % (k + (STATS[k],)))
    print("quoted values reproduced:")
    for what, want, got in QUOTED:
        print("  %-55s quoted %-22r computed %r" % (what, want, got))


if __name__ == "__main__":
    main()
