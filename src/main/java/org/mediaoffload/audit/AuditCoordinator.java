package org.mediaoffload.audit;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mediaoffload.pipeline.WorkGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediaoffload.pipeline.NamedThreadFactory;

/**
 * The daemon's audits: a scheduled or API audit never acknowledges or exports, and deletes orphans only with
 * offload.audit.delete-orphans; one at a time, and only while no offload run holds the {@link WorkGate}.
 */
public final class AuditCoordinator implements AuditControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditCoordinator.class);

    private final MediaAudit audit;
    private final AuditJournal journal;
    private final WorkGate gate;
    private final AuditListener listener;
    private final Clock clock;
    private final boolean deleteOrphans;
    private final ExecutorService background = Executors.newSingleThreadExecutor(new NamedThreadFactory("offload-audit"));
    private volatile Optional<Long> current = Optional.empty();

    /** Audits that only report. */
    public AuditCoordinator(MediaAudit audit, AuditJournal journal, WorkGate gate, AuditListener listener,
            Clock clock) {
        this(audit, journal, gate, listener, clock, false);
    }

    /** @param deleteOrphans offload.audit.delete-orphans: whether these audits also reconcile */
    public AuditCoordinator(MediaAudit audit, AuditJournal journal, WorkGate gate, AuditListener listener,
            Clock clock, boolean deleteOrphans) {
        this.deleteOrphans = deleteOrphans;
        this.audit = requireNonNull(audit, "audit is null");
        this.journal = requireNonNull(journal, "journal is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public long startAudit(String trigger) {
        if (!gate.tryAcquire("audit")) {
            throw new AuditBusyException(gate.busyMessage());
        }
        try {
            long id = audit.reserve(trigger);
            background.execute(() -> {
                try {
                    execute(id, trigger);
                } finally {
                    gate.release();
                }
            });
            return id;
        } catch (RuntimeException e) {
            gate.release();
            throw e;
        }
    }

    @Override
    public AuditReport runNow(String trigger) {
        try {
            gate.acquire("audit");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the " + gate.holder() + " to finish", e);
        }
        try {
            return execute(audit.reserve(trigger), trigger);
        } finally {
            gate.release();
        }
    }

    private AuditReport execute(long id, String trigger) {
        current = Optional.of(id);
        try {
            listener.auditStarted(id, clock.instant());
            AuditReport report = audit.run(id, AuditRequest.scheduled(trigger, deleteOrphans), AuditProgress.NONE);
            LOG.info("Audit {} ({}) ended {}: {} objects, {} lost ({} new), {} orphans ({} bytes), {} size mismatches",
                    id, trigger, report.status(), report.objectsAudited(), report.lostMedia() + report.lostRemoteMedia(),
                    report.newLostMedia(), report.orphanObjects(), report.orphanBytes(), report.sizeMismatches());
            if (report.reconcile() != null) {
                LOG.info("Audit {}: {} orphan objects deleted ({} bytes reclaimed)", id, report.orphansDeleted(),
                        report.bytesReclaimed());
            }
            listener.auditFinished(report);
            return report;
        } finally {
            current = Optional.empty();
        }
    }

    @Override
    public Optional<Long> current() {
        return current;
    }

    @Override
    public Optional<AuditReport> latest() {
        return journal.latest();
    }

    @Override
    public Optional<AuditReport> report(long id) {
        return journal.report(id);
    }

    @Override
    public List<AuditJournal.Deletion> deletions(long id, String afterKey, int limit) {
        return journal.deletions(id, afterKey, limit);
    }

    @Override
    public List<AuditReport> recent(int limit) {
        return journal.recent(limit);
    }

    /** Stops a background audit (it ends INCOMPLETE); a scheduled one is stopped by its scheduler. */
    @Override
    public void close() {
        background.shutdownNow();
    }
}
