#!/usr/bin/env python3
"""Per-thread CPU and run-queue wait over time: every 50 ms, for each thread of a process (followed through GNU
time/timeout), its on-CPU and run-queue-wait nanoseconds (/proc/PID/task/TID/schedstat).

    proc-sampler.py PID OUT.tsv [DBNAME [PID...]]

OUT.tsv: t (epoch s), tid, name, cpu_ns, wait_ns; one line per thread whose numbers changed (and its first
sample). Java's main thread is named "java" in /proc. With DBNAME also every PostgreSQL backend serving that
database ("pg:" + its pid; one thread: schedstat), with further PIDs each such process with all its threads summed
("srv:" + its name; utime + stime from /proc/PID/stat, wait_ns 0), e.g. the Ceph daemons.
"""
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def follow(pid):
    for _ in range(400):
        try:
            comm = open("/proc/%d/comm" % pid).read().strip()
            if comm not in ("timeout", "time"):
                return pid
            kids = open("/proc/%d/task/%d/children" % (pid, pid)).read().split()
        except OSError:
            return pid
        if kids:
            pid = int(kids[0])
        else:
            time.sleep(0.05)
    return pid


def main():
    pid = follow(int(sys.argv[1]))
    base = "/proc/%d/task" % pid
    last = {}
    db = sys.argv[3] if len(sys.argv) > 3 else None
    servers = [int(x) for x in sys.argv[4:]]
    scan_at = 0.0
    backends = []
    names = {}
    with open(sys.argv[2], "w") as out:
        out.write("# pid %d\n" % pid)
        while os.path.exists(base):
            now = time.time()
            try:
                tids = os.listdir(base)
            except OSError:
                break
            rows = []
            for tid in tids:
                try:
                    if tid not in names:
                        names[tid] = open("%s/%s/comm" % (base, tid)).read().strip()
                    elif len(names) < 400 and now - scan_at > 0.45:
                        names[tid] = open("%s/%s/comm" % (base, tid)).read().strip()  # renamed after start
                    c, w, _ = open("%s/%s/schedstat" % (base, tid)).read().split()
                except (OSError, ValueError):
                    continue
                rows.append((tid, names[tid], int(c), int(w)))
            if db:
                if now - scan_at > 0.5:
                    scan_at = now
                    backends = []
                    for d in os.listdir("/proc"):
                        if d.isdigit():
                            try:
                                if open("/proc/%s/comm" % d).read().strip() == "postgres" and \
                                        (" %s " % db) in open("/proc/%s/cmdline" % d).read().replace("\0", " ") + " ":
                                    backends.append(int(d))
                            except OSError:
                                pass
                for p in backends:
                    try:
                        c, w, _ = open("/proc/%d/schedstat" % p).read().split()
                    except (OSError, ValueError):
                        continue
                    rows.append((str(p), "pg:%d" % p, int(c), int(w)))
                for p in servers:
                    try:
                        s = open("/proc/%d/stat" % p).read()
                    except OSError:
                        continue
                    r = s.rindex(")")
                    f = s[r + 2:].split()
                    rows.append((str(p), "srv:" + s[s.index("(") + 1:r],
                                 (int(f[11]) + int(f[12])) * 1_000_000_000 // HZ, 0))
            for tid, name, c, w in rows:
                if last.get((tid, name)) != (c, w):
                    last[(tid, name)] = (c, w)
                    out.write("%.3f\t%s\t%s\t%d\t%d\n" % (now, tid, name, c, w))
            time.sleep(0.05)


if __name__ == "__main__":
    main()
