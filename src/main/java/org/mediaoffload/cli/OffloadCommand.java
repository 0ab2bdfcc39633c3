package org.mediaoffload.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
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
        cli.setParameterExceptionHandler(new StatusWordHandler(cli.getParameterExceptionHandler()));
        return cli;
    }

    /** The Maven version, filtered into version.properties at build time (so also without a jar manifest). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"synapse-media-offload " + version()};
        }

        static String version() {
            try (InputStream in = OffloadCommand.class.getResourceAsStream("/org/mediaoffload/version.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    String v = p.getProperty("version", "");
                    if (!v.isBlank() && !v.startsWith("${")) {
                        return v;
                    }
                }
            } catch (IOException e) {
                // fall back to the manifest below
            }
            String v = OffloadCommand.class.getPackage().getImplementationVersion();
            return v == null ? "unknown (built without Maven)" : v;
        }
    }
}
