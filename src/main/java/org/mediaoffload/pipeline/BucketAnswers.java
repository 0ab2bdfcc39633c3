package org.mediaoffload.pipeline;

import java.util.Collection;
import java.util.Optional;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;

/**
 * The bucket's answers a run needs, behind one port: which keys are present, with size, ETag, checksum and whether
 * our SSE-C key reads them. How they are found (listings that cover ranges of keys, a HEAD for what no listing
 * covered, the fallback without {@code s3:ListBucket}) is the implementation's business (the {@code s3} package);
 * the pipeline only decides. One instance serves one run (what it learns, e.g. that listing is refused, lasts a run).
 *
 * <p>Safety contract: a key is answered absent only where a listing covered it or a HEAD said 404, present only where
 * the store said so; whatever a listing covered is as old as that listing.
 */
public interface BucketAnswers {

    /**
     * Hints that these keys (in key order) will be asked for soon, so one listing can answer them all before the
     * transfer threads ask one by one. Never needed for correctness; failures are swallowed (and reported).
     */
    void expect(Collection<String> keys);

    /**
     * What is at {@code key} before our upload: {@link HeadResult.Absent} (a listing covered it or HEAD said 404),
     * {@link HeadResult.Present} (a HEAD with our SSE-C key read it; in checksum mode where the run asked for it),
     * {@link HeadResult.Unreadable} (400 to our SSE-C headers, no key echo, or a 403 to an object a listing shows),
     * or {@link HeadResult.Unknown} (a 403 with no listing to tell "missing" from "forbidden": upload, then verify).
     *
     * @param mayList false for files the journal says we offloaded before (one HEAD each, no listing)
     * @throws ObjectStoreException when the store did not answer for this key (the caller reports it)
     */
    HeadResult before(String key, boolean mayList);

    /**
     * After our uploads: a fresh look at {@code keys}, every one of whose PUT has returned (so a listing sent now
     * can prove them). Listings cover what they can; {@link Seen#at} asks HEAD for the rest.
     */
    Seen after(Collection<String> keys);

    /** A verification's answers. */
    interface Seen {
        /**
         * The object at {@code key} as listed (or HEADed with our key where no listing covered it); empty when there
         * is none that our key reads.
         *
         * @throws ObjectStoreException when the store did not answer for this key
         */
        Optional<ListedObject> at(String key);
    }

    /**
     * Where the port reports how the store answers: every request that succeeded, and the failures it does not throw
     * (a failed listing falls back to HEAD). Failures it throws are reported by whoever catches them.
     */
    interface Health {
        void answered();

        void failed(ObjectStoreException e);
    }

    /** Opens the answers for one run. */
    interface Factory {
        /** @param checksums HEAD in checksum mode (the store's probe showed it keeps real checksums) */
        BucketAnswers open(Health health, boolean checksums);
    }
}
