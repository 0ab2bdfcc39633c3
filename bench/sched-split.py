#!/usr/bin/env python3
"""Per thread group of one process: CPU, run-queue wait, timeslices and context switches over a time window.

    bench/sched-split.py sample PID OUT.tsv [STOP-FILE]     every 0.5 s until PID ends (or STOP-FILE exists),
                                                            append cumulative per-group totals with a UTC timestamp
    bench/sched-split.py window OUT.tsv FROM TO             the difference between the last samples at or before
                                                            FROM and TO (ISO times, e.g. a run's startedAt/endedAt)

Linux only: /proc/PID/task/*/schedstat (ns on CPU, ns runnable but waiting for a CPU, timeslices) and
/proc/PID/task/*/status (voluntary and involuntary context switches). A thread that waits for the network or a lock
and wakes up again makes one voluntary switch per wait; "wait per slice" is how long each wake-up queued for a CPU.
Thread groups as bench/thread-cpu.py names them, by their first 15 characters with trailing digits dropped.
"""
import datetime
import os
import re
import sys
import time


def group(name):
    return re.sub(r"[-\d]+$", "", name) or "?"


def read(pid):
    totals = {}
    base = "/proc/%d/task" % pid
    for tid in os.listdir(base):
        try:
            with open("%s/%s/comm" % (base, tid)) as f:
                name = f.read().strip()
            with open("%s/%s/schedstat" % (base, tid)) as f:
                run_ns, wait_ns, slices = (int(x) for x in f.read().split()[:3])
            vol = invol = 0
            with open("%s/%s/status" % (base, tid)) as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches"):
                        vol = int(line.split()[1])
                    elif line.startswith("nonvoluntary_ctxt_switches"):
                        invol = int(line.split()[1])
        except OSError:
            continue
        totals[tid] = (group(name), run_ns, wait_ns, slices, vol, invol)
    return totals


def sample(pid, out, stop):
    last = {}
    while os.path.exists("/proc/%d" % pid) and not (stop and os.path.exists(stop)):
        try:
            last.update(read(pid))  # a thread that ended keeps its last values
        except OSError:
            break
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        groups = {}
        for g, *v in last.values():
            acc = groups.setdefault(g, [0, 0, 0, 0, 0, 0])
            acc[0] += 1
            for i, x in enumerate(v):
                acc[i + 1] += x
        with open(out, "a") as f:
            for g, v in sorted(groups.items()):
                f.write("%s\t%s\t%s\n" % (now, g, "\t".join(str(x) for x in v)))
        time.sleep(0.5)


def window(out, t_from, t_to):
    at = {}
    with open(out) as f:
        for line in f:
            ts, g, *v = line.rstrip("\n").split("\t")
            at.setdefault(ts, {})[g] = [int(x) for x in v]
    stamps = sorted(at)
    before = [s for s in stamps if s <= t_from]
    upto = [s for s in stamps if s <= t_to]
    a = at[before[-1]] if before else {}
    b = at[upto[-1]]
    print("group\tthreads\tcpu_s\trunqueue_wait_s\tslices\tvoluntary\tinvoluntary\twait_ms_per_slice")
    rows = []
    for g, v in b.items():
        w = a.get(g, [0] * 6)
        d = [v[0]] + [v[i] - w[i] for i in range(1, 6)]
        rows.append((g, d))
    rows.sort(key=lambda r: -r[1][1])
    tot = [0] * 6
    for g, d in rows:
        tot = [x + y for x, y in zip(tot, d)]
        print("%s\t%d\t%.2f\t%.2f\t%d\t%d\t%d\t%.2f" % (g, d[0], d[1] / 1e9, d[2] / 1e9, d[3], d[4], d[5],
                                                      d[2] / 1e6 / d[3] if d[3] else 0))
    print("all\t%d\t%.2f\t%.2f\t%d\t%d\t%d\t%.2f" % (tot[0], tot[1] / 1e9, tot[2] / 1e9, tot[3], tot[4], tot[5],
                                                   tot[2] / 1e6 / tot[3] if tot[3] else 0))


if __name__ == "__main__":
    if sys.argv[1] == "sample":
        sample(int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        window(sys.argv[2], sys.argv[3], sys.argv[4])
