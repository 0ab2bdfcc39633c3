package org.mediaoffload.audit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Files, bytes and the first few sample ids per {@link AuditClass}. Thread-safe: content checks run in parallel. */
final class Tallies {
    static final int SAMPLES = 20;

    private static final class Tally {
        long files;
        long bytes;
        final List<String> samples = new ArrayList<>();
    }

    private final Map<AuditClass, Tally> tallies = new EnumMap<>(AuditClass.class);

    Tallies() {
        for (AuditClass c : AuditClass.values()) {
            tallies.put(c, new Tally());
        }
    }

    synchronized void add(AuditClass c, long bytes, String sample) {
        Tally t = tallies.get(c);
        t.files++;
        t.bytes += Math.max(0, bytes);
        if (sample != null && t.samples.size() < SAMPLES) {
            t.samples.add(sample);
        }
    }

    synchronized long files(AuditClass c) {
        return tallies.get(c).files;
    }

    synchronized long bytes(AuditClass c) {
        return tallies.get(c).bytes;
    }

    synchronized Map<String, AuditReport.Count> counts() {
        Map<String, AuditReport.Count> out = new LinkedHashMap<>();
        tallies.forEach((c, t) -> out.put(c.jsonName(), new AuditReport.Count(t.files, t.bytes)));
        return out;
    }

    synchronized Map<String, List<String>> samples() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        tallies.forEach((c, t) -> out.put(c.jsonName(), List.copyOf(t.samples)));
        return out;
    }
}
