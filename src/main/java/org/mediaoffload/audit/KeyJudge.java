package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.mediaoffload.audit.AuditBucket.BucketObject;
import org.mediaoffload.store.MediaStoreLayout;

/**
 * Classifies one key of the merge: what the bucket, the rows and the disk say about it. Keys arrive in S3's
 * order, so a media's {@link Entry.Source#MEDIA_DIR} entry (its thumbnail directory plus "/") comes right before
 * all of its thumbnails: remembering the last one is enough to know whether a thumbnail's media exists.
 */
final class KeyJudge {

    private final MediaStoreLayout layout;
    private final String prefix;
    private final long cutoffMs;
    private final Tallies tallies;
    private final LostRecheck lost;
    private final ContentCheck content;
    private final Optional<AuditExport> export;
    private final OrphanLedger orphans;
    private final TreeCounts trees = new TreeCounts();
    private Entry mediaDir;
    private long objects;
    private long bytes;

    KeyJudge(MediaStoreLayout layout, String prefix, long cutoffMs, Tallies tallies, LostRecheck lost,
            ContentCheck content, Optional<AuditExport> export, OrphanLedger orphans) {
        this.layout = requireNonNull(layout, "layout is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.cutoffMs = cutoffMs;
        this.tallies = requireNonNull(tallies, "tallies is null");
        this.lost = requireNonNull(lost, "lost is null");
        this.content = requireNonNull(content, "content is null");
        this.export = requireNonNull(export, "export is null");
        this.orphans = requireNonNull(orphans, "orphans is null");
    }

    /** @param object the listed object with this key, or null; @param entries the sorted entries with this key */
    void judge(String key, BucketObject object, List<Entry> entries) {
        Entry row = null;
        Entry thumbnailRow = null;
        Entry disk = null;
        for (Entry e : entries) {
            switch (e.source()) {
                case MEDIA_DIR -> mediaDir = e;
                case ROW_ORIGINAL -> row = row == null ? e : row;
                case ROW_THUMBNAIL -> thumbnailRow = e;
                case DISK -> disk = e;
            }
        }
        if (object != null) {
            objects++;
            bytes += object.size();
            lost.object();
        }
        String relative = key.substring(prefix.length());
        StoreKey parsed = StoreKey.parse(layout, relative);
        if (object != null && TreeKind.of(parsed) != null) {
            trees.object(TreeKind.of(parsed));
        }
        if (parsed instanceof StoreKey.Foreign) {
            if (object != null) {
                tallies.add(AuditClass.FOREIGN, object.size(), relative);
            }
        } else if (parsed instanceof StoreKey.Original) {
            original(parsed, relative, object, row, disk);
        } else {
            thumbnail(parsed, key, relative, object, thumbnailRow, disk);
        }
    }

    private void original(StoreKey parsed, String relative, BucketObject object, Entry row, Entry disk) {
        if (row == null) {
            withoutRow(parsed, relative, object, disk);
            return;
        }
        if (row.has(Entry.RECENT)) {
            tallies.add(AuditClass.RECENT, Math.max(0, row.size()), relative);
            return;
        }
        ordinary(relative, object, disk);
        boolean shouldExist = !row.has(Entry.URL_CACHE) && row.size() >= 0;
        if (object == null && disk == null && shouldExist) {
            lost.candidate(row, relative);
        }
        if (object != null && row.size() >= 0 && object.size() != row.size()) {
            tallies.add(AuditClass.SIZE_MISMATCH, object.size(), relative);
        }
        if (object != null && shouldExist) {
            content.offer(object.key(), row);
        }
    }

    private void thumbnail(StoreKey parsed, String key, String relative, BucketObject object, Entry thumbnailRow,
            Entry disk) {
        boolean mediaExists = mediaDir != null && key.startsWith(mediaDir.key());
        if (!mediaExists) {
            withoutRow(parsed, relative, object, disk);
            return;
        }
        if (mediaDir.has(Entry.RECENT)) {
            tallies.add(AuditClass.RECENT, object != null ? object.size() : disk != null ? disk.size() : 0, relative);
            return;
        }
        ordinary(relative, object, disk);
        if (object != null && thumbnailRow == null && !recent(object)) {
            tallies.add(AuditClass.STRAY_THUMBNAIL, object.size(), relative);
        }
    }

    private void withoutRow(StoreKey parsed, String relative, BucketObject object, Entry disk) {
        if (object != null) {
            if (recent(object)) {
                tallies.add(AuditClass.RECENT, object.size(), relative);
                // Not judged, but journaled (first seen now): a media with a fresh object waits its own grace, so
                // its older objects are not deleted without it.
                orphans.seen(object, StoreKey.mediaOf(parsed));
            } else {
                tallies.add(AuditClass.ORPHAN, object.size(), relative);
                trees.orphan(TreeKind.of(parsed));
                export.ifPresent(e -> e.orphan(object));
                orphans.seen(object, StoreKey.mediaOf(parsed));
            }
        }
        if (disk != null) {
            tallies.add(disk.timeMs() > cutoffMs ? AuditClass.RECENT : AuditClass.LOCAL_WITHOUT_ROW, disk.size(),
                    relative);
        }
    }

    private void ordinary(String relative, BucketObject object, Entry disk) {
        if (object != null && disk != null) {
            tallies.add(AuditClass.BOTH_LOCAL_AND_REMOTE, object.size(), relative);
        } else if (object != null) {
            tallies.add(AuditClass.S3_ONLY, object.size(), relative);
        } else if (disk != null) {
            tallies.add(AuditClass.LOCAL_ONLY, disk.size(), relative);
        }
    }

    /** Written after the audit's start minus the quiet period: an upload or an offload may be under way. */
    private boolean recent(BucketObject object) {
        return object.lastModified() != null && object.lastModified().toEpochMilli() > cutoffMs;
    }

    TreeCounts trees() {
        return trees;
    }

    long objects() {
        return objects;
    }

    long bytes() {
        return bytes;
    }
}
