package org.mediaoffload.audit;

import java.util.EnumMap;
import java.util.Map;

/** Objects audited and orphans found per {@link TreeKind}, for the reconcile's fraction guard. */
final class TreeCounts {
    private final Map<TreeKind, long[]> counts = new EnumMap<>(TreeKind.class);

    TreeCounts() {
        for (TreeKind kind : TreeKind.values()) {
            counts.put(kind, new long[2]);
        }
    }

    void object(TreeKind kind) {
        counts.get(kind)[0]++;
    }

    void orphan(TreeKind kind) {
        counts.get(kind)[1]++;
    }

    long objects(TreeKind kind) {
        return counts.get(kind)[0];
    }

    long orphans(TreeKind kind) {
        return counts.get(kind)[1];
    }
}
