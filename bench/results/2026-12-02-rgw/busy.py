import re, sys
from datetime import datetime, timedelta
# usage: busy.py bench.log stat.log results.tsv -> per run: machine busy cores (from /proc/stat samples) vs bench cores
stat = []
for l in open(sys.argv[2]):
    m = re.match(r"(\d\d:\d\d:\d\d) .*\| cpu\s+(.*)$", l)
    if m:
        v = [int(x) for x in m.group(2).split()]
        busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]  # user nice system irq softirq steal
        stat.append((datetime.strptime(m.group(1), "%H:%M:%S"), busy, sum(v[:8])))
ends = {}
for l in open(sys.argv[1]):
    m = re.match(r"(\d\d:\d\d:\d\d) bench: (\S+) (\S+) (\S+): rc=", l)
    if m: ends[(m.group(2), m.group(3), m.group(4))] = datetime.strptime(m.group(1), "%H:%M:%S")
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[3])][1:]
for r in rows:
    sc, tool, ph, files, _b, wall, u, s, rss, scpu = r[:10]
    if ph == "start": continue
    e = ends.get((sc, tool, ph)); b = e - timedelta(seconds=float(wall))
    inside = [x for x in stat if b <= x[0] <= e]
    if len(inside) < 2: print(sc, tool, ph, "too short"); continue
    (t0, b0, _), (t1, b1, _) = inside[0], inside[-1]
    machine = (b1 - b0) / 100 / (t1 - t0).total_seconds()
    bench = (float(u) + float(s) + float(scpu)) / float(wall)
    print("%s %s %s: machine busy %.2f cores, bench %.2f, rest %.2f" % (sc, tool, ph, machine, bench, machine - bench))
