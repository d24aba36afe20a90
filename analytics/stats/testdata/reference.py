#!/usr/bin/python3
"""Reference values for accord/analytics/stats, computed with SciPy.

Regenerate (from the repository root) with:

    apt-get install -y python3-scipy python3-numpy
    /usr/bin/python3 analytics/stats/testdata/reference.py

Use Debian's /usr/bin/python3: it is the interpreter that has python3-scipy.
The output, reference.json next to this script, is deterministic (seeded
numpy.random.RandomState) and is read by reference_test.go.

Where a value comes from:
  wilson       scipy.stats.binomtest(k, n).proportion_ci(level, 'wilson')
  binomial     scipy.stats.binomtest(k, n, p).pvalue (two-sided)
  mean         scipy.stats.ttest_1samp(x, 0).confidence_interval(level)
  t_quantile   Student t critical values from scipy.special.betaincinv,
               asserted against scipy.stats.t.sf to 1e-11. They are listed
               separately because scipy.stats.t.ppf (used by t.interval and
               confidence_interval() in SciPy 1.10) comes from CDFLIB and is
               only accurate to ~5e-9 relative: t.sf(t.ppf(0.95, 30), 30) is
               0.04999999926, not 0.05. The Go tests therefore compare t
               interval half-widths with a looser tolerance and check the
               quantile itself tightly here.
  welch        SciPy 1.10 ttest_ind has no confidence_interval(), so the
               interval is the Welch-Satterthwaite formula with
               scipy.stats.t.ppf; it is then cross-checked against SciPy's
               own Welch test: shifting a by either bound must make
               ttest_ind(a - bound, b, equal_var=False).pvalue == 1 - level.
  chisquare    scipy.stats.chisquare(f_obs, f_exp), with f_exp the
               normalised proportions scaled to the observed total.
  cronbach     numpy formula k/(k-1) * (1 - sum(item var) / var(total)).
               This is the definition of alpha, not an independent check.
  newcombe     Newcombe (1998) method 10 assembled from SciPy's Wilson
               intervals; plus the published values of Newcombe (1998),
               Statistics in Medicine 17:873-890, Table II, method 10, which
               are checked here (to their 4 printed decimals) before any
               output is written. The paper was not at hand when they were
               typed in: they match independent transcriptions of the table
               in other open-source test suites, and SciPy's Wilson reproduces
               all eight.
"""

import json
import math
import os
import warnings

import numpy as np
import scipy
import scipy.special
import scipy.stats as st


def wilson(k, n, level):
    ci = st.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


def newcombe(k1, n1, k2, n2, level):
    """Newcombe (1998) hybrid score interval, method 10."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, level)
    l2, u2 = wilson(k2, n2, level)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


# Newcombe (1998) Table II, method 10: (k1, n1, k2, n2) -> printed (low, high).
NEWCOMBE_PUBLISHED = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]


def welch(a, b, level):
    a, b = np.asarray(a), np.asarray(b)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    d = a.mean() - b.mean()
    half = st.t.ppf(0.5 + level / 2, df) * se
    low, high = d - half, d + half
    for bound in (low, high):
        with warnings.catch_warnings():
            # A constant group makes SciPy warn about its (exact) zero variance.
            warnings.simplefilter("ignore", RuntimeWarning)
            p = st.ttest_ind(a - bound, b, equal_var=False).pvalue
        assert abs(p - (1 - level)) < 1e-9, (p, level)
    return float(d), float(low), float(high)


def cronbach(m):
    m = np.asarray(m, dtype=float)
    k = m.shape[1]
    item_var = m.var(axis=0, ddof=1).sum()
    total_var = m.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def main():
    rng = np.random.RandomState(20240917)
    out = {"scipy_version": scipy.__version__, "numpy_version": np.__version__}

    # Wilson: small n, n=1, all/none, the 9.2% benchmark, large n, levels.
    wilson_cases = [
        (0, 1, 0.95), (1, 1, 0.95), (0, 10, 0.95), (10, 10, 0.95),
        (1, 10, 0.95), (9, 10, 0.95), (5, 10, 0.95), (3, 7, 0.95),
        (46, 500, 0.95), (92, 1000, 0.95), (920, 10000, 0.95),
        (1, 1000, 0.95), (999, 1000, 0.95), (56, 70, 0.95),
        (5, 10, 0.90), (46, 500, 0.99), (123456, 1000000, 0.95),
    ]
    out["wilson"] = [
        {"k": k, "n": n, "level": lv, "low": lo, "high": hi}
        for k, n, lv in wilson_cases
        for lo, hi in [wilson(k, n, lv)]
    ]

    # Student t quantiles, including the fractional df of Welch intervals.
    out["t_quantile"] = []
    # Capped at df 1000: beyond that x is so close to 1 that 1/x - 1 loses
    # digits, and no survey segment here needs more (the normal limit).
    for df in (1, 1.5, 2, 3, 4, 7.25, 10, 29.3, 30, 49, 100, 999):
        for lv in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
            tail = 1 - (0.5 + lv / 2)
            x = scipy.special.betaincinv(df / 2, 0.5, 2 * tail)
            q = math.sqrt(df * (1 / x - 1))
            assert abs(st.t.sf(q, df) / tail - 1) < 1e-11, (df, lv)
            out["t_quantile"].append({"df": df, "level": lv, "q": q})

    # Exact binomial test: both tails, ties at the mean, tiny p-values,
    # p at the edges and the 9.2% benchmark.
    binom_cases = [
        (3, 10, 0.5), (0, 10, 0.5), (10, 10, 0.5), (5, 10, 0.5),
        (4, 10, 0.4), (7, 12, 0.3), (1, 1, 0.5), (0, 1, 0.3),
        (46, 500, 0.092), (60, 500, 0.092), (30, 500, 0.092),
        (0, 20, 0.092), (920, 10000, 0.092), (1000, 10000, 0.092),
        (2, 100, 0.01), (99, 100, 0.99), (5, 1000, 0.001),
        (8, 9, 0.1), (450, 1000, 0.5), (4700, 10000, 0.5),
        (0, 10, 0.0), (3, 10, 0.0), (10, 10, 1.0), (9, 10, 1.0),
        (1, 3, 1 / 3), (92500, 1000000, 0.092), (100000, 1000000, 0.092),
    ]
    out["binomial"] = [
        {"k": k, "n": n, "p": p, "pvalue": float(st.binomtest(k, n, p).pvalue)}
        for k, n, p in binom_cases
    ]

    # One-sample t intervals on generated samples (Go rebuilds a Summary).
    likert = lambda n: rng.randint(1, 6, size=n).astype(float)
    mean_samples = [
        ([2.0, 5.0], 0.95),
        ([1.0, 2.0, 4.0], 0.95),
        (likert(10), 0.95),
        (likert(50), 0.90),
        (likert(1000), 0.99),
        (rng.normal(0.3, 2.0, 25), 0.95),
        (rng.normal(1000.0, 1.0, 40), 0.95),
        (rng.exponential(3.0, 200), 0.95),
    ]
    out["mean"] = []
    for x, lv in mean_samples:
        x = np.asarray(x, dtype=float)
        ci = st.ttest_1samp(x, 0.0).confidence_interval(confidence_level=lv)
        out["mean"].append({"x": x.tolist(), "level": lv, "mean": float(x.mean()),
                            "low": float(ci.low), "high": float(ci.high)})

    # Welch differences: unequal n and variances, tiny groups, one constant.
    welch_pairs = [
        ([2.0, 4.0], [1.0, 5.0, 6.0], 0.95),
        (likert(12), likert(30), 0.95),
        (rng.normal(3.0, 0.5, 15), rng.normal(3.4, 2.0, 60), 0.95),
        (rng.normal(0.0, 5.0, 8), rng.normal(1.0, 0.2, 200), 0.90),
        (likert(400), likert(350), 0.99),
        ([3.0, 3.0, 3.0, 3.0], [1.0, 2.0, 4.0, 5.0, 2.0], 0.95),
    ]
    out["welch"] = []
    for a, b, lv in welch_pairs:
        d, lo, hi = welch(a, b, lv)
        out["welch"].append({"a": list(map(float, a)), "b": list(map(float, b)),
                             "level": lv, "diff": d, "low": lo, "high": hi})

    # Chi-square goodness of fit; expected given as weights to be normalised.
    chi_cases = [
        ([10, 10, 10], [1, 1, 1]),
        ([18, 22, 20, 40], [0.25, 0.25, 0.25, 0.25]),
        ([46, 454], [0.092, 0.908]),
        ([5, 30, 65], [1, 2, 3]),
        ([120, 80, 40, 10, 2], [0.3, 0.3, 0.2, 0.1, 0.1]),
        ([500, 10], [0.5, 0.5]),
        ([3, 1], [0.6, 0.4]),
    ]
    out["chisquare"] = []
    for obs, w in chi_cases:
        w = np.asarray(w, dtype=float)
        exp = w / w.sum() * sum(obs)
        r = st.chisquare(obs, exp)
        out["chisquare"].append({"observed": obs, "expected": w.tolist(),
                                 "stat": float(r.statistic), "df": len(obs) - 1,
                                 "p": float(r.pvalue)})

    # Cronbach's alpha: Likert items sharing a latent trait, k = 2..8, and a
    # case with a reversed item (negative alpha).
    def items(n, k, noise, flip=()):
        trait = rng.normal(0, 1, n)
        cols = []
        for j in range(k):
            v = trait * (-1 if j in flip else 1) + rng.normal(0, noise, n)
            cols.append(np.clip(np.round(3 + v), 1, 5))
        return np.column_stack(cols)

    alpha_cases = [
        [[1, 2], [2, 3], [3, 3], [4, 5]],
        items(20, 2, 1.0), items(100, 5, 0.8), items(300, 8, 1.5),
        items(50, 3, 0.5, flip=(0,)), items(5, 4, 1.0),
    ]
    out["cronbach"] = [{"items": np.asarray(m, dtype=float).tolist(), "alpha": cronbach(m)}
                       for m in alpha_cases]

    # Newcombe: check the published values first, then emit both sets.
    for (k1, n1, k2, n2), (plo, phi) in NEWCOMBE_PUBLISHED:
        _, lo, hi = newcombe(k1, n1, k2, n2, 0.95)
        assert round(lo, 4) == plo and round(hi, 4) == phi, ((k1, n1, k2, n2), lo, hi)
    out["newcombe_published"] = [
        {"k1": c[0], "n1": c[1], "k2": c[2], "n2": c[3], "low": v[0], "high": v[1]}
        for c, v in NEWCOMBE_PUBLISHED
    ]
    newcombe_cases = [c for c, _ in NEWCOMBE_PUBLISHED] + [
        (46, 500, 30, 500), (92, 1000, 120, 900), (1, 3, 2, 3), (0, 1, 1, 1),
        (5000, 10000, 4800, 10000),
    ]
    out["newcombe"] = []
    for k1, n1, k2, n2 in newcombe_cases:
        for lv in (0.95, 0.90):
            d, lo, hi = newcombe(k1, n1, k2, n2, lv)
            out["newcombe"].append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "level": lv,
                                    "diff": d, "low": lo, "high": hi})

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
