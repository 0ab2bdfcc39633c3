package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.mediaoffload.audit.AuditBucket.BucketObject;
import org.mediaoffload.audit.AuditJournal.Candidate;
import org.mediaoffload.audit.AuditJournal.Deletion;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.HumanDuration;
import org.mediaoffload.pipeline.ObjectStoreException;
import org.mediaoffload.store.MediaStoreLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code audit --delete-orphans}: after a complete audit, deletes the orphans it found that pass all four guards
 * (README "Audit", "Which objects are deleted from the bucket"):
 * <ol>
 * <li>seen as an orphan with the same ETag by every audit since first seen, at least twice, and first seen at
 * least {@code orphan-grace} ago ({@link OrphanLedger} keeps that history);
 * <li>the media row, looked up again by the identity parsed from the key just before the deletion, is still absent;
 * <li>the tree kind's orphans are at most {@code max-orphan-fraction} of its objects audited;
 * <li>at most {@code max-deletions} objects per audit.
 * </ol>
 * A media's original and thumbnails go together: all of its orphans qualify, or none is deleted. Each deletion is
 * journaled before the DeleteObjects is sent and settled after it, so a kill in between leaves a row saying so.
 * A lost database connection during the audit (a restart, perhaps a restore) stops all deletions.
 */
final class OrphanReconcile {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReconcile.class);
    private static final int PAGE = 1000;

    /** The guards' settings for one audit. */
    record Limits(Duration grace, double maxFraction, long maxDeletions) {}

    private final AuditJournal journal;
    private final AuditCatalog catalog;
    private final AuditBucket bucket;
    private final MediaStoreLayout layout;
    private final String prefix;
    private final Clock clock;

    OrphanReconcile(AuditJournal journal, AuditCatalog catalog, AuditBucket bucket, MediaStoreLayout layout,
            String prefix, Clock clock) {
        this.journal = requireNonNull(journal, "journal is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.layout = requireNonNull(layout, "layout is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** One reconcile; its mutable tallies. */
    private final class Pass {
        final long auditId;
        final Limits limits;
        final boolean dryRun;
        final BooleanSupplier databaseInOnePiece;
        final Instant dueBefore;
        final Set<TreeKind> blocked = EnumSet.noneOf(TreeKind.class);
        final List<String> notes = new ArrayList<>();
        final List<String> errors;
        final Map<DiskMediaId, List<BucketObject>> batch = new LinkedHashMap<>();
        int batchObjects;
        long media;
        long objects;
        long bytes;
        long notDue;
        long rowBack;
        long overFraction;
        long overLimit;
        long failed;
        boolean stopped;

        Pass(long auditId, Limits limits, boolean dryRun, BooleanSupplier databaseInOnePiece, List<String> errors) {
            this.auditId = auditId;
            this.limits = limits;
            this.dryRun = dryRun;
            this.databaseInOnePiece = databaseInOnePiece;
            this.errors = errors;
            this.dueBefore = clock.instant().minus(limits.grace());
        }
    }

    /**
     * @param databaseInOnePiece false once the audit's database connection was lost and re-opened
     * @param errors             deletion failures are added here
     */
    ReconcileReport run(long auditId, TreeCounts trees, Limits limits, boolean dryRun, AuditBucket.Features features,
            BooleanSupplier databaseInOnePiece, List<String> errors) {
        Pass pass = new Pass(auditId, limits, dryRun, databaseInOnePiece, errors);
        bucketNotes(features, pass.notes);
        fractionGuard(trees, pass);
        try {
            walk(pass);
        } catch (RuntimeException e) {
            // The database, the journal or the store failed: what was deleted until now is counted and journaled.
            LOG.error("Audit {}: reconcile stopped: {}", auditId, e.getMessage(), e);
            errors.add("deleting orphans stopped: " + e.getMessage());
        }
        if (pass.notDue > 0) {
            pass.notes.add(pass.notDue + " orphans are not due yet: an orphan is deleted once first seen at least "
                    + HumanDuration.format(limits.grace()) + " ago (offload.audit.orphan-grace) and seen again, with"
                    + " the same ETag, by every audit since (two at least)");
        }
        LOG.info("Audit {}: {} {} orphan objects of {} media ({} bytes); kept: {} not due, {} media with a row again,"
                + " {} over the fraction guard, {} over max-deletions, {} failed", auditId,
                dryRun ? "would delete" : "deleted", pass.objects, pass.media, pass.bytes, pass.notDue, pass.rowBack,
                pass.overFraction, pass.overLimit, pass.failed);
        return new ReconcileReport(dryRun, pass.media, pass.objects, pass.bytes, pass.notDue, pass.rowBack,
                pass.overFraction, pass.overLimit, pass.failed, List.copyOf(pass.notes));
    }

    /** Guards 1, 3 and 4 per media, in the journal's media order; guard 2 and the deletion per batch. */
    private void walk(Pass pass) {
        String afterMedia = "";
        String afterKey = "";
        List<Candidate> group = new ArrayList<>();
        while (!pass.stopped) {
            List<Candidate> page = journal.orphansOf(pass.auditId, afterMedia, afterKey, PAGE);
            for (Candidate c : page) {
                if (!group.isEmpty() && !group.get(0).media().equals(c.media())) {
                    consider(group, pass);
                    group.clear();
                }
                group.add(c);
            }
            if (page.size() < PAGE) {
                break;
            }
            Candidate last = page.get(page.size() - 1);
            afterMedia = last.media();
            afterKey = last.object().key();
        }
        if (!group.isEmpty() && !pass.stopped) {
            consider(group, pass);
        }
        if (!pass.stopped) {
            flush(pass);
        }
    }

    private static void bucketNotes(AuditBucket.Features features, List<String> notes) {
        if ("Enabled".equals(features.versioning()) || "Suspended".equals(features.versioning())) {
            notes.add("the bucket is versioned (" + features.versioning() + "): a deletion leaves a delete marker and"
                    + " the object's data stays, and is billed, as a noncurrent version until a lifecycle rule or"
                    + " an admin removes it");
        }
        if ("Enabled".equals(features.objectLock())) {
            notes.add("the bucket has Object Lock: a deletion only adds a delete marker; locked versions stay until"
                    + " their retention ends");
        }
    }

    /** Guard 3: a tree kind where orphans are more than the allowed share of its objects loses no object. */
    private void fractionGuard(TreeCounts trees, Pass pass) {
        for (TreeKind kind : TreeKind.values()) {
            long orphans = trees.orphans(kind);
            long objects = trees.objects(kind);
            if (orphans > 0 && orphans > pass.limits.maxFraction() * objects) {
                pass.blocked.add(kind);
                pass.notes.add(String.format(Locale.ROOT, "%s/: %d of the %d objects audited (%.1f %%) are orphans,"
                        + " more than offload.audit.max-orphan-fraction = %s allows: nothing is deleted there. A wrong"
                        + " database, prefix or bucket looks like this; if Synapse really purged that much, check,"
                        + " then run the audit with --max-orphan-fraction", kind.dir(), orphans, objects,
                        100.0 * orphans / objects, pass.limits.maxFraction()));
            }
        }
    }

    /** One media's orphans: all qualify (guards 1, 3, 4) and join the batch, or none does. */
    private void consider(List<Candidate> group, Pass pass) {
        if (pass.stopped) {
            return;
        }
        DiskMediaId media = null;
        boolean blocked = false;
        boolean due = true;
        for (Candidate c : group) {
            StoreKey parsed = StoreKey.parse(layout, c.object().key().substring(prefix.length()));
            DiskMediaId id = StoreKey.mediaOf(parsed);
            if (id == null || (media != null && !media.equals(id))) {
                // The journal's grouping no longer matches the layout's parse: never delete on a doubt.
                LOG.warn("Audit {}: orphan {} does not parse as the media it was journaled with; kept", pass.auditId,
                        c.object().key());
                return;
            }
            media = id;
            blocked |= pass.blocked.contains(TreeKind.of(parsed));
            due &= c.auditsSeen() >= 2 && !c.firstSeen().isAfter(pass.dueBefore);
        }
        if (blocked) {
            pass.overFraction += group.size();
            return;
        }
        if (!due) {
            pass.notDue += group.size();
            return;
        }
        if (pass.objects + pass.batchObjects + group.size() > pass.limits.maxDeletions()) {
            if (pass.overLimit == 0) {
                pass.notes.add("stopped at offload.audit.max-deletions = " + pass.limits.maxDeletions()
                        + "; the next audit goes on");
            }
            pass.overLimit += group.size();
            return;
        }
        pass.batch.put(media, group.stream().map(Candidate::object).toList());
        pass.batchObjects += group.size();
        if (pass.batchObjects >= AuditBucket.MAX_DELETE) {
            flush(pass);
        }
    }

    /** Guard 2 for the batch, then the journaled deletion. */
    private void flush(Pass pass) {
        if (pass.batch.isEmpty()) {
            return;
        }
        if (!pass.databaseInOnePiece.getAsBoolean()) {
            pass.errors.add("the connection to Synapse's database was lost during the audit (a restart, or a restore?):"
                    + " no orphan is deleted by this audit; the next one reads it again");
            pass.stopped = true;
            pass.batch.clear();
            return;
        }
        Set<DiskMediaId> back = catalog.existing(pass.batch.keySet());
        List<BucketObject> doomed = new ArrayList<>();
        for (Map.Entry<DiskMediaId, List<BucketObject>> e : pass.batch.entrySet()) {
            if (back.contains(e.getKey())) {
                pass.rowBack++;
                LOG.info("Audit {}: the row of {} exists again; its {} objects are kept", pass.auditId,
                        OrphanLedger.media(e.getKey()), e.getValue().size());
            } else {
                doomed.addAll(e.getValue());
                pass.media++;
            }
        }
        pass.batch.clear();
        pass.batchObjects = 0;
        if (doomed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        journal.deletionsPlanned(pass.auditId, doomed, pass.dryRun ? Deletion.WOULD_DELETE : Deletion.PENDING, now);
        if (pass.dryRun) {
            pass.objects += doomed.size();
            doomed.forEach(o -> pass.bytes += o.size());
            return;
        }
        for (int i = 0; i < doomed.size() && !pass.stopped; i += AuditBucket.MAX_DELETE) {
            delete(doomed.subList(i, Math.min(doomed.size(), i + AuditBucket.MAX_DELETE)), pass);
        }
    }

    private static Map<String, String> errorForAll(List<String> keys, String message) {
        Map<String, String> errors = new LinkedHashMap<>();
        keys.forEach(k -> errors.put(k, message));
        return errors;
    }

    private void delete(List<BucketObject> chunk, Pass pass) {
        List<String> keys = chunk.stream().map(BucketObject::key).toList();
        AuditBucket.Deletion answer;
        try {
            answer = bucket.delete(keys);
        } catch (ObjectStoreException e) {
            // A 4xx refused the whole request (e.g. no s3:DeleteObject): nothing was deleted. Without an answer
            // (5xx after retries, no response) the store may or may not have deleted them. Either way, stop.
            boolean refused = e.status() >= 400 && e.status() < 500;
            String state = refused ? Deletion.FAILED : Deletion.UNKNOWN;
            journal.deletionsSettled(pass.auditId, keys, state, errorForAll(keys, e.getMessage()), clock.instant());
            pass.failed += keys.size();
            pass.errors.add("DeleteObjects failed (" + e.getMessage() + "): " + keys.size() + " orphans "
                    + (refused ? "not deleted" : "may or may not be deleted") + " (journaled as " + state
                    + "); no further orphan is deleted" + (e.status() == 403 ? "; deleting needs s3:DeleteObject" : ""));
            pass.stopped = true;
            return;
        }
        Set<String> deleted = Set.copyOf(answer.deleted());
        List<String> unanswered = keys.stream().filter(k -> !deleted.contains(k) && !answer.refused().containsKey(k))
                .toList();
        Instant now = clock.instant();
        journal.deletionsSettled(pass.auditId, deleted, Deletion.DELETED, Map.of(), now);
        journal.deletionsSettled(pass.auditId, answer.refused().keySet(), Deletion.FAILED, answer.refused(), now);
        journal.deletionsSettled(pass.auditId, unanswered, Deletion.UNKNOWN, Map.of(), now);
        for (BucketObject o : chunk) {
            if (deleted.contains(o.key())) {
                pass.objects++;
                pass.bytes += o.size();
            }
        }
        long notDeleted = keys.size() - deleted.size();
        if (notDeleted > 0) {
            pass.failed += notDeleted;
            String first = answer.refused().entrySet().stream().findFirst()
                    .map(e -> e.getKey().substring(prefix.length()) + ": " + e.getValue()).orElse("no answer for them");
            pass.errors.add(notDeleted + " orphans were not deleted (first: " + first + ")");
        }
    }
}
