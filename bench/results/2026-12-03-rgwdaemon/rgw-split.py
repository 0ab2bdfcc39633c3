#!/usr/bin/env python3
"""Per measured run on RGW: the client's and each Ceph daemon's CPU, run-queue wait, and what the 2 cores did.

    rgw-split.py RESULTS_DIR [RUNQUEUE.log]  > split.tsv   (RESULTS_DIR: results.tsv + sched-*.tsv of one go)

results.tsv's note gives each run's t_start/t_end (UTC), machine_busy_cores and ceph_cpu (from /proc/PID/stat);
sched-<daemon>-<pid>.tsv (bench/sched-split.py sample) give per thread group CPU and run-queue wait, of which the
samples nearest the run's start and end are subtracted (0.5-s samples); the daemon under test has its own sched file,
rclone's run-queue wait comes from bench/runqueue-wait.py's line for it (its whole life = its run).
"""
import glob
import os
import re
import sys
from datetime import datetime


def load(path):
    at = {}
    with open(path) as f:
        for line in f:
            ts, g, *v = line.rstrip("\n").split("\t")
            at.setdefault(ts, {})[re.sub(r"[\W\d_]+$", "", g) or g] = [int(x) for x in v]
    return sorted(at.items())


def window(samples, t0, t1):
    """Summed over groups: cpu s, wait s, slices, voluntary, involuntary; and per group cpu/wait."""
    before = [s for s in samples if s[0] <= t0] or samples[:1]
    upto = [s for s in samples if s[0] <= t1]
    a, b = before[-1][1], upto[-1][1]
    groups = {}
    for g, v in b.items():
        w = a.get(g, [0] * 6)
        groups[g] = [v[i] - w[i] for i in range(1, 6)]
    tot = [sum(x[i] for x in groups.values()) for i in range(5)]
    return tot, groups


def main():
    res = sys.argv[1]
    rq = {}
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        for line in open(sys.argv[2]):
            f = line.split("\t")
            if f[1] == "rclone":
                kv = dict(x.split("=") for x in f[2:])
                rq[f[0]] = kv
    sched = {}
    for p in glob.glob(os.path.join(res, "sched-*.tsv")):
        name = os.path.basename(p)[6:-4]
        sched[name] = load(p)
    ceph = {re.sub(r"-\d+$", "", k): v for k, v in sched.items() if k.startswith(("ceph-", "radosgw"))}
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(res, "results.tsv"))][1:]
    hdr = ["tool", "phase", "files", "wall_s", "files_s", "client_cpu_s", "client_ms_file", "osd_s", "rgw_s", "mon_s",
           "ceph_ms_file", "requests", "ceph_ms_req", "bench_cores", "machine_busy", "client_rq_wait_s",
           "osd_rq_wait_s", "rgw_rq_wait_s", "osd_wait_ms_slice", "rgw_wait_ms_slice", "client_wait_ms_slice"]
    print("\t".join(hdr))
    for r in rows:
        sc, tool, ph, files, _b, wall, u, s, rss, scpu, ops, note = r[:12]
        if ph == "start":
            continue
        kv = dict(x.split("=", 1) for x in note.split() if "=" in x)
        if "t_start" not in kv:
            continue
        t0, t1 = kv["t_start"], kv["t_end"]
        cc = dict(x.split(":") for x in kv.get("ceph_cpu", "").split(",") if ":" in x)
        files, wall, ccpu = int(files), float(wall), float(u) + float(s)
        req = int(re.search(r"rgw_req=(\d+)", ops).group(1))
        osd, rgw, mon = float(cc.get("osd", 0)), float(cc.get("radosgw", 0)), float(cc.get("mon", 0))
        cephs = osd + rgw + mon
        w = {k: window(v, t0, t1)[0] for k, v in ceph.items()}
        key = "%s-%s-%s" % (sc, tool, ph)
        if key in sched:
            cw = window(sched[key], t0, t1)[0]
            cwait, cslice = cw[1] / 1e9, cw[1] / 1e6 / max(cw[2], 1)
        else:  # rclone: runqueue-wait.py's line whose start-end holds the run
            cwait = cslice = float("nan")
            hh0, hh1 = t0[11:19], t1[11:19]
            for span, v in rq.items():
                a, b = span.split("-")
                if a >= hh0 and b <= hh1 or abs(int(a.replace(":", "")) - int(hh0.replace(":", ""))) <= 1:
                    cwait, cslice = float(v["runqueue_wait_s"]), float(v["wait_per_slice_ms"])
        osdw, rgww = w.get("ceph-osd", [0, 0, 1]), w.get("radosgw", [0, 0, 1])
        print("\t".join(str(x) for x in [
            tool, ph, files, "%.1f" % wall, "%.0f" % (files / wall), "%.1f" % ccpu, "%.2f" % (ccpu / files * 1000),
            "%.1f" % osd, "%.1f" % rgw, "%.1f" % mon, "%.2f" % (cephs / files * 1000), req,
            "%.2f" % (cephs / req * 1000), "%.2f" % ((ccpu + cephs) / wall), kv.get("machine_busy_cores"),
            "%.1f" % cwait, "%.1f" % (osdw[1] / 1e9), "%.1f" % (rgww[1] / 1e9),
            "%.2f" % (osdw[1] / 1e6 / max(osdw[2], 1)), "%.2f" % (rgww[1] / 1e6 / max(rgww[2], 1)), "%.2f" % cslice]))


if __name__ == "__main__":
    main()
