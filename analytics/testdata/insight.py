#!/usr/bin/python3
"""Fixture and expected insight of insight_test.go, computed with SciPy and
statsmodels.

Run from the repository root with Debian's interpreter (it has
python3-scipy and python3-statsmodels):

    /usr/bin/python3 analytics/testdata/insight.py

It writes insight.json beside itself: five closed rounds, three months
apart, of eight sales and eight product people (two more sales people are
invited to the last round and do not answer), with answers drawn from a
seeded generator, and what the insight of the last round must say:
per-statement distributions and intervals, sales and product side by side,
changes since the round before with Benjamini-Hochberg, drivers (Pearson r
with Fisher-z interval), focus areas, the verdict against the study
(Newcombe, 32 of 350), the trend of the completely-aligned share (OLS on
the individual answers, HC0) and the response-rate check.

The bounded-mean interval (z^2/2 pseudo-answers at each end of the scale)
and the MOVER difference are computed here from their definitions; the
rest comes from SciPy or statsmodels functions.
"""

import datetime as dt
import json
import os

import numpy as np
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

KEYS = ["T1", "T2", "T3", "T4", "I1", "I2", "P1", "P2", "P3", "P4"]
# How strongly each statement follows alignment in the generated answers.
PULL = {"T1": 0.9, "T2": 0.2, "T3": 1.0, "T4": 0.5, "I1": 0.0, "I2": 0.3, "P1": 0.1, "P2": 1.1, "P3": 0.4, "P4": 0.0}
# A statement's level (lower: people disagree more).
BASE = {"T1": 3.6, "T2": 3.0, "T3": 2.6, "T4": 3.4, "I1": 3.2, "I2": 2.9, "P1": 3.8, "P2": 2.4, "P3": 3.1, "P4": 3.5}
Z = st.norm.ppf(0.975)
rng = np.random.RandomState(12)
start = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)

rounds = []
for i in range(5):
    opens = start + dt.timedelta(days=91 * i)
    people = []
    for side in ("sales", "product"):
        for j in range(8):
            aligned_p = [0.45, 0.38, 0.3, 0.22, 0.12][i]
            a1 = 1 if rng.uniform() < aligned_p else int(rng.choice([2, 2, 2, 3, 4]))
            lik = {}
            for k in KEYS:
                if i < 2 and rng.uniform() < 0.06:
                    continue  # skipped (early rounds only: a change of one answerer
                    # in a later round would hide the number, by the continuity rule)
                gap = -0.4 if side == "sales" and k.startswith("T") else 0.0
                v = BASE[k] + gap + PULL[k] * (2.5 - a1) + rng.normal(0, 0.7)
                lik[k] = int(np.clip(np.round(v), 1, 5))
            people.append({"person": f"{side[0]}{j}", "function": side,
                           "team": "Hunters" if side == "sales" else "Builders", "a1": a1, "likert": lik})
    if i == 4:
        for j in (8, 9):
            people.append({"person": f"s{j}", "function": "sales", "team": "Hunters", "declined": True})
    rounds.append({"title": f"R{i}", "opens": opens.isoformat().replace("+00:00", "Z"), "respondents": people})


def answered(rnd, side=None):
    return [p for p in rnd["respondents"] if not p.get("declined") and (side is None or p["function"] == side)]


def scores(people, key):
    return np.array([(p["likert"][key] - 1) * 25.0 for p in people if key in p["likert"]])


def bounded(x):
    y = x / 100.0
    c = Z * Z / 2
    n = len(y) + 2 * c
    m = (y.sum() + c) / n
    v = max(0.0, (np.sum(y * y) + c) / n - m * m)
    h = Z * np.sqrt(v / n)
    return [float(x.mean()), 100 * max(0.0, m - h), 100 * min(1.0, m + h)]


def mover(a, b):
    d = a[0] - b[0]
    return [d, d - np.hypot(a[0] - a[1], b[2] - b[0]), d + np.hypot(a[2] - a[0], b[0] - b[1])]


last, prev = rounds[4], rounds[3]
statements, change_p = [], []
for k in KEYS:
    res = {"key": k}
    for name, side in (("all", None), ("sales", "sales"), ("product", "product")):
        x = scores(answered(last, side), k)
        res[name] = {"answers": [int(np.sum(x == (v - 1) * 25)) for v in range(1, 6)], "mean": bounded(x)}
    res["gap"] = mover(res["sales"]["mean"], res["product"]["mean"])
    before = scores(answered(prev), k)
    now = scores(answered(last), k)
    res["change"] = mover(bounded(now), bounded(before))
    change_p.append(float(st.ttest_ind(now, before, equal_var=False).pvalue))
    statements.append(res)
for res, q, p in zip(statements, multipletests(change_p, method="fdr_bh")[1], change_p):
    res["change_p"], res["change_q"] = p, float(q)
    res["change_significant"] = bool(q < 0.05 and (res["change"][1] > 0 or res["change"][2] < 0))

drivers, driver_p = [], []
for k in KEYS:
    pairs = [(p["likert"][k], p["a1"]) for p in answered(last) if k in p["likert"]]
    x = np.array([(a - 1) * 25.0 for a, _ in pairs])
    y = np.array([(4 - b) * 100 / 3 for _, b in pairs])
    r = st.pearsonr(x, y)
    ci = r.confidence_interval(0.95)
    drivers.append({"key": k, "n": len(pairs), "r": float(r.statistic), "low": float(ci.low), "high": float(ci.high), "p": float(r.pvalue)})
    driver_p.append(float(r.pvalue))
for d, q in zip(drivers, multipletests(driver_p, method="fdr_bh")[1]):
    d["q"] = float(q)
    d["significant"] = bool(q < 0.05)

means = {s["key"]: s["all"]["mean"][0] for s in statements}
median = float(np.median(list(means.values())))
focus = [d for d in drivers if d["significant"] and d["r"] > 0 and means[d["key"]] <= median]
focus.sort(key=lambda d: -d["r"] * (100 - means[d["key"]]) / 100)
focus = [d["key"] for d in focus[:3]]


def verdict(people):
    n = len(people)
    k = sum(1 for p in people if p["a1"] == 1)
    lo, hi = confint_proportions_2indep(k, n, 32, 350, method="newcomb", compare="diff")
    return {"aligned": k, "n": n, "diff": k / n - 32 / 350, "low": float(lo), "high": float(hi)}


t, y = [], []
end = start + dt.timedelta(days=91 * 4 + 7)
for rnd in rounds:
    closes = dt.datetime.fromisoformat(rnd["opens"].replace("Z", "+00:00")) + dt.timedelta(days=7)
    when = (closes - end).total_seconds() / 3600 / (365.25 * 24)
    for p in answered(rnd):
        t.append(when)
        y.append(100.0 if p["a1"] == 1 else 0.0)
fit = sm.OLS(np.array(y), sm.add_constant(np.array(t))).fit(cov_type="HC0")
lo, hi = fit.conf_int(0.05)[1]
trend = {"slope": float(fit.params[1]), "low": float(lo), "high": float(hi), "p": float(fit.pvalues[1])}

sales_inv = sum(1 for p in last["respondents"] if p["function"] == "sales")
prod_inv = sum(1 for p in last["respondents"] if p["function"] == "product")
sales_resp, prod_resp = len(answered(last, "sales")), len(answered(last, "product"))
lo, hi = confint_proportions_2indep(sales_resp, sales_inv, prod_resp, prod_inv, method="newcomb", compare="diff")
response = {"sales": [sales_resp, sales_inv], "product": [prod_resp, prod_inv], "low": float(lo), "high": float(hi)}

out = {"rounds": rounds, "expected": {
    "statements": statements, "drivers": drivers, "focus": focus,
    "weakest": min(means, key=means.get), "strongest": max(means, key=means.get),
    "verdict": verdict(answered(last)), "product_verdict": verdict(answered(last, "product")),
    "trend": trend, "response": response}}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "insight.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", path, "focus", focus, "trend", trend)
