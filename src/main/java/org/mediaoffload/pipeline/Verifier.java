package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Verifies uploads off the transfer threads' path and hands each media's proven files to deletion.
 *
 * <p>A media is submitted once every PUT of it has returned; the verifier's thread takes up to {@value #MAX_KEYS}
 * keys' worth of submitted media (waiting at most {@value #MAX_WAIT_MS} ms for that many) and asks the bucket about
 * them with one fresh look ({@link BucketAnswers#after}, usually one listing), while the transfer threads go on
 * uploading later media. Since a media is taken only after it was submitted, a verification listing proves only keys
 * whose PUT had returned before the listing was sent. At most {@value #MAX_PENDING_KEYS} keys wait: beyond that a
 * submitting thread waits (memory stays bounded against a slow store). Media without uploads (all already in the
 * bucket, skipped or failed) need no listing and go to deletion at once. Deletion has its own thread
 * ({@link DeletionStage}): the verifier only queues proven media there, so its listings never wait for a database
 * re-check or for unlinks.
 */
final class Verifier implements AutoCloseable {
    static final int MAX_KEYS = 1_000;
    static final long MAX_WAIT_MS = 250;
    static final int MAX_PENDING_KEYS = 4 * MAX_KEYS;

    private final MediaOffloader offloader;
    private final RemoteFiles remote;
    private final Optional<DeletionStage> deletion;
    private final Outcomes outcomes;
    private final Deque<MediaOffloader.Transfer> pending = new ArrayDeque<>();
    private int pendingKeys;
    private long oldestAtNanos;
    private boolean closing;
    private final Thread thread;

    Verifier(MediaOffloader offloader, RemoteFiles remote, Optional<DeletionStage> deletion, Outcomes outcomes,
            long runId) {
        this.offloader = requireNonNull(offloader, "offloader is null");
        this.remote = requireNonNull(remote, "remote is null");
        this.deletion = requireNonNull(deletion, "deletion is null");
        this.outcomes = requireNonNull(outcomes, "outcomes is null");
        this.thread = new Thread(this::verifyUntilClosed, "offload-verify-" + runId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hands over a transferred media (all its PUTs have returned). */
    void submit(MediaOffloader.Transfer transfer) throws InterruptedException {
        int keys = transfer.uploaded().size();
        if (keys == 0) {
            handOver(List.of(transfer), key -> Optional.empty());
            return;
        }
        synchronized (this) {
            while (pendingKeys >= MAX_PENDING_KEYS && !closing) {
                wait();
            }
            if (pending.isEmpty()) {
                oldestAtNanos = System.nanoTime();
            }
            pending.addLast(transfer);
            pendingKeys += keys;
            notifyAll();
        }
    }

    /** Verifies everything submitted, then ends the verifier's thread. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the pending media must still be verified or reported: keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        keepUnverified();
    }

    /** Stops verifying at once (shutdown after the grace): what is still waiting is kept, see {@link #close}. */
    void abort() {
        thread.interrupt();
    }

    /** After an abort: uploads never verified keep their local files, reported as such. */
    private void keepUnverified() {
        List<MediaOffloader.Transfer> left;
        synchronized (this) {
            left = new ArrayList<>(pending);
            pending.clear();
            pendingKeys = 0;
        }
        for (MediaOffloader.Transfer transfer : left) {
            for (MediaOffloader.Uploaded u : transfer.uploaded()) {
                outcomes.failedAfterUpload(u.file(), u.receipt().key(),
                        "uploaded, but the run was aborted before its verification; kept");
            }
        }
    }

    private void verifyUntilClosed() {
        try {
            for (List<MediaOffloader.Transfer> batch = take(); !batch.isEmpty(); batch = take()) {
                verify(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next media to verify: up to MAX_KEYS keys, once that many wait or the oldest has waited long enough. */
    private synchronized List<MediaOffloader.Transfer> take() throws InterruptedException {
        while (true) {
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - oldestAtNanos);
            if (!pending.isEmpty() && (pendingKeys >= MAX_KEYS || closing || waitedMs >= MAX_WAIT_MS)) {
                List<MediaOffloader.Transfer> batch = new ArrayList<>();
                int keys = 0;
                while (!pending.isEmpty() && (batch.isEmpty() || keys + pending.peekFirst().uploaded().size() <= MAX_KEYS)) {
                    MediaOffloader.Transfer next = pending.pollFirst();
                    batch.add(next);
                    keys += next.uploaded().size();
                }
                pendingKeys -= keys;
                // What is left waited about as long as what was taken: verify it with the next listing soon.
                oldestAtNanos = pending.isEmpty() ? System.nanoTime() : oldestAtNanos;
                notifyAll();
                return batch;
            }
            if (pending.isEmpty() && closing) {
                return List.of();
            }
            if (pending.isEmpty()) {
                wait();
            } else {
                wait(Math.max(1, MAX_WAIT_MS - waitedMs));
            }
        }
    }

    private void verify(List<MediaOffloader.Transfer> batch) {
        List<String> keys = new ArrayList<>();
        for (MediaOffloader.Transfer transfer : batch) {
            transfer.uploaded().forEach(u -> keys.add(u.receipt().key()));
        }
        BucketAnswers.Seen seen;
        try {
            seen = remote.after(keys);
        } catch (RuntimeException e) {
            // Unexpected (the port reports store failures per key): every media of the batch keeps its files.
            batch.forEach(t -> outcomes.unexpected(t.row(), "verifying", e));
            return;
        }
        handOver(batch, seen);
    }

    private void handOver(List<MediaOffloader.Transfer> batch, BucketAnswers.Seen seen) {
        for (MediaOffloader.Transfer transfer : batch) {
            try {
                List<LocalFile> proven = offloader.verify(transfer, seen);
                if (deletion.isPresent()) {
                    deletion.get().add(transfer.row(), proven);
                }
            } catch (InterruptedException e) {
                // Aborted while the deletion queue was full: this media stays verified (journaled), not deleted.
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                outcomes.unexpected(transfer.row(), "verifying", e);
            }
        }
    }
}
