package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Asked before every run whether it may start, and on what terms: the pinned target lives behind this (see
 * {@code org.mediaoffload.pin.TargetGuard}), so the pipeline does not know how a target is proven.
 */
public interface RunGate {

    Verdict beforeRun(boolean dryRun);

    /**
     * @param refusal              why the run must not start: nothing is uploaded or deleted, the run is REFUSED
     * @param mayDelete            false: upload and verify, but keep every local file
     * @param mayRewriteUnreadable objects our SSE-C key cannot read may be overwritten
     * @param notes                said in the run's report (its problems) and logged
     * @param firstVerified        called before the first file of a non-dry run counts as verified in the bucket
     *                             (uploaded and verified, or found there readable with our key); an exception keeps
     *                             that file and is tried again at the next one
     * @param bucketChecked        the gate itself ran the bucket preflight ({@link ObjectStore#checkBucket()}) for
     *                             this run, so the run does not send it again before its first upload
     */
    record Verdict(Optional<String> refusal, boolean mayDelete, boolean mayRewriteUnreadable, List<String> notes,
            Runnable firstVerified, boolean bucketChecked) {
        public Verdict {
            requireNonNull(refusal, "refusal is null");
            notes = List.copyOf(notes);
            requireNonNull(firstVerified, "firstVerified is null");
        }

        /** A verdict that did not look at the bucket: the run checks it before its first upload. */
        public Verdict(Optional<String> refusal, boolean mayDelete, boolean mayRewriteUnreadable, List<String> notes,
                Runnable firstVerified) {
            this(refusal, mayDelete, mayRewriteUnreadable, notes, firstVerified, false);
        }

        public static Verdict refuse(String why) {
            return new Verdict(Optional.of(why), false, false, List.of(), () -> {});
        }
    }
}
