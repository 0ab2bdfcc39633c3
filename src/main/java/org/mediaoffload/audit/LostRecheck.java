package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mediaoffload.pipeline.LocalFile;
import org.mediaoffload.pipeline.LocalStore;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRef;
import org.mediaoffload.pipeline.MediaRow;
import org.mediaoffload.pipeline.ObjectStore.HeadResult;

/**
 * A media is reported lost only after a second look, in batches: its row is read again (a purge in the meantime
 * is not a loss), its original is looked for on disk and HEADed in the bucket (an upload or a restore in the
 * meantime is not a loss either). The merge saw the three sources at slightly different moments; this closes that
 * gap for the one class that pages someone.
 */
final class LostRecheck {
    static final int BATCH = 500;

    private record Candidate(MediaRef ref, String relative, long mediaLength) {}

    private final AuditCatalog catalog;
    private final AuditBucket bucket;
    private final LocalStore local;
    private final AuditJournal journal;
    private final String prefix;
    private final Tallies tallies;
    private final Optional<AuditExport> export;
    private final boolean acknowledge;
    private final List<Candidate> pending = new ArrayList<>();
    private long newLost;
    private long acknowledgedLost;

    LostRecheck(AuditCatalog catalog, AuditBucket bucket, LocalStore local, AuditJournal journal, String prefix,
            Tallies tallies, Optional<AuditExport> export, boolean acknowledge) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.bucket = requireNonNull(bucket, "bucket is null");
        this.local = requireNonNull(local, "local is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.tallies = requireNonNull(tallies, "tallies is null");
        this.export = requireNonNull(export, "export is null");
        this.acknowledge = acknowledge;
    }

    void candidate(Entry row, String relative) {
        MediaKind kind = row.origin().isEmpty() ? MediaKind.LOCAL : MediaKind.REMOTE;
        pending.add(new Candidate(new MediaRef(kind, row.origin(), row.mediaId()), relative, row.size()));
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<MediaRef, MediaRow> rows = catalog.reread(pending.stream().map(Candidate::ref).toList());
        List<Candidate> confirmed = new ArrayList<>();
        for (Candidate c : pending) {
            MediaRow now = rows.get(c.ref());
            if (now == null || now.mediaLength().isEmpty() || onDisk(now)) {
                continue;
            }
            HeadResult head = bucket.head(prefix + c.relative());
            if (head instanceof HeadResult.Present) {
                continue;
            }
            if (head instanceof HeadResult.Unreadable) {
                tallies.add(AuditClass.UNREADABLE, c.mediaLength(), c.relative());
                continue;
            }
            // Absent, or 403 (no proof either way): Synapse cannot serve it from the bucket.
            confirmed.add(c);
        }
        Set<String> known = journal.acknowledged(confirmed.stream().map(c -> c.ref().toString()).toList());
        for (Candidate c : confirmed) {
            String id = c.ref().toString();
            boolean wasKnown = known.contains(id);
            tallies.add(c.ref().kind() == MediaKind.LOCAL ? AuditClass.LOST : AuditClass.LOST_REMOTE,
                    c.mediaLength(), id);
            if (wasKnown) {
                acknowledgedLost++;
            } else {
                newLost++;
            }
            export.ifPresent(e -> e.lost(c.ref().kind().name().toLowerCase(java.util.Locale.ROOT), c.ref().origin(),
                    c.ref().mediaId(), prefix + c.relative(), c.mediaLength(), wasKnown));
        }
        if (acknowledge && !confirmed.isEmpty()) {
            journal.acknowledge(confirmed.stream().map(c -> c.ref().toString()).toList(), java.time.Instant.now());
        }
        pending.clear();
    }

    private boolean onDisk(MediaRow row) {
        return local.filesOf(row) instanceof LocalStore.MediaFiles.Found found
                && found.files().stream().anyMatch(LocalFile::original);
    }

    long newLost() {
        return newLost;
    }

    long acknowledgedLost() {
        return acknowledgedLost;
    }
}
