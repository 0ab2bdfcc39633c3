package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.config.S3Config;

/**
 * Everything one run's stages share: its identity and figures ({@link ActiveRun}), the journal buffer, the listener,
 * the stop signal, the clock, the run's settings and the {@link Outcomes} sink through which every file's fate is
 * recorded. Built once per run by {@link OffloadRun}; the stages take it instead of a long list of collaborators.
 */
final class RunContext {
    private final ActiveRun run;
    private final OffloadConfig config;
    private final Clock clock;
    private final JournalBuffer journal;
    private final Outcomes outcomes;
    private final Optional<Instant> deadline;
    private volatile boolean uploadsAborted;

    RunContext(ActiveRun run, OffloadConfig config, OffloadJournal journal, RunListener listener, Clock clock) {
        this.run = requireNonNull(run, "run is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.journal = new JournalBuffer(requireNonNull(journal, "journal is null"), run.runId, run.stop,
                run.counters);
        this.outcomes = new Outcomes(run.counters, this.journal, requireNonNull(listener, "listener is null"),
                config.s3());
        // From the run's start, not from here: the target check before it (on a first run, a preflight and a sample
        // of the bucket, seconds on a slow store) is part of the run's time as its summary and its caller see it.
        this.deadline = config.maxRunDuration().isZero()
                ? Optional.empty()
                : Optional.of(run.startedAt.plus(config.maxRunDuration()));
    }

    long runId() {
        return run.runId;
    }

    boolean dryRun() {
        return run.dryRun;
    }

    RunCounters counters() {
        return run.counters;
    }

    StopSignal stop() {
        return run.stop;
    }

    Clock clock() {
        return clock;
    }

    OffloadConfig config() {
        return config;
    }

    S3Config s3() {
        return config.s3();
    }

    JournalBuffer journal() {
        return journal;
    }

    Outcomes outcomes() {
        return outcomes;
    }

    /** When offload.max-run-duration ends this run, if it is capped. */
    Optional<Instant> deadline() {
        return deadline;
    }

    /**
     * From now on, a failed upload is one the run aborted at offload.max-run-duration ({@link OffloadRun}), not the
     * file's or the store's failure.
     */
    void uploadsAbortedAtCap() {
        uploadsAborted = true;
    }

    boolean uploadsAborted() {
        return uploadsAborted;
    }

    /** Past offload.max-run-duration (never, for an uncapped run). */
    boolean pastDeadline() {
        return deadline.isPresent() && !clock.instant().isBefore(deadline.get());
    }

    /** offload.max-run-duration came while the run waited for it: the run ends as TIME_LIMIT. */
    void capReached() {
        if (deadline.isPresent()) {
            run.stop.stop(RunStatus.TIME_LIMIT);
        }
    }

    /** Stopped, or past offload.max-run-duration (then the run ends as TIME_LIMIT): start no new media. */
    boolean mayStartMore() {
        if (deadline.isPresent() && clock.instant().isAfter(deadline.get())) {
            run.stop.stop(RunStatus.TIME_LIMIT);
        }
        return !run.stop.stopped();
    }
}
