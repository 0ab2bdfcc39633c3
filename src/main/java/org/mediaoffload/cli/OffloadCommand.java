package org.mediaoffload.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "synapse-media-offload", mixinStandardHelpOptions = true,
        versionProvider = OffloadCommand.Version.class,
        description = "Moves a Matrix Synapse media store to S3-compatible storage, safely.",
        subcommands = {RunOnceCommand.class, AuditCommand.class, CheckConfigCommand.class, AcceptTargetCommand.class,
                DaemonCommand.class})
public final class OffloadCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing command: run-once, audit, check-config, accept-target or daemon");
    }

    /** Builds the command line with our exit codes: usage errors and startup failures are 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OffloadCommand());
        cli.setExitCodeExceptionMapper(e -> ExitCodes.STARTUP);
        cli.setExecutionExceptionHandler(new StartupFailureHandler());
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = OffloadCommand.class.getPackage().getImplementationVersion();
            return new String[] {"synapse-media-offload " + (v == null ? "dev" : v)};
        }
    }
}
