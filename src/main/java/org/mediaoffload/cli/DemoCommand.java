package org.mediaoffload.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the daemon against a sample media store and an in-process S3 endpoint.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new StartupException("the demo command is not available in this build yet");
    }
}
