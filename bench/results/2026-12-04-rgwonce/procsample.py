#!/usr/bin/env python3
"""Every second (run it under chrt --idle 0): UTC time, then for the Ceph daemons of DIR (ceph-mon, ceph-osd, radosgw
with DIR in their command line) and for the client under test (a java run-once or an rclone move with DIR in its
command line) the CPU time run and the time spent waiting on a run queue, summed over all their threads from
/proc/<pid>/task/<tid>/schedstat (ns; per thread only positive deltas are added, so threads that end keep what they
ran), and the thread counts; from 18:35 UTC on also the bench's thread-cpu.py sampler beside our run-onces (python3
bench/thread-cpu.py with DIR in its command line, unpinned, normal priority):
from 18:36 UTC on also the PostgreSQL backends serving the bench's databases (DBNAME in their command line:
"postgres: user DBNAME host(port) state"; normal priority, unpinned):
  <time> ceph_run_ns ceph_wait_ns ceph_threads client_run_ns client_wait_ns client_threads [sampler_run_ns
  sampler_wait_ns sampler_threads [pg_run_ns pg_wait_ns pg_threads]]

    procsample.py DIR [DBNAME]

"""
import os, sys, time
from datetime import datetime, timezone

d = sys.argv[1]
db = sys.argv[2] if len(sys.argv) > 2 else None
last, tot = {}, {"ceph": [0, 0], "client": [0, 0], "sampler": [0, 0], "pg": [0, 0]}
while True:
    n = {"ceph": 0, "client": 0, "sampler": 0, "pg": 0}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = open("/proc/%s/cmdline" % pid, "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        exe = cmd.split(" ", 1)[0]
        if db and exe == "postgres:" and (" %s " % db) in cmd.replace("_s ", " "):
            g = "pg"
        elif d not in cmd:
            continue
        elif exe in ("ceph-mon", "ceph-osd", "radosgw"):
            g = "ceph"
        elif (exe.endswith("java") and " run-once " in cmd) or (exe == "rclone" and " move " in cmd):
            g = "client"
        elif "python" in exe and "thread-cpu.py" in cmd:
            g = "sampler"
        else:
            continue
        try:
            tids = os.listdir("/proc/%s/task" % pid)
        except OSError:
            continue
        for tid in tids:
            try:
                run, wait = [int(x) for x in open("/proc/%s/task/%s/schedstat" % (pid, tid)).read().split()[:2]]
            except (OSError, ValueError):
                continue
            n[g] += 1
            k = (pid, tid)
            r0, w0 = last.get(k, (0, 0))
            if run >= r0 and wait >= w0:
                tot[g][0] += run - r0
                tot[g][1] += wait - w0
            last[k] = (run, wait)
    print(datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3], tot["ceph"][0], tot["ceph"][1], n["ceph"],
          tot["client"][0], tot["client"][1], n["client"],
          tot["sampler"][0], tot["sampler"][1], n["sampler"], tot["pg"][0], tot["pg"][1], n["pg"], flush=True)
    time.sleep(1)
