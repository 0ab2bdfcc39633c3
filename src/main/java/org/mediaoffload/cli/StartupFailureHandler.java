package org.mediaoffload.cli;

import org.mediaoffload.config.ConfigException;
import org.mediaoffload.journal.JournalException;
import org.mediaoffload.journal.StateLockedException;
import org.mediaoffload.pipeline.CatalogException;
import org.mediaoffload.store.MediaStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns what stops a command from starting into one clear paragraph and exit code 2 (systemd's
 * RestartPreventExitStatus=2 then keeps a broken configuration from restart-looping).
 */
final class StartupFailureHandler implements IExecutionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(StartupFailureHandler.class);

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        if (e instanceof ConfigException || e instanceof StateLockedException || e instanceof CatalogException
                || e instanceof StartupException || e instanceof MediaStoreException
                || e instanceof JournalException) {
            cli.getErr().println("synapse-media-offload: " + e.getMessage());
        } else {
            log.error("Could not start", e);
            cli.getErr().println("synapse-media-offload: could not start: " + e);
        }
        cli.getErr().flush();
        return ExitCodes.STARTUP;
    }
}
