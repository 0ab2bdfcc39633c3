import json, sys, collections, re
d = json.load(open(sys.argv[1]))
ev = d["recording"]["events"]
want = sys.argv[2] if len(sys.argv) > 2 else None
rules = [("sdk-signer", "software.amazon.awssdk.http.auth"), ("sdk-apache-glue", "software.amazon.awssdk.http.apache"),
  ("apache-http", "org.apache.http"), ("sdk-s3", "software.amazon.awssdk.services"), ("sdk-core", "software.amazon.awssdk.core"),
  ("sdk-other", "software.amazon.awssdk"), ("tls", "sun.security.ssl"), ("crypto", "com.sun.crypto"), ("digest", "sun.security.provider"),
  ("logback", "ch.qos.logback"), ("slf4j", "org.slf4j"), ("sqlite", "org.sqlite"), ("pgjdbc", "org.postgresql"), ("micrometer", "io.micrometer"),
  ("jackson", "com.fasterxml"), ("picocli", "picocli"), ("typesafe-config", "com.typesafe"), ("s3-ours", "org.mediaoffload.s3"), ("journal", "org.mediaoffload.journal"),
  ("store", "org.mediaoffload.store"), ("pipeline", "org.mediaoffload.pipeline"), ("ours-other", "org.mediaoffload"),
  ("classload", "java.lang.ClassLoader"), ("classload", "jdk.internal.loader"), ("zip", "java.util.zip"), ("invoke", "java.lang.invoke"), ("nio", "sun.nio"), ("nio", "java.nio")]
def area(cls):
    for a, p in rules:
        if cls.startswith(p): return a
    return None
n = 0; self_area = collections.Counter(); incl = collections.Counter(); ttype = collections.Counter(); tops = collections.Counter()
for e in ev:
    v = e["values"]; th = re.sub(r"-\d+$", "", v["sampledThread"]["javaName"] or v["sampledThread"]["osName"])
    if want and th != want: continue
    n += 1
    fr = v["stackTrace"]["frames"] if v["stackTrace"] else []
    if not fr: continue
    ttype[fr[0]["type"]] += 1
    tops[fr[0]["method"]["type"]["name"].replace("/", ".") + "." + fr[0]["method"]["name"]] += 1
    s = None; seen = set()
    for f in fr:
        a = area(f["method"]["type"]["name"].replace("/", "."))
        if a:
            if s is None: s = a
            seen.add(a)
    self_area[s or "jdk-only"] += 1
    for a in seen: incl[a] += 1
pct = lambda c: "%.0f%%" % (100 * c / max(n, 1))
print("samples", n, "thread", want)
print("top frame type", [(k, pct(c)) for k, c in ttype.most_common()])
print("self area", [(k, pct(c)) for k, c in self_area.most_common()])
print("inclusive", [(k, pct(c)) for k, c in incl.most_common()])
print("top methods", tops.most_common(15))
