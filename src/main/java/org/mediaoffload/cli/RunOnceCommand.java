package org.mediaoffload.cli;

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
        RunListener progress = !json && System.console() != null ? new ProgressBarListener() : RunListener.NONE;
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
}
