package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Semaphore;

/**
 * The daemon's one work slot: an offload run or an audit, never both (an audit seeing a run's half-moved media
 * would report nonsense, and both compete for the same bucket and database). A semaphore rather than a lock,
 * because a run started from the admin API ends on another thread than the one that took the slot.
 * Fair, so a scheduled run waiting behind an audit goes next.
 */
public final class WorkGate {
    private final Semaphore slot = new Semaphore(1, true);
    private volatile String holder = "";

    /** Waits for the slot. */
    public void acquire(String what) throws InterruptedException {
        slot.acquire();
        holder = requireNonNull(what, "what is null");
    }

    /** Takes the slot if it is free. */
    public boolean tryAcquire(String what) {
        if (slot.tryAcquire()) {
            holder = requireNonNull(what, "what is null");
            return true;
        }
        return false;
    }

    public void release() {
        holder = "";
        slot.release();
    }

    /** What holds the slot now ("" when free), for messages. */
    public String holder() {
        return holder;
    }

    /**
     * Why a request for the slot was refused, in the API's answer. Built here rather than by each caller, which
     * knew only what the other kind of work is called: a run refused behind a run read "an run".
     */
    public String busyMessage() {
        String what = holder;
        if (what.isEmpty()) { // released since the refusal
            return "a run or an audit was in progress; try again";
        }
        return ("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what
                + " is in progress; try again when it has finished";
    }
}
