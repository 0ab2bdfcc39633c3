#!/usr/bin/env python3
"""The requests of each audit on Ceph RGW, from radosgw's access log (bench/run.sh audit with BENCH_AUDIT_SERVER=rgw
and RGW_LOG=1: beast logs one line per request in BENCH_DIR/rgw/log/client.rgw.a.log).

    bench/rgw-listings.py RGW_LOG AUDIT_JSON...

For each audit report (the JSON bench/run.sh keeps as results/audit-<label>-r<round>.json) it takes the requests that
started between the audit's startedAt and endedAt and counts them: ListObjectsV2 pages per tree kind, the audit's own
(the tree's prefix listed from its start, continuation pages, and the listings of the gaps between trees, which have
no prefix) apart from the lost re-check's (a tree's prefix, or a deeper one, listed from a start-after inside it, as
LostRecheck lists a stretch, and that stretch's continuation pages), then HEAD/GET of objects and the bucket-configuration reads (?versioning, ?object-lock). The bound of
issue 10 is 4 + ceil(N/1000) listings per tree kind, N the objects under that tree.
"""
import collections
import datetime
import json
import re
import sys
import urllib.parse

LINE = re.compile(r' beast: \S+ \S+ - \S+ \[(?P<ts>[^\]]+)\] "(?P<method>[A-Z]+) (?P<target>\S+) HTTP/[0-9.]+" (?P<status>\d+)')


def when(ts):  # 03/Dec/2026:14:50:27.438 +0000
    return datetime.datetime.strptime(ts, "%d/%b/%Y:%H:%M:%S.%f %z")


def report(path):
    text = open(path, encoding="utf-8").read()
    return json.loads(text[text.index("{"):])  # the JVM may print a line (compiler directives) before the JSON


def main():
    requests = []
    with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
        for line in log:
            m = LINE.search(line)
            if m:
                requests.append((when(m["ts"]), m["method"], m["target"], m["status"]))
    for path in sys.argv[2:]:
        r = report(path)
        start = datetime.datetime.fromisoformat(r["startedAt"].replace("Z", "+00:00")[:26] + "+00:00")
        end = datetime.datetime.fromisoformat(r["endedAt"].replace("Z", "+00:00")[:26] + "+00:00")
        own, recheck, other = collections.Counter(), collections.Counter(), collections.Counter()
        last_own = {}  # tree kind -> the key of the audit's own last continuation page there
        for t, method, target, status in requests:
            if not start <= t <= end:
                continue
            url = urllib.parse.urlsplit(target)
            q = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            if "list-type" in q:
                prefix = q.get("prefix", [""])[0]
                kind = prefix.split("/")[0] or "(gaps, no prefix)"
                after = q.get("start-after", [""])[0]
                token = q.get("continuation-token", [""])[0]
                # A stretch of the re-check starts with a start-after inside a tree; its further pages continue
                # it with a token. The audit's own pages of a tree continue in key order, so a continuation whose
                # token is below the own listing's last one there is the re-check's (RGW's tokens are keys).
                if prefix and after and not token:
                    recheck[kind] += 1
                elif prefix and token and token < last_own.get(kind, ""):
                    recheck[kind] += 1
                else:
                    own[kind] += 1
                    if token:
                        last_own[kind] = token
            elif "/" in url.path.strip("/"):
                other[method + " object"] += 1
            else:
                other["%s bucket ?%s %s" % (method, url.query, status)] += 1
        print("%s: audit %s, %s .. %s" % (path, r["id"], r["startedAt"], r["endedAt"]))
        print("  listings: own %d, lost re-check %d, total %d" % (sum(own.values()), sum(recheck.values()),
                                                                  sum(own.values()) + sum(recheck.values())))
        for kind in sorted(set(own) | set(recheck)):
            print("    %-20s own %4d  re-check %4d  sum %4d" % (kind, own[kind], recheck[kind],
                                                               own[kind] + recheck[kind]))
        for k, n in sorted(other.items()):
            print("  %-40s %d" % (k, n))


if __name__ == "__main__":
    main()
