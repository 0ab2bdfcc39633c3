package org.mediaoffload.pipeline;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Why a run should stop early, if it should. The first reason set wins. Work already verified may still be
 * deleted after a stop (it is verified); nothing new is started.
 */
final class StopSignal {
    private final AtomicReference<RunStatus> reason = new AtomicReference<>();

    void stop(RunStatus why) {
        reason.compareAndSet(null, why);
    }

    boolean stopped() {
        return reason.get() != null;
    }

    Optional<RunStatus> reason() {
        return Optional.ofNullable(reason.get());
    }

    void throwIfStopped() {
        if (stopped()) {
            throw new StoppedException();
        }
    }

    /** Unwinds a scan callback; carries no information beyond "stopped". */
    static final class StoppedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoppedException() {
            super("run stopped", null, false, false);
        }
    }
}
