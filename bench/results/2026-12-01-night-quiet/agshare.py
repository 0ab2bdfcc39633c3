#!/usr/bin/env python3
"""Per run: mean CPU (cores) of the bench's own autogroup (client + server + proxy) and of all other sessions,
from autogroup.log's 5-s samples inside the run's window (end time from the bench log, start = end - wall)."""
import re, sys
from datetime import datetime, timedelta
tsv, logs, aglog, mine = sys.argv[1], sys.argv[2].split(","), sys.argv[3], sys.argv[4]
t = lambda s: datetime.strptime(s, "%H:%M:%S")
ends = {}
for lg in logs:
    for l in open(lg):
        m = re.match(r"(\d\d:\d\d:\d\d) bench: (\S+) (\S+) (\S+): rc=", l)
        if m: ends[(m.group(2), m.group(3), m.group(4))] = t(m.group(1))
samples = {}
for l in open(aglog):
    ts, ag, cores = l.split()[:3]
    samples.setdefault(ts, {})[ag] = float(cores)
for r in [l.rstrip("\n").split("\t") for l in open(tsv)][1:]:
    sc, tool, ph, files, wall = r[0], r[1], r[2], r[3], float(r[5])
    e = ends.get((sc, tool, ph))
    if not e or files == "0": continue
    b = e - timedelta(seconds=wall)
    w = [v for ts, v in samples.items() if b <= t(ts) <= e]
    if not w: continue
    my = sum(v.get(mine, 0) for v in w) / len(w)
    oth = sum(sum(x for k, x in v.items() if k != mine) for v in w) / len(w)
    print("%s %s %s: %d samples, own session %.2f cores, other sessions %.2f cores, total %.2f" % (sc, tool, ph, len(w), my, oth, my + oth))
