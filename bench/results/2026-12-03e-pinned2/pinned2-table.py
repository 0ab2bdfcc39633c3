#!/usr/bin/env python3
"""Per-run table of BENCH_PIN=1 round pairs, one scenario per pair (BENCH_TAG=-p<N>, BENCH_ROUNDS=1): files/s, x rclone
(same pair), client and Ceph CPU, each one's core share, each CPU's busy and steal share over the run's window from
cpustat.log (1-s samples of each CPU's /proc/stat line: user nice system idle iowait irq softirq steal ...; busy =
user + nice + system + irq + softirq), then per pair the ratio and the best ratio at a saturated Ceph core (rclone's
Ceph CPU per file over ours), and the median ratio with the earlier pairs given as further arguments.

    pinned2-table.py results.tsv cpustat.log [earlier-ratio ...]
"""
import re, statistics, sys
from datetime import datetime

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
earlier = [float(x) for x in sys.argv[3:]]
samples = []
for l in open(sys.argv[2]):
    f = l.split()
    if len(f) < 12:
        continue
    cpus, i = {}, 1
    while i + 10 < len(f):
        v = [int(x) for x in f[i + 1:i + 11]]
        cpus[f[i]] = (v[0] + v[1] + v[2] + v[5] + v[6], v[7], v[3] + v[4])  # busy, steal, idle
        i += 11
    samples.append((datetime.fromisoformat(f[0]), cpus))

def cpu_busy(t0, t1):  # cpu -> (busy share, steal share) over the samples inside [t0, t1]
    inside = [s for s in samples if t0 <= s[0] <= t1]
    if len(inside) < 2:
        return {}
    a, b = inside[0][1], inside[-1][1]
    res = {}
    for c in a:
        d = [b[c][k] - a[c][k] for k in range(3)]
        res[c] = (d[0] / sum(d), d[1] / sum(d))
    return res

out = []
for r in rows:
    sc, tool, phase, files, _, wall, user, sys_, rss, scpu, ops, note = r[:12]
    if "-noop" in tool or "ceph_cpu=" not in note:
        continue
    wall, cpu = float(wall), float(user) + float(sys_)
    ceph = dict((k, float(v)) for k, v in (kv.split(":") for kv in re.search(r"ceph_cpu=(\S+)", note).group(1).split(",")))
    t0, t1 = (datetime.fromisoformat(re.search(k + r"=(\S+)", note).group(1)) for k in ("t_start", "t_end"))
    busy = cpu_busy(t0, t1)
    req = int(re.search(r"rgw_req=(\d+)", ops).group(1))
    out.append(dict(sc=sc, tool=tool, phase=phase, files=int(files), wall=wall, fps=int(files) / wall, cpu=cpu,
                    ceph=ceph, cephms=1000 * sum(ceph.values()) / int(files), req=req, busy=busy, t0=t0,
                    left=re.search(r"left=(\S+)", note).group(1) if "left=" in note else "?",
                    mbc=re.search(r"machine_busy_cores=(\S+)", note).group(1)))
rc = {o["sc"]: o for o in out if o["tool"] == "rclone"}
print("| run | start UTC | wall s | files/s | x rclone (same pair) | client CPU s (ms/file) | client core % | osd s "
      "| radosgw s | mon s | Ceph ms/file | Ceph core % | requests | CPU0 busy / steal % | CPU1 busy / steal % "
      "| machine busy cores | left |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for o in out:
    c = o["ceph"]; tot = sum(c.values())
    ratio = "1" if o["tool"] == "rclone" else ("%.2fx" % (o["fps"] / rc[o["sc"]]["fps"]) if o["sc"] in rc else "-")
    print("| %s %s | %s | %.1f | %.0f | %s | %.1f (%.2f) | %.0f | %.1f | %.1f | %.2f | %.2f | %.0f | %d | %s | %s | %s | %s |" % (
        o["sc"].split("-")[-1], o["tool"], o["t0"].strftime("%H:%M:%S"), o["wall"], o["fps"], ratio, o["cpu"],
        1000 * o["cpu"] / o["files"], 100 * o["cpu"] / o["wall"], c.get("osd", 0), c.get("radosgw", 0),
        c.get("mon", 0), o["cephms"], 100 * tot / o["wall"], o["req"],
        "%.0f / %.0f" % tuple(100 * x for x in o["busy"]["cpu0"]) if o["busy"] else "-",
        "%.0f / %.0f" % tuple(100 * x for x in o["busy"]["cpu1"]) if o["busy"] else "-", o["mbc"], o["left"]))
print()
ratios = []
print("| pair | order | ours files/s | rclone files/s | ratio | Ceph ms/file ours / rclone | best ratio at a saturated Ceph core |")
print("|---|---|---:|---:|---:|---:|---:|")
for sc, r in rc.items():
    ours = [o for o in out if o["sc"] == sc and o["tool"] != "rclone"]
    for o in ours:
        ratio = o["fps"] / r["fps"]
        ratios.append(ratio)
        order = "ours first" if o["t0"] < r["t0"] else "rclone first"
        print("| %s | %s | %.0f | %.0f | %.2fx | %.2f / %.2f | %.2fx |" % (
            sc.split("-")[-1], order, o["fps"], r["fps"], ratio, o["cephms"], r["cephms"], r["cephms"] / o["cephms"]))
allr = earlier + ratios
print()
print("ratios this go: %s; with the earlier pair(s) %s: median %.2fx over %d pairs" % (
    ", ".join("%.2fx" % x for x in ratios), ", ".join("%.2fx" % x for x in earlier), statistics.median(allr), len(allr)))
