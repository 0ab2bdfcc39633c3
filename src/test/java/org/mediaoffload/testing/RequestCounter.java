package org.mediaoffload.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.s3.S3RequestObserver;

/** Counts the S3 requests a run sends, by operation (PutObject, HeadObject, ListObjectsV2, ...). */
public final class RequestCounter implements S3RequestObserver {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void requestCompleted(String operation, int httpStatus, long nanos) {
        counts.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
    }

    public long count(String operation) {
        AtomicLong n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public void reset() {
        counts.clear();
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
