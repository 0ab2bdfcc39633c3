package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells one bad object from a store that is down. A run of consecutive outage-looking failures (no answer, 5xx
 * after the SDK's retries) with no success in between stops the run as ABORTED instead of failing every remaining
 * file one by one; the next run picks up where this one stopped.
 */
final class OutageDetector implements BucketAnswers.Health {
    private static final Logger log = LoggerFactory.getLogger(OutageDetector.class);

    private final int threshold;
    private final StopSignal stop;
    private final AtomicInteger consecutive = new AtomicInteger();

    OutageDetector(int threshold, StopSignal stop) {
        this.threshold = threshold;
        this.stop = requireNonNull(stop, "stop is null");
    }

    @Override
    public void answered() {
        consecutive.set(0);
    }

    @Override
    public void failed(ObjectStoreException e) {
        if (!e.looksLikeOutage()) {
            consecutive.set(0);
            return;
        }
        if (consecutive.incrementAndGet() >= threshold && !stop.stopped()) {
            log.error("The object store failed {} requests in a row (last: {}); stopping the run", threshold,
                    e.getMessage());
            stop.stop(RunStatus.ABORTED);
        }
    }
}
