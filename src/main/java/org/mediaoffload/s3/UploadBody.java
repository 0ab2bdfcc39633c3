package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Request bodies over bytes already in memory (read once from disk): no copy, replayable for SDK retries,
 * and paced by the shared {@link BandwidthLimiter} when a limit is set.
 */
final class UploadBody {
    /** Pacing granularity: small enough to keep concurrent uploads fair, large enough to be cheap. */
    private static final int CHUNK = 64 * 1024;

    private final Optional<BandwidthLimiter> limiter;
    private final Duration requestTimeout;
    private final int concurrency;

    UploadBody(Optional<BandwidthLimiter> limiter, Duration requestTimeout, int concurrency) {
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        this.concurrency = Math.max(1, concurrency);
    }

    /**
     * The request timeout, plus, under a bandwidth limit, the time this body needs when every concurrent
     * upload shares the limit: a paced upload must not be cut off for being as slow as we made it.
     */
    Duration attemptTimeout(long bytes) {
        return limiter.map(l -> requestTimeout.plusMillis(bytes * concurrency * 1000 / l.bytesPerSecond()))
                .orElse(requestTimeout);
    }

    RequestBody of(byte[] data, int length) {
        return RequestBody.fromContentProvider(() -> stream(data, length), length, "application/octet-stream");
    }

    private InputStream stream(byte[] data, int length) {
        InputStream plain = new ByteArrayInputStream(data, 0, length);
        return limiter.<InputStream>map(l -> new Paced(plain, l)).orElse(plain);
    }

    private static final class Paced extends FilterInputStream {
        private final BandwidthLimiter limiter;

        Paced(InputStream in, BandwidthLimiter limiter) {
            super(in);
            this.limiter = limiter;
        }

        @Override
        public int read() throws IOException {
            pace(1);
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, CHUNK));
            if (n > 0) {
                pace(n);
            }
            return n;
        }

        private void pace(int bytes) throws IOException {
            try {
                limiter.acquire(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("upload interrupted while pacing to the bandwidth limit");
            }
        }
    }
}
