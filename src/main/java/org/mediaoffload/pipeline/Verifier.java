package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>At offload.max-run-duration the verifier sends no further listing: what waits then is kept, still UPLOADED in
 * the journal, for the next run to find and prove (a listing past the cap only made the run overshoot it, and the
 * deletions it would allow stop at the cap anyway). A listing already sent is waited for until the cap plus the
 * run's wind-down allowance; after that its answer is ignored and its media are kept too, so a stalled store cannot
 * hold the run.
 */
final class Verifier implements AutoCloseable {
    static final int MAX_KEYS = 1_000;
    static final long MAX_WAIT_MS = 250;
    static final int MAX_PENDING_KEYS = 4 * MAX_KEYS;

    private static final long CLOSE_POLL_MS = 100;

    private final MediaOffloader offloader;
    private final RemoteFiles remote;
    private final Optional<DeletionStage> deletion;
    private final RunContext run;
    private final Outcomes outcomes;
    /** The cap plus the wind-down allowance, for a capped run: {@link #close} waits no longer for a listing. */
    private final Optional<Instant> giveUpAt;
    private final Deque<MediaOffloader.Transfer> pending = new ArrayDeque<>();
    private int pendingKeys;
    private long oldestAtNanos;
    private boolean closing;
    /** The media whose listing is out; kept by {@link #close} if it gives up on that listing. */
    private List<MediaOffloader.Transfer> listing = List.of();
    /** Set once, under {@link #handing}: no answer is handed over after it (read by the verifier's thread too). */
    private volatile boolean abandoned;
    /** Held while answers are handed over to deletion: {@link #close} waits for that, never for a listing. */
    private final Object handing = new Object();
    private final Thread thread;

    /** @param windDown how long past offload.max-run-duration a listing already sent is waited for */
    Verifier(MediaOffloader offloader, RemoteFiles remote, Optional<DeletionStage> deletion, RunContext run,
            Duration windDown) {
        this.offloader = requireNonNull(offloader, "offloader is null");
        this.remote = requireNonNull(remote, "remote is null");
        this.deletion = requireNonNull(deletion, "deletion is null");
        this.run = requireNonNull(run, "run is null");
        this.outcomes = run.outcomes();
        this.giveUpAt = run.deadline().map(d -> d.plus(windDown));
        this.thread = new Thread(this::verifyUntilClosed, "offload-verify-" + run.runId());
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
            // Past the cap nothing is taken any more: waiting for room would hold the transfer thread for nothing.
            while (pendingKeys >= MAX_PENDING_KEYS && !closing && !run.pastDeadline()) {
                wait(giveUpAt.isPresent() ? CLOSE_POLL_MS : 0);
            }
            if (pending.isEmpty()) {
                oldestAtNanos = System.nanoTime();
            }
            pending.addLast(transfer);
            pendingKeys += keys;
            notifyAll();
        }
    }

    /**
     * Verifies everything submitted (before the cap, for a capped run), then ends the verifier's thread; waits no
     * longer than the cap plus the wind-down allowance.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                if (giveUpAt.isEmpty()) {
                    thread.join();
                    continue;
                }
                long leftMs = Duration.between(run.clock().instant(), giveUpAt.get()).toMillis();
                if (leftMs <= 0) {
                    abandon();
                    break;
                }
                thread.join(Math.min(leftMs, CLOSE_POLL_MS));
            } catch (InterruptedException e) {
                interrupted = true; // the pending media must still be verified or reported: keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        keepUnverified();
    }

    /** No answer is handed over from now on; the listing out, if any, is interrupted (its media are kept). */
    private void abandon() {
        synchronized (handing) {
            abandoned = true;
        }
        thread.interrupt();
    }

    /** Stops verifying at once (shutdown after the grace): what is still waiting is kept, see {@link #close}. */
    void abort() {
        thread.interrupt();
    }

    /**
     * Uploads never verified keep their local files: at the cap they are left for the next run (not a failure);
     * after an abort they are reported as failed.
     */
    private void keepUnverified() {
        List<MediaOffloader.Transfer> left;
        synchronized (handing) {
            synchronized (this) {
                left = new ArrayList<>(listing);
                left.addAll(pending);
                listing = List.of();
                pending.clear();
                pendingKeys = 0;
                abandoned = true;
            }
        }
        boolean atCap = run.pastDeadline();
        for (MediaOffloader.Transfer transfer : left) {
            for (MediaOffloader.Uploaded u : transfer.uploaded()) {
                if (atCap) {
                    outcomes.unverifiedAtCap(u.file(), u.receipt().key());
                } else {
                    outcomes.failedAfterUpload(u.file(), u.receipt().key(),
                            "uploaded, but the run was aborted before its verification; kept");
                }
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

    /**
     * The next media to verify: up to MAX_KEYS keys, once that many wait or the oldest has waited long enough; none
     * past the cap (what waits is left in {@code pending} for {@link #keepUnverified}).
     */
    private synchronized List<MediaOffloader.Transfer> take() throws InterruptedException {
        while (true) {
            if (run.pastDeadline() || abandoned) {
                return List.of();
            }
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
                listing = batch;
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
            synchronized (handing) {
                if (!taken(batch)) {
                    return; // given up on at the cap: kept and reported by keepUnverified
                }
                // Unexpected (the port reports store failures per key): every media of the batch keeps its files.
                batch.forEach(t -> outcomes.unexpected(t.row(), "verifying", e));
            }
            return;
        }
        synchronized (handing) {
            if (taken(batch)) {
                handOver(batch, seen);
            }
        }
    }

    /** Takes the answered batch back from {@link #listing}; false when {@link #close} gave up on it. */
    private boolean taken(List<MediaOffloader.Transfer> batch) {
        synchronized (this) {
            if (abandoned || listing != batch) {
                return false;
            }
            listing = List.of();
            return true;
        }
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
