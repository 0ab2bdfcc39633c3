#!/usr/bin/env python3
"""Summarise blocking JFR events per thread group and top frame: total seconds, count."""
import json, re, subprocess, sys, collections
f = sys.argv[1]
events = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else 'jdk.ThreadPark,jdk.SocketRead,jdk.SocketWrite,jdk.JavaMonitorEnter,jdk.JavaMonitorWait,jdk.FileForce,jdk.FileWrite,jdk.FileRead,jdk.ThreadSleep'
t0 = sys.argv[3] if len(sys.argv) > 3 else None
out = subprocess.run(['jfr', 'print', '--json', '--stack-depth', '64', '--events', events, f], capture_output=True, text=True).stdout
data = json.loads(out)['recording']['events']
def dur(s):
    m = re.match(r'PT(?:(\d+)M)?([\d.]+)S', s)
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) if m else 0.0
def group(name):
    return re.sub(r'[-\d]+$', '', name or '?')
IGN = ('java.', 'jdk.', 'sun.', 'software.amazon.awssdk.http.apache.internal', 'org.apache.http', 'software.amazon.awssdk.core.internal', 'javax.', 'com.sun')
tot = collections.defaultdict(lambda: [0.0, 0])
for e in data:
    v = e['values']
    if t0 and v['startTime'] < t0:
        continue
    th = v.get('eventThread') or {}
    g = group(th.get('javaName'))
    frames = (v.get('stackTrace') or {}).get('frames') or []
    ours = [fr['method']['type']['name'].split('.')[-1] + '.' + fr['method']['name'] for fr in frames
            if fr['method']['type']['name'].startswith(('org.mediaoffload', 'software.amazon'))][:3]
    top = [fr['method']['type']['name'].split('.')[-1] + '.' + fr['method']['name'] for fr in frames[:2]]
    k = (e['type'].replace('jdk.', ''), g, ' < '.join(top), ' < '.join(ours))
    tot[k][0] += dur(v['duration']); tot[k][1] += 1
for k, (s, n) in sorted(tot.items(), key=lambda kv: -kv[1][0])[:int(sys.argv[4]) if len(sys.argv) > 4 else 40]:
    print(f'{s:8.2f}s {n:6d}  {k[0]:16s} {k[1]:22s} {k[2][:70]:70s} | {k[3][:160]}')
