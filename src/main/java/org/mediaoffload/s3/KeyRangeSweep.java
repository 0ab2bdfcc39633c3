package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStore.ListPage;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.pipeline.S3KeyOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "which of these keys are in the bucket, and how big" for many keys with as few listings as the bucket
 * allows: the keys are sorted, and one page under the run's prefix starting just before the first unanswered key
 * covers every key up to the page's last listed key (present with its size, or absent), and a last page every key
 * after it. Into an empty bucket, the first page covers the whole run.
 *
 * <p>Pages are sized from the density seen so far (listed keys per answered key), from {@value #MIN_PAGE} up to S3's
 * limit of {@value #PAGE}, and grow when a stretch of the bucket is denser. It stops sweeping for the rest of the run
 * (the caller then lists each media's own keys) when a sweep costs more than it saves: a page of {@value #PAGE} keys
 * that answered fewer than {@value #MIN_ANSWERED_PER_PAGE} keys from a dense stretch of the bucket, or while the
 * run's pages answer fewer than that on average (a bucket much denser than the work), or a store
 * whose pages are not sorted or ignore {@code start-after}. What a sweep reports is only what the store listed, so a
 * wrong guess costs requests, never safety.
 */
final class KeyRangeSweep {
    private static final Logger log = LoggerFactory.getLogger(KeyRangeSweep.class);

    /** S3's page limit. */
    static final int PAGE = 1_000;
    /** The smallest page asked for: a request costs far more than a few dozen keys in it. */
    static final int MIN_PAGE = 64;
    /** Break-even against per-media listings (about one request each for 1-3 keys), measured in CPU per key. */
    static final int MIN_ANSWERED_PER_PAGE = 8;

    private final ObjectStore store;
    private final String prefix;
    private volatile boolean enabled = true;
    /**
     * Keys listed per key answered, over this run so far. Pages are sized from it: a page that lists far past the
     * batch's last key costs parsing (on a first offload, the keys of the batches uploaded meanwhile).
     */
    private volatile double listedPerAnswered;
    /**
     * Pages listed and keys they answered over this run. A page that ended in a gap of the work (see
     * {@link #denseUpTo}) still turns sweeping off where pages answer few keys on average: keys spread so thinly
     * over a dense bucket that each page answers one, which per-media listings answer with smaller pages.
     */
    private final AtomicLong pages = new AtomicLong();
    private final AtomicLong answeredKeys = new AtomicLong();

    /** @param prefix the run's key prefix: every page lists under it */
    KeyRangeSweep(ObjectStore store, String prefix) {
        this(store, prefix, 2);
    }

    /** @param listedPerAnswered the density to start from (tests start from a dense bucket's) */
    KeyRangeSweep(ObjectStore store, String prefix, double listedPerAnswered) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.listedPerAnswered = listedPerAnswered;
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Lists the key ranges around {@code keys} (all under the prefix). The answer covers all keys unless the sweep
     * gave up on the way (then the rest is the caller's to check another way).
     *
     * @throws ObjectStoreException as the store throws it
     */
    Answer sweep(Collection<String> keys) {
        TreeSet<String> sorted = new TreeSet<>(S3KeyOrder.KEYS);
        sorted.addAll(keys);
        List<String> pending = new ArrayList<>(sorted);
        Map<String, ListedObject> found = new HashMap<>();
        Set<String> answered = new HashSet<>();
        List<Range> ranges = new ArrayList<>();
        int next = 0;
        int pageSize = pageSizeFor(pending.size());
        while (enabled && next < pending.size()) {
            String first = pending.get(next);
            // A proper prefix of the first key sorts before it and before nothing else we need.
            String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
            ListPage page = store.listPage(prefix, startAfter, pageSize);
            if (!wellFormed(page.objects(), startAfter)) {
                disable("the store's listing ignores start-after or is not sorted");
                break;
            }
            // Everything up to the page's last key was listed; a last page lists everything that follows.
            String lastListed = page.truncated() && !page.objects().isEmpty()
                    ? page.objects().get(page.objects().size() - 1).key()
                    : null;
            if (page.truncated() && lastListed == null) {
                disable("the store returned an empty page marked as truncated");
                break;
            }
            Map<String, ListedObject> listed = new HashMap<>();
            for (ListedObject object : page.objects()) {
                listed.put(object.key(), object);
                if (sorted.contains(object.key())) {
                    found.put(object.key(), object);
                }
            }
            ranges.add(new Range(prefix, startAfter, lastListed, listed));
            int before = next;
            while (next < pending.size()
                    && (lastListed == null || S3KeyOrder.KEYS.compare(pending.get(next), lastListed) <= 0)) {
                answered.add(pending.get(next));
                next++;
            }
            int answeredNow = next - before;
            int left = pending.size() - before;
            if (answeredNow > 0) {
                listedPerAnswered = 0.8 * listedPerAnswered + 0.2 * page.objects().size() / (double) answeredNow;
            }
            long pagesSoFar = pages.incrementAndGet();
            long answeredSoFar = answeredKeys.addAndGet(answeredNow);
            boolean poor = page.truncated() && pageSize >= PAGE && answeredNow < Math.min(MIN_ANSWERED_PER_PAGE, left);
            if (poor && (denseUpTo(page.objects(), answeredNow == 0 ? null : pending.get(next - 1))
                    || answeredSoFar < MIN_ANSWERED_PER_PAGE * pagesSoFar)) {
                disable("the bucket holds many more keys than this run has files (a page of " + page.objects().size()
                        + " keys answered " + answeredNow + ")");
            } else if (page.truncated() && next < pending.size()) {
                // Too small a page for this stretch of the bucket: ask for more keys next time.
                pageSize = Math.min(PAGE, Math.max(pageSizeFor(pending.size() - next), 2 * pageSize));
            }
        }
        return new Answer(answered, found, ranges);
    }

    /**
     * Whether the page's few answers came from a dense stretch of the bucket: at least half of its objects lie at
     * or before {@code lastAnswered} (null: it answered nothing). A page that answered its keys near its start and
     * then listed on through a stretch where the batch has no keys ended in a gap of the work, not in a dense
     * bucket: the next page starts just before the next key, past the gap. A first migration makes such pages: a
     * verification batch's few originals, then the thumbnails of every earlier media up to the batch's own
     * (2026-12-01: one such page of 1,000 keys answering 3 turned a first migration's verification into 417
     * per-media listings on the verifier's one thread).
     */
    private static boolean denseUpTo(List<ListedObject> objects, String lastAnswered) {
        if (lastAnswered == null) {
            return true;
        }
        int upTo = 0;
        for (ListedObject object : objects) {
            if (S3KeyOrder.KEYS.compare(object.key(), lastAnswered) > 0) {
                break;
            }
            upTo++;
        }
        return 2 * upTo >= objects.size();
    }

    /** Room for {@code keys} answers at the density seen so far, with slack; never above S3's limit. */
    private int pageSizeFor(int keys) {
        double wanted = keys * listedPerAnswered * 1.5 + 16;
        return (int) Math.max(MIN_PAGE, Math.min(PAGE, Math.ceil(wanted)));
    }

    private void disable(String why) {
        if (enabled) {
            enabled = false;
            log.info("Checking each media's own key range from now on: {}", why);
        }
    }

    private boolean wellFormed(List<ListedObject> objects, String startAfter) {
        String previous = startAfter;
        for (ListedObject object : objects) {
            if (!object.key().startsWith(prefix) || S3KeyOrder.KEYS.compare(object.key(), previous) <= 0) {
                return false;
            }
            previous = object.key();
        }
        return true;
    }

    /** Which keys a sweep answered, the objects it found among them, and the key ranges its pages covered. */
    record Answer(Set<String> answered, Map<String, ListedObject> objects, List<Range> ranges) {
        Map<String, Long> sizes() {
            Map<String, Long> sizes = new HashMap<>();
            objects.forEach((key, object) -> sizes.put(key, object.size()));
            return sizes;
        }
    }

    /**
     * What one listing proved: every key under {@code prefix} after {@code startAfter} and up to {@code through}
     * (null: to the end) is either among {@code objects} or was absent when the listing was made.
     */
    record Range(String prefix, String startAfter, String through, Map<String, ListedObject> objects) {
        boolean covers(String key) {
            return key.startsWith(prefix) && S3KeyOrder.KEYS.compare(key, startAfter) > 0
                    && (through == null || S3KeyOrder.KEYS.compare(key, through) <= 0);
        }
    }
}
