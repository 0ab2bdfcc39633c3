#!/usr/bin/env python3
"""Per-run rows and medians (with ranges) of bench/run.sh's results.tsv, for helper floor's section.

    ladder.py results.tsv [scenario]

files/s = files / the process's wall (JVM start included for every tool); client ms/file = (user + sys) / files;
requests/file = every S3Proxy operation counted / files. For jdk-floor-p<N> the note's per-pass CPU is split out.
"""
import re
import statistics
import sys

rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip() and not l.startswith("scenario\t")]
want = sys.argv[2] if len(sys.argv) > 2 else None
by = {}
order = []
print("| scenario | client | run | files | wall s | files/s | client CPU s | ms/file | S3Proxy CPU s | requests/file | load | notes |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for f in rows:
    sc, tool, phase, files = f[0], f[1], f[2], int(f[3])
    if (want and sc != want) or files == 0:
        continue
    wall, cpu = float(f[5]), float(f[6]) + float(f[7])
    ops = sum(int(kv.split("=")[1]) for kv in f[10].split(",") if "=" in kv)
    note = f[11]
    extra = []
    m = re.findall(r"pass(\d+)=(\d+)f/([0-9.]+)s/([0-9.]+)cpu", note)
    passes = {}
    for p, n, s, c in m:
        passes[int(p)] = (int(n), float(s), float(c))
        extra.append("pass%s %.3f ms/file %.0f files/s" % (p, float(c) * 1000 / int(n), int(n) / float(s)))
    if "check=" in note:
        ck = re.search(r"check=(\S+)", note).group(1)
        extra.append("check " + ("ok" if "missing=0" in ck and "no_key_refused=yes" in ck else ck))
    sp = re.search(r"cpu_split=(\S+)", note)
    if sp:
        extra.append(sp.group(1))
    for k in ("own_seconds", "loop_seconds"):
        mm = re.search(k + r"=([0-9.]+)", note)
        if mm:
            extra.append("%s=%s" % (k, mm.group(1)))
    key = (sc, tool)
    if key not in by:
        by[key] = []
        order.append(key)
    by[key].append(dict(fps=files / wall, wall=wall, cpu=cpu, ms=cpu * 1000 / files, srv=float(f[9] or 0),
                        rpf=ops / files, load=float(f[12]), passes=passes))
    print("| %s | %s | %s | %d | %.1f | %.0f | %.2f | %.3f | %.1f | %.3f | %s | %s |" % (
        sc, tool, phase, files, wall, files / wall, cpu, cpu * 1000 / files, float(f[9] or 0), ops / files, f[12],
        "; ".join(extra)))
print()
print("| scenario | client | runs | files/s median (range) | wall s median | client CPU s median | ms/file median (range) | S3Proxy CPU s median (range) | requests/file | load (range) |")
print("|---|---|---:|---|---:|---:|---|---|---:|---|")
for key in order:
    r = by[key]
    med = lambda k: statistics.median(x[k] for x in r)
    lo = lambda k: min(x[k] for x in r)
    hi = lambda k: max(x[k] for x in r)
    print("| %s | %s | %d | %.0f (%.0f-%.0f) | %.1f | %.2f | %.3f (%.3f-%.3f) | %.1f (%.1f-%.1f) | %.3f | %.1f-%.1f |" % (
        key[0], key[1], len(r), med("fps"), lo("fps"), hi("fps"), med("wall"), med("cpu"), med("ms"), lo("ms"),
        hi("ms"), med("srv"), lo("srv"), hi("srv"), med("rpf"), lo("load"), hi("load")))
    ps = sorted({p for x in r for p in x["passes"]})
    for p in ps:
        v = [x["passes"][p][2] * 1000 / x["passes"][p][0] for x in r if p in x["passes"]]
        fps = [x["passes"][p][0] / x["passes"][p][1] for x in r if p in x["passes"]]
        print("| %s | %s pass %d (in-JVM clock, after start-up) | %d | %.0f (%.0f-%.0f) | | | %.3f (%.3f-%.3f) | | | |" % (
            key[0], key[1], p, len(v), statistics.median(fps), min(fps), max(fps), statistics.median(v), min(v),
            max(v)))
