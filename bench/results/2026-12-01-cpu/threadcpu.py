#!/usr/bin/env python3
"""Run a command, sample /proc/<pid>/task/*/stat every 50 ms, print CPU seconds per thread group at exit.

usage: threadcpu.py OUT.tsv -- cmd args...
Writes per-thread rows (tid, name, user_s, sys_s) to OUT.tsv and a summary line per group to stderr.
"""
import os, re, subprocess, sys, time

HZ = os.sysconf("SC_CLK_TCK")
out = sys.argv[1]
cmd = sys.argv[3:]
p = subprocess.Popen(cmd)
last = {}  # tid -> (name, utime, stime)


def sample():
    base = "/proc/%d/task" % p.pid
    try:
        tids = os.listdir(base)
    except OSError:
        return
    for t in tids:
        try:
            with open("%s/%s/stat" % (base, t)) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        rest = s[s.rindex(")") + 2:].split()
        # fields after comm: state(3) ... utime is field 14 -> rest[11], stime rest[12]
        last[t] = (name, int(rest[11]), int(rest[12]))


t0 = time.time()
while True:
    sample()
    pid, status, ru = os.wait4(p.pid, os.WNOHANG)
    if pid:
        break
    time.sleep(0.05)
wall = time.time() - t0
rc = os.waitstatus_to_exitcode(status)
# The process is a zombie until waited: Popen.poll() reaped it; stats of the last 50 ms are lost.


def group(n):
    if n.startswith("C2 Compiler"): return "jit-c2"
    if n.startswith("C1 Compiler"): return "jit-c1"
    if n.startswith(("GC Thread", "G1 ", "VM Periodic", "GC ")) or n in ("VM Thread",): return "gc+vm"
    if n.startswith("offload-transfe"): return "transfer"
    if n.startswith("offload-verify"): return "verify"
    if n.startswith(("offload-discove", "offload-count-a")): return "discovery"
    if n in ("java", "main"): return "main"
    return "other:" + n


groups = {}
with open(out, "w") as f:
    for t, (n, u, s) in sorted(last.items(), key=lambda kv: -(kv[1][1] + kv[1][2])):
        f.write("%s\t%s\t%.2f\t%.2f\n" % (t, n, u / HZ, s / HZ))
        g = group(n)
        groups[g] = groups.get(g, 0) + (u + s) / HZ
tot = sum(groups.values())
others = {k: v for k, v in groups.items() if k.startswith("other:")}
main = {k: v for k, v in groups.items() if not k.startswith("other:")}
main["other"] = sum(others.values())
print("wall=%.2f rusage_cpu=%.2f user=%.2f sys=%.2f maxrss_kb=%d threads_total=%.2f " % (wall, ru.ru_utime + ru.ru_stime, ru.ru_utime, ru.ru_stime, ru.ru_maxrss, tot) + " ".join("%s=%.2f" % kv for kv in sorted(main.items(), key=lambda kv: -kv[1])),
      file=sys.stderr)
top = sorted(others.items(), key=lambda kv: -kv[1])[:8]
print("  other top: " + " ".join("%s=%.2f" % (k[6:], v) for k, v in top), file=sys.stderr)
sys.exit(rc)
