#!/usr/bin/env python3
"""CPU per thread group of one audit between its log lines (no JFR needed), from proc-sampler.py's file.

    cpu-phases.py CPU.tsv AUDIT.json AUDIT.log

Phases: start-up (first sample .. startedAt), to-sorted (startedAt .. the "entries ... sorted" line: bucket features,
DB scan, sort; in the lead's build 8fa965e the line of the local half, after which its merge starts), merge+recheck (.. the "re-checked" line), tail (.. endedAt), exit (.. the last sample).
Columns: CPU seconds of main, the audit's listing threads, the re-check's lookers, checkers + recorder, C1, C2, the
VM thread (SerialGC runs there), the rest of the JVM; the audit's PostgreSQL backends; the Ceph daemons; and main's
run-queue wait (runnable, no core).
"""
import collections
import datetime
import json
import sys


def ts(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def group(n):
    for pre, g in (("audit-list", "list"), ("audit-look", "look"), ("audit-recheck", "re"), ("audit-record", "re"),
                   ("audit-read", "read"), ("audit-merge", "merge"),
                   ("C1 Compiler", "C1"), ("C2 Compiler", "C2"), ("VM Thread", "VM"), ("pg:", "pg"),
                   ("srv:", "ceph")):
        if n.startswith(pre):
            return g
    return "main" if n == "java" else "jvm-other"


def main():
    series = collections.defaultdict(list)
    wser = collections.defaultdict(list)
    names = {}
    for line in open(sys.argv[1]):
        if line.startswith("#"):
            continue
        t, tid, name, c, w = line.rstrip("\n").split("\t")
        k = name if name.startswith(("pg:", "srv:")) else tid
        series[k].append((float(t), int(c) / 1e9))
        wser[k].append((float(t), int(w) / 1e9))
        names[k] = name
    # "java" threads: the launcher's primordial thread (the pid, idle) and main: main is the busiest
    rep = json.loads([l for l in open(sys.argv[2]) if l.startswith("{")][-1])
    t0, t1 = ts(rep["startedAt"]), ts(rep["endedAt"])
    day = rep["startedAt"][:10]
    sorted_t = recheck_t = None
    for line in open(sys.argv[3]):
        # main: "... entries from the database and the media store sorted"; the lead's build (8fa965e): "... entries
        # of local media sorted ...; comparing them with the bucket while the remote media are read" (first one)
        if sorted_t is None and ("entries from the database" in line or "entries of local media sorted" in line):
            sorted_t = ts(day + "T" + line[:12] + "+00:00")
        if "lost candidates re-checked" in line:
            recheck_t = ts(day + "T" + line[:12] + "+00:00")
    first = min(s[0][0] for s in series.values())
    last = max(s[-1][0] for s in series.values())

    def at(ser, t):
        if not ser or t <= ser[0][0]:
            return ser[0][1] if ser else 0.0
        for i in range(1, len(ser)):
            if ser[i][0] >= t:
                (a, va), (b, vb) = ser[i - 1], ser[i]
                return va + (vb - va) * (t - a) / (b - a)
        return ser[-1][1]

    groups = collections.defaultdict(list)
    for k, n in names.items():
        groups[group(n)].append(k)
    cols = ["main", "read", "merge", "list", "look", "re", "C1", "C2", "VM", "jvm-other", "pg", "ceph"]
    bounds = [("start-up", first, t0), ("to-sorted", t0, sorted_t), ("merge+recheck", sorted_t, recheck_t),
              ("tail", recheck_t, t1), ("exit", t1, last)]
    print("audit %s: durationSeconds %.3f; startedAt -> sorted %.3f s, sorted -> re-checked %.3f s" % (
        rep["id"], rep["durationSeconds"], sorted_t - t0, recheck_t - sorted_t))
    print("  %-14s %6s " % ("phase", "wall") + " ".join("%6s" % c[:6] for c in cols) + "  jvm   main-rq  cores(jvm+pg+ceph)")
    tot = collections.Counter()
    for name, a, b in bounds:
        v = {c: sum(at(series[k], b) - at(series[k], a) for k in groups[c]) for c in cols}
        rq = sum(at(wser[k], b) - at(wser[k], a) for k in groups["main"])
        jvm = sum(v[c] for c in cols[:10])
        for c in cols:
            tot[c] += v[c]
        tot["rq"] += rq
        print("  %-14s %6.3f " % (name, b - a) + " ".join("%6.3f" % v[c] for c in cols) + " %6.3f %6.3f  %.2f" % (
            jvm, rq, (jvm + v["pg"] + v["ceph"]) / max(1e-9, b - a)))
    print("  %-14s %6.3f " % ("all", last - first) + " ".join("%6.3f" % tot[c] for c in cols) + " %6.3f %6.3f" % (
        sum(tot[c] for c in cols[:10]), tot["rq"]))


if __name__ == "__main__":
    main()
