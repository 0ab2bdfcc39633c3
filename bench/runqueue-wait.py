#!/usr/bin/env python3
"""Run-queue wait of the bench's clients (Linux only): how long their threads were runnable but not running.

    bench/runqueue-wait.py BENCH_DIR OUT.log

Every 0.5 s, for every process whose command line names BENCH_DIR and is our run-once, our daemon or rclone move,
reads /proc/PID/task/*/schedstat (CPU time, run-queue wait, timeslices, per thread) and keeps the last value per
thread; when the process ends, appends one line to OUT.log: start-end, client, threads, CPU s, run-queue wait s
(summed over threads), timeslices, and the mean wait per timeslice. On a machine shared with other work this tells
a client bounded by its own CPU from one whose threads queue for a CPU at every wake-up. Runs until killed.
"""
import os
import sys
import time


def client(pid, marker):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read().decode(errors="replace")
    except OSError:
        return None
    if marker not in cmd:
        return None
    args = cmd.split("\0")
    # Our jar under any name (BENCH_JAR is often a copy named after its commit: synapse-media-offload-<sha>.jar).
    jar = args[args.index("-jar") + 1] if "-jar" in args[:-1] else ""
    if cmd.startswith("java") and os.path.basename(jar).startswith("synapse-media-offload") and jar.endswith(".jar"):
        return "ours-run-once" if "\0run-once\0" in cmd else "ours-daemon" if "\0daemon\0" in cmd else None
    return "rclone" if cmd.startswith("rclone\0move\0") else None


def main():
    marker, out = sys.argv[1], open(sys.argv[2], "a", buffering=1)
    seen = {}  # pid -> (client, start, {tid: (cpu ns, wait ns, timeslices)})
    while True:
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid not in seen:
                kind = client(pid, marker)
                if kind is None:
                    continue
                seen[pid] = (kind, time.strftime("%H:%M:%S"), {})
            try:
                for tid in os.listdir("/proc/%d/task" % pid):
                    try:
                        with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                            seen[pid][2][tid] = tuple(int(x) for x in f.read().split()[:3])
                    except OSError:
                        pass  # the thread ended meanwhile: its last value stays
            except OSError:
                pass
        for pid in [p for p in seen if not os.path.exists("/proc/%d" % p)]:
            kind, start, threads = seen.pop(pid)
            cpu = sum(v[0] for v in threads.values()) / 1e9
            wait = sum(v[1] for v in threads.values()) / 1e9
            slices = sum(v[2] for v in threads.values())
            out.write("%s-%s\t%s\tthreads=%d\tcpu_s=%.1f\trunqueue_wait_s=%.1f\ttimeslices=%d\twait_per_slice_ms=%.2f\n"
                      % (start, time.strftime("%H:%M:%S"), kind, len(threads), cpu, wait, slices,
                         1000 * wait / max(1, slices)))
        time.sleep(0.5)


if __name__ == "__main__":
    main()
