#!/usr/bin/env python3
"""Medians per scenario and tool from bench/run.sh's results.tsv, with the 1-minute load range during each run
(load.log lines "HH:MM:SS load=L1 ..." or "HH:MM:SS L1 L5 L15 ...").

    bench/results-summary.py results.tsv run.log[,run.log...] load.log
"""
import re, sys, statistics as st
from datetime import datetime, timedelta

tsv, logs, loadlog = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(tsv)][1:]
# end times of each run from the bench log: "HH:MM:SS bench: <scenario> <tool> <phase>: rc=..."
ends = {}
for lg in logs:
    for l in open(lg):
        m = re.match(r"(\d\d:\d\d:\d\d) bench: (\S+) (\S+) (\S+): rc=", l)
        if m:
            ends[(m.group(2), m.group(3), m.group(4))] = m.group(1)
loads = []
for l in open(loadlog):
    m = re.match(r"(\d\d:\d\d:\d\d) (?:load=)?([\d.]+)", l)
    if m:
        loads.append((m.group(1), float(m.group(2))))
def t(s): return datetime.strptime(s, "%H:%M:%S")
def load_range(sc, tool, ph, wall):
    e = ends.get((sc, tool, ph))
    if not e: return None
    e = t(e); b = e - timedelta(seconds=float(wall))
    v = [x for (s, x) in loads if b <= t(s) <= e + timedelta(seconds=10)]
    return (min(v), max(v)) if v else None
def med(v): return st.median(v) if v else float("nan")
groups = {}
for r in rows:
    sc, tool, ph, files, _b, wall, u, s, rss, scpu, ops, note, l1 = (r + [""] * 13)[:13]
    if ph == "start" or int(files) == 0: 
        print("# %s %s %s: wall %s s, CPU %.2f s, server %s s, %s" % (sc, tool, ph, wall, float(u) + float(s), scpu, ops))
        continue
    ops_d = dict(kv.split("=") for kv in ops.split(",") if "=" in kv)
    # RGW's counters (rgw_req, rgw_failed_req, rgw_get, rgw_put) overlap: its requests are rgw_req alone.
    req = int(ops_d["rgw_req"]) if "rgw_req" in ops_d else sum(int(v) for k, v in ops_d.items())
    listings = int(ops_d.get("list", 0))
    heads = int(ops_d.get("getBlobMetadata", ops_d.get("head", 0)))
    proxy = re.search(r"proxy_cpu=([\d.]+)", note)
    split = re.search(r"cpu_split=(\S+)", note)
    lr = load_range(sc, tool, ph, wall)
    d = dict(ph=ph, files=int(files), wall=float(wall), cpu=float(u) + float(s), user=float(u), sys=float(s),
             scpu=float(scpu), proxy=float(proxy.group(1)) if proxy else 0.0, req=req, listings=listings, ops=ops,
             rss=int(rss) / 1024, split=split.group(1) if split else "", load=lr, load_end=float(l1 or 0))
    d["cores"] = (d["cpu"] + d["scpu"] + d["proxy"]) / d["wall"]
    d["sc"] = sc
    groups.setdefault((re.sub(r"-b$", "", sc), tool), []).append(d)
print("| scenario | client | runs | wall s | files/s | client CPU s | client ms/file | server CPU s | server ms/file | proxy CPU s | cores used | requests/file | listings | peak RSS MB | load (1-min) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for (sc, tool), ds in groups.items():
    f = ds[0]["files"]
    def rng(k, fmt="%.1f"):
        v = [x[k] for x in ds]
        return (fmt % med(v)) + ((" (" + fmt % min(v) + "–" + fmt % max(v) + ")") if len(v) > 1 else "")
    fps = [x["files"] / x["wall"] for x in ds]
    lows = [x["load"][0] for x in ds if x["load"]]; highs = [x["load"][1] for x in ds if x["load"]]
    print("| %s | %s | %d | %s | %.0f (%.0f–%.0f) | %s | %.2f | %s | %.2f | %s | %s | %.3f | %s | %.0f–%.0f | %s |" % (
        sc, tool, len(ds), rng("wall"), med(fps), min(fps), max(fps), rng("cpu"), 1000 * med([x["cpu"] for x in ds]) / f,
        rng("scpu"), 1000 * med([x["scpu"] for x in ds]) / f, rng("proxy", "%.1f"), rng("cores", "%.2f"),
        med([x["req"] / x["files"] for x in ds]), "/".join(str(x["listings"]) for x in ds),
        min(x["rss"] for x in ds), max(x["rss"] for x in ds),
        ("%.0f–%.0f" % (min(lows), max(highs))) if lows else "?"))
print()
for (sc, tool), ds in groups.items():
    for x in ds:
        print("%s %s %s: wall %.1f s, %.0f files/s, cpu %.2f+%.2f, server %.2f, proxy %.2f, cores %.2f, ops %s, load %s, split %s" % (
            x["sc"], tool, x["ph"], x["wall"], x["files"] / x["wall"], x["user"], x["sys"], x["scpu"], x["proxy"], x["cores"],
            x["ops"], x["load"], x["split"]))
