package org.mediaoffload;

import org.mediaoffload.cli.OffloadCommand;

public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(OffloadCommand.commandLine().execute(args));
    }
}
