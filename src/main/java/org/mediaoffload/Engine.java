package org.mediaoffload;

import java.time.Clock;
import org.mediaoffload.audit.AuditBucket;
import org.mediaoffload.audit.AuditCatalog;
import org.mediaoffload.audit.AuditJournal;
import org.mediaoffload.audit.AuditSettings;
import org.mediaoffload.audit.MediaAudit;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.RunCoordinator;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.s3.S3AuditBucket;
import org.mediaoffload.s3.S3BucketAnswers;
import org.mediaoffload.s3.S3ClientFactory;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;
import org.mediaoffload.store.MediaStoreRoot;
import org.mediaoffload.store.MediaStoreLayout;
import org.mediaoffload.store.SynapseMediaStore;
import org.mediaoffload.pin.ProviderCheck;
import org.mediaoffload.pin.TargetGuard;
import org.mediaoffload.pin.TargetPins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mediaoffload.s3.S3Connection;

/**
 * The engine's composition root, shared by run-once and the daemon: the state-dir lock, the journal, Synapse's
 * database, the bucket, the local store and the run coordinator, built in dependency order and closed in reverse.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    /** The audit's external sort files, in the state dir (never the media store). */
    static final String AUDIT_SORT_DIR = "audit-sort";

    private final CloseableStack closeables = new CloseableStack("the engine");
    private final SqliteOffloadJournal journal;
    private final RunCoordinator coordinator;
    private final TargetGuard target;
    private final OffloadConfig config;
    private final S3RequestObserver observer;
    private final Clock clock;
    private final SynapseMediaStore localStore;
    private MediaAudit audit;
    private AuditJournal auditJournal;

    private Engine(OffloadConfig config, String command, RunListener listener, S3RequestObserver observer,
            Clock clock) {
        this.config = config;
        this.observer = observer;
        this.clock = clock;
        try {
            // The lock comes first: a second process must not even open the journal for writing.
            StateDirLock lock = push(StateDirLock.acquire(config.stateDir(), command));
            // Built on a second thread meanwhile: the journal and the database are opened below, and the S3
            // client, on a cold JVM mostly class loading, is the longest part of a run-once's start.
            BuiltAhead<S3Connection> s3 = push(BuiltAhead.start("offload-s3-client",
                    () -> S3ClientFactory.connect(config.s3())));
            journal = push(SqliteOffloadJournal.open(lock, clock));
            int abandoned = journal.abandonUnfinishedRuns(clock.instant());
            if (abandoned > 0) {
                log.warn("{} earlier run(s) did not finish (crash or kill); marked aborted. This run picks up their"
                        + " work.", abandoned);
            }
            journal.purgeOlderThan(clock.instant().minus(config.journalRetention()));
            MediaCatalog catalog = push(SynapseCatalogs.open(config.database()));
            MediaStoreRoot.check(config.mediaStorePath(), catalog::listsAnyMedia);
            ObjectStore store = push(new S3ObjectStore(s3.take(), config.s3(), observer));
            localStore = new SynapseMediaStore(config.mediaStorePath());
            target = new TargetGuard(config.s3(), config.stateDir(), new TargetPins(journal),
                    new ProviderCheck(config.homeserverConfig()), store, clock);
            coordinator = push(new RunCoordinator(config, catalog, store,
                    S3BucketAnswers.factory(store, config.s3().prefix()), journal, localStore, target, listener, clock));
            log.debug("Engine ready (lock {})", lock);
        } catch (RuntimeException e) {
            closeables.closeAfter(e);
            throw e;
        }
    }

    public static Engine open(OffloadConfig config, String command, RunListener listener) {
        return open(config, command, listener, S3RequestObserver.NONE, Clock.systemUTC());
    }

    public static Engine open(OffloadConfig config, String command, RunListener listener,
            S3RequestObserver observer, Clock clock) {
        return new Engine(config, command, listener, observer, clock);
    }

    public RunCoordinator coordinator() {
        return coordinator;
    }

    /** The pinned target: checked before every run, shown by the daemon, changed by POST /api/v1/target. */
    public TargetGuard target() {
        return target;
    }

    /**
     * The audit, opened on first use with its own database connection and S3 client (an audit's long listing
     * never holds the run's connection), under this engine's state-dir lock.
     */
    public synchronized MediaAudit audit() {
        if (audit == null) {
            AuditJournal audits = push(AuditJournal.open(config.stateDir(), clock));
            auditJournal = audits;
            int abandoned = audits.abandonUnfinished();
            if (abandoned > 0) {
                log.warn("{} earlier audit(s) did not finish (crash or kill); marked aborted", abandoned);
            }
            AuditCatalog catalog = push(SynapseCatalogs.openForAudit(config.database()));
            AuditBucket bucket = push(new S3AuditBucket(config.s3(), observer));
            AuditSettings settings = new AuditSettings(config.s3().prefix(), config.selection().quietPeriod(),
                    config.stateDir().resolve(AUDIT_SORT_DIR), config.audit().maxDuration(), config.s3().concurrency(),
                    config.audit().orphanGrace(), config.audit().maxOrphanFraction(), config.audit().maxDeletions());
            audit = new MediaAudit(settings, catalog, bucket, localStore, new MediaStoreLayout(config.mediaStorePath()),
                    journal, audits, target::auditRefusal, clock);
        }
        return audit;
    }

    /** The audits' reports and acknowledged baseline (opens the audit like {@link #audit()}). */
    public synchronized AuditJournal auditJournal() {
        audit();
        return auditJournal;
    }

    public SqliteOffloadJournal journal() {
        return journal;
    }

    private <T extends AutoCloseable> T push(T closeable) {
        return closeables.push(closeable);
    }

    @Override
    public void close() {
        closeables.close();
    }
}
