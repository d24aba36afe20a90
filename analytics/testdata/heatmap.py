#!/usr/bin/python3
"""Reference values of the heatmap's contrasts (heatmap.go), computed with
statsmodels and SciPy from individual answers.

Run from the repository root with Debian's interpreter (it has
python3-scipy and python3-statsmodels):

    /usr/bin/python3 analytics/testdata/heatmap.py

Six teams of people answer the alignment question (level 1 is completely
aligned) and four indices (0-100). Every team's completely-aligned share
is tested against the rest of the organisation with statsmodels'
proportions_ztest, every index with SciPy's Welch test (ttest_ind,
equal_var=False), and the p-values of all the cells are adjusted together
with statsmodels' multipletests(method="fdr_bh"). The last team is smaller
than the minimum group size of 5 and takes no part.
"""

import json
import os

import numpy as np
import scipy.stats as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

K = 5
rng = np.random.RandomState(7)
teams = []
for name, n, aligned, centre in (("A", 40, 0.1, 44), ("B", 25, 0.35, 60), ("C", 30, 0.2, 52), ("D", 12, 0.15, 48),
                                 ("E", 18, 0.25, 56), ("F", 3, 0.3, 50)):
    people = []
    for _ in range(n):
        a1 = 1 if rng.uniform() < aligned else int(rng.choice([2, 3, 4]))
        idx = [float(np.clip(np.round(rng.normal(centre + 8 * j - 12, 18) / 12.5) * 12.5, 0, 100)) for j in range(4)]
        people.append({"a1": a1, "index": idx})
    teams.append({"team": name, "people": people})

everyone = [p for t in teams for p in t["people"]]
cells, ps = [], []
for t in teams:
    if len(t["people"]) < K:
        continue
    rest = [p for u in teams if u is not t for p in u["people"]]
    k1 = sum(p["a1"] == 1 for p in t["people"])
    k2 = sum(p["a1"] == 1 for p in rest)
    _, p = proportions_ztest([k1, k2], [len(t["people"]), len(rest)])
    cells.append((t["team"], 0))
    ps.append(float(p))
    for j in range(4):
        a = [p["index"][j] for p in t["people"]]
        b = [p["index"][j] for p in rest]
        cells.append((t["team"], j + 1))
        ps.append(float(st.ttest_ind(a, b, equal_var=False).pvalue))
reject, qs, _, _ = multipletests(ps, alpha=0.05, method="fdr_bh")
expected = [{"team": c[0], "x": c[1], "p": p, "q": float(q), "significant": bool(r)} for c, p, q, r in zip(cells, ps, qs, reject)]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "heatmap.json")
with open(path, "w") as f:
    json.dump({"k": K, "teams": teams, "expected": expected}, f, indent=1)
    f.write("\n")
print("wrote", path, sum(e["significant"] for e in expected), "of", len(expected), "cells clearly different; unadjusted:",
      sum(p < 0.05 for p in ps))
