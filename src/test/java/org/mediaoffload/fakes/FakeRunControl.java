package org.mediaoffload.fakes;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.mediaoffload.pipeline.LiveProgress;
import org.mediaoffload.pipeline.RunControl;
import org.mediaoffload.pipeline.RunPhase;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;

/**
 * A RunControl whose runs last until the test ends them (or cancels them), with progress the test sets. It
 * enforces "one run at a time" like the engine and records every request, so tests can check who asked what.
 */
public final class FakeRunControl implements RunControl {
    /** One recorded start request. */
    public record Start(long runId, String trigger, boolean dryRun) {}

    private final Clock clock;
    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final List<RunSummary> finished = new ArrayList<>();
    private final AtomicInteger cancels = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private long nextId = 42;
    private LiveProgress current;
    private CountDownLatch currentDone;
    private RuntimeException nextFailure;
    private String notReady;
    private boolean finishImmediately;

    public FakeRunControl(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized long startRun(String trigger, boolean dryRun) {
        attempts.incrementAndGet();
        if (nextFailure != null) {
            RuntimeException failure = nextFailure;
            nextFailure = null;
            throw failure;
        }
        if (current != null) {
            throw new RunInProgressException(current.runId());
        }
        long id = nextId++;
        starts.add(new Start(id, trigger, dryRun));
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        current = new LiveProgress(id, trigger, dryRun, RunPhase.SCANNING, clock.instant(), -1, -1, -1, 0, 0, 0, 0,
                0, 0, 0, 0);
        currentDone = new CountDownLatch(1);
        if (finishImmediately) {
            finish(RunStatus.SUCCEEDED);
        }
        return id;
    }

    @Override
    public RunSummary runNow(String trigger, boolean dryRun) {
        long id = startRun(trigger, dryRun);
        CountDownLatch done;
        synchronized (this) {
            done = currentDone;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        synchronized (this) {
            return finished.stream().filter(s -> s.runId() == id).findFirst().orElseThrow();
        }
    }

    @Override
    public synchronized Optional<LiveProgress> current() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized boolean cancelCurrent() {
        cancels.incrementAndGet();
        if (current == null) {
            return false;
        }
        finish(RunStatus.CANCELLED);
        return true;
    }

    @Override
    public synchronized List<RunSummary> history(int limit) {
        List<RunSummary> newestFirst = new ArrayList<>(finished);
        java.util.Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    @Override
    public synchronized void checkReady() {
        if (notReady != null) {
            throw new IllegalStateException(notReady);
        }
    }

    /** Moves the current run along. */
    public synchronized void progress(RunPhase phase, long filesTotal, long bytesTotal, long filesDone,
            long bytesDone, long failed) {
        LiveProgress c = current;
        current = new LiveProgress(c.runId(), c.trigger(), c.dryRun(), phase, c.startedAt(), filesTotal, filesTotal,
                bytesTotal, filesDone, bytesDone, filesDone - failed, 0, filesDone - failed, bytesDone, failed, 0);
    }

    /** Ends the current run with this status. */
    public synchronized void finish(RunStatus status) {
        LiveProgress c = current;
        finished.add(new RunSummary(c.runId(), c.trigger(), c.dryRun(), status, c.startedAt(), clock.instant(),
                c.mediaTotal(), 0, c.filesUploaded(), c.bytesDone(), 0, c.filesDeleted(), c.bytesFreed(),
                c.filesFailed(), 0, 3, 3000, List.of()));
        current = null;
        concurrent.decrementAndGet();
        currentDone.countDown();
    }

    /** Adds a finished run to the history directly. */
    public synchronized void addHistory(RunSummary summary) {
        finished.add(summary);
    }

    public synchronized void failNextStart(RuntimeException failure) {
        nextFailure = failure;
    }

    public synchronized void finishRunsImmediately(boolean yes) {
        finishImmediately = yes;
    }

    public synchronized void notReady(String reason) {
        notReady = reason;
    }

    public synchronized boolean running() {
        return current != null;
    }

    public List<Start> starts() {
        return List.copyOf(starts);
    }

    /** Every start request, including refused and failed ones. */
    public int attempts() {
        return attempts.get();
    }

    public int cancels() {
        return cancels.get();
    }

    public int maxConcurrent() {
        return maxConcurrent.get();
    }

    public Instant now() {
        return clock.instant();
    }
}
