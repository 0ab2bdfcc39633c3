#!/usr/bin/env python3
"""One line per audit of this helper's sessions, from run-audit.sh's files and the session logs.

    summarize.py RUNDIR SESSION.log...

Per audit: own (durationSeconds), JVM wall and client CPU (GNU time), peak RSS, per thread group the CPU over the
JVM's life (proc-sampler.py's last value per thread: main = the thread /proc calls "java" with the most CPU; read =
audit-read* (the lead's producers), merge = audit-merge, list = audit-list*, look = audit-look*, re = audit-recheck* +
audit-record*, feat = audit-features, C1, VM = the VM thread, where SerialGC collects), the audit's PostgreSQL
backends (their whole life), Ceph (mon + osd + radosgw, from the meta's /proc/PID/stat before and after), the CPU
inside the audit's own window (startedAt .. endedAt: JVM + PostgreSQL + Ceph, interpolated between samples), the
round's listing alone and DB scan alone, own / max(those), and the report's counts (a digest of every count field;
any difference between audits is flagged).
"""
import collections
import datetime
import json
import re
import sys


def ts(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def group(n):
    for pre, g in (("audit-list", "list"), ("audit-look", "look"), ("audit-recheck", "re"), ("audit-record", "re"),
                   ("audit-read", "read"), ("audit-merge", "merge"), ("audit-features", "feat"),
                   ("C1 Compiler", "C1"), ("C2 Compiler", "C2"), ("VM Thread", "VM"), ("pg:", "pg"),
                   ("srv:", "ceph")):
        if n.startswith(pre):
            return g
    return "java" if n == "java" else "jvm-other"


def at(ser, t):
    if not ser or t <= ser[0][0]:
        return ser[0][1] if ser else 0.0
    for i in range(1, len(ser)):
        if ser[i][0] >= t:
            (a, va), (b, vb) = ser[i - 1], ser[i]
            return va + (vb - va) * (t - a) / (b - a)
    return ser[-1][1]


def counts(rep):
    skip = {"id", "startedAt", "endedAt", "durationSeconds", "samples"}
    return {k: v for k, v in rep.items() if k not in skip}


def main():
    rundir = sys.argv[1]
    alone = {}  # (session, round) -> (listing, dbscan)
    order = []
    for slog in sys.argv[2:]:
        sess = re.search(r"session-(\w+)\.log", slog).group(1)
        cur = None
        lst = None
        for line in open(slog):
            m = re.match(r"== (\w+) listing alone", line)
            if m:
                cur = m.group(1)
            m = re.match(r"wall_s=([0-9.]+) cpu_s=([0-9.]+) items=(\d+)", line)
            if m and cur:
                if m.group(3) == "20000":
                    lst = float(m.group(1))
                else:
                    alone[(sess, cur)] = (lst, float(m.group(1)))
            m = re.match(r"== (%s-\w+-\w+)$" % sess, line.strip())
            if m:
                order.append(m.group(1))
    ref = None
    cols = ["main", "read", "merge", "list", "look", "re", "feat", "C1", "VM"]
    print("\t".join(["audit", "own_s", "wall_s", "client_cpu_s", "rss_mib"] + cols +
                    ["jvm_other", "pg_s", "ceph_s", "window_cpu_s", "window_cores", "listing_alone", "dbscan_alone",
                     "ratio", "lost", "lostRemote", "objects", "listings", "counts"]))
    for name in order:
        sess, rnd, label = name.split("-")
        meta = open("%s/%s.meta" % (rundir, name)).read()
        tm = open("%s/%s.time" % (rundir, name)).read()
        user = float(re.search(r"User time \(seconds\): ([0-9.]+)", tm).group(1))
        sys_ = float(re.search(r"System time \(seconds\): ([0-9.]+)", tm).group(1))
        el = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\d+):([0-9.]+)", tm)
        wall = int(el.group(1)) * 60 + float(el.group(2))
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tm).group(1)) / 1024
        c0 = [float(x) for x in re.findall(r"=([0-9.]+)", meta.splitlines()[0].split(" ceph ")[1].split(" load ")[0])]
        c1 = [float(x) for x in re.findall(r"=([0-9.]+)", meta.splitlines()[1].split(" ceph ")[1].split(" load ")[0])]
        ceph = sum(c1) - sum(c0)
        txt = open("%s/%s.json" % (rundir, name)).read()
        rep = json.loads(txt[txt.index("{"):])
        t0, t1 = ts(rep["startedAt"]), ts(rep["endedAt"])
        series = collections.defaultdict(list)
        names = {}
        for line in open("%s/%s.cpu.tsv" % (rundir, name)):
            if line.startswith("#"):
                continue
            t, tid, n, c, w = line.rstrip("\n").split("\t")
            k = n if n.startswith(("pg:", "srv:")) else tid
            series[k].append((float(t), int(c) / 1e9))
            names[k] = n
        g = collections.defaultdict(float)
        javas = []
        win = 0.0
        for k, n in names.items():
            gr = group(n)
            last = series[k][-1][1]
            if gr == "ceph":
                win += at(series[k], t1) - at(series[k], t0)
                continue
            if gr == "java":
                javas.append(last)
            else:
                g[gr] += last
            win += at(series[k], t1) - at(series[k], t0)
        javas.sort()
        g["main"] = javas[-1] if javas else 0.0
        g["jvm-other"] += sum(javas[:-1]) + g.pop("C2", 0.0)
        la, da = alone.get((sess, rnd), (None, None))
        ratio = rep["durationSeconds"] / max(la, da) if la else float("nan")
        cnt = counts(rep)
        if ref is None:
            ref = (name, cnt)
        diff = [k for k in set(cnt) | set(ref[1]) if cnt.get(k) != ref[1].get(k)]
        log = open("%s/%s.log" % (rundir, name)).read()
        m = re.search(r"re-checked with (\d+) HEADs and (\d+) range listings", log)
        lst = "%s HEAD/%s ranges" % (m.group(1), m.group(2)) if m else "?"
        print("\t".join([name, "%.3f" % rep["durationSeconds"], "%.2f" % wall, "%.2f" % (user + sys_), "%.0f" % rss] +
                        ["%.2f" % g[c] for c in cols] +
                        ["%.2f" % g["jvm-other"], "%.2f" % g["pg"], "%.2f" % ceph, "%.2f" % win,
                         "%.2f" % (win / (t1 - t0)), "%.2f" % la if la else "-", "%.2f" % da if da else "-",
                         "%.2f" % ratio, str(rep["lostMedia"]), str(rep["lostRemoteMedia"]),
                         str(rep["objectsAudited"]), lst,
                         "same" if not diff else "DIFFERS from %s: %s" % (ref[0], ",".join(sorted(diff)))]))


if __name__ == "__main__":
    main()
