package org.mediaoffload.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mediaoffload.config.S3Config;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.PutReceipt;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.testing.S3ConfigBuilder;
import org.mediaoffload.testing.S3ProxyTestBase;
import org.mediaoffload.testing.S3TestConfigs;

/**
 * {@code offload.s3.multipart-concurrency} bounds the multipart uploads (each holds a part buffer) whatever
 * {@code concurrency} allows, on S3Proxy: the uploads are held after their first part, so the test sees every
 * transfer either sending or waiting for a slot, and counts the uploads open on the store at that moment.
 */
class MultipartBoundTest extends S3ProxyTestBase {
    private static final long MIB = S3TestConfigs.MIB;
    private static final int SLOTS = 2;
    private static final int LARGE_FILES = 5;

    @TempDir
    Path dir;
    private String bucket;
    /** Multipart uploads between CreateMultipartUpload's answer and Complete's or Abort's: at most a slot each. */
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger heldAfterAPart = new AtomicInteger();
    private final CountDownLatch letGo = new CountDownLatch(1);
    private final List<Thread> transfers = new ArrayList<>();

    @BeforeEach
    void newBucket() {
        bucket = newBucket("mpbound");
    }

    @AfterEach
    void releaseHeld() throws InterruptedException {
        letGo.countDown();
        for (Thread t : transfers) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** Counts open uploads, and holds each upload after its first part (on its own thread) until {@link #letGo}. */
    private void observe(String operation, int status, long nanos) {
        switch (operation) {
            case "CreateMultipartUpload" -> {
                created.incrementAndGet();
                mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            }
            case "CompleteMultipartUpload", "AbortMultipartUpload" -> open.decrementAndGet();
            case "UploadPart" -> {
                heldAfterAPart.incrementAndGet();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heldAfterAPart.decrementAndGet();
            }
            default -> { }
        }
    }

    private S3Config config() {
        // 8 transfers may be in flight, only 2 of them multipart; 6 MiB files are 2 parts of 5 MiB.
        return S3ConfigBuilder.from(S3TestConfigs.forServer(server, bucket, "media/", Optional.empty()))
                .concurrency(8).multipartConcurrency(SLOTS).multipartThreshold(5 * MIB).multipartPartSize(5 * MIB)
                .build();
    }

    private Path file(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size + name.hashCode()).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private CompletableFuture<PutReceipt> putOnItsOwnThread(S3ObjectStore store, String key, Path file) {
        CompletableFuture<PutReceipt> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(store.put(key, file, Files.size(file)));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "transfer-" + key);
        transfers.add(t);
        t.start();
        return result;
    }

    /** A transfer parked in the slot's semaphore, called from the upload (not in the test's hold, not sending). */
    private static boolean waitingForASlot(Thread t) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        boolean inSemaphore = false;
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals(Semaphore.class.getName())) {
                inSemaphore = true;
            } else if (frame.getClassName().equals(MultipartUpload.class.getName())) {
                return inSemaphore; // the first frame of ours: waiting in the slot's acquire, or elsewhere
            }
        }
        return false;
    }

    @Test
    void atMostTheBoundOfMultipartUploadsAreOpenWhileSinglePutsGoOn() throws Exception {
        int size = (int) (6 * MIB);
        List<CompletableFuture<PutReceipt>> results = new ArrayList<>();
        try (S3ObjectStore store = new S3ObjectStore(S3ClientFactory.connect(config()), config(), this::observe)) {
            for (int i = 0; i < LARGE_FILES; i++) {
                results.add(putOnItsOwnThread(store, "media/large-" + i, file("large-" + i, size)));
            }
            // Two uploads sent a part and are held; the other three wait for a slot, nothing of theirs on the store.
            await().atMost(Duration.ofSeconds(60)).until(() -> heldAfterAPart.get() == SLOTS
                    && transfers.stream().filter(MultipartBoundTest::waitingForASlot).count() == LARGE_FILES - SLOTS);
            assertThat(created).hasValue(SLOTS);
            assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).hasSize(SLOTS);

            // A small file does not wait for the large ones: its PUT needs no slot.
            Path small = file("small", 1000);
            assertThat(store.put("media/small", small, 1000).acknowledged()).isTrue();

            letGo.countDown();
            for (CompletableFuture<PutReceipt> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS).acknowledged()).isTrue();
            }
            for (int i = 0; i < LARGE_FILES; i++) {
                assertThat(store.head("media/large-" + i)).isInstanceOfSatisfying(HeadResult.Present.class,
                        p -> assertThat(p.size()).isEqualTo(size));
            }
        }
        assertThat(created).hasValue(LARGE_FILES);
        assertThat(mostOpen).hasValue(SLOTS);
        assertThat(open).hasValue(0);
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void aTransferInterruptedWhileWaitingForASlotIsCancelledWithNothingOnTheStore() throws Exception {
        int size = (int) (6 * MIB);
        S3Config oneSlot = S3ConfigBuilder.from(config()).multipartConcurrency(1).build();
        try (S3ObjectStore store = new S3ObjectStore(S3ClientFactory.connect(oneSlot), oneSlot, this::observe)) {
            CompletableFuture<PutReceipt> first = putOnItsOwnThread(store, "media/first", file("first", size));
            await().atMost(Duration.ofSeconds(60)).until(() -> heldAfterAPart.get() == 1);
            CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
            CompletableFuture<PutReceipt> second = new CompletableFuture<>();
            Path secondFile = file("second", size);
            Thread waiting = new Thread(() -> {
                try {
                    second.complete(store.put("media/second", secondFile, size));
                } catch (RuntimeException e) {
                    second.completeExceptionally(e);
                } finally {
                    flagKept.complete(Thread.currentThread().isInterrupted());
                }
            }, "transfer-second");
            transfers.add(waiting);
            waiting.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> waitingForASlot(waiting));

            waiting.interrupt();

            assertThat(second).failsWithin(Duration.ofSeconds(60)).withThrowableOfType(Exception.class)
                    .havingCause().isInstanceOfSatisfying(ObjectStoreException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(S3ObjectStore.CANCELLED));
            assertThat(flagKept.get(60, TimeUnit.SECONDS)).as("interrupt flag preserved").isTrue();
            assertThat(created).hasValue(1);

            letGo.countDown();
            assertThat(first.get(60, TimeUnit.SECONDS).acknowledged()).isTrue();
            assertThat(store.head("media/second")).isEqualTo(new HeadResult.Absent());
        }
        assertThat(server.adminClient().listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }
}
