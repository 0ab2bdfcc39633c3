#!/usr/bin/env python3
"""Seconds per thread group of a flight recording's waits, and its CPU samples per thread group and top frame.

    jfr print --json --events jdk.ThreadPark,jdk.SocketRead,jdk.SocketWrite,jdk.JavaMonitorEnter,jdk.ExecutionSample \
        FILE.jfr > FILE.json; jfr-waits.py FILE.json

Thread groups: the thread's name without trailing digits and dashes. For waits the first frame in our package
(org.mediaoffload) or, without one, the top frame; for execution samples the top frame and the first of ours.
"""
import json
import re
import sys
from collections import Counter, defaultdict


def dur(s):
    m = re.match(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", s or "")
    if not m:
        return 0.0
    h, mi, se = m.groups()
    return int(h or 0) * 3600 + int(mi or 0) * 60 + float(se or 0)


def frame(f):
    m = f["method"]
    return "%s.%s" % (m["type"]["name"].replace("/", "."), m["name"])


def main():
    ev = json.load(open(sys.argv[1]))["recording"]["events"]
    waits = defaultdict(Counter)
    count = defaultdict(Counter)
    samples = Counter()
    top = defaultdict(Counter)
    ours = defaultdict(Counter)
    for e in ev:
        v = e["values"]
        t = v.get("eventThread") or v.get("sampledThread") or {}
        g = re.sub(r"[-\d\s#]+$", "", (t.get("javaName") or t.get("osName") or "?"))
        frames = [frame(f) for f in ((v.get("stackTrace") or {}).get("frames") or [])]
        if e["type"] == "jdk.ExecutionSample":
            samples[g] += 1
            if frames:
                top[g][frames[0]] += 1
                o = next((f for f in frames if f.startswith("org.mediaoffload")), "-")
                ours[g][o] += 1
            continue
        o = next((f for f in frames if f.startswith("org.mediaoffload")), frames[0] if frames else "-")
        waits[e["type"]][(g, o)] += dur(v.get("duration"))
        count[e["type"]][(g, o)] += 1
    for typ in sorted(waits):
        print("== %s (seconds, events; thread group, first frame of ours)" % typ)
        for (g, o), s in waits[typ].most_common(12):
            print("  %7.1fs %7d  %s  %s" % (s, count[typ][(g, o)], g, o))
    n = sum(samples.values())
    print("== jdk.ExecutionSample: %d samples (Java code only, 20 ms per thread in 'profile')" % n)
    for g, c in samples.most_common(10):
        print("  %6d %5.1f%%  %s" % (c, 100.0 * c / n, g))
        for f, k in top[g].most_common(5):
            print("           %6d  top   %s" % (k, f))
        for f, k in ours[g].most_common(4):
            print("           %6d  ours  %s" % (k, f))


if __name__ == "__main__":
    main()
