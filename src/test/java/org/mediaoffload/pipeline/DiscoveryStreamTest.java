package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stream's contract with a generated media store and a lookup that answers from the ids themselves. */
class DiscoveryStreamTest {

    private final List<WorkStream> opened = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        opened.forEach(WorkStream::close);
    }

    @Test
    void handsOverEligibleMediaInWalkOrderWhateverOrderTheLookupAnswersIn() {
        GeneratedStore store = new GeneratedStore(5_000); // fewer eligible than COUNT_ALL: exact totals
        List<Integer> chunkSizes = new CopyOnWriteArrayList<>();
        DiscoveryStream.Lookup shuffled = (chunk, sink) -> {
            chunkSizes.add(chunk.size());
            List<MediaRow> rows = new ArrayList<>();
            for (DiskMediaId id : chunk) {
                int n = GeneratedStore.number(id);
                if (n % 3 != 0) { // every third media has no eligible row
                    rows.add(row(id, n % 7 == 0 ? OptionalLong.empty() : OptionalLong.of(n), n % 11 == 0));
                }
            }
            Collections.shuffle(rows);
            rows.forEach(sink);
        };
        List<String> skipped = new ArrayList<>();
        AtomicLong scanned = new AtomicLong();
        WorkFinder.Tally tally = new WorkFinder.Tally() {
            @Override
            public void scanned(MediaRow row) {
                scanned.incrementAndGet();
            }

            @Override
            public void skipped(MediaRow row, String reason) {
                skipped.add(reason);
            }
        };
        WorkStream stream = open(store, shuffled, row -> WorkFinder.admit(row, false, tally), new StopSignal());

        List<String> ids = drain(stream);

        List<String> expected = new ArrayList<>();
        long expectedScanned = 0;
        long expectedPending = 0;
        for (int n = 0; n < 5_000; n++) {
            if (n % 3 != 0) {
                expectedScanned++;
                if (n % 11 != 0 && n % 7 == 0) {
                    expectedPending++;
                } else if (n % 11 != 0) {
                    expectedLocal(expected, n);
                }
            }
        }
        assertThat(ids).containsExactlyElementsOf(expected);
        assertThat(scanned).hasValue(expectedScanned);
        assertThat(skipped).hasSize((int) expectedPending).allMatch(r -> r.contains("media_length is NULL"));
        // Small first chunks (the first upload waits for few lookups), doubling up to the cap.
        assertThat(chunkSizes.subList(0, 4)).containsExactly(64, 128, 256, 512);
        assertThat(chunkSizes).allMatch(size -> size <= DiscoveryStream.MAX_CHUNK);
        WorkStream.WorkEstimate estimate = stream.estimate();
        assertThat(estimate.exact()).isTrue();
        assertThat(estimate.media()).isEqualTo(expected.size());
        assertThat(estimate.files()).isEqualTo(expected.size());
        assertThat(estimate.bytes()).isEqualTo(expected.size() * GeneratedStore.FILE_SIZE);
    }

    @Test
    void theWalkWaitsForTheRunSoMemoryDoesNotGrowWithTheStore() {
        int media = 2_000_000;
        GeneratedStore store = new GeneratedStore(media);
        DiscoveryStream stream = open(store, everyMediaEligible(), row -> true, new StopSignal());

        // Nobody takes: the walk must stop once the queue is full, a chunk ahead at most.
        await().atMost(Duration.ofSeconds(30)).until(() -> stream.queued() == DiscoveryStream.QUEUE);
        long walkedWhenFull = store.walked.get();
        assertThat(walkedWhenFull).isLessThanOrEqualTo(DiscoveryStream.QUEUE + DiscoveryStream.MAX_CHUNK);
        assertThat(stream.estimate().exact()).isFalse();

        // Taking some lets the walk go on by about as many, no more.
        for (int i = 0; i < 3 * DiscoveryStream.MAX_CHUNK; i++) {
            assertThat(stream.next()).isPresent();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stream.queued() == DiscoveryStream.QUEUE);
        assertThat(store.walked.get()).isLessThanOrEqualTo(
                3L * DiscoveryStream.MAX_CHUNK + DiscoveryStream.QUEUE + DiscoveryStream.MAX_CHUNK);
        assertThat(store.walked.get()).isLessThan(media / 10);
    }

    @Test
    void totalsAreExtrapolatedFromTheCountAheadUntilTheWalkIsDone() {
        int media = 200_000;
        GeneratedStore store = new GeneratedStore(media);
        DiscoveryStream stream = open(store, everyMediaEligible(), row -> true, new StopSignal());
        await().atMost(Duration.ofSeconds(30)).until(() -> stream.queued() == DiscoveryStream.QUEUE);

        // Every media judged so far is eligible, so the whole store is taken to be, once the count-ahead is in.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stream.estimate())
                .isEqualTo(new WorkStream.WorkEstimate(media, media, media * GeneratedStore.FILE_SIZE, false)));
        assertThat(store.walked.get()).isLessThan(media);

        assertThat(drain(stream)).hasSize(media);
        assertThat(stream.estimate().media()).isEqualTo(media);
        assertThat(stream.estimate().files()).isEqualTo(media);
    }

    @Test
    void aStopEndsTheWalkAndAWaitingTake() {
        GeneratedStore store = new GeneratedStore(1_000_000);
        StopSignal stop = new StopSignal();
        DiscoveryStream stream = open(store, everyMediaEligible(), row -> true, stop);
        assertThat(stream.next()).isPresent();
        stop.stop(RunStatus.CANCELLED);
        assertThatThrownBy(() -> drain(stream)).isInstanceOf(StopSignal.StoppedException.class);
        await().atMost(Duration.ofSeconds(30)).until(stream::finished);
        assertThat(store.walked.get()).isLessThan(1_000_000);
    }

    @Test
    void aFailedLookupReachesTheRunAfterTheWorkFoundBeforeIt() {
        GeneratedStore store = new GeneratedStore(1_000);
        DiscoveryStream.Lookup failsSecond = new DiscoveryStream.Lookup() {
            private int calls;

            @Override
            public void eligible(List<DiskMediaId> chunk, Consumer<MediaRow> sink) {
                if (++calls == 2) {
                    throw new CatalogException("database went away", null);
                }
                everyMediaEligible().eligible(chunk, sink);
            }
        };
        DiscoveryStream stream = open(store, failsSecond, row -> true, new StopSignal());
        for (int i = 0; i < DiscoveryStream.FIRST_CHUNK; i++) {
            assertThat(stream.next()).isPresent();
        }
        assertThatThrownBy(stream::next).isInstanceOf(CatalogException.class).hasMessageContaining("went away");
        assertThat(stream.estimate().exact()).isFalse();
    }

    @Test
    void aWaitForSlowDiscoveryEndsWhenTheRunsTimeIsUp() {
        java.util.concurrent.CountDownLatch databaseAnswers = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean timeUp = new java.util.concurrent.atomic.AtomicBoolean();
        DiscoveryStream.Lookup stuck = (chunk, sink) -> {
            try {
                databaseAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        DiscoveryStream stream = DiscoveryStream.start(new GeneratedStore(100), new StopSignal(), timeUp::get, stuck,
                row -> true);
        opened.add(stream);
        try {
            timeUp.set(true);
            assertThatThrownBy(stream::next).isInstanceOf(StopSignal.StoppedException.class);
        } finally {
            databaseAnswers.countDown();
        }
    }

    @Test
    void anEmptyStoreEndsAtOnceWithExactZeroTotals() {
        DiscoveryStream stream = open(new GeneratedStore(0), everyMediaEligible(), row -> true, new StopSignal());
        assertThat(stream.next()).isEmpty();
        assertThat(stream.estimate()).isEqualTo(new WorkStream.WorkEstimate(0, 0, 0, true));
    }

    private DiscoveryStream open(LocalStore store, DiscoveryStream.Lookup lookup,
            java.util.function.Predicate<MediaRow> admit, StopSignal stop) {
        DiscoveryStream stream = DiscoveryStream.start(store, stop, () -> false, lookup, admit);
        opened.add(stream);
        return stream;
    }

    private static DiscoveryStream.Lookup everyMediaEligible() {
        return (chunk, sink) -> chunk.forEach(id -> sink.accept(row(id, OptionalLong.of(1), false)));
    }

    private static List<String> drain(WorkStream stream) {
        List<String> ids = new ArrayList<>();
        for (Optional<MediaRow> row = stream.next(); row.isPresent(); row = stream.next()) {
            ids.add(row.get().filesystemId());
        }
        return ids;
    }

    private static void expectedLocal(List<String> expected, int n) {
        expected.add(GeneratedStore.id(n));
    }

    private static MediaRow row(DiskMediaId id, OptionalLong length, boolean quarantined) {
        return new MediaRow(id.kind(), id.origin(), id.filesystemId(), id.filesystemId(), length, 0, quarantined);
    }

    /** A store of {@code size} local media generated as they are walked (nothing holds them), one file each. */
    private static final class GeneratedStore implements LocalStore {
        static final long FILE_SIZE = 100;
        final AtomicLong walked = new AtomicLong();
        private final int size;

        GeneratedStore(int size) {
            this.size = size;
        }

        static String id(int n) {
            return String.format("m%09d", n);
        }

        static int number(DiskMediaId id) {
            return Integer.parseInt(id.filesystemId().substring(1));
        }

        @Override
        public void walk(Consumer<DiskMediaId> sink) {
            for (int n = 0; n < size; n++) {
                walked.incrementAndGet();
                sink.accept(new DiskMediaId(MediaKind.LOCAL, "", id(n)));
            }
        }

        @Override
        public long countMedia() {
            return size;
        }

        @Override
        public MediaFiles filesOf(MediaRow row) {
            return new MediaFiles.Found(List.of(new LocalFile("local_content/" + row.filesystemId(),
                    Path.of("/nonexistent"), FILE_SIZE, 0, true, new FileIdentity(1, 1, FILE_SIZE, 0, 0))));
        }

        @Override
        public Optional<String> notAMediaStore(BooleanSupplier databaseListsMedia) {
            return Optional.empty();
        }

        @Override
        public UploadFile uploadFile(LocalFile file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DeleteOutcome delete(LocalFile file) {
            throw new UnsupportedOperationException();
        }
    }
}
