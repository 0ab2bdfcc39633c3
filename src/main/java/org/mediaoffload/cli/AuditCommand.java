package org.mediaoffload.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.mediaoffload.Engine;
import org.mediaoffload.audit.AuditReport;
import org.mediaoffload.audit.AuditRequest;
import org.mediaoffload.config.OffloadConfig;
import org.mediaoffload.pipeline.RunListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Compare the bucket, Synapse's media rows and the local store, and report what is lost,"
                + " orphaned or damaged. Reads only, unless --delete-orphans. Exit 0 clean, 1 lost/corrupt/unreadable"
                + " media (or the audit did not complete), 2 config/startup error or a target that is not the pinned one.")
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SourceOptions sources = new SourceOptions();

    @Option(names = "--json", description = "Print one JSON object with the audit's figures on stdout.")
    boolean json;

    @Option(names = "--verify-content", paramLabel = "N|all",
            description = "Read N randomly chosen originals (or all) back with the SSE-C key and compare them with"
                    + " Synapse's sha256 (else the MD5 of our upload).")
    String verifyContent;

    @Option(names = "--acknowledge-lost",
            description = "Record the lost media found now as the known baseline: later audits exit 1 only for new"
                    + " losses.")
    boolean acknowledgeLost;

    @Option(names = "--export", paramLabel = "DIR",
            description = "Write the lost media (lost.jsonl) and orphan objects (orphans.jsonl) to DIR.")
    Path exportDir;

    @Option(names = "--dry-run", description = "Change nothing: no baseline is recorded, no orphan is deleted"
            + " (with --delete-orphans: report what would be deleted).")
    boolean dryRun;

    @Option(names = "--delete-orphans",
            description = "Delete the orphan objects that pass every guard (README \"Audit\": seen by every audit"
                    + " since first seen, at least twice and offload.audit.orphan-grace ago; row still absent just"
                    + " before; offload.audit.max-orphan-fraction; offload.audit.max-deletions).")
    boolean deleteOrphans;

    @Option(names = "--max-orphan-fraction", paramLabel = "F",
            description = "Overrides offload.audit.max-orphan-fraction (0 to 1) for this audit, once you have"
                    + " checked that Synapse really purged that share of a tree.")
    Double maxOrphanFraction;

    @Override
    public Integer call() {
        int verify = parseVerify();
        if (maxOrphanFraction != null && !(maxOrphanFraction >= 0 && maxOrphanFraction <= 1)) {
            throw new ParameterException(spec.commandLine(), "--max-orphan-fraction takes a share from 0 to 1 (e.g."
                    + " 0.2 for 20 %), not " + maxOrphanFraction);
        }
        if (maxOrphanFraction != null && !deleteOrphans) {
            throw new ParameterException(spec.commandLine(), "--max-orphan-fraction only applies with --delete-orphans");
        }
        checkExportDir();
        OffloadConfig config = StartupChecks.load(sources.sources());
        AuditRequest request = new AuditRequest("cli", verify, acknowledgeLost, Optional.ofNullable(exportDir), dryRun,
                deleteOrphans, maxOrphanFraction == null ? OptionalDouble.empty() : OptionalDouble.of(maxOrphanFraction));
        AuditProgressBar progress = !json && System.console() != null ? new AuditProgressBar() : null;
        try (Engine engine = Engine.open(config, "audit", RunListener.NONE)) {
            AuditReport report = engine.audit().run(request,
                    progress != null ? progress : org.mediaoffload.audit.AuditProgress.NONE);
            if (progress != null) {
                progress.close();
            }
            if (AuditReport.REFUSED.equals(report.status())) {
                System.err.println("synapse-media-offload: audit refused: " + String.join("\n", report.errors()));
            }
            if (json) {
                AuditPrinter.json(report, System.out);
            } else {
                AuditPrinter.human(report, System.out);
            }
            return report.exitCode();
        }
    }

    /**
     * A directory --export cannot write to is a usage error (exit 2), found before the audit starts, not an audit
     * that stops INCOMPLETE (exit 1, which scripts read as "media lost").
     */
    private void checkExportDir() {
        if (exportDir == null) {
            return;
        }
        try {
            Files.createDirectories(exportDir);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--export needs a directory it can write to; "
                    + exportDir + " cannot be one (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        if (!Files.isWritable(exportDir)) {
            throw new ParameterException(spec.commandLine(), "--export needs a directory it can write to; "
                    + exportDir + " is not writable by this user");
        }
    }

    private int parseVerify() {
        if (verifyContent == null) {
            return 0;
        }
        if (verifyContent.toLowerCase(Locale.ROOT).equals("all")) {
            return AuditRequest.ALL;
        }
        try {
            int n = Integer.parseInt(verifyContent.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--verify-content takes a number of objects (0 or more) or"
                + " \"all\", not \"" + verifyContent + "\"");
    }
}
