#!/usr/bin/python3
"""Reference values of weighted.go (post-stratification), computed with
numpy and statsmodels from the individual answers and their weights.

Run from the repository root with Debian's interpreter (it has
python3-scipy and python3-statsmodels):

    /usr/bin/python3 analytics/stats/testdata/weighted.py

Each case is strata of answers with a population count (people invited).
Every answer of stratum h gets the weight W_h / n_h (W_h its share of the
population); the weighted mean and variance (ddof 0) come from
statsmodels' DescrStatsW, Kish's effective sample size from the weights,
the share's Wilson interval from statsmodels' proportion_confint at that
size, and the bounded-mean interval from its definition (z^2/2
pseudo-answers at each end of the scale) at that size.
"""

import json
import os

import numpy as np
import scipy.stats as st
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

Z = st.norm.ppf(0.975)
rng = np.random.RandomState(24)


def bounded(mean, var, n, lo, hi):
    w = hi - lo
    my = (mean - lo) / w
    c = Z * Z / 2
    nt = n + 2 * c
    m = (n * my + c) / nt
    v = max(0.0, (n * (var / w / w + my * my) + c) / nt - m * m)
    h = Z * np.sqrt(v / nt)
    return lo + w * max(0.0, m - h), lo + w * min(1.0, m + h)


def case(strata, kind):
    x, wt = [], []
    pop = sum(s["population"] for s in strata if s["x"])
    for s in strata:
        if not s["x"]:
            continue
        share = s["population"] / pop
        for v in s["x"]:
            x.append(v)
            wt.append(share / len(s["x"]))
    x, wt = np.array(x, dtype=float), np.array(wt)
    d = DescrStatsW(x, weights=wt, ddof=0)
    neff = wt.sum() ** 2 / np.sum(wt * wt)
    out = {"kind": kind, "strata": strata, "mean": float(d.mean), "variance": float(d.var), "neff": float(neff)}
    if kind == "share":
        lo, hi = proportion_confint(d.mean * neff, neff, alpha=0.05, method="wilson")
    else:
        lo, hi = bounded(d.mean, d.var, neff, 0.0, 100.0)
    out["low"], out["high"] = float(lo), float(hi)
    return out


cases = []
# Shares (completely aligned: 1, otherwise 0): sales answered more than product.
for sizes, pops in (((30, 8), (40, 40)), ((12, 9, 5), (20, 60, 9)), ((10, 10), (10, 10)), ((6, 25), (50, 30))):
    strata = []
    for n, pop in zip(sizes, pops):
        p = rng.uniform(0.05, 0.5)
        strata.append({"population": pop, "x": [1.0 if rng.uniform() < p else 0.0 for _ in range(n)]})
    cases.append(case(strata, "share"))
# Every answer the same: the interval must not have zero width.
cases.append(case([{"population": 30, "x": [0.0] * 12}, {"population": 10, "x": [0.0] * 6}], "share"))
# Scores on 0-100 (index means of people).
for sizes, pops in (((30, 8), (40, 40)), ((12, 9, 5), (20, 60, 9)), ((7, 7), (7, 7)), ((5, 40), (100, 41))):
    strata = []
    for n, pop in zip(sizes, pops):
        centre = rng.uniform(30, 80)
        strata.append({"population": pop, "x": [float(np.clip(np.round(rng.normal(centre, 20) / 12.5) * 12.5, 0, 100)) for _ in range(n)]})
    cases.append(case(strata, "score"))
cases.append(case([{"population": 12, "x": [100.0] * 5}, {"population": 3, "x": [100.0] * 9}], "score"))
# A stratum without answers takes no part.
cases.append(case([{"population": 12, "x": [25.0, 50.0, 75.0, 100.0, 50.0]}, {"population": 30, "x": []}, {"population": 20, "x": [0.0, 25.0, 25.0, 50.0, 0.0]}], "score"))

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weighted.json")
with open(path, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print("wrote", path, len(cases), "cases")
