package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * Passes a run's events on, and calls a hook (pinning the target) before the first file that counts as verified in
 * the bucket is reported, i.e. before it can be handed to deletion. Until the hook has succeeded once, it is tried
 * again for each verified file; when it throws, that file is reported as failed by its caller and kept.
 */
final class FirstVerified implements RunListener {
    private final RunListener next;
    private final Runnable hook;
    private volatile boolean done;

    FirstVerified(RunListener next, Runnable hook) {
        this.next = requireNonNull(next, "next is null");
        this.hook = requireNonNull(hook, "hook is null");
    }

    @Override
    public void runStarted(long runId, String trigger, boolean dryRun) {
        next.runStarted(runId, trigger, dryRun);
    }

    @Override
    public void phaseChanged(RunPhase phase) {
        next.phaseChanged(phase);
    }

    @Override
    public void workPlanned(long media, long files, long bytes) {
        next.workPlanned(media, files, bytes);
    }

    @Override
    public void fileProgressed(long bytes) {
        next.fileProgressed(bytes);
    }

    @Override
    public void fileFinished(FileOutcome outcome, long bytes) {
        if (!done && (outcome == FileOutcome.UPLOADED || outcome == FileOutcome.ALREADY_PRESENT)) {
            synchronized (this) {
                if (!done) {
                    hook.run();
                    done = true;
                }
            }
        }
        next.fileFinished(outcome, bytes);
    }

    @Override
    public void fileDeleted(long bytes) {
        next.fileDeleted(bytes);
    }

    @Override
    public void localContentDiffers(long bytes) {
        next.localContentDiffers(bytes);
    }

    @Override
    public void runFinished(RunSummary summary) {
        next.runFinished(summary);
    }
}
