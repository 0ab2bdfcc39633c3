package org.mediaoffload.cli;

import java.io.PrintStream;
import java.time.Duration;
import org.mediaoffload.logging.LogText;
import org.mediaoffload.pipeline.RunSummary;
import tools.jackson.databind.json.JsonMapper;

/** The end-of-run report: a few lines for people, or one JSON object for scripts. */
final class SummaryPrinter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SummaryPrinter() {}

    static void human(RunSummary s, PrintStream out) {
        String would = s.dryRun() ? "would upload" : "uploaded";
        out.printf("Run %d %s in %s%s%n", s.runId(), s.status().name().toLowerCase(java.util.Locale.ROOT),
                Duration.between(s.startedAt(), s.endedAt()).withNanos(0), s.dryRun() ? " (dry run)" : "");
        out.printf("  media with local files: %d (%d skipped)%n", s.mediaScanned(), s.mediaSkipped());
        out.printf("  files %s: %d (%s)%n", would, s.filesUploaded(), bytes(s.bytesUploaded()));
        out.printf("  files already in the bucket: %d%n", s.filesAlreadyInStore());
        out.printf("  local files deleted: %d (%s freed)%n", s.filesDeleted(), bytes(s.bytesFreed()));
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
        if (n < 1024) {
            return n + " B";
        }
        int exp = (int) (Math.log(n) / Math.log(1024));
        return String.format(java.util.Locale.ROOT, "%.1f %siB", n / Math.pow(1024, exp), "KMGTPE".charAt(exp - 1));
    }
}
