package org.mediaoffload.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class EntryFeedTest {

    private static Entry entry(String key) {
        return new Entry(key, Entry.Source.DISK, 1, 2, "", "", "", 0);
    }

    /** Every entry arrives once, on the calling thread, and each producer's in the order it made them. */
    @Test
    void everyEntryArrivesOnceAndEachProducersInItsOrder() {
        int n = EntryFeed.CHUNK * 3 + 17;
        List<String> seen = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<Thread> sinkThreads = new ArrayList<>();
        try (EntryFeed feed = new EntryFeed("test-feed", List.of(
                out -> {
                    for (int i = 0; i < n; i++) {
                        out.accept(entry(String.format("a%06d", i)));
                    }
                },
                out -> {
                    for (int i = 0; i < n; i++) {
                        out.accept(entry(String.format("b%06d", i)));
                    }
                },
                out -> { }))) {
            feed.drainTo(e -> {
                seen.add(e.key());
                if (Thread.currentThread() != caller) {
                    sinkThreads.add(Thread.currentThread());
                }
            });
        }
        assertThat(sinkThreads).isEmpty();
        assertThat(seen).hasSize(2 * n);
        assertThat(seen.stream().filter(k -> k.startsWith("a")).toList()).isSorted().hasSize(n);
        assertThat(seen.stream().filter(k -> k.startsWith("b")).toList()).isSorted().hasSize(n);
    }

    /**
     * A failing producer (the database went away) fails the read with its own message, and a producer that would
     * go on for ever (a huge store, its chunks no longer taken) is stopped, not left running.
     */
    @Test
    void aProducersFailureIsRethrownAndStopsTheOthers() {
        AtomicBoolean endlessUnwound = new AtomicBoolean();
        CountDownLatch endlessStarted = new CountDownLatch(1);
        EntryFeed feed = new EntryFeed("test-feed", List.of(
                out -> {
                    try {
                        for (long i = 0; ; i++) {
                            out.accept(entry("disk" + i));
                            endlessStarted.countDown();
                        }
                    } finally {
                        endlessUnwound.set(true);
                    }
                },
                out -> {
                    await().until(() -> endlessStarted.getCount() == 0);
                    out.accept(entry("row"));
                    throw new IllegalStateException("connection to the database was lost");
                }));
        try (feed) {
            assertThatThrownBy(() -> feed.drainTo(e -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("connection to the database was lost");
        }
        await().atMost(Duration.ofSeconds(10)).untilTrue(endlessUnwound);
    }

    /** The sorting side failing (its disk is full) stops producers blocked on a full queue when the feed closes. */
    @Test
    void closingAfterTheSinkFailedStopsBlockedProducers() {
        AtomicBoolean unwound = new AtomicBoolean();
        EntryFeed feed = new EntryFeed("test-feed", List.<EntryFeed.Producer>of(out -> {
            try {
                for (long i = 0; ; i++) {
                    out.accept(entry("k" + i));
                }
            } finally {
                unwound.set(true);
            }
        }));
        try (feed) {
            assertThatThrownBy(() -> feed.drainTo(e -> {
                throw new IllegalStateException("cannot write the audit's sort file (disk full?)");
            })).hasMessageContaining("disk full");
        }
        assertThat(unwound).isTrue();
    }

    /**
     * The audit's thread interrupted (the daemon stopping its audit): the feed still waits for its producers, so
     * none of them is left reading once the audit has ended, and the interrupt is kept for the caller.
     */
    @Test
    void closingOnAnInterruptedThreadStillWaitsForTheProducers() {
        AtomicBoolean ended = new AtomicBoolean();
        EntryFeed feed = new EntryFeed("test-feed", List.<EntryFeed.Producer>of(out -> {
            try {
                UninterruptibleWork.take(Duration.ofSeconds(1)); // a stat or a query that does not see interrupts
                out.accept(entry("k"));
            } finally {
                ended.set(true);
            }
        }));
        try {
            Thread.currentThread().interrupt();
            try (feed) {
                assertThatThrownBy(() -> feed.drainTo(e -> { })).hasMessageContaining("interrupted");
            }
            assertThat(ended).as("the producer ended before close returned").isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
