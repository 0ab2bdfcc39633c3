package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UploadBodyTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void attemptTimeoutAllowsAStallFreeSlowUplink() {
        UploadBody body = new UploadBody(Optional.empty(), TIMEOUT, 8);

        // 5 MiB at 64 KiB/s: 80 s on top of the request timeout.
        assertThat(body.attemptTimeout(5 * 1024 * 1024)).isEqualTo(Duration.ofSeconds(110));
        assertThat(body.attemptTimeout(0)).isEqualTo(TIMEOUT);
    }

    @Test
    void attemptTimeoutAllowsForThisUploadsShareOfTheBandwidthLimit() {
        UploadBody body = new UploadBody(Optional.of(new BandwidthLimiter(80 * 1024)), TIMEOUT, 8);

        // 80 KiB/s shared by 8 uploads: 10 KiB/s each, so 1 MiB needs 102.4 s.
        assertThat(body.attemptTimeout(1024 * 1024)).isEqualTo(TIMEOUT.plusMillis(102_400));
    }

    @Test
    void pacedBodyDeliversExactlyTheBytesAndTakesTokensForEach() throws Exception {
        AtomicLong now = new AtomicLong();
        AtomicLong slept = new AtomicLong();
        BandwidthLimiter limiter = new BandwidthLimiter(100_000, now::get, n -> {
            slept.addAndGet(n);
            now.addAndGet(n);
        });
        byte[] data = new byte[300_000];
        new java.util.Random(1).nextBytes(data);

        byte[] sent;
        try (InputStream in = new UploadBody(Optional.of(limiter), TIMEOUT, 1).of(data, 250_000)
                .contentStreamProvider().newStream()) {
            sent = in.readAllBytes();
        }

        assertThat(sent).isEqualTo(java.util.Arrays.copyOf(data, 250_000));
        // 250,000 bytes at 100,000 B/s with a one-second burst: 1.5 s of pacing.
        assertThat(slept.get()).isEqualTo(1_500_000_000L);
    }
}
