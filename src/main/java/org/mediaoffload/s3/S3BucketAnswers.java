package org.mediaoffload.s3;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mediaoffload.pipeline.BucketAnswers;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;
import org.mediaoffload.pipeline.ObjectStore.ListedObject;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket's answers for one run, spending as few requests as the safety rules allow.
 *
 * <p>Before upload, {@link KeyRangeSweep} pages (under the run's prefix, starting just before the first key not yet
 * covered) prove absence for every key up to the page's last listed key, and presence with size for the keys they
 * list; what they covered is kept (a bounded number of ranges), so later keys in key order need no request: into an
 * empty bucket, one listing answers a whole first migration. Where the sweep gave up (a bucket much denser than the
 * work, or a store whose listing ignores {@code start-after}), each media's own key range is listed: the original's
 * key (one request) and its thumbnail directory (one request for all its thumbnails). A key a listing shows gets a
 * HEAD with our SSE-C key (does it decrypt with it?); an absent key needs nothing more. Without {@code s3:ListBucket}
 * (a listing answered 403) every check is a HEAD, and a HEAD's 403 then means "missing or forbidden, unknown"; where
 * a listing shows the object, a 403 means our key is refused (some stores answer a wrong SSE-C key so).
 *
 * <p>After upload ({@link #after}) a fresh sweep, or per-media listings, cover the keys just uploaded; any key they
 * do not cover falls back to a HEAD.
 */
public final class S3BucketAnswers implements BucketAnswers {
    private static final Logger log = LoggerFactory.getLogger(S3BucketAnswers.class);
    /** Listings remembered for later keys: a few per tree the run is in, each at most a page of keys. */
    static final int RANGES_KEPT = 16;

    private final ObjectStore store;
    private final String prefix;
    private final Health health;
    private final boolean checksums;
    private final KeyRangeSweep sweep;
    private final Deque<KeyRangeSweep.Range> ranges = new ArrayDeque<>();
    private volatile boolean listingAllowed = true;

    /**
     * @param prefix    the run's key prefix ({@code offload.s3.prefix})
     * @param checksums HEAD in checksum mode
     */
    public S3BucketAnswers(ObjectStore store, String prefix, Health health, boolean checksums) {
        this(store, prefix, health, checksums, new KeyRangeSweep(store, prefix));
    }

    S3BucketAnswers(ObjectStore store, String prefix, Health health, boolean checksums, KeyRangeSweep sweep) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.health = requireNonNull(health, "health is null");
        this.checksums = checksums;
        this.sweep = requireNonNull(sweep, "sweep is null");
    }

    /** Answers for each run against {@code store}. */
    public static Factory factory(ObjectStore store, String prefix) {
        return (health, checksums) -> new S3BucketAnswers(store, prefix, health, checksums);
    }

    @Override
    public void expect(Collection<String> keys) {
        if (!listingAllowed || !sweep.enabled()) {
            return;
        }
        List<String> uncovered = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (covering(key).isEmpty()) {
                uncovered.add(key);
            }
        }
        sweepAndKeep(uncovered);
    }

    @Override
    public HeadResult before(String key, boolean mayList) {
        if (mayList && listingAllowed) {
            Optional<KeyRangeSweep.Range> range = covering(key).or(() -> listFor(key));
            if (range.isPresent()) {
                if (!range.get().objects().containsKey(key)) {
                    return new HeadResult.Absent();
                }
                HeadResult head = head(key);
                // The listing shows the object, so this 403 is not "missing without ListBucket": some stores (AWS)
                // answer a wrong SSE-C key with 403. Unreadable, rather than overwritten.
                return head instanceof HeadResult.Unknown unknown
                        ? new HeadResult.Unreadable(unknown.status(), "AccessDenied")
                        : head;
            }
        }
        return head(key);
    }

    @Override
    public Seen after(Collection<String> keys) {
        Map<String, ListedObject> found = new HashMap<>();
        Set<String> answered = new LinkedHashSet<>();
        if (listingAllowed && sweep.enabled() && !keys.isEmpty()) {
            try {
                KeyRangeSweep.Answer answer = sweep.sweep(keys);
                health.answered();
                answered.addAll(answer.answered());
                found.putAll(answer.objects());
            } catch (ObjectStoreException e) {
                listFailed(e);
            }
        }
        if (listingAllowed && !sweep.enabled()) {
            Set<String> listPrefixes = new LinkedHashSet<>();
            for (String key : keys) {
                if (!answered.contains(key)) {
                    listPrefixes.add(listPrefixOf(key));
                }
            }
            for (String listPrefix : listPrefixes) {
                list(listPrefix).ifPresent(range -> {
                    found.putAll(range.objects());
                    keys.stream().filter(range::covers).forEach(answered::add);
                });
            }
        }
        return key -> answered.contains(key)
                ? Optional.ofNullable(found.get(key))
                : head(key) instanceof HeadResult.Present p
                        ? Optional.of(new ListedObject(key, p.size(), p.eTag(), p.lastModified()))
                        : Optional.empty();
    }

    private HeadResult head(String key) {
        HeadResult result = store.head(key, checksums);
        health.answered();
        return result;
    }

    private synchronized Optional<KeyRangeSweep.Range> covering(String key) {
        for (KeyRangeSweep.Range range : ranges) {
            if (range.covers(key)) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    private synchronized void keep(KeyRangeSweep.Range range) {
        ranges.addFirst(range);
        while (ranges.size() > RANGES_KEPT) {
            ranges.removeLast();
        }
    }

    /** A listing that covers {@code key}: a sweep page from it, or its media's own key range. */
    private Optional<KeyRangeSweep.Range> listFor(String key) {
        if (sweep.enabled()) {
            sweepAndKeep(List.of(key));
            Optional<KeyRangeSweep.Range> swept = covering(key);
            if (swept.isPresent() || !listingAllowed) {
                return swept;
            }
        }
        Optional<KeyRangeSweep.Range> own = listingAllowed ? list(listPrefixOf(key)) : Optional.empty();
        own.ifPresent(this::keep);
        return own;
    }

    private void sweepAndKeep(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try {
            KeyRangeSweep.Answer answer = sweep.sweep(keys);
            health.answered();
            answer.ranges().forEach(this::keep);
        } catch (ObjectStoreException e) {
            listFailed(e);
        }
    }

    private Optional<KeyRangeSweep.Range> list(String listPrefix) {
        try {
            Map<String, ListedObject> objects = new HashMap<>();
            for (ListedObject object : store.list(listPrefix)) {
                objects.put(object.key(), object);
            }
            health.answered();
            return Optional.of(new KeyRangeSweep.Range(listPrefix, "", null, objects));
        } catch (ObjectStoreException e) {
            listFailed(e);
            return Optional.empty();
        }
    }

    /**
     * The key range one per-media listing answers for: an original's own key, or its media's thumbnail directory
     * (all of a media's thumbnails in one request).
     */
    private String listPrefixOf(String key) {
        boolean thumbnail = key.startsWith("local_thumbnails/", prefix.length())
                || key.startsWith("remote_thumbnail/", prefix.length());
        return thumbnail ? key.substring(0, key.lastIndexOf('/') + 1) : key;
    }

    private void listFailed(ObjectStoreException e) {
        if (e.status() == 403) {
            if (listingAllowed) {
                log.warn("Listing the bucket is not allowed (403); checking every file with HEAD instead."
                        + " Grant s3:ListBucket to save requests.");
            }
            listingAllowed = false;
        } else {
            health.failed(e);
        }
    }
}
