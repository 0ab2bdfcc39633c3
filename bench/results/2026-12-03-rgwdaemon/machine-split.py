#!/usr/bin/env python3
"""Every 5 s: where the machine's CPU went: the bench's processes (command line naming MARKER), other normal
(SCHED_OTHER) processes, SCHED_IDLE processes, steal, idle + iowait; in cores over the interval.

    machine-split.py MARKER OUT.log     (runs until killed)
"""
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def procs(marker):
    d = {}
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            st = open("/proc/%s/stat" % p).read()
            rest = st[st.rindex(")") + 2:].split()
            cmd = open("/proc/%s/cmdline" % p, "rb").read().decode(errors="replace")
        except OSError:
            continue
        kind = "bench" if marker in cmd else "idle" if int(rest[38]) == 5 else "other"
        d[p] = (kind, int(rest[11]) + int(rest[12]))
    return d


def stat():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return v  # user nice system idle iowait irq softirq steal


def main():
    marker, out = sys.argv[1], open(sys.argv[2], "a", buffering=1)
    a, sa, ta = procs(marker), stat(), time.time()
    while True:
        time.sleep(5)
        b, sb, tb = procs(marker), stat(), time.time()
        dt = tb - ta
        acc = {"bench": 0, "other": 0, "idle": 0}
        for p, (k, c) in b.items():
            acc[k] += c - a.get(p, (k, 0))[1] if p in a else c * 0  # new processes: from their start is unknown
        ds = [y - x for x, y in zip(sa, sb)]
        out.write("%s\tbench=%.2f\tother_normal=%.2f\tsched_idle=%.2f\tsteal=%.2f\tidle+iowait=%.2f\n" % (
            time.strftime("%H:%M:%S", time.gmtime(tb)), acc["bench"] / HZ / dt, acc["other"] / HZ / dt,
            acc["idle"] / HZ / dt, ds[7] / HZ / dt, (ds[3] + ds[4]) / HZ / dt))
        a, sa, ta = b, sb, tb


if __name__ == "__main__":
    main()
