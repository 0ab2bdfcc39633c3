#!/usr/bin/env python3
"""CPU per autogroup over an interval: which sessions share the 2 cores (sched_autogroup_enabled=1 splits CPU
between autogroups first, then between threads inside a group)."""
import os, sys, time
HZ = os.sysconf("SC_CLK_TCK")
def snap():
    d = {}
    for p in os.listdir("/proc"):
        if not p.isdigit(): continue
        try:
            ag = (open("/proc/%s/autogroup" % p).read().split() or ["?"])[0]
            st = open("/proc/%s/stat" % p).read().rsplit(")", 1)[1].split()
            comm = open("/proc/%s/comm" % p).read().strip()
            cwd = os.readlink("/proc/%s/cwd" % p)
        except OSError:
            continue
        d[p] = (ag, int(st[11]) + int(st[12]), comm, cwd)
    return d
iv = float(sys.argv[1]) if len(sys.argv) > 1 else 5
a = snap(); time.sleep(iv); b = snap()
g = {}
for p, (ag, t, comm, cwd) in b.items():
    dt = (t - a[p][1]) if p in a else 0
    e = g.setdefault(ag, [0, set(), set()])
    e[0] += dt; 
    if dt > 0: e[1].add(comm); e[2].add(cwd)
for ag, (t, comms, cwds) in sorted(g.items(), key=lambda x: -x[1][0]):
    if t: print("%s\t%.2f cores\t%s\t%s" % (ag, t / HZ / iv, ",".join(sorted(comms)), ",".join(sorted(cwds))[:120]))
