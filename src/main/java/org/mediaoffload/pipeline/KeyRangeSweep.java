package org.mediaoffload.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.mediaoffload.pipeline.ObjectStore.ListPage;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "which of these keys are in the bucket, and how big" for many keys with as few listings as the bucket
 * allows: the keys are sorted, and one page starting just before the first unanswered key answers every requested
 * key up to the page's last key (present with its size, or absent). A run hands in the
 * keys of neighbouring media (work is processed in key order), so on a first offload one page answers a whole batch
 * where per-media listings took two requests per media.
 *
 * <p>Pages are sized from the density seen so far (listed keys per answered key), from {@value #MIN_PAGE} up to S3's
 * limit of {@value #PAGE}, and grow when a stretch of the bucket is denser. It stops sweeping for the rest of the run,
 * and the run goes back to listing each media's own key range, when a sweep costs more than it saves: a page of
 * {@value #PAGE} keys that answered fewer than {@value #MIN_ANSWERED_PER_PAGE} keys (a bucket
 * much denser than the work), or a store whose pages are not sorted or ignore {@code start-after}. What a sweep
 * reports is only what the store listed, so a wrong guess costs requests, never safety.
 */
final class KeyRangeSweep {
    private static final Logger log = LoggerFactory.getLogger(KeyRangeSweep.class);

    /** S3's page limit. */
    static final int PAGE = 1_000;
    /** The smallest page asked for: a request costs far more than a few dozen keys in it. */
    static final int MIN_PAGE = 64;
    /** Break-even against per-media listings (about one request each for 1-3 keys), measured in CPU per key. */
    static final int MIN_ANSWERED_PER_PAGE = 8;

    /** S3 lists keys in UTF-8 byte order, which is code point order (String.compareTo is UTF-16 order). */
    static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final ObjectStore store;
    private volatile boolean enabled = true;
    /**
     * Keys listed per key answered, over this run so far. Pages are sized from it: a page that lists far past the
     * batch's last key costs parsing (on a first offload, the keys of the batches uploaded meanwhile).
     */
    private volatile double listedPerAnswered;

    KeyRangeSweep(ObjectStore store) {
        this(store, 2);
    }

    /** @param listedPerAnswered the density to start from (tests start from a dense bucket's) */
    KeyRangeSweep(ObjectStore store, double listedPerAnswered) {
        this.store = requireNonNull(store, "store is null");
        this.listedPerAnswered = listedPerAnswered;
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Lists the key ranges around {@code keys}, one tree at a time ({@code treeOf} names it, e.g. {@code
     * local_thumbnails/}): within a tree a batch's keys are neighbours, while between two trees lie the keys of every
     * other media. The answer covers all keys unless the sweep gave up on the way (then the rest is the caller's to
     * check another way).
     *
     * @throws ObjectStoreException as the store throws it
     */
    Answer sweep(Collection<String> keys, Function<String, String> treeOf) {
        Map<String, TreeSet<String>> trees = new TreeMap<>();
        for (String key : keys) {
            trees.computeIfAbsent(treeOf.apply(key), t -> new TreeSet<>(KEY_ORDER)).add(key);
        }
        Map<String, ListedObject> found = new HashMap<>();
        Set<String> answered = new HashSet<>();
        for (TreeSet<String> tree : trees.values()) {
            sweepTree(tree, found, answered);
        }
        return new Answer(answered, found);
    }

    private void sweepTree(TreeSet<String> sorted, Map<String, ListedObject> found, Set<String> answered) {
        List<String> pending = new ArrayList<>(sorted);
        int next = 0;
        int pageSize = pageSizeFor(pending.size());
        while (enabled && next < pending.size()) {
            String first = pending.get(next);
            String prefix = commonPrefix(first, pending.get(pending.size() - 1));
            // A proper prefix of the first key sorts before it and before nothing else we need.
            String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
            ListPage page = store.listPage(prefix, startAfter, pageSize);
            if (!wellFormed(page.objects(), prefix, startAfter)) {
                disable("the store's listing ignores start-after or is not sorted");
                break;
            }
            for (ListedObject object : page.objects()) {
                if (sorted.contains(object.key())) {
                    found.put(object.key(), object);
                }
            }
            // Everything up to the page's last key was listed; a last page lists everything that follows.
            String lastListed = page.truncated() && !page.objects().isEmpty()
                    ? page.objects().get(page.objects().size() - 1).key()
                    : null;
            if (page.truncated() && lastListed == null) {
                disable("the store returned an empty page marked as truncated");
                break;
            }
            int before = next;
            while (next < pending.size() && (lastListed == null || KEY_ORDER.compare(pending.get(next), lastListed) <= 0)) {
                answered.add(pending.get(next));
                next++;
            }
            int answeredNow = next - before;
            int left = pending.size() - before;
            if (answeredNow > 0) {
                listedPerAnswered = 0.8 * listedPerAnswered + 0.2 * page.objects().size() / (double) answeredNow;
            }
            if (page.truncated() && pageSize >= PAGE && answeredNow < Math.min(MIN_ANSWERED_PER_PAGE, left)) {
                disable("the bucket holds many more keys than this run has files (a page of " + page.objects().size()
                        + " keys answered " + answeredNow + ")");
            } else if (page.truncated() && next < pending.size()) {
                // Too small a page for this stretch of the bucket: ask for more keys next time.
                pageSize = Math.min(PAGE, Math.max(pageSizeFor(pending.size() - next), 2 * pageSize));
            }
        }
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

    private static boolean wellFormed(List<ListedObject> objects, String prefix, String startAfter) {
        String previous = startAfter;
        for (ListedObject object : objects) {
            if (!object.key().startsWith(prefix) || KEY_ORDER.compare(object.key(), previous) <= 0) {
                return false;
            }
            previous = object.key();
        }
        return true;
    }

    static String commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        // Never split a surrogate pair: the prefix must be valid UTF-16 to become valid UTF-8 on the wire.
        if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
            i--;
        }
        return a.substring(0, i);
    }

    /** Which keys a sweep answered, and the objects it found among them. */
    record Answer(Set<String> answered, Map<String, ListedObject> objects) {
        Map<String, Long> sizes() {
            Map<String, Long> sizes = new HashMap<>();
            objects.forEach((key, object) -> sizes.put(key, object.size()));
            return sizes;
        }
    }
}
