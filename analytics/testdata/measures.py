#!/usr/bin/python3
"""Expected measures of the fixture in measures_test.go, computed with SciPy.

Run from the repository root with Debian's interpreter (it has python3-scipy):

    /usr/bin/python3 analytics/testdata/measures.py

The fixture: round R0 (10 people), then round R1 with the same 10 people
(5 sales, 5 product) and 2 sales people who did not answer. Scores map
Likert 1..5 to 0..100 ((v-1)*25) and A1 level 1..4 to 100..0; a
respondent's index score is the mean of the items they answered.
"""
import math

import numpy as np
import scipy.stats as st

L = lambda v: (v - 1) * 25
A = lambda lvl: (4 - lvl) * 100 / 3


def mean_ci(x):
    x = np.asarray(x, float)
    ci = st.ttest_1samp(x, 0).confidence_interval(0.95)
    return x.mean(), ci.low, ci.high


def welch(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se2 = va + vb
    df = se2 ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    h = st.t.ppf(0.975, df) * math.sqrt(se2)
    d = a.mean() - b.mean()
    return d, d - h, d + h


def wilson(k, n):
    ci = st.binomtest(k, n).proportion_ci(0.95, "wilson")
    return k / n, ci.low, ci.high


def newcombe(k1, n1, k2, n2):
    p1, l1, u1 = wilson(k1, n1)
    p2, l2, u2 = wilson(k2, n2)
    d = p1 - p2
    return d, d - math.hypot(p1 - l1, u2 - p2), d + math.hypot(u1 - p1, p2 - l2)


def alpha(rows):
    rows = np.asarray(rows, float)
    k = rows.shape[1]
    return k / (k - 1) * (1 - rows.var(axis=0, ddof=1).sum() / rows.sum(axis=1).var(ddof=1))


sales_a1, product_a1 = [1, 2, 2, 3, 4], [1, 1, 2, 2, 2]
sales_trust, product_trust = [2, 2, 3, 3, 4], [4, 4, 5, 5, 3]  # every trust item
sales_info = [(1, 2), (2, 3), (3, 3), (4, 5), (5, 5)]
product_info = [(3, 3), (4, 4), (2, 3), (5, 4), (1, 2)]
sales_process = [[5], [3] * 4, [3] * 4, [3] * 4, [3] * 4]  # s1 answered P1 only
product_process = [[4] * 4] * 5

a1 = sales_a1 + product_a1
trust_s = [L(v) for v in sales_trust]
trust_p = [L(v) for v in product_trust]
info_s = [np.mean([L(v) for v in r]) for r in sales_info]
info_p = [np.mean([L(v) for v in r]) for r in product_info]
proc_s = [np.mean([L(v) for v in r]) for r in sales_process]
proc_p = [np.mean([L(v) for v in r]) for r in product_process]

print("org share", wilson(a1.count(1), 10))
print("org binomial p", st.binomtest(a1.count(1), 10, 0.092).pvalue)
counts = [a1.count(i) for i in (1, 2, 3, 4)]
shares = np.array([0.092, 0.642, 0.237, 0.029])
print("org chi-square", counts, st.chisquare(counts, shares / shares.sum() * 10))
print("org alignment", mean_ci([A(v) for v in a1]))
print("org trust", mean_ci(trust_s + trust_p))
print("org information", mean_ci(info_s + info_p))
print("org process", mean_ci(proc_s + proc_p))
print("org alpha information", alpha(sales_info + product_info))
print("sales alignment", mean_ci([A(v) for v in sales_a1]))
print("gap alignment", welch([A(v) for v in sales_a1], [A(v) for v in product_a1]))
print("gap trust", welch(trust_s, trust_p))
print("gap information", welch(info_s, info_p))
print("gap process", welch(proc_s, proc_p))
# R0: everyone at A1 level 2 except one sales person at 1; every trust item 3.
print("change share", newcombe(3, 10, 1, 10))
print("change trust", welch(trust_s + trust_p, [L(3)] * 10))
