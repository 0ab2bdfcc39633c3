package org.mediaoffload.cli;

import java.io.PrintStream;
import java.time.Duration;
import org.mediaoffload.logging.LogText;
import org.mediaoffload.pipeline.RunReport;
import org.mediaoffload.pipeline.RunSummary;
import tools.jackson.databind.json.JsonMapper;

/** The end-of-run report: a few lines for people, or one JSON object for scripts. */
final class SummaryPrinter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SummaryPrinter() {}

    static void human(RunSummary s, PrintStream out) {
        out.println(RunReport.headline(s) + ": " + RunReport.figures(s));
        out.printf("  media with local files: %d (%d skipped)%n", s.mediaScanned(), s.mediaSkipped());
        out.printf("  files already in the bucket: %d%n", s.filesAlreadyInStore());
        out.printf("  local files %s: %d (%s)%n", s.dryRun() ? "that would be deleted" : "deleted", s.filesDeleted(),
                bytes(s.bytesFreed()));
        out.printf("  files failed: %d, skipped: %d%n", s.filesFailed(), s.filesSkipped());
        out.printf("  still local: %d files (%s)%n", s.backlogFiles(), bytes(s.backlogBytes()));
        if (!s.errors().isEmpty()) {
            out.println("  problems:");
            // Errors name files and ids from disk and the database: one line each, whatever they contain.
            s.errors().forEach(e -> out.println("    " + LogText.escape(e)));
        }
    }

    /** The same JSON as the admin API's run history: the RunSummary record's fields. */
    static void json(RunSummary s, PrintStream out) {
        out.println(JSON.writeValueAsString(s));
    }

    static String bytes(long n) {
        return RunReport.bytes(n);
    }
}
