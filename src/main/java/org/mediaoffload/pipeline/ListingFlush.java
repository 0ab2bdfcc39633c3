package org.mediaoffload.pipeline;

/**
 * When the {@link Verifier} sends its next verification listing, and how many keys that listing is asked about.
 *
 * <p>A listing costs the store about the same whether it answers 50 just-uploaded keys or 900 (S3Proxy spends ~1 s
 * of CPU on one at 20k keys in the bucket; on S3 it is one request either way), so the verifier waits until the keys
 * waiting fill what one listing answers ({@link BucketAnswers#keysPerListing}, at most {@value #MAX_KEYS}). Flushing
 * by time instead (every 250 ms) made a run send a listing per ~200-400 keys, and a daemon twice as many listings
 * as run-once on the same files. Time still ends a wait, for two reasons only: no key has been submitted for
 * {@value #QUIET_MS} ms (the uploads paused: waiting longer would only delay the deletions; the run's end needs no
 * timer, the verifier is closed then), or the oldest key has waited {@value #MAX_WAIT_MS} ms (slow uploads still get
 * verified and deleted at a steady pace). Both are long enough not to end a wait on a busy machine: a 5 s cap made a
 * run at 53 files/s (2 cores at load 90) list every ~270 keys, and 32 transfer threads starved of CPU can go a few
 * hundred ms without a submission.
 *
 * <p>None of this decides what a listing may prove: the verifier only ever takes keys whose PUT has returned.
 */
final class ListingFlush {
    /** The most keys one verification asks about: what one page of S3's 1,000 listed keys can answer. */
    static final int MAX_KEYS = 1_000;
    /** No key submitted for this long: the uploads paused or ended, verify what waits. */
    static final long QUIET_MS = 1_000;
    /** The oldest waiting key has waited this long: verify, however few keys wait. */
    static final long MAX_WAIT_MS = 30_000;

    private ListingFlush() {}

    /**
     * The most keys the next verification takes: what one listing answers, at most {@value #MAX_KEYS}; or
     * {@value #MAX_KEYS} where every key costs its own request anyway ({@code keysPerListing} 1: per-media listings,
     * or HEAD without {@code s3:ListBucket}), since a bigger batch then saves nothing but costs nothing either.
     */
    static int batchKeys(int keysPerListing) {
        return keysPerListing <= 1 ? MAX_KEYS : Math.min(keysPerListing, MAX_KEYS);
    }

    /**
     * How long to wait before verifying the keys that wait: 0 for now, else the milliseconds until a time rule
     * could end the wait (the caller waits that long, or until the next submission).
     *
     * @param pendingKeys    keys waiting, at least one
     * @param keysPerListing what one listing answers now ({@link BucketAnswers#keysPerListing})
     * @param oldestWaitedMs how long the oldest waiting key has waited
     * @param quietMs        how long since the last key was submitted
     * @param closing        the run's uploads have all returned: nothing more will come
     */
    static long waitMillis(int pendingKeys, int keysPerListing, long oldestWaitedMs, long quietMs, boolean closing) {
        if (pendingKeys < 1) {
            throw new IllegalArgumentException("nothing waits: " + pendingKeys);
        }
        boolean full = pendingKeys >= Math.min(Math.max(1, keysPerListing), MAX_KEYS);
        if (closing || full || quietMs >= QUIET_MS || oldestWaitedMs >= MAX_WAIT_MS) {
            return 0;
        }
        return Math.max(1, Math.min(QUIET_MS - quietMs, MAX_WAIT_MS - oldestWaitedMs));
    }
}
