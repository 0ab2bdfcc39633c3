package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a store that refuses every upload from one bad file. A store that does not accept our storage class or
 * SSE-C refuses each PUT the same way (Ceph RGW with a bare 400): after {@value #THRESHOLD} identical refusals in a
 * row, with no upload accepted in between, the run stops, naming the likely cause, instead of failing every file.
 */
final class RefusalStreak {
    static final int THRESHOLD = 5;
    private static final Logger log = LoggerFactory.getLogger(RefusalStreak.class);

    private final String storageClass;
    private final boolean sseC;
    private final StopSignal stop;
    private final RunCounters counters;
    private String last = "";
    private int inARow;

    /** @param sseC whether our uploads carry an SSE-C key (then SSE-C is one likely cause) */
    RefusalStreak(String storageClass, boolean sseC, StopSignal stop, RunCounters counters) {
        this.storageClass = requireNonNull(storageClass, "storageClass is null");
        this.sseC = sseC;
        this.stop = requireNonNull(stop, "stop is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    synchronized void accepted() {
        inARow = 0;
        last = "";
    }

    synchronized void refused(ObjectStoreException e) {
        if (!isRefusal(e)) {
            return; // the local file's fault, an outage or a throttle: not a verdict on our settings
        }
        String kind = e.status() + " " + e.errorCode();
        inARow = kind.equals(last) ? inARow + 1 : 1;
        last = kind;
        if (inARow >= THRESHOLD && !stop.stopped()) {
            String message = "the store refused " + THRESHOLD + " uploads in a row the same way (HTTP " + e.status()
                    + (e.errorCode().isEmpty() ? "" : " " + e.errorCode()) + "): it likely does not accept"
                    + " offload.s3.storage-class = " + storageClass
                    + (sseC ? " or SSE-C (offload.s3.sse-customer-key)" : "")
                    + ". Run check-config to see which; the run stopped, nothing refused was deleted";
            log.error("Stopping the run: {}", message);
            counters.error(message);
            stop.stop(RunStatus.MISCONFIGURED);
        }
    }

    private static boolean isRefusal(ObjectStoreException e) {
        int status = e.status();
        return status >= 400 && status < 500 && status != 408 && status != 429 || status == 501;
    }
}
