package org.mediaoffload.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.mediaoffload.pipeline.RunControl;
import org.mediaoffload.pipeline.RunControl.RunInProgressException;
import org.mediaoffload.pipeline.RunSummary;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.InterruptableJob;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled run. One instance serves every firing (our JobFactory returns it), so it holds no per-run state
 * beyond the shutdown latch. A failing run is logged and the job returns normally: the daemon lives on.
 */
@DisallowConcurrentExecution
final class OffloadJob implements InterruptableJob {
    static final String TRIGGER = "schedule";
    private static final Logger log = LoggerFactory.getLogger(OffloadJob.class);

    private final RunControl runs;
    private final Duration randomDelay;
    private final RandomGenerator random;
    /** Counted down once, at scheduler shutdown; after that no further run may start. */
    private final CountDownLatch shuttingDown = new CountDownLatch(1);

    OffloadJob(RunControl runs, Duration randomDelay, RandomGenerator random) {
        this.runs = requireNonNull(runs, "runs is null");
        this.randomDelay = requireNonNull(randomDelay, "randomDelay is null");
        this.random = requireNonNull(random, "random is null");
    }

    @Override
    public void execute(JobExecutionContext context) {
        try {
            if (!waitRandomDelay()) {
                return;
            }
            RunSummary summary = runs.runNow(TRIGGER, false);
            log.info("Scheduled run {} ended: {}", summary.runId(), summary.status().words());
        } catch (RunInProgressException e) {
            log.info("Scheduled run skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            // The next firing tries again; the run's own journal and metrics carry the details.
            log.error("Scheduled run failed", e);
        }
    }

    /**
     * Called by {@link OffloadScheduler#close()} and by Quartz on shutdown(true) with
     * interruptJobsOnShutdownWithWait; safe to call more than once.
     */
    @Override
    public void interrupt() {
        shuttingDown.countDown();
        // A run that started just before the latch is cancelled here; the engine stops it safely.
        runs.cancelCurrent();
    }

    /** Spreads runs of many hosts over time, like systemd's RandomizedDelaySec. False when shutting down. */
    private boolean waitRandomDelay() {
        long maxMillis = randomDelay.toMillis();
        long delayMillis = maxMillis <= 0 ? 0 : random.nextLong(0, maxMillis + 1);
        if (delayMillis > 0) {
            log.info("Scheduled run starts after a random delay of {} s", delayMillis / 1000);
        }
        try {
            return !shuttingDown.await(delayMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
