package org.mediaoffload.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * An operator's first try for the daemon's state is a {@code status} command, which we do not have: the daemon
 * answers that on its admin API. Picocli's nearest-name suggestion for {@code status} was {@code accept-target}, the
 * one command that changes what runs may write to, so these words get a pointer to the API instead. Every other
 * parse error goes to picocli's own handler.
 */
final class StatusWordHandler implements IParameterExceptionHandler {
    private static final Set<String> STATUS_WORDS = Set.of("status", "state", "stat", "stats", "info", "show",
            "health", "progress", "list", "runs");

    private final IParameterExceptionHandler fallback;

    StatusWordHandler(IParameterExceptionHandler fallback) {
        this.fallback = requireNonNull(fallback, "fallback is null");
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) throws Exception {
        if (e instanceof UnmatchedArgumentException unmatched && unmatched.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty() && STATUS_WORDS.contains(unmatched.getUnmatched().get(0))) {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("synapse-media-offload: there is no '" + unmatched.getUnmatched().get(0) + "' command. A"
                    + " running daemon shows its state on its admin API (offload.http.bind and port, by default"
                    + " http://127.0.0.1:8457/): the status page at /, GET /api/v1/runs/current (the run going on),"
                    + " GET /api/v1/runs (the last runs), GET /api/v1/target and /metrics.");
            err.println("Commands: run-once, audit, check-config, accept-target, daemon (each with --help).");
            err.flush();
            return ExitCodes.STARTUP;
        }
        return fallback.handleParseException(e, args);
    }
}
