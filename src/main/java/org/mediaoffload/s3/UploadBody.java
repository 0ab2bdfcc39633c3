package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Request bodies over bytes already in memory (read once from disk: no copy) or streamed from the file, replayable
 * for SDK retries, and paced by the shared {@link BandwidthLimiter} when a limit is set.
 */
final class UploadBody {
    /** Pacing granularity: small enough to keep concurrent uploads fair, large enough to be cheap. */
    private static final int CHUNK = 64 * 1024;
    /** Slower than this (about 0.5 Mbit/s) an upload counts as stalled rather than slow. */
    private static final long STALLED_BYTES_PER_SECOND = 64 * 1024;

    private final Optional<BandwidthLimiter> limiter;
    private final Duration requestTimeout;
    private final int concurrency;

    UploadBody(Optional<BandwidthLimiter> limiter, Duration requestTimeout, int concurrency) {
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        this.concurrency = Math.max(1, concurrency);
    }

    /**
     * How long one attempt to send {@code bytes} may take: the request timeout plus the time the body needs at
     * the slowest rate we still call progress, which under a bandwidth limit is this upload's share of it. A
     * large part on a slow uplink, or one paced by us, must not be cut off and retried forever.
     */
    Duration attemptTimeout(long bytes) {
        long rate = limiter.map(l -> Math.min(STALLED_BYTES_PER_SECOND, l.bytesPerSecond() / concurrency))
                .orElse(STALLED_BYTES_PER_SECOND);
        return requestTimeout.plusMillis(bytes * 1000 / Math.max(1, rate));
    }

    RequestBody of(byte[] data, int length) {
        return RequestBody.fromContentProvider(() -> stream(data, length), length, "application/octet-stream");
    }

    /** A body streamed from the file, opened anew for each attempt (SDK retries ask for a new stream). */
    RequestBody of(UploadSource file) {
        return RequestBody.fromContentProvider(() -> {
            try {
                return paced(file.openExact());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the file to upload: " + e.getMessage(), e);
            }
        }, file.expectedSize(), "application/octet-stream");
    }

    private InputStream stream(byte[] data, int length) {
        return paced(new ByteArrayInputStream(data, 0, length));
    }

    private InputStream paced(InputStream plain) {
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
