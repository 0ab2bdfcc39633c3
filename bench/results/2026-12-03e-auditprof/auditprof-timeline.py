#!/usr/bin/env python3
"""A timeline of one audit from its JFR recording (flattened by JfrFlat.java) and its log.

    auditprof-timeline.py EVENTS.tsv AUDIT.json AUDIT.log CPU.tsv [RGW_ACCESS_LOG] > timeline.txt

Times are seconds since the audit's startedAt (the JSON's), negative before it (JVM start-up). The main thread's
time in each phase is split into: cpu (proc-sampler.py's 50 ms samples of /proc, user + sys), pg (jdk.SocketRead
on the PostgreSQL port: waiting for a page), park/wait (jdk.ThreadPark, jdk.JavaMonitorWait, jdk.JavaMonitorEnter
by what it waited in), gc (SerialGC pauses: every thread stopped) and the rest (runnable but not running: the
other core's work, the scheduler).
"""
import collections
import datetime
import json
import sys

PERIOD = 0.005  # jdk.ExecutionSample period of the recording


def ts(iso):
    d = datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return d.timestamp()


def load(path):
    ev = []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 6:
                continue
            ev.append((p[0], int(p[1]) / 1e9, int(p[2]) / 1e9, p[3], p[4], p[5]))
    ev.sort(key=lambda e: e[1])
    return ev


def group(thread):
    for pre, g in (("audit-list", "list"), ("audit-look", "look"), ("audit-recheck", "recheck"),
                   ("audit-record", "record"), ("audit-read", "read"), ("audit-merge", "merge"), ("C1 Compiler", "C1"), ("C2 Compiler", "C2"),
                   ("VM Thread", "VM"), ("main", "main"), ("offload-s3-client", "s3-client-build"),
                   ("PostgreSQL JDBC", "pg-connect"), ("JFR", "JFR")):
        if thread.startswith(pre):
            return g
    return "other"


def main_phase(stack):
    """The main thread's phase and what it is doing, from one event's stack."""
    s = stack
    if "LostRecheck.finish" in s:
        return "recheck-tail", "waiting for the last batches" if "FutureTask.get" in s or "park" in s else "cpu"
    if "MediaAudit.merge" in s:
        if "BucketListing.waitForRecord" in s:
            return "merge", "listing wait"
        if "LostRecheck.handOver" in s:
            if "Semaphore" in s:
                return "merge", "semaphore (3 batches in flight)"
            return "merge", "handover"
        if "ListingSpool.read" in s:
            return "merge", "listing spool read"
        if "ExternalSorter$Merge" in s:
            return "merge", "run-file merge"
        if "KeyJudge" in s:
            return "merge", "judge"
        return "merge", "merge loop"
    if "ExternalSorter.sorted" in s:
        return "last spill", "sort+write"
    if "MediaAudit.readDisk" in s:
        return "disk walk", "walk"
    if "MediaAudit.readRows" in s:
        if "ExternalSorter.spill" in s:
            return "scan", "spill: " + ("write" if "Entry.write" in s else "sort")
        if "CatalogSession.inTransaction" in s:
            return "scan", "JDBC page"
        return "scan", "rows -> entries"
    if "content.finish" in s or "ContentCheck.finish" in s:
        return "after", "content"
    if "AuditJournal.finished" in s or "MediaAudit.report" in s:
        return "after", "report"
    if "BucketListing.stop" in s:
        return "after merge", "listing stop"
    if "AuditBucket" in s and "features" in s:
        return "setup", "bucket features"
    if "MediaAudit.run" in s:
        return "setup", "other"
    return "start-up", "JVM/config/clients"


def wait_kind(e):
    typ, _, _, _, detail, stack = e
    if typ == "SocketRead":
        return "pg" if ":5432" in detail else "s3 read"
    if typ == "JavaMonitorWait":
        return "monitor wait " + detail.split(".")[-1]
    if typ == "JavaMonitorEnter":
        return "monitor enter " + detail.split(".")[-1]
    if typ == "ThreadPark":
        if "Semaphore" in stack:
            return "park semaphore"
        if "FutureTask.get" in stack:
            return "park future"
        return "park " + detail.split(".")[-1]
    return typ


def main():
    events = load(sys.argv[1])
    rep = json.loads([l for l in open(sys.argv[2]) if l.startswith("{")][-1])
    t0 = ts(rep["startedAt"])
    t_end = ts(rep["endedAt"])
    loglines = []
    day = rep["startedAt"][:10]
    for line in open(sys.argv[3]):
        if len(line) > 12 and line[2] == ":" and line[8] == ".":
            t = ts(day + "T" + line[:12] + "+00:00")
            loglines.append((t - t0, line.strip()[13:]))
    rel = lambda t: t - t0
    print("audit %s: startedAt %s, durationSeconds %.3f, status %s" % (rep["id"], rep["startedAt"],
                                                                      rep["durationSeconds"], rep["status"]))
    jvm_start = min(e[1] for e in events)
    print("first JFR event at %.3f s (the recording starts after the JVM's own start-up)" % rel(jvm_start))
    print()
    print("log lines:")
    for t, l in loglines:
        if "Audit" in l or "audit" in l:
            print("  %7.3f  %s" % (t, l[:150]))
    print()

    # --- per-thread CPU and run-queue wait from proc-sampler.py's file (50 ms samples of /proc) ----------------
    series = collections.defaultdict(list)  # key -> [(t, cpu s)]
    wseries = collections.defaultdict(list)  # key -> [(t, run-queue wait s)]
    names_of = {}
    for line in open(sys.argv[4]):
        if line.startswith("#"):
            continue
        t, tid, name, c, w = line.rstrip("\n").split("\t")
        key = name if name.startswith(("pg:", "srv:")) else tid
        series[key].append((float(t), int(c) / 1e9))
        wseries[key].append((float(t), int(w) / 1e9))
        names_of[key] = name

    def at(ser, t):
        # ticks are seen at the sample after they were spent: linear between samples
        if not ser or t <= ser[0][0]:
            return ser[0][1] if ser else 0.0
        for i in range(1, len(ser)):
            if ser[i][0] >= t:
                (t0_, v0), (t1_, v1) = ser[i - 1], ser[i]
                return v0 + (v1 - v0) * (t - t0_) / (t1_ - t0_)
        return ser[-1][1]

    def cpu_in(keys, a, b):
        return sum(at(series[k], b) - at(series[k], a) for k in keys)

    def rq_in(keys, a, b):
        return sum(at(wseries[k], b) - at(wseries[k], a) for k in keys)

    groups = collections.defaultdict(set)
    for k, n in names_of.items():
        groups["pg" if n.startswith("pg:") else "ceph" if n.startswith("srv:") else
               "main" if n == "java" else group(n)].add(k)

    # --- GC pauses -------------------------------------------------------------------------------------------
    gcs = [(e[1], e[1] + e[2]) for e in events if e[0] == "GarbageCollection"]

    def gc_in(a, b):
        return sum(max(0, min(b, y) - max(a, x)) for x, y in gcs)

    # --- main thread: phases ---------------------------------------------------------------------------------
    mainev = [e for e in events if e[3] == "main" and e[0] in ("ExecutionSample", "NativeMethodSample", "ThreadPark",
                                                               "JavaMonitorWait", "JavaMonitorEnter", "SocketRead",
                                                               "SocketWrite", "FileRead", "FileWrite")]
    spans = collections.OrderedDict()  # phase -> [first, last]
    for e in mainev:
        ph, _ = main_phase(e[5])
        a, b = e[1], e[1] + e[2]
        if ph not in spans:
            spans[ph] = [a, b]
        else:
            spans[ph][0] = min(spans[ph][0], a)
            spans[ph][1] = max(spans[ph][1], b)
    # Phases in the order the code runs them; each ends where the next begins.
    order = ["start-up", "setup", "scan", "disk walk", "last spill", "merge", "after merge", "recheck-tail", "after"]
    present = [p for p in order if p in spans]
    bounds = []
    for i, p in enumerate(present):
        a = spans[p][0]
        b = spans[present[i + 1]][0] if i + 1 < len(present) else max(spans[p][1], t_end)
        bounds.append((p, a, b))
    # the log line "... sorted" is written between the walk and the merge
    print("main thread, phase by phase (s since startedAt; cpu and runq (runnable, waiting for a core) from /proc schedstat; gc: SerialGC pauses; waits from JFR events):")
    hdr = "  %-13s %8s %8s %7s | %6s %6s %6s %6s %6s | waits (s)"
    print(hdr % ("phase", "start", "end", "wall", "cpu", "runq", "gc", "waits", "rest"))
    for p, a, b in bounds:
        wall = b - a
        c = cpu_in(groups["main"], a, b)
        g = gc_in(a, b)
        w = collections.Counter()
        for e in mainev:
            if e[0] in ("ThreadPark", "JavaMonitorWait", "JavaMonitorEnter", "SocketRead") and a <= e[1] < b:
                w[wait_kind(e)] += e[2]
        wt = sum(w.values())
        rq = rq_in(groups["main"], a, b)
        print("  %-13s %8.3f %8.3f %7.3f | %6.3f %6.3f %6.3f %6.3f %6.3f | %s" % (
            p, rel(a), rel(b), wall, c, rq, g, wt, wall - c - rq - g - wt,
            ", ".join("%s %.3f" % (k, v) for k, v in w.most_common(5))))
    print()

    # --- main thread's samples by activity within each phase -------------------------------------------------
    print("main thread's jdk.ExecutionSample by activity (x %.0f ms):" % (PERIOD * 1000))
    act = collections.Counter()
    for e in mainev:
        if e[0] == "ExecutionSample":
            act[main_phase(e[5])] += 1
    for (ph, what), n in sorted(act.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order else 99,
                                                             -kv[1])):
        print("  %-13s %-34s %5d  %.2f s" % (ph, what, n, n * PERIOD))
    print()

    # --- the DB scan's pages: each query's first read is the wait for PostgreSQL -------------------------------
    scan = [e for e in mainev if "JdbcAuditCatalog.scan" in e[5]]
    reads = [e for e in scan if e[0] == "SocketRead"]
    writes = [e for e in scan if e[0] == "SocketWrite"]
    if reads:
        print("DB scan on the main thread: %d socket writes (queries), %d socket reads, read wait %.3f s, span"
              " %.3f..%.3f s" % (len(writes), len(reads), sum(e[2] for e in reads), rel(scan[0][1]),
                                 rel(scan[-1][1] + scan[-1][2])))
        # per write: time from the write to the next write's start = one round trip + the client's row decoding
        rt = []
        for i, wv in enumerate(writes):
            nxt = [r for r in reads if r[1] >= wv[1]]
            if nxt:
                rt.append(nxt[0][1] + nxt[0][2] - wv[1])
        rt.sort()
        if rt:
            print("  first read after each query, from the write: median %.2f ms, p90 %.2f ms, sum %.3f s" % (
                rt[len(rt) // 2] * 1e3, rt[int(len(rt) * 0.9)] * 1e3, sum(rt)))
    spills = collections.OrderedDict()
    for e in mainev:
        if e[0] == "FileWrite" and "/run-" in e[4]:
            f = e[4].split()[0].rsplit("/", 1)[1]
            spills.setdefault(f, [e[1], e[1] + e[2], 0])
            spills[f][1] = e[1] + e[2]
            spills[f][2] += int(e[4].split()[1])
    for f, (a, b, n) in spills.items():
        print("  spill %s written %.3f..%.3f s (%.1f MB)" % (f, rel(a), rel(b), n / 1e6))
    print()

    # --- the listing's ranges ----------------------------------------------------------------------------------
    print("audit-list threads (the audit's own listing, one range each): first..last S3 event, reads, CPU")
    for th in sorted({e[3] for e in events if e[3].startswith("audit-list")}):
        ev = [e for e in events if e[3] == th and e[0] in ("SocketRead", "SocketWrite", "ExecutionSample", "FileWrite")]
        if not ev:
            continue
        sr = [e for e in ev if e[0] == "SocketRead"]
        print("  %-14s %7.3f..%7.3f s  %4d reads (%.3f s waiting)  cpu %.2f s" % (
            th, rel(ev[0][1]), rel(ev[-1][1] + ev[-1][2]), len(sr), sum(e[2] for e in sr),
            cpu_in([k for k, n in names_of.items() if n == th[:15]], t0 - 30, t_end + 5)))
    print()

    # --- radosgw's access log: every request in the audit's window ---------------------------------------------
    recheck_lists = []  # (start, latency) of the re-check's listings, per radosgw
    if len(sys.argv) > 5:
        import re
        import urllib.parse
        line_re = re.compile(r' beast: \S+ \S+ - \S+ \[(?P<ts>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+) '
                             r'HTTP/[0-9.]+" (?P<status>\d+) (?P<bytes>\d+) .* latency=(?P<lat>[0-9.]+)s')
        print("radosgw's requests in the audit (start = request start per beast, s since startedAt):")
        last_own = {}
        n_own = n_re = 0
        for line in open(sys.argv[5], encoding="utf-8", errors="replace"):
            m = line_re.search(line)
            if not m:
                continue
            t = datetime.datetime.strptime(m["ts"], "%d/%b/%Y:%H:%M:%S.%f %z").timestamp()
            if not t0 - 1 <= t <= t_end:
                continue
            url = urllib.parse.urlsplit(m["target"])
            q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            what = m["method"] + " " + url.query[:40]
            if "list-type" in q:
                prefix = q.get("prefix", [""])[0]
                kind = prefix.split("/")[0] or "(gap)"
                after = q.get("start-after", [""])[0]
                token = q.get("continuation-token", [""])[0]
                if (prefix and after and not token) or (prefix and token and token < last_own.get(kind, "")):
                    who = "recheck"
                    n_re += 1
                    recheck_lists.append((t, float(m["lat"])))
                else:
                    who = "own"
                    n_own += 1
                    if token:
                        last_own[kind] = token
                what = "LIST %-7s %-16s %s" % (who, kind, ("after " + after[-24:]) if after else
                                                ("token " + token[-24:]) if token else "first")
            print("  %7.3f +%.3f s %7d B  %s" % (t - t0, float(m["lat"]), int(m["bytes"]), what))
        print("  listings: own %d, re-check %d" % (n_own, n_re))
        print()

    # --- re-check batches: one per check() on an audit-recheck thread ------------------------------------------
    print("re-check batches (audit-recheck threads; s since startedAt):")
    print("  %-16s %7s %7s | %7s %7s %7s %7s | %7s %7s" % (
        "thread", "start", "end", "reread", "(lock)", "disk", "bucket", "lists", "list.s"))
    batches = []
    for th in sorted({e[3] for e in events if e[3].startswith("audit-recheck")}):
        ev = [e for e in events if e[3] == th and e[0] in ("ThreadPark", "JavaMonitorEnter", "SocketRead",
                                                          "SocketWrite", "ExecutionSample", "NativeMethodSample",
                                                          "FileRead")]
        cur = None
        for e in ev:
            idle = e[0] == "ThreadPark" and "getTask" in e[5]
            if idle:
                if cur:
                    cur["end"] = e[1]
                    batches.append(cur)
                    cur = None
                continue
            if "LostRecheck.check" not in e[5]:
                continue
            if cur is None:
                cur = {"thread": th, "start": e[1], "end": e[1], "ev": []}
            cur["ev"].append(e)
            cur["end"] = max(cur["end"], e[1] + e[2])
        if cur:
            batches.append(cur)
    batches.sort(key=lambda b: b["start"])
    # the previous idle park's end is the batch's real start (the hand-over)
    for b in batches:
        idle = [e for e in events if e[3] == b["thread"] and e[0] == "ThreadPark" and "getTask" in e[5]
                and e[1] + e[2] <= b["start"] + 1e-3]
        if idle:
            b["start"] = max(idle[-1][1] + idle[-1][2], b["start"] - 1) if idle[-1][1] + idle[-1][2] > b["start"] - 1 \
                else b["start"]
    looks = [e for e in events if e[3].startswith("audit-look")]
    records = [e for e in events if e[3].startswith("audit-record")]
    # the recorder's spans: consecutive events in LostRecheck.record, between its waits for the next batch
    rec_spans = []
    cur = None
    for e in records:
        if "LostRecheck.record" in e[5]:
            if cur is None:
                cur = [e[1], e[1] + e[2]]
                rec_spans.append(cur)
            cur[1] = max(cur[1], e[1] + e[2])
        elif e[0] == "ThreadPark":
            cur = None
    used = set()
    rows = []
    for i, b in enumerate(batches):
        ev = b["ev"]
        rr = [e for e in ev if "JdbcMediaCatalog.reread" in e[5] or "catalog.reread" in e[5]
              or "LostRecheck.check:231" in e[5]]
        rr_lock = sum(e[2] for e in rr if e[0] == "JavaMonitorEnter")
        disk = [e for e in ev if "LostRecheck.check:250" in e[5] and e[0] == "ThreadPark"]
        bucket = [e for e in ev if "LostRecheck.check:275" in e[5] and e[0] == "ThreadPark"]
        rr_span = (min(e[1] for e in rr), max(e[1] + e[2] for e in rr)) if rr else None
        d_span = (min(e[1] for e in disk), max(e[1] + e[2] for e in disk)) if disk else None
        bk_span = (min(e[1] for e in bucket), max(e[1] + e[2] for e in bucket)) if bucket else None
        # the stretch listings radosgw received while this batch's checker waited for its bucket checks (batches
        # overlap: a listing in two batches' bucket phases counts in both)
        lists = [x for x in recheck_lists if bk_span and bk_span[0] - 0.005 <= x[0] <= bk_span[1]]
        lr = [e for e in looks if e[0] == "SocketRead" and "LostRecheck.relisted" in e[5] and bk_span
              and bk_span[0] - 0.01 <= e[1] <= bk_span[1]]
        f = lambda sp: "%7.3f" % (sp[1] - sp[0]) if sp else "      -"
        print("  %-16s %7.3f %7.3f | %7s %7.3f %7s %7s | %7d %7.3f" % (
            b["thread"], rel(b["start"]), rel(b["end"]), f(rr_span), rr_lock, f(d_span), f(bk_span), len(lists),
            sum(e[2] for e in lr)))
        rows.append(b)
    rp = [e for e in records if e[0] == "ThreadPark" and "FutureTask.get" in e[5]]
    print("  recorder (records each batch in hand-over order, then frees its slot): %d waits for a batch's check,"
          " %.3f s in all; %d of its stack samples in LostRecheck.record" % (
              len(rp), sum(e[2] for e in rp), sum(1 for e in records if e[0] in ("ExecutionSample",
                                                                               "NativeMethodSample")
                                                 and "LostRecheck.record" in e[5])))
    print("  (reread: first..last event of the row re-read, (lock): of it, waiting for the catalog session's"
          " monitor; disk/bucket: the checker parked in invokeAll for the disk looks / the bucket checks; lists:"
          " radosgw's stretch listings received in the bucket phase, list.s: the lookers' read wait in them)")
    print()

    # --- main thread's waits in the merge, over time ------------------------------------------------------------
    sem = [e for e in mainev if e[0] == "ThreadPark" and "LostRecheck.handOver" in e[5]]
    print("main thread parked in LostRecheck.handOver (queued.acquire): %d times, %.3f s" % (
        len(sem), sum(e[2] for e in sem)))
    for e in sem:
        print("  %7.3f + %.3f s" % (rel(e[1]), e[2]))
    lw = [e for e in mainev if e[0] == "JavaMonitorWait" and "waitForRecord" in e[5]]
    print("main thread waiting for the listing (BucketListing.waitForRecord): %d times, %.3f s" % (
        len(lw), sum(e[2] for e in lw)))
    for e in lw[:20]:
        print("  %7.3f + %.3f s" % (rel(e[1]), e[2]))
    fin = [e for e in mainev if e[0] == "ThreadPark" and "LostRecheck.finish" in e[5]]
    print("main thread parked in LostRecheck.finish: %d times, %.3f s" % (len(fin), sum(e[2] for e in fin)))
    for e in fin:
        print("  %7.3f + %.3f s" % (rel(e[1]), e[2]))
    print()

    # --- CPU per thread group, per phase of the main thread -----------------------------------------------------
    names = ["main", "read", "merge", "list", "look", "recheck", "record", "C1", "C2", "VM", "JFR", "other", "pg",
             "ceph"]
    print("CPU seconds per thread group (/proc, 50 ms), per main-thread phase, and GC pause seconds; pg = the"
          " audit's PostgreSQL backends, ceph = mon + osd + radosgw; cores = the JVM's threads only:")
    print("  %-13s %7s " % ("phase", "wall") + " ".join("%7s" % n[:7] for n in names) + "   gc    sum  cores")
    for p, a, b in bounds:
        vals = [cpu_in(groups[n], a, b) for n in names]
        print("  %-13s %7.3f " % (p, b - a) + " ".join("%7.3f" % v for v in vals) + " %5.3f %6.3f %5.2f" % (
            gc_in(a, b), sum(vals[:12]), sum(vals[:12]) / max(1e-9, b - a)))
    vals = [cpu_in(groups[n], jvm_start - 1, t_end + 5) for n in names]
    print("  %-13s %7s " % ("all", "") + " ".join("%7.3f" % v for v in vals) + " %5.3f %6.3f" % (
        sum(y - x for x, y in gcs), sum(vals[:12])))
    print()

    # --- a 250 ms strip: main's CPU and state, others' CPU ------------------------------------------------------
    step = 0.25
    print("250 ms strip: main thread's cpu, its dominant state (by samples/waits), CPU of list/look/recheck+record/"
          "C1/VM/pg/ceph (cores), GC pause")
    t = min(a for _, a, _ in bounds)
    while t < t_end + 0.3:
        a, b = t, t + step
        st = collections.Counter()
        for e in mainev:
            if e[0] == "ExecutionSample" and a <= e[1] < b:
                st["run:" + main_phase(e[5])[1]] += PERIOD
            elif e[0] in ("ThreadPark", "JavaMonitorWait", "JavaMonitorEnter", "SocketRead"):
                ov = min(b, e[1] + e[2]) - max(a, e[1])
                if ov > 0:
                    st[wait_kind(e)] += ov
        dom = ", ".join("%s %.0f" % (k, v * 1000) for k, v in st.most_common(2))
        print("  %6.2f main %.2f rq %.2f | read %.2f merge %.2f | list %.2f look %.2f re %.2f C1 %.2f VM %.2f pg %.2f ceph %.2f gc %.2f | %s" % (
            rel(a), cpu_in(groups["main"], a, b) / step, rq_in(groups["main"], a, b) / step,
            cpu_in(groups["read"], a, b) / step, cpu_in(groups["merge"], a, b) / step,
            cpu_in(groups["list"], a, b) / step,
            cpu_in(groups["look"], a, b) / step,
            (cpu_in(groups["recheck"], a, b) + cpu_in(groups["record"], a, b)) / step,
            cpu_in(groups["C1"], a, b) / step, cpu_in(groups["VM"], a, b) / step, cpu_in(groups["pg"], a, b) / step,
            cpu_in(groups["ceph"], a, b) / step, gc_in(a, b) / step, dom))
        t += step


if __name__ == "__main__":
    main()
