package org.mediaoffload.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run until stopped: scheduled runs, admin HTTP API, Prometheus metrics.")
final class DaemonCommand implements Callable<Integer> {
    @Mixin
    SourceOptions sources = new SourceOptions();

    @Override
    public Integer call() {
        throw new StartupException("the daemon command is not available in this build yet");
    }
}
