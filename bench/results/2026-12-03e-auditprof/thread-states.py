#!/usr/bin/env python3
"""Per thread group, from JfrFlat.java's events of one or more audits: where it computes (jdk.ExecutionSample by
the innermost org.mediaoffload frame and the top frame's package) and where it waits (the summed durations of
jdk.ThreadPark / JavaMonitorWait / JavaMonitorEnter / SocketRead by what it waited in), within the audit's window.

    thread-states.py AUDIT.json EVENTS.tsv [AUDIT.json EVENTS.tsv ...]
"""
import collections
import datetime
import json
import sys


def group(t):
    for pre, g in (("audit-list", "list"), ("audit-look", "look"), ("audit-recheck", "recheck"),
                   ("audit-record", "record"), ("audit-read", "read"), ("audit-merge", "merge"), ("main", "main")):
        if t.startswith(pre):
            return g
    return None


def where(stack):
    frames = stack.split(";")
    ours = next((f for f in frames if f.split(".")[0][:1].isupper() and not f.startswith(("T",))
                 and "." in f and not f.startswith(("java", "jdk", "sun", "org.", "com.", "software."))), "-")
    top = frames[0] if frames[0] != "T" else frames[1]
    pkg = ".".join(top.split(".")[:3])
    return ours.rsplit(":", 1)[0], pkg


def main():
    comp = collections.defaultdict(collections.Counter)
    pk = collections.defaultdict(collections.Counter)
    wait = collections.defaultdict(collections.Counter)
    n = 0
    for i in range(1, len(sys.argv), 2):
        rep = json.loads([l for l in open(sys.argv[i]) if l.startswith("{")][-1])
        a = datetime.datetime.fromisoformat(rep["startedAt"].replace("Z", "+00:00")).timestamp()
        b = datetime.datetime.fromisoformat(rep["endedAt"].replace("Z", "+00:00")).timestamp()
        n += 1
        for line in open(sys.argv[i + 1]):
            p = line.rstrip("\n").split("\t")
            g = group(p[3])
            t = int(p[1]) / 1e9
            if g is None or not a <= t <= b:
                continue
            if p[0] == "ExecutionSample":
                o, pkg = where(p[5])
                comp[g][o] += 1
                pk[g][pkg] += 1
            elif p[0] in ("ThreadPark", "JavaMonitorWait", "JavaMonitorEnter", "SocketRead"):
                o, _ = where(p[5])
                kind = {"ThreadPark": "park", "JavaMonitorWait": "wait", "JavaMonitorEnter": "enter",
                        "SocketRead": "read " + ("pg" if ":5432" in p[4] else "s3")}[p[0]]
                if p[0] == "ThreadPark" and "getTask" in p[5]:
                    o = "(idle in its pool)"
                wait[g][kind + " in " + o + ("" if p[0] == "SocketRead" else " on " + p[4].split(".")[-1])] += \
                    int(p[2]) / 1e9
    print("%d audits; per audit: samples (x 5 ms) and wait seconds" % n)
    for g in ("main", "read", "merge", "list", "look", "recheck", "record"):
        tot = sum(comp[g].values())
        if not tot and not wait[g]:
            continue
        print("\n%s: %.0f samples per audit; computing in (innermost short frame: ours or a marked library one):"
              % (g, tot / n))
        for k, v in comp[g].most_common(8):
            print("    %5.1f %%  %s" % (100.0 * v / max(1, tot), k))
        print("  top frame's package:", ", ".join("%s %.0f%%" % (k, 100.0 * v / max(1, tot))
                                                  for k, v in pk[g].most_common(5)))
        print("  waiting (s per audit, summed over the group's threads):")
        for k, v in wait[g].most_common(8):
            print("    %6.3f  %s" % (v / n, k))


if __name__ == "__main__":
    main()
