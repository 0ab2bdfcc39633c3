package org.mediaoffload.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.mediaoffload.Daemon;
import org.mediaoffload.config.OffloadConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run until SIGTERM/SIGINT: scheduled runs, admin HTTP API, Prometheus metrics."
                + " Exit 0 after a clean stop, 2 when the configuration is broken.")
final class DaemonCommand implements Callable<Integer> {
    @Mixin
    SourceOptions sources = new SourceOptions();

    @Override
    public Integer call() throws InterruptedException {
        OffloadConfig config = StartupChecks.load(sources.sources());
        CountDownLatch stop = new CountDownLatch(1);
        StopSignals.onTermOrInt(stop::countDown);
        try (Daemon daemon = Daemon.start(config, Clock.systemUTC())) {
            // Also close on a plain JVM exit (System.exit elsewhere, a signal we do not handle).
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "offload-shutdown"));
            stop.await();
        }
        return ExitCodes.OK;
    }
}
