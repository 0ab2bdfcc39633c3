#!/usr/bin/env python3
"""agg.py file.jfr [thread-regex]: JFR execution + native samples per thread group, top self frames and
top inclusive frames of our package per group."""
import json, re, subprocess, sys, collections
f = sys.argv[1]
flt = re.compile(sys.argv[2]) if len(sys.argv) > 2 else None
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '96', '--events',
                      'jdk.ExecutionSample,jdk.NativeMethodSample', f], capture_output=True, text=True).stdout
ev = json.loads(out)['recording']['events']
groups = collections.Counter(); selfc = collections.defaultdict(collections.Counter)
incl = collections.defaultdict(collections.Counter)
for e in ev:
    v = e['values']
    t = v.get('sampledThread') or {}
    name = re.sub(r'-?\d+$', '', (t.get('javaName') or t.get('osName') or '?'))
    if flt and not flt.search(name):
        continue
    kind = 'N' if e['type'] == 'jdk.NativeMethodSample' else 'J'
    g = name + ' ' + kind
    groups[g] += 1
    frames = (v.get('stackTrace') or {}).get('frames') or []
    if not frames:
        continue
    def fn(fr):
        m = fr['method']; return m['type']['name'].split('.')[-1] + '.' + m['name']
    selfc[g][fn(frames[0])] += 1
    seen = set()
    for fr in frames:
        n = fn(fr)
        if n not in seen:
            seen.add(n); incl[g][n] += 1
for g, n in groups.most_common():
    print(f'== {g}: {n}')
    print('  self: ' + '; '.join(f'{k} {c}' for k, c in selfc[g].most_common(12)))
    ours = [(k, c) for k, c in incl[g].most_common(400)]
    print('  incl: ' + '; '.join(f'{k} {c}' for k, c in ours[:40]))
