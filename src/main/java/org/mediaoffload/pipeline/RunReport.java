package org.mediaoffload.pipeline;

import java.time.Duration;
import java.util.Locale;

/**
 * A finished run in the words the log, run-once's summary and the status page share: "uploaded 65 files
 * (94.3 MiB), freed 94.3 MiB", or for a dry run "would upload 65 files (94.3 MiB), would free 94.3 MiB".
 */
public final class RunReport {
    private RunReport() {}

    /** {@code Run 7 succeeded in 11s} or {@code Run 8 (dry run) finished with failed files in 2m 05s}. */
    public static String headline(RunSummary s) {
        return "Run " + s.runId() + (s.dryRun() ? " (dry run)" : "") + " " + s.status().words() + " in "
                + HumanDuration.format(Duration.between(s.startedAt(), s.endedAt()));
    }

    /** What moved, or for a dry run what would have. */
    public static String figures(RunSummary s) {
        String upload = s.dryRun() ? "would upload " : "uploaded ";
        String free = s.dryRun() ? "would free " : "freed ";
        return upload + files(s.filesUploaded()) + " (" + bytes(s.bytesUploaded()) + "), " + free
                + bytes(s.bytesFreed());
    }

    private static String files(long n) {
        return n + (n == 1 ? " file" : " files");
    }

    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        int exp = (int) (Math.log(n) / Math.log(1024));
        return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, exp), "KMGTPE".charAt(exp - 1));
    }
}
