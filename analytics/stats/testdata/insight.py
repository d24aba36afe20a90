#!/usr/bin/python3
"""Reference values for the insight statistics of accord/analytics/stats.

Regenerate (from the repository root) with Debian's interpreter, which has
python3-scipy, python3-numpy and python3-statsmodels:

    /usr/bin/python3 analytics/stats/testdata/insight.py

The output, insight.json next to this script, is deterministic (seeded
numpy.random.RandomState) and is read by insight_reference_test.go.

Where a value comes from:
  agresti_coull  statsmodels proportion_confint(k, n, method="agresti_coull")
                 on 0/1 answers: BoundedMeanInterval must reduce to it.
  bounded        the generalised Agresti-Coull interval on bounded scores,
                 computed here from the raw answers (numpy) by its
                 definition: z^2/2 pseudo-answers at each end of the scale,
                 normal interval of the augmented sample (a formula check,
                 not an independent method; the 0/1 case above is).
  pearson        scipy.stats.pearsonr(x, y): statistic, pvalue and
                 confidence_interval(level) (Fisher z).
  bh             statsmodels multipletests(p, method="fdr_bh")[1].
  welch          scipy.stats.ttest_ind(a, b, equal_var=False).pvalue.
  feldt          Feldt's interval of Cronbach's alpha from scipy.stats.f.ppf,
                 as pingouin.cronbach_alpha computes it (1 - (1 - a) * F).
  ztest          statsmodels proportions_ztest([k1, k2], [n1, n2]) (pooled).
  multinomial    exact multinomial test by brute force: every outcome's
                 scipy.stats.multinomial.pmf, summing those no more likely
                 than the observed one (relative tolerance 1e-7).
  trend          statsmodels OLS(y, [1, t]).fit(cov_type="HC0") on the
                 individual answers: slope, conf_int (normal), pvalue.
"""

import json
import os

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

rng = np.random.RandomState(20261207)
out = {"scipy_version": scipy.__version__, "statsmodels_version": statsmodels.__version__}

ac = []
for k, n in [(0, 5), (5, 5), (3, 10), (1, 7), (12, 40), (200, 1000), (0, 1), (1, 1), (7, 9)]:
    for level in (0.95, 0.9):
        lo, hi = proportion_confint(k, n, alpha=1 - level, method="agresti_coull")
        ac.append({"k": k, "n": n, "level": level, "low": float(lo), "high": float(hi)})
out["agresti_coull"] = ac


def bounded(x, lo, hi, level):
    y = (np.asarray(x, float) - lo) / (hi - lo)
    z = st.norm.ppf(0.5 + level / 2)
    c = z * z / 2
    aug_n = len(y) + 2 * c
    m = (y.sum() + c) / aug_n
    v = max(0.0, (np.sum(y * y) + c) / aug_n - m * m)
    h = z * np.sqrt(v / aug_n)
    return lo + (hi - lo) * max(0.0, m - h), lo + (hi - lo) * min(1.0, m + h)


bcases = []
for x in ([100] * 5, [0] * 8, [50] * 30, [0, 25, 50, 75, 100], list(rng.randint(0, 5, 12) * 25),
          list(rng.randint(0, 5, 200) * 25), list(rng.randint(2, 5, 9) * 25)):
    lo, hi = bounded(x, 0, 100, 0.95)
    bcases.append({"x": [float(v) for v in x], "lo": 0.0, "hi": 100.0, "level": 0.95,
                   "mean": float(np.mean(x)), "low": float(lo), "high": float(hi)})
x = list(rng.randint(1, 6, 25))
lo, hi = bounded(x, 1, 5, 0.9)
bcases.append({"x": [float(v) for v in x], "lo": 1.0, "hi": 5.0, "level": 0.9,
               "mean": float(np.mean(x)), "low": float(lo), "high": float(hi)})
out["bounded"] = bcases

pcases = []
for n, rho in [(10, 0.5), (30, 0.2), (200, 0.4), (8, -0.6), (50, 0.0), (5, 0.9)]:
    x = rng.randint(1, 6, n).astype(float)
    y = np.clip(np.round(rho * (x - 3) + rng.normal(0, 1, n) + 2.5), 1, 4)
    x, y = (x - 1) * 25, (4 - y) * 100 / 3
    r = st.pearsonr(x, y)
    ci = r.confidence_interval(0.95)
    pcases.append({"x": x.tolist(), "y": y.tolist(), "level": 0.95, "r": float(r.statistic),
                   "p": float(r.pvalue), "low": float(ci.low), "high": float(ci.high)})
out["pearson"] = pcases

bh = []
for ps in ([0.01, 0.04, 0.03, 0.005, 0.5], list(rng.uniform(0, 0.1, 12)), [0.2], [0.05, 0.05, 0.01]):
    bh.append({"p": [float(p) for p in ps], "q": [float(q) for q in multipletests(ps, method="fdr_bh")[1]]})
out["bh"] = bh

tcases = []
for rounds in ([(0.0, 50, 0.42), (0.25, 48, 0.35), (0.5, 52, 0.30), (0.75, 47, 0.23)],
               [(0.0, 12, 0.5), (0.3, 15, 0.4), (0.55, 9, 0.6), (0.8, 14, 0.45), (1.1, 13, 0.5)]):
    t, y, per = [], [], []
    for when, n, p in rounds:
        k = int(round(n * p))
        ys = [1.0] * k + [0.0] * (n - k)
        per.append({"t": when, "y": ys})
        t += [when] * n
        y += ys
    fit = sm.OLS(np.asarray(y), sm.add_constant(np.asarray(t))).fit(cov_type="HC0")
    lo, hi = fit.conf_int(0.05)[1]
    tcases.append({"rounds": per, "slope": float(fit.params[1]), "low": float(lo), "high": float(hi),
                   "p": float(fit.pvalues[1])})
per, t, y = [], [], []
for i, when in enumerate([0.0, 0.2, 0.45, 0.7, 0.95]):
    ys = (rng.randint(0, 5, 20 + i) * 25).astype(float)
    per.append({"t": when, "y": ys.tolist()})
    t += [when] * len(ys)
    y += ys.tolist()
fit = sm.OLS(np.asarray(y), sm.add_constant(np.asarray(t))).fit(cov_type="HC0")
lo, hi = fit.conf_int(0.05)[1]
tcases.append({"rounds": per, "slope": float(fit.params[1]), "low": float(lo), "high": float(hi), "p": float(fit.pvalues[1])})
out["trend"] = tcases

wcases = []
for na, nb, shift in [(10, 12, 0.5), (40, 35, 0.2), (6, 200, 1.0), (25, 25, 0.0)]:
    a = (rng.randint(0, 5, na) * 25).astype(float)
    b = (np.clip(rng.randint(0, 5, nb) + shift, 0, 4) * 25).astype(float)
    wcases.append({"a": a.tolist(), "b": b.tolist(), "p": float(st.ttest_ind(a, b, equal_var=False).pvalue)})
out["welch"] = wcases

fcases = []
for a, n, items in [(0.8, 12, 4), (0.92, 10, 2), (0.5, 6, 4), (0.3, 200, 4), (-0.2, 15, 2)]:
    d1, d2 = n - 1, (n - 1) * (items - 1)
    fcases.append({"alpha": a, "n": n, "items": items, "low": float(1 - (1 - a) * st.f.ppf(0.975, d1, d2)),
                   "high": float(1 - (1 - a) * st.f.ppf(0.025, d1, d2))})
out["feldt"] = fcases

zcases = []
for k1, n1, k2, n2 in [(3, 16, 9, 20), (42, 100, 23, 100), (0, 10, 2, 12), (5, 5, 7, 9)]:
    zcases.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "p": float(proportions_ztest([k1, k2], [n1, n2])[1])})
out["ztest"] = zcases

def compositions(n, k):
    if k == 1:
        yield (n,)
        return
    for x in range(n + 1):
        for rest in compositions(n - x, k - 1):
            yield (x,) + rest


mcases = []
study = [0.092, 0.642, 0.237, 0.0289]
for obs in ([3, 5, 1, 1], [0, 12, 3, 0], [6, 20, 10, 4], [1, 1, 1, 1], [2, 30, 8, 0]):
    probs = np.array(study) / sum(study)
    n = sum(obs)
    p_obs = st.multinomial.pmf(obs, n, probs)
    p = sum(q for q in (st.multinomial.pmf(x, n, probs) for x in compositions(n, 4)) if q <= p_obs * (1 + 1e-7))
    mcases.append({"observed": obs, "probs": study, "p": float(min(1.0, p))})
out["multinomial"] = mcases

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "insight.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path)
