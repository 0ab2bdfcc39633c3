#!/usr/bin/env python3
"""jfrsum.py FILE.jfr: C2 (level 4) compile time per package/class and execution samples of transfer threads."""
import json, subprocess, sys, collections
f = sys.argv[1]
def events(name):
    out = subprocess.run(["jfr", "print", "--json", "--events", name, f], capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]
def dur(s):  # ISO-8601 duration PT0.001S
    s = s.replace("PT", "")
    t = 0.0
    for unit, mul in (("H", 3600), ("M", 60), ("S", 1)):
        if unit in s:
            a, s = s.split(unit, 1); t += float(a) * mul
    return t
def mname(m):
    return m["type"]["name"] + "." + m["name"]
comp = events("jdk.Compilation")
bylev = collections.Counter(); bylevn = collections.Counter()
pk4 = collections.Counter(); cl4 = collections.Counter(); n4 = collections.Counter()
for e in comp:
    v = e["values"]; lvl = v["compileLevel"]; d = dur(v["duration"]); m = v["method"]
    bylev[lvl] += d; bylevn[lvl] += 1
    if lvl == 4:
        cls = m["type"]["name"]; pkg = cls.rsplit("/", 1)[0] if "/" in cls else cls
        pk4[pkg] += d; cl4[cls] += d; n4[pkg] += 1
print("compile time by level (s, n):", {k: (round(bylev[k], 2), bylevn[k]) for k in sorted(bylev)})
print("\nC2 compile s by package (top 40):")
for p, d in pk4.most_common(40): print(f"  {d:7.3f} {n4[p]:5d} {p}")
print("\nC2 compile s by class (top 40):")
for p, d in cl4.most_common(40): print(f"  {d:7.3f} {p}")
samp = events("jdk.ExecutionSample")
top = collections.Counter(); toppk = collections.Counter(); incl = collections.Counter(); n = 0
for e in samp:
    v = e["values"]; th = (v.get("sampledThread") or {}).get("javaName") or ""
    if "transfer" not in th: continue
    fr = v["stackTrace"]["frames"]
    if not fr: continue
    n += 1
    m = fr[0]["method"]; top[mname(m)] += 1
    cls = m["type"]["name"]; toppk[cls.rsplit("/", 1)[0]] += 1
    seen = set()
    for x in fr:
        c = x["method"]["type"]["name"].rsplit("/", 1)[0]
        if c not in seen: seen.add(c); incl[c] += 1
print(f"\ntransfer-thread samples: {n}")
print("top-frame package (self):")
for p, c in toppk.most_common(30): print(f"  {100*c/n:5.1f}% {p}")
print("package on stack (inclusive):")
for p, c in incl.most_common(30): print(f"  {100*c/n:5.1f}% {p}")
print("top methods (self):")
for p, c in top.most_common(40): print(f"  {100*c/n:5.1f}% {p}")
