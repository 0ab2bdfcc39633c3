package org.mediaoffload.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.journal.SqliteOffloadJournal;
import org.mediaoffload.journal.StateDirLock;
import org.mediaoffload.journal.StateLockedException;
import org.mediaoffload.pin.ProviderCheck;
import org.mediaoffload.pin.TargetAcceptance;
import org.mediaoffload.pin.TargetException;
import org.mediaoffload.pin.TargetPins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * An intended move to another endpoint, bucket, prefix or SSE-C key: records the configured target in the state
 * directory, voids the journal's proofs for the old one, starts no run and copies nothing.
 */
@Command(name = "accept-target", mixinStandardHelpOptions = true,
        description = "Record the configured endpoint, bucket, prefix and SSE-C key as the target (an intended move)."
                + " Starts no run; objects at the old target are not copied. Exit 0 recorded, 2 refused.")
final class AcceptTargetCommand implements Callable<Integer> {
    @Mixin
    SourceOptions sources = new SourceOptions();

    @Override
    @SuppressWarnings("try") // the lock is held for the try's duration, never read: it keeps a daemon out meanwhile
    public Integer call() {
        OffloadConfig config = StartupChecks.load(sources.sources());
        try (StateDirLock lock = StateDirLock.acquire(config.stateDir(), "accept-target");
                SqliteOffloadJournal journal = SqliteOffloadJournal.open(config.stateDir())) {
            TargetAcceptance.Outcome outcome = new TargetAcceptance(new TargetPins(journal), Clock.systemUTC())
                    .accept(config.s3(), new ProviderCheck(config.homeserverConfig()), "accept-target");
            System.out.println(outcome.message());
            System.out.println("No run was started.");
            return ExitCodes.OK;
        } catch (StateLockedException e) {
            throw new StartupException(e.getMessage() + ". A running daemon accepts the target with POST"
                    + " /api/v1/target and the admin token");
        } catch (TargetException e) {
            throw new StartupException(e.getMessage());
        }
    }
}
