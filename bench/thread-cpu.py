#!/usr/bin/env python3
"""Where a client's CPU goes, per thread group, sampled from /proc while it runs (Linux only).

    bench/thread-cpu.py PID OUT.tsv [STOP-FILE]

PID is the client, or timeout/GNU time running it (their only child is then followed). Every 100 ms the CPU time
(user+sys) of each of the process's threads is read from /proc/PID/task/*/stat; the last value seen per thread is
kept, so a thread that ended early still counts (a thread's last 100 ms before it ended are lost). At the end,
OUT.tsv gets one row per thread (tid, name, user s, sys s) and standard output one line for results.tsv's note:

    cpu_split=transfer:27.65,jit_c2:7.96,main:3.97,...

Groups by the JVM's and our thread names (Linux keeps the first 15 characters): jit_c1, jit_c2 (the compiler
threads), gc_vm (GC workers, G1's concurrent threads, the VM thread), transfer (offload-transfer-N), verify
(offload-verify-N: verification listings, the journal), delete (offload-delete-N: the deletion stage), discovery
(the walk and the count-ahead), main (start-up, then the run's feed), other.

With STOP-FILE (a long-running daemon), sampling ends when that file exists, and each thread counts only the CPU it
used after sampling began: one run of the daemon, without its start-up or earlier runs.
"""
import os
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def follow(pid):
    """The process to sample: PID itself, or the client that timeout and GNU time run (each has one child)."""
    for _ in range(400):  # each forks at once; wait up to 20 s in all for the chain
        try:
            with open("/proc/%d/comm" % pid) as f:
                comm = f.read().strip()
            if comm not in ("timeout", "time"):
                return pid
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                kids = f.read().split()
        except OSError:
            return pid
        if kids:
            pid = int(kids[0])
        else:
            time.sleep(0.05)
    return pid


def group(name):
    if name.startswith("C2 Compiler"):
        return "jit_c2"
    if name.startswith("C1 Compiler"):
        return "jit_c1"
    if name.startswith(("GC Thread", "G1 ", "VM Thread", "VM Periodic")):
        return "gc_vm"
    if name.startswith("offload-transfe"):
        return "transfer"
    if name.startswith("offload-verify"):
        return "verify"
    if name.startswith("offload-delete"):
        return "delete"
    if name.startswith(("offload-discove", "offload-count-a")):
        return "discovery"
    if name in ("java", "main"):
        return "main"
    return "other"


def main():
    pid = follow(int(sys.argv[1]))
    out = sys.argv[2]
    stop = sys.argv[3] if len(sys.argv) > 3 else None
    last = {}  # tid -> (name, utime ticks, stime ticks)
    first = None  # with STOP-FILE: tid -> (utime, stime) at the first sample, subtracted at the end
    base = "/proc/%d/task" % pid
    while os.path.exists(base) and not (stop and os.path.exists(stop)):
        try:
            tids = os.listdir(base)
        except OSError:
            break
        for tid in tids:
            try:
                with open("%s/%s/stat" % (base, tid)) as f:
                    stat = f.read()
            except OSError:
                continue
            # The name is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            rest = stat[stat.rindex(")") + 2:].split()
            last[tid] = (name, int(rest[11]), int(rest[12]))
        if stop and first is None:
            first = {tid: (u, s) for tid, (_, u, s) in last.items()}
        time.sleep(0.1)
    for tid, (u, s) in (first or {}).items():
        name, user, system = last[tid]
        last[tid] = (name, user - u, system - s)
    groups = {}
    with open(out, "w") as f:
        for tid, (name, user, system) in sorted(last.items(), key=lambda kv: -(kv[1][1] + kv[1][2])):
            f.write("%s\t%s\t%.2f\t%.2f\n" % (tid, name, user / HZ, system / HZ))
            groups[group(name)] = groups.get(group(name), 0.0) + (user + system) / HZ
    print("cpu_split=" + ",".join("%s:%.2f" % kv for kv in sorted(groups.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
