package org.mediaoffload.cli;

import java.io.PrintStream;
import java.util.List;
import org.mediaoffload.audit.AuditReport;
import tools.jackson.databind.json.JsonMapper;

/** The audit's report: a summary for people, or one JSON object (the same as the admin API's) for scripts. */
final class AuditPrinter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditPrinter() {}

    static void json(AuditReport r, PrintStream out) {
        out.println(JSON.writeValueAsString(r));
    }

    static void human(AuditReport r, PrintStream out) {
        out.printf("Audit %d: %s in %.1f s%n", r.id(), r.status().toLowerCase(java.util.Locale.ROOT),
                r.durationSeconds());
        out.printf("  objects in the bucket: %d (%s), media rows: %d%n", r.objectsAudited(),
                SummaryPrinter.bytes(r.bytesAudited()), r.mediaRows());
        line(out, r, "lost", "lost local media (no original on disk or in the bucket)");
        line(out, r, "lostRemote", "lost remote media (Synapse answers 404 for them)");
        if (r.acknowledgedLostMedia() > 0) {
            out.printf("    of which acknowledged earlier: %d; new: %d%n", r.acknowledgedLostMedia(), r.newLostMedia());
        }
        line(out, r, "orphan", "orphan objects (no media row)");
        line(out, r, "sizeMismatch", "originals whose size differs from media_length");
        line(out, r, "strayThumbnail", "thumbnails no thumbnail row names");
        line(out, r, "foreign", "foreign keys under the prefix (never touched)");
        line(out, r, "corrupt", "originals whose bytes differ from the recorded hash");
        line(out, r, "unreadable", "objects that do not decrypt with our SSE-C key");
        if (r.contentChecked() + r.contentUnverifiable() > 0) {
            out.printf("  content read back: %d compared, %d with no hash to compare%n", r.contentChecked(),
                    r.contentUnverifiable());
        }
        out.printf("  in both places: %d, bucket only: %d, local only: %d%n",
                r.classes().get("bothLocalAndRemote").files(), r.classes().get("s3Only").files(),
                r.classes().get("localOnly").files());
        out.printf("  bucket versioning: %s, object lock: %s%n", r.bucketVersioning(), r.bucketObjectLock());
        if (r.reconcile() != null) {
            var d = r.reconcile();
            out.printf("  orphans %s: %d objects of %d media (%s)%n", d.dryRun() ? "that would be deleted" : "deleted",
                    d.objectsDeleted(), d.mediaDeleted(), SummaryPrinter.bytes(d.bytesReclaimed()));
            out.printf("    kept: %d not due yet, %d of media whose row is back, %d by the fraction guard, %d by"
                    + " max-deletions; %d failed%n", d.notDue(), d.rowBack(), d.overFraction(), d.overLimit(),
                    d.failed());
            d.notes().forEach(n -> out.println("    " + n));
        }
        if (!r.errors().isEmpty()) {
            out.println("  problems:");
            r.errors().forEach(e -> out.println("    " + e));
        }
    }

    private static void line(PrintStream out, AuditReport r, String name, String label) {
        AuditReport.Count count = r.classes().get(name);
        if (count == null || count.files() == 0) {
            return;
        }
        out.printf("  %s: %d (%s)%n", label, count.files(), SummaryPrinter.bytes(count.bytes()));
        List<String> samples = r.samples().get(name);
        for (String s : samples) {
            out.println("    " + s);
        }
    }
}
