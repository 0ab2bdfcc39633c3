#!/usr/bin/env python3
"""Time profile of each run from procsample.log (cumulative schedstat run / wait ns of the Ceph daemons, the client
under test and, in later samples, the bench's thread-cpu.py sampler and the PostgreSQL backends of the bench's
databases; samples about every second, sparser when both
cores are full, since the sampler runs under SCHED_IDLE), interpolated linearly between samples:
  start  = from t_start until Ceph has used 2 % of its CPU of the run (JVM start, config, DB, discovery, first PUTs)
  steady = from there until Ceph has used 98 % of it; tail = the rest until t_end
For each: the client's and Ceph's share of their core; in the steady part also Ceph's run-queue wait (in threads
waiting for CPU 1 on average); then 5-s means of Ceph's and the client's core share.

    profile.py procsample.log [procsample.log ...] -- results.tsv [results.tsv ...]
"""
import re, sys
from bisect import bisect_left
from datetime import datetime

a = sys.argv[1:]
logs, tsvs = a[:a.index("--")], a[a.index("--") + 1:]
series = []  # one per log: (times, [cumulative columns])
for fn in logs:
    T, V = [], []
    for l in open(fn):
        f = l.split()
        if len(f) in (7, 10, 13):
            T.append(datetime.fromisoformat(f[0]).timestamp())
            v = [int(x) for x in f[1:]]
            V.append(v + [0] * (12 - len(v)))
    series.append((T, V))

def at(s, col, t):  # cumulative ns of column col at time t, interpolated
    T, V = s
    i = bisect_left(T, t)
    if i <= 0: return V[0][col]
    if i >= len(T): return V[-1][col]
    f = (t - T[i - 1]) / (T[i] - T[i - 1])
    return V[i - 1][col] + f * (V[i][col] - V[i - 1][col])

def when(s, col, target, t0, t1):  # first time in [t0, t1] the cumulative value reaches target (bisection)
    lo, hi = t0, t1
    for _ in range(50):
        m = (lo + hi) / 2
        if at(s, col, m) >= target: hi = m
        else: lo = m
    return hi

for fn in tsvs:
    for r in [l.rstrip("\n").split("\t") for l in open(fn)][1:]:
        sc, tool, note = r[0], r[1], r[11]
        if "-noop" in tool or "t_start=" not in note:
            continue
        t0, t1 = (datetime.fromisoformat(re.search(k + r"=(\S+)", note).group(1)).timestamp() for k in ("t_start", "t_end"))
        s = next((s for s in series if s[0] and s[0][0] < t0 - 0.5 and s[0][-1] > t1 + 0.5), None)
        name = "%s %s" % (sc.split("-")[-1], tool)
        if s is None:
            print("%s: no samples" % name); continue
        n = sum(1 for t in s[0] if t0 <= t <= t1)
        C = lambda t: at(s, 0, t) / 1e9
        W = lambda t: at(s, 1, t) / 1e9
        K = lambda t: at(s, 3, t) / 1e9
        P = lambda t: at(s, 6, t) / 1e9
        KW = lambda t: at(s, 4, t) / 1e9
        G = lambda t: at(s, 9, t) / 1e9
        tot = C(t1) - C(t0)
        ta = when(s, 0, at(s, 0, t0) + 0.02 * tot * 1e9, t0, t1)
        tb = when(s, 0, at(s, 0, t0) + 0.98 * tot * 1e9, t0, t1)
        sh = lambda F, x, y: 100 * (F(y) - F(x)) / (y - x) if y > x else 0
        print("%s: wall %.1f s, %d samples; Ceph %.0f %% of its core, client %.0f %%, thread-cpu.py %.2f CPU s, PostgreSQL backends %.2f CPU s; "
              "start %.1f s (client %.0f %%, its threads waiting for CPU 0 %.2f, Ceph %.0f %%); steady %.1f s (Ceph %.0f %%, Ceph threads waiting for "
              "CPU 1 %.1f on average, client %.0f %%, its threads waiting for CPU 0 %.2f); tail %.1f s (client %.0f %%, Ceph %.0f %%)" % (
            name, t1 - t0, n, sh(C, t0, t1), sh(K, t0, t1), P(t1) - P(t0), G(t1) - G(t0),
            ta - t0, sh(K, t0, ta), (KW(ta) - KW(t0)) / (ta - t0), sh(C, t0, ta), tb - ta, sh(C, ta, tb), (W(tb) - W(ta)) / (tb - ta), sh(K, ta, tb), (KW(tb) - KW(ta)) / (tb - ta),
            t1 - tb, sh(K, tb, t1), sh(C, tb, t1)))
        ks = [t0 + 5 * k for k in range(int((t1 - t0) // 5) + 1)] + [t1]
        print("   Ceph %% of its core, 5-s means: %s" % " ".join("%.0f" % sh(C, x, y) for x, y in zip(ks, ks[1:]) if y > x))
        print("   client %% of its core, 5-s means: %s" % " ".join("%.0f" % sh(K, x, y) for x, y in zip(ks, ks[1:]) if y > x))
