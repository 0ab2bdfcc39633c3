package org.mediaoffload.pipeline;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The work of one run as it is found: eligible media with local files, in the order their keys sort in S3, handed
 * over while discovery goes on, so the first upload never waits for the whole store to be walked.
 */
public interface WorkStream extends AutoCloseable {

    /**
     * The next media to offload, waiting for discovery to find it; empty when there is no more.
     *
     * @throws StopSignal.StoppedException when the run was stopped meanwhile
     */
    Optional<MediaRow> next();

    /** What the run is known to face so far; {@link WorkEstimate#exact()} once the count-ahead pass is done. */
    WorkEstimate estimate();

    /** Ends discovery early (cancel, time limit, abort); idempotent. */
    @Override
    void close();

    /** Totals ahead of the run: exact once counted, else what was seen so far. */
    record WorkEstimate(long media, long files, long bytes, boolean exact) {}

    /** Work already in memory (tests, and small runs), in the order given. */
    static WorkStream of(List<MediaRow> rows, WorkEstimate estimate) {
        Iterator<MediaRow> it = List.copyOf(rows).iterator();
        return new WorkStream() {
            @Override
            public synchronized Optional<MediaRow> next() {
                return it.hasNext() ? Optional.of(it.next()) : Optional.empty();
            }

            @Override
            public WorkEstimate estimate() {
                return estimate;
            }

            @Override
            public void close() {}
        };
    }
}
