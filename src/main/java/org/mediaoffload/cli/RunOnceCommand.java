package org.mediaoffload.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mediaoffload.Engine;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.pipeline.RunListener;
import org.mediaoffload.pipeline.RunStatus;
import org.mediaoffload.pipeline.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run-once", mixinStandardHelpOptions = true,
        description = "Run one offload now and exit: 0 all good, 1 failed files or stopped early, 2 config/startup"
                + " error or a target (endpoint, bucket, prefix, SSE-C key) that is not the pinned one.")
final class RunOnceCommand implements Callable<Integer> {
    @Mixin
    SourceOptions sources = new SourceOptions();

    @Option(names = "--dry-run", description = "Send no PUT and delete nothing; report what would happen.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON object with the run's figures on stdout.")
    boolean json;

    @Override
    public Integer call() {
        OffloadConfig config = StartupChecks.load(sources.sources());
        RunListener progress = !json && System.console() != null && stderrIsTerminal() ? new ProgressBarListener()
                : RunListener.NONE;
        try (Engine engine = Engine.open(config, "run-once", progress)) {
            RunSummary summary = engine.coordinator().runNow("run-once", dryRun);
            if (summary.status() == RunStatus.REFUSED) {
                System.err.println("synapse-media-offload: run refused: " + String.join("\n", summary.errors()));
            }
            if (json) {
                SummaryPrinter.json(summary, System.out);
            } else {
                SummaryPrinter.human(summary, System.out);
            }
            return summary.status().exitCode();
        }
    }

    /*
     * The bar is drawn on stderr, so stderr must be a terminal too: with stdout on a terminal and stderr redirected
     * to a log (2>>run.log), its carriage returns and escape codes would land in the log. System.console() only
     * looks at stdin and stdout; Linux tells us where fd 2 goes.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
