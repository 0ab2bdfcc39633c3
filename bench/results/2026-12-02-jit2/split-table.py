#!/usr/bin/env python3
"""split-table.py results.tsv [scenario-substring]: per tool, median (range) of client CPU (user+sys), the
cpu_split groups (transfer, jit_c1, jit_c2, main, delete, verify), S3Proxy CPU and wall, over the measured runs."""
import re, sys, statistics as st, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
want = sys.argv[2] if len(sys.argv) > 2 else ""
by = collections.defaultdict(list)
for r in rows:
    sc, tool, ph = r[0], r[1], r[2]
    if want not in sc or not ph.startswith("r"): continue
    split = dict((k, float(v)) for k, v in re.findall(r"(\w+):([\d.]+)", (re.search(r"cpu_split=(\S+)", r[11]) or [None, ""])[1]))
    cpu = float(r[6]) + float(r[7])
    by[tool].append(dict(cpu=cpu, wall=float(r[5]), server=float(r[9] or 0), files=int(r[3]), load=r[12], **split))
def f(xs): xs = [x for x in xs if x is not None]; return f"{st.median(xs):.1f} ({min(xs):.1f}-{max(xs):.1f})" if xs else "-"
cols = ["cpu", "transfer", "jit_c1", "jit_c2", "main", "delete", "verify", "server", "wall"]
print("| tool | runs | ms/file | " + " | ".join(cols) + " | load at end |")
print("|---|---:|---:|" + "---|" * len(cols) + "---|")
for tool, rs in by.items():
    msf = st.median(r["cpu"] / r["files"] * 1000 for r in rs)
    print(f"| {tool} | {len(rs)} | {msf:.2f} | " + " | ".join(f([r.get(c) for r in rs]) for c in cols)
          + " | " + "/".join(r["load"] for r in rs) + " |")
