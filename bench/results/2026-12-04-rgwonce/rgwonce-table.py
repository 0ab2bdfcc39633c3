#!/usr/bin/env python3
"""Per-run table of BENCH_PIN=1 round pairs (BENCH_TAG=-<pair>, BENCH_ROUNDS=1), run-once as installed (ours-inst)
against rclone: files/s, x rclone (same pair), client and Ceph CPU, each one's core share, requests per file, each
CPU's busy and steal share over the run's window from cpustat.log (1-s samples of each CPU's /proc/stat line; busy =
user + nice + system + irq + softirq), the 1-min load at the end; then per pair the ratio and the best ratio at a
saturated Ceph core (rclone's Ceph CPU per file over ours), and per scale the medians and ranges.
(pinned2-table.py of 2026-12-03e-pinned2, extended.)

    rgwonce-table.py cpustat.log results.tsv [results.tsv ...]
"""
import re, statistics, sys
from datetime import datetime

rows = []
for fn in sys.argv[2:]:
    rows += [l.rstrip("\n").split("\t") for l in open(fn)][1:]
samples = []
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) < 12:
        continue
    cpus, i = {}, 1
    while i + 10 < len(f):
        v = [int(x) for x in f[i + 1:i + 11]]
        cpus[f[i]] = (v[0] + v[1] + v[2] + v[5] + v[6], v[7], v[3] + v[4], v[5] + v[6])  # busy, steal, idle, irq+softirq
        i += 11
    samples.append((datetime.fromisoformat(f[0]), cpus))

def cpu_busy(t0, t1):  # cpu -> (busy share, steal share) over the samples inside [t0, t1]
    inside = [s for s in samples if t0 <= s[0] <= t1]
    if len(inside) < 2:
        return {}
    a, b = inside[0][1], inside[-1][1]
    res = {}
    for c in a:
        d = [b[c][k] - a[c][k] for k in range(4)]
        res[c] = (d[0] / sum(d[:3]), d[1] / sum(d[:3]), d[3] / sum(d[:3]))
    return res

out = []
for r in rows:
    sc, tool, phase, files, _, wall, user, sys_, rss, scpu, ops, note = r[:12]
    load = r[12] if len(r) > 12 else "?"
    if "-noop" in tool or "ceph_cpu=" not in note:
        continue
    wall, cpu = float(wall), float(user) + float(sys_)
    ceph = dict((k, float(v)) for k, v in (kv.split(":") for kv in re.search(r"ceph_cpu=(\S+)", note).group(1).split(",")))
    t0, t1 = (datetime.fromisoformat(re.search(k + r"=(\S+)", note).group(1)) for k in ("t_start", "t_end"))
    busy = cpu_busy(t0, t1)
    req = int(re.search(r"rgw_req=(\d+)", ops).group(1))
    out.append(dict(sc=sc, tool=tool, phase=phase, files=int(files), wall=wall, fps=int(files) / wall, cpu=cpu,
                    ceph=ceph, cephcpu=sum(ceph.values()), cephms=1000 * sum(ceph.values()) / int(files), req=req,
                    busy=busy, t0=t0, load=load, split=(re.search(r"cpu_split=(\S+)", note) or [None, ""])[1],
                    left=re.search(r"left=(\S+)", note).group(1) if "left=" in note else "?",
                    mbc=re.search(r"machine_busy_cores=(\S+)", note).group(1)))
rc = {o["sc"]: o for o in out if o["tool"] == "rclone"}
print("| run | files | start UTC | wall s | files/s | x rclone (same pair) | client CPU s (ms/file) | client core % "
      "| osd s | radosgw s | mon s | Ceph CPU s (ms/file) | Ceph core % | requests (per file) | CPU0 busy / steal / irq+softirq % "
      "| CPU1 busy / steal / irq+softirq % | machine busy cores | load1 | left |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for o in out:
    c = o["ceph"]
    o["ccore"], o["kcore"] = 100 * o["cpu"] / o["wall"], 100 * o["cephcpu"] / o["wall"]
    ratio = "1" if o["tool"] == "rclone" else ("**%.2fx**" % (o["fps"] / rc[o["sc"]]["fps"]) if o["sc"] in rc else "-")
    print("| %s %s | %d | %s | %.1f | %.0f | %s | %.1f (%.2f) | %.0f | %.1f | %.1f | %.2f | %.1f (%.2f) | %.0f | %d (%.3f) "
          "| %s | %s | %s | %s | %s |" % (
        o["sc"].split("-")[-1], o["tool"], o["files"], o["t0"].strftime("%H:%M:%S"), o["wall"], o["fps"], ratio,
        o["cpu"], 1000 * o["cpu"] / o["files"], o["ccore"], c.get("osd", 0), c.get("radosgw", 0), c.get("mon", 0),
        o["cephcpu"], o["cephms"], o["kcore"], o["req"], o["req"] / o["files"],
        "%.0f / %.0f / %.1f" % tuple(100 * x for x in o["busy"]["cpu0"]) if o["busy"] else "-",
        "%.0f / %.0f / %.1f" % tuple(100 * x for x in o["busy"]["cpu1"]) if o["busy"] else "-", o["mbc"], o["load"],
        o["left"]))
print()
print("cpu_split of our runs (thread groups, CPU s):")
for o in out:
    if o["tool"] != "rclone":
        print("- %s %s: %s" % (o["sc"].split("-")[-1], o["tool"], o["split"]))
print()
print("| pair | files | order | ours files/s | rclone files/s | ratio | Ceph ms/file ours / rclone "
      "| best ratio at a saturated Ceph core | client ms/file ours / rclone |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
per = {}
for sc, r in rc.items():
    for o in [o for o in out if o["sc"] == sc and o["tool"] != "rclone"]:
        ratio, best = o["fps"] / r["fps"], r["cephms"] / o["cephms"]
        per.setdefault(o["files"], []).append((ratio, best, 1000 * o["cpu"] / o["files"], 1000 * r["cpu"] / r["files"],
                                               o["kcore"], r["kcore"], o["ccore"], r["ccore"],
                                               o["busy"]["cpu1"][0] * 100 if o["busy"] else float("nan"),
                                               r["busy"]["cpu1"][0] * 100 if r["busy"] else float("nan"),
                                               o["cephms"], r["cephms"]))
        order = "ours first" if o["t0"] < r["t0"] else "rclone first"
        print("| %s | %d | %s | %.0f | %.0f | %.2fx | %.2f / %.2f | %.2fx | %.2f / %.2f |" % (
            sc.split("-")[-1], o["files"], order, o["fps"], r["fps"], ratio, o["cephms"], r["cephms"], best,
            1000 * o["cpu"] / o["files"], 1000 * r["cpu"] / r["files"]))
print()
names = ["ratio", "best ratio at a saturated Ceph core", "client ms/file ours", "client ms/file rclone",
         "Ceph core % ours", "Ceph core % rclone", "client core % ours", "client core % rclone",
         "CPU1 busy % ours", "CPU1 busy % rclone", "Ceph ms/file ours", "Ceph ms/file rclone"]
for files, v in sorted(per.items(), reverse=True):
    print("%d files, %d pairs:" % (files, len(v)))
    for k, n in enumerate(names):
        xs = [x[k] for x in v]
        print("- %s: median %.2f (%s)" % (n, statistics.median(xs), ", ".join("%.2f" % x for x in xs)))
