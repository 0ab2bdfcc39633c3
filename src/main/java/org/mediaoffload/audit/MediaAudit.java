package org.mediaoffload.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.mediaoffload.audit.AuditBucket.BucketObject;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.pipeline.NamedThreadFactory;
import org.mediaoffload.pipeline.OffloadJournal;
import org.mediaoffload.store.MediaLocation;
import org.mediaoffload.store.MediaStoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit: one streamed merge of three sorted sources on exact S3 key bytes. The database rows and the local
 * files, read side by side on threads of their own ({@link EntryFeed}), go through an external sort into S3's
 * order; the bucket listing comes in that order, listed from the audit's start beside the scan and the walk and
 * spooled to disk ({@link BucketListing}); the merge then walks all three once ({@link KeyJudge}), the local
 * media's half while the remote media are still being read and sorted (their keys come after every local key).
 * Memory is bounded by the sort run, the feed's chunks, one listing page per range, the re-checks' batches and the
 * samples (the merge's share now beside the remote half's sort run, not after it), not by the number of keys. The
 * audit only reads: the bucket, the database and the media store are never written.
 */
public final class MediaAudit {
    private static final Logger LOG = LoggerFactory.getLogger(MediaAudit.class);

    private final AuditSettings settings;
    private final AuditCatalog catalog;
    private final AuditBucket bucket;
    private final LocalStore local;
    private final MediaStoreLayout layout;
    private final OffloadJournal runJournal;
    private final AuditJournal journal;
    private final TargetCheck targetRefusal;
    private final Clock clock;

    /**
     * @param targetRefusal asked before every audit (the pinned target's rule, {@code TargetGuard#auditRefusal}): why
     *                      the configured target must not be audited, e.g. it is not the pinned one, or reconciled,
     *                      e.g. no target is pinned; the audit is then REFUSED, like a run
     */
    public MediaAudit(AuditSettings settings, AuditCatalog catalog, AuditBucket bucket, LocalStore local,
            MediaStoreLayout layout, OffloadJournal runJournal, AuditJournal journal,
            TargetCheck targetRefusal, Clock clock) {
        this.settings = requireNonNull(settings, "settings is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.local = requireNonNull(local, "local is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.runJournal = requireNonNull(runJournal, "runJournal is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.targetRefusal = requireNonNull(targetRefusal, "targetRefusal is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Why the configured target must not be audited (or, with {@code deletesOrphans}, reconciled); empty if it may. */
    @FunctionalInterface
    public interface TargetCheck {
        Optional<String> refusal(boolean deletesOrphans);
    }

    /** Reserves and runs one audit. */
    public AuditReport run(AuditRequest request, AuditProgress progress) {
        return run(reserve(request.trigger()), request, progress);
    }

    /** Journals an audit as started, so its id can be answered before it runs (POST /api/v1/audits). */
    public long reserve(String trigger) {
        return journal.started(trigger, clock.instant());
    }

    /** Runs the audit {@link #reserve} returned {@code id} for. */
    public AuditReport run(long id, AuditRequest request, AuditProgress progress) {
        requireNonNull(request, "request is null");
        requireNonNull(progress, "progress is null");
        Instant start = clock.instant();
        long cutoffMs = start.minus(settings.quietPeriod()).toEpochMilli();
        Tallies tallies = new Tallies();
        List<String> errors = new ArrayList<>();
        Optional<String> refusal = targetRefusal(request.deleteOrphans());
        if (refusal.isPresent()) {
            LOG.error("Audit {} refused: {}", id, refusal.get());
            errors.add(refusal.get());
            AuditReport report = report(id, request, start, clock.instant(), false, errors, tallies, 0,
                    new AuditBucket.Features("unknown", "unknown"), null, null, null, null).refused();
            journal.finished(report);
            return report;
        }
        long[] mediaRows = {0};
        AuditBucket.Features features = new AuditBucket.Features("unknown", "unknown");
        boolean complete = false;
        LostRecheck lost = null;
        ContentCheck content = null;
        KeyJudge judge = null;
        ReconcileReport reconcile = null;
        Optional<AuditExport> export = Optional.empty();
        // A database read in more than one session (a restart, perhaps a restore, meanwhile) deletes nothing.
        // The ping first re-opens a connection lost while idle between audits, which says nothing about this one.
        catalogPing();
        long losses = catalog.connectionLosses();
        try (ExternalSorter sorter = new ExternalSorter(settings.workDir(), AuditSettings.SORT_RUN);
                // Listed from the start, beside the scan and the walk, into spool files: the merge below then waits
                // only for what the bucket has not answered yet, not for the whole listing after the sort.
                BucketListing listing = new BucketListing(bucket, settings.prefix(), settings.workDir())) {
            export = AuditExport.open(request.exportDir());
            // Asked beside the scan: only the report and the reconcile need the answer, and a cold client's first
            // request took half a second of the audit's start on the main thread (measured on Ceph RGW).
            CompletableFuture<AuditBucket.Features> asked = CompletableFuture.supplyAsync(bucket::features,
                    task -> new NamedThreadFactory("audit-features").newThread(task).start());
            lost = new LostRecheck(catalog, bucket, local, journal, settings.prefix(), tallies, export,
                    request.acknowledgeLost() && !request.dryRun(), settings.concurrency());
            content = new ContentCheck(request.verifyContent(), bucket, runJournal, tallies, settings.prefix(),
                    settings.concurrency());
            OrphanLedger orphans = new OrphanLedger(journal, id, clock);
            judge = new KeyJudge(layout, settings.prefix(), cutoffMs, tallies, lost, content, export, orphans);

            progress.phase("reading Synapse's media rows and walking the local media store");
            AtomicLong rows = new AtomicLong();
            complete = readAndMerge(id, sorter, listing, judge, cutoffMs, rows, start, progress);
            mediaRows[0] = rows.get();
            features = answer(asked);
            listing.stop(); // its threads and files are not needed for the re-checks and the reconcile
            if (!complete) {
                errors.add("stopped at offload.audit.max-duration (" + settings.maxDuration() + "); the figures"
                        + " cover the keys compared until then");
            }
            orphans.finish(complete);
            progress.phase("re-checking lost media");
            lost.finish();
            LostRecheck.Counts rechecked = lost.counts();
            LOG.info("Audit {}: lost candidates re-checked with {} HEADs and {} range listings", id,
                    rechecked.heads(), rechecked.listings());
            progress.phase("reading objects back");
            content.finish();
            if (request.deleteOrphans()) {
                progress.phase(request.dryRun() ? "listing the orphans a reconcile would delete" : "deleting orphans");
                reconcile = complete && errors.isEmpty()
                        ? reconciler().run(id, judge.trees(), limits(request), request.dryRun(), features,
                                () -> catalog.connectionLosses() == losses, errors)
                        : notAttempted();
            }
        } catch (RuntimeException e) {
            LOG.error("Audit {} failed: {}", id, e.getMessage(), e);
            errors.add(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            complete = false;
        } finally {
            if (lost != null) {
                lost.close();
            }
            if (content != null) {
                content.close();
            }
            export.ifPresent(AuditExport::close);
        }
        if (request.deleteOrphans() && reconcile == null) {
            reconcile = notAttempted();
        }
        AuditReport report = report(id, request, start, clock.instant(), complete, errors, tallies, mediaRows[0],
                features, lost, content, judge, reconcile);
        journal.finished(report);
        return report;
    }

    private void catalogPing() {
        try {
            catalog.ping();
        } catch (RuntimeException e) {
            // The scan reports it, with the audit's errors.
            LOG.debug("Audit database ping failed: {}", e.getMessage());
        }
    }

    private OrphanReconcile reconciler() {
        return new OrphanReconcile(journal, catalog, bucket, layout, settings.prefix(), clock);
    }

    private OrphanReconcile.Limits limits(AuditRequest request) {
        return new OrphanReconcile.Limits(settings.orphanGrace(),
                request.maxOrphanFraction().orElse(settings.maxOrphanFraction()), settings.maxDeletions());
    }

    /** Only a complete audit without errors has looked at every key; an incomplete one deletes nothing. */
    private static ReconcileReport notAttempted() {
        return new ReconcileReport(false, 0, 0, 0, 0, 0, 0, 0, 0,
                List.of("no orphan deleted: the audit did not complete without errors"));
    }

    /** The figures and, with reconcile, the deletions are about the bucket Synapse reads only at the pinned target. */
    private Optional<String> targetRefusal(boolean deletesOrphans) {
        try {
            return targetRefusal.refusal(deletesOrphans);
        } catch (RuntimeException e) {
            return Optional.of("the target could not be checked: " + e.getMessage());
        }
    }

    /**
     * Reads and sorts the local media's rows and files, then the remote media's. The local media's keys
     * ({@code local_content/}, {@code local_thumbnails/}) all sort before the remote media's ({@code remote_...}), so
     * the merge of the local half with the bucket runs on a thread of its own while the remote half is read, and
     * goes on with the remote half once that is sorted.
     *
     * @return false when the merge stopped at max-duration
     */
    private boolean readAndMerge(long id, ExternalSorter sorter, BucketListing listing, KeyJudge judge, long cutoffMs,
            AtomicLong rows, Instant start, AuditProgress progress) {
        // No variable holds the local half: once merged, its entries may go (see MergeThread).
        try (MergeThread merging = new MergeThread(readHalf(MediaKind.LOCAL, sorter, cutoffMs, rows),
                entries -> merge(entries, listing, judge, start, progress))) {
            LOG.info("Audit {}: {} entries of local media sorted ({} run files); comparing them with the bucket"
                    + " while the remote media are read", id, sorter.count(), sorter.runFiles());
            Iterator<Entry> remote;
            try {
                long before = sorter.count();
                remote = readHalf(MediaKind.REMOTE, sorter, cutoffMs, rows);
                LOG.info("Audit {}: {} entries of remote media sorted ({} run files in all)", id,
                        sorter.count() - before, sorter.runFiles());
            } catch (RuntimeException | Error e) {
                merging.fail(e);
                throw e;
            }
            progress.phase("comparing with the bucket");
            return merging.finish(remote);
        }
    }

    /** The scan of one kind's rows and the walk of its trees, side by side: their entries, sorted. */
    private Iterator<Entry> readHalf(MediaKind kind, ExternalSorter sorter, long cutoffMs, AtomicLong rows) {
        try (EntryFeed feed = new EntryFeed("audit-read", List.of(out -> readRows(kind, out, cutoffMs, rows),
                out -> readDisk(kind, out)))) {
            feed.drainTo(sorter::add);
        }
        return sorter.sorted();
    }

    private static AuditBucket.Features answer(CompletableFuture<AuditBucket.Features> asked) {
        try {
            return asked.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Runs on a thread of its own ({@link EntryFeed}): {@code rows} counts the media rows read. */
    private void readRows(MediaKind kind, Consumer<Entry> sorter, long cutoffMs, AtomicLong rows) {
        String prefix = settings.prefix();
        long[] unmappable = {0};
        catalog.scan(kind, new AuditCatalog.Sink() {
            @Override
            public void media(AuditCatalog.MediaEntry m) {
                rows.incrementAndGet();
                MediaLocation.Valid at = locate(m.kind(), m.origin(), m.filesystemId());
                if (at == null) {
                    unmappable[0]++;
                    return;
                }
                long ts = m.createdTs() == null ? 0 : m.createdTs();
                int flags = (m.urlCache() ? Entry.URL_CACHE : 0) | (ts > cutoffMs ? Entry.RECENT : 0);
                String sha = m.sha256() == null ? "" : m.sha256();
                sorter.accept(new Entry(prefix + at.original(), Entry.Source.ROW_ORIGINAL,
                        m.mediaLength() == null ? -1 : m.mediaLength(), ts, m.origin(), m.mediaId(), sha, flags));
                sorter.accept(new Entry(prefix + at.thumbnailDir() + "/", Entry.Source.MEDIA_DIR, 0, ts, m.origin(),
                        m.mediaId(), "", flags));
            }

            @Override
            public void thumbnail(AuditCatalog.ThumbnailEntry t) {
                MediaLocation.Valid at = locate(t.kind(), t.origin(), t.filesystemId());
                if (at == null) {
                    return;
                }
                for (String name : thumbnailNames(t)) {
                    sorter.accept(new Entry(prefix + at.thumbnailDir() + "/" + name, Entry.Source.ROW_THUMBNAIL, 0, 0,
                            t.origin(), "", "", 0));
                }
            }
        });
        if (unmappable[0] > 0) {
            LOG.warn("{} media rows in {} have ids that cannot form a path in the media store; not audited",
                    unmappable[0], catalog.describe());
        }
    }

    private MediaLocation.Valid locate(MediaKind kind, String origin, String filesystemId) {
        if (filesystemId == null) {
            return null;
        }
        return layout.locate(kind, origin, filesystemId) instanceof MediaLocation.Valid valid ? valid : null;
    }

    /**
     * Synapse's file name for a thumbnail row ({@code W-H-top-sub-method}); for remote media also the name without
     * the method, which Synapse before 1.21 wrote and still reads.
     */
    static List<String> thumbnailNames(AuditCatalog.ThumbnailEntry t) {
        String type = t.type();
        int slash = type == null ? -1 : type.indexOf('/');
        if (slash <= 0 || type.indexOf('/', slash + 1) >= 0) {
            return List.of();
        }
        String base = t.width() + "-" + t.height() + "-" + type.substring(0, slash) + "-" + type.substring(slash + 1);
        List<String> names = new ArrayList<>(2);
        if (t.method() != null) {
            names.add(base + "-" + t.method());
        }
        if (t.kind() == MediaKind.REMOTE) {
            names.add(base);
        }
        return names;
    }

    /** Runs on a thread of its own ({@link EntryFeed}). */
    private void readDisk(MediaKind kind, Consumer<Entry> sorter) {
        String prefix = settings.prefix();
        local.walk(kind, id -> {
            MediaRow probe = new MediaRow(id.kind(), id.origin(), id.filesystemId(), id.filesystemId(),
                    OptionalLong.empty(), 0, false);
            if (local.filesOf(probe) instanceof LocalStore.MediaFiles.Found found) {
                for (LocalFile f : found.files()) {
                    sorter.accept(new Entry(prefix + f.relativePath(), Entry.Source.DISK, f.size(), f.mtimeMs(),
                            id.origin(), "", "", 0));
                }
            }
        });
    }

    /** @return false when stopped by max-duration */
    private boolean merge(Iterator<Entry> entries, BucketListing listing, KeyJudge judge, Instant start,
            AuditProgress progress) {
        Duration max = settings.maxDuration();
        Instant deadline = max.isZero() ? Instant.MAX : start.plus(max);
        List<Entry> group = new ArrayList<>();
        long compared = 0;
        BucketObject object = listing.hasNext() ? listing.next() : null;
        // Compared on UTF-8 bytes, unsigned: S3's order, and the entries' (Entry.ORDER).
        byte[] objectKey = object == null ? null : object.key().getBytes(UTF_8);
        Entry entry = entries.hasNext() ? entries.next() : null;
        while (object != null || entry != null) {
            if (++compared % 1000 == 0) {
                progress.compared(compared);
                if (clock.instant().isAfter(deadline)) {
                    return false;
                }
                // A stopped audit (MergeThread.close interrupts): seen here too, not only in the waits.
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted while comparing with the bucket");
                }
            }
            int cmp = object == null ? 1 : entry == null ? -1 : entry.compareToKey(objectKey);
            String key = cmp <= 0 ? object.key() : entry.key();
            byte[] keyBytes = cmp <= 0 ? objectKey : entry.keyBytes();
            BucketObject current = null;
            if (cmp <= 0) {
                current = object;
                object = listing.hasNext() ? listing.next() : null;
                objectKey = object == null ? null : object.key().getBytes(UTF_8);
            }
            group.clear();
            while (entry != null && entry.hasKey(keyBytes)) {
                group.add(entry);
                entry = entries.hasNext() ? entries.next() : null;
            }
            if (entry != null && entry.compareToKey(keyBytes) > 0) {
                // A sort or a half out of order would misjudge every key past it: stop rather than report that.
                throw new IllegalStateException("the audit's sorted entries are out of order at " + entry.key()
                        + " (after " + key + "); nothing is reported past it");
            }
            judge.judge(key, current, group);
        }
        progress.compared(compared);
        return true;
    }

    private AuditReport report(long id, AuditRequest request, Instant start, Instant end, boolean complete,
            List<String> errors, Tallies t, long mediaRows, AuditBucket.Features features, LostRecheck lost,
            ContentCheck content, KeyJudge judge, ReconcileReport reconcile) {
        long newLost = lost == null ? 0 : lost.newLost();
        boolean problems = newLost > 0 || t.files(AuditClass.CORRUPT) > 0 || t.files(AuditClass.UNREADABLE) > 0;
        String status = !complete ? AuditReport.INCOMPLETE : problems ? AuditReport.PROBLEMS : AuditReport.CLEAN;
        return new AuditReport(id, request.trigger(), status, request.dryRun(), start, end,
                Duration.between(start, end).toMillis() / 1000.0,
                judge == null ? 0 : judge.objects(), judge == null ? 0 : judge.bytes(), mediaRows,
                t.files(AuditClass.LOST), t.files(AuditClass.LOST_REMOTE), newLost,
                lost == null ? 0 : lost.acknowledgedLost(),
                t.files(AuditClass.ORPHAN), t.bytes(AuditClass.ORPHAN), t.files(AuditClass.SIZE_MISMATCH),
                t.files(AuditClass.STRAY_THUMBNAIL), t.files(AuditClass.FOREIGN),
                content == null ? 0 : content.checked(), t.files(AuditClass.CORRUPT),
                content == null ? 0 : content.unverifiable(), t.files(AuditClass.UNREADABLE),
                reconcile == null ? 0 : reconcile.objectsDeleted(), reconcile == null ? 0 : reconcile.bytesReclaimed(),
                features.versioning(), features.objectLock(), catalog.hasSha256(), t.counts(), t.samples(),
                List.copyOf(errors), reconcile);
    }
}
