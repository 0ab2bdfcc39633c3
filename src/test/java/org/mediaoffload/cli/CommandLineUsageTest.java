package org.mediaoffload.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the command line answers to what a first-day operator types, before any configuration is read. */
class CommandLineUsageTest {
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = OffloadCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return cli.execute(args);
    }

    @Test
    void statusPointsAtTheDaemonsApiNotAtAcceptTarget() {
        assertThat(execute("status")).isEqualTo(ExitCodes.STARTUP);

        assertThat(err.toString()).contains("there is no 'status' command", "http://127.0.0.1:8457/",
                        "GET /api/v1/runs/current", "Commands: run-once, audit, check-config, accept-target, daemon")
                .doesNotContain("Did you mean");
    }

    @Test
    void otherMistakesKeepPicocliSuggestions() {
        assertThat(execute("run-onec")).isEqualTo(ExitCodes.STARTUP);
        assertThat(err.toString()).contains("Did you mean").contains("run-once").doesNotContain("admin API");

        err.getBuffer().setLength(0);
        assertThat(execute("run-once", "--env", "/x")).isEqualTo(ExitCodes.STARTUP);
        assertThat(err.toString()).contains("--env-file").doesNotContain("admin API");
    }
}
