package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BandwidthLimiterTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final AtomicLong slept = new AtomicLong();
    /** A clock that moves only when the limiter sleeps, so waits are exact and the test takes no time. */
    final BandwidthLimiter limiter = new BandwidthLimiter(1000, now::get, nanos -> {
        slept.addAndGet(nanos);
        now.addAndGet(nanos);
    });

    @Test
    void aFullBucketLetsOneSecondThroughAtOnce() throws InterruptedException {
        limiter.acquire(1000);

        assertThat(slept).hasValue(0);
    }

    @Test
    void sendingBeyondTheBurstWaitsAtTheConfiguredRate() throws InterruptedException {
        for (int i = 0; i < 30; i++) {
            limiter.acquire(100);
        }

        // 3000 bytes at 1000 B/s with a 1000-byte burst: two seconds of waiting.
        assertThat(slept.get()).isEqualTo(2_000_000_000L);
    }

    @Test
    void idleTimeRefillsOnlyUpToTheBurst() throws InterruptedException {
        limiter.acquire(1000);
        now.addAndGet(10_000_000_000L);

        limiter.acquire(1500);

        assertThat(slept.get()).isEqualTo(500_000_000L);
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThatThrownBy(() -> new BandwidthLimiter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
