package org.mediaoffload;

import java.time.Clock;
import org.mediaoffload.catalog.SynapseCatalogs;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.pipeline.MediaCatalog;
import org.mediaoffload.pipeline.ObjectStore;
import org.mediaoffload.pipeline.RunCoordinator;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.s3.S3ClientFactory;
import org.mediaoffload.s3.S3ObjectStore;
import org.mediaoffload.s3.S3RequestObserver;
import org.mediaoffload.store.SynapseMediaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's composition root, shared by run-once and the daemon: the state-dir lock, the journal, Synapse's
 * database, the bucket, the local store and the run coordinator, built in dependency order and closed in reverse.
 */
public final class Engine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    private final CloseableStack closeables = new CloseableStack("the engine");
    private final SqliteOffloadJournal journal;
    private final RunCoordinator coordinator;

    private Engine(OffloadConfig config, String command, RunListener listener, S3RequestObserver observer,
            Clock clock) {
        try {
            // The lock comes first: a second process must not even open the journal for writing.
            StateDirLock lock = push(StateDirLock.acquire(config.stateDir(), command));
            journal = push(SqliteOffloadJournal.open(config.stateDir()));
            int abandoned = journal.abandonUnfinishedRuns(clock.instant());
            if (abandoned > 0) {
                log.warn("{} earlier run(s) did not finish (crash or kill); marked aborted. This run picks up their"
                        + " work.", abandoned);
            }
            journal.purgeOlderThan(clock.instant().minus(config.journalRetention()));
            MediaCatalog catalog = push(SynapseCatalogs.open(config.database()));
            ObjectStore store = push(new S3ObjectStore(S3ClientFactory.create(config.s3()), config.s3(), observer));
            SynapseMediaStore localStore = new SynapseMediaStore(config.mediaStorePath());
            coordinator = push(new RunCoordinator(config, catalog, store, journal, localStore, listener, clock));
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
