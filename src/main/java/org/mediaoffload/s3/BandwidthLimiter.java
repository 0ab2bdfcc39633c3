package org.mediaoffload.s3;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket shared by every upload of one store: {@code offload.s3.bandwidth-limit} bytes per second,
 * bursts of at most one second's worth. Callers take tokens before sending a chunk; a caller that overdraws
 * the bucket waits until the debt is paid, so the long-run rate never exceeds the limit whatever the number
 * of concurrent uploads.
 */
final class BandwidthLimiter {
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long bytesPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long lastRefill;

    BandwidthLimiter(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    BandwidthLimiter(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.tokens = bytesPerSecond;
        this.lastRefill = nanoTime.getAsLong();
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code bytes} tokens, waiting (outside the lock) as long as the bucket is in debt. */
    void acquire(int bytes) throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            tokens = Math.min(bytesPerSecond, tokens + (now - lastRefill) * (bytesPerSecond / 1e9));
            lastRefill = now;
            tokens -= bytes;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / bytesPerSecond * 1e9);
        }
        if (waitNanos > 0) {
            sleeper.sleepNanos(waitNanos);
        }
    }
}
