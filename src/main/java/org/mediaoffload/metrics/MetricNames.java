package org.mediaoffload.metrics;

/**
 * Every meter name and tag key in one place, so the dashboard, the alert rules and the code agree. Names use
 * Micrometer's dotted form; the Prometheus registry turns them into {@code synapse_media_offload_*} and adds
 * the base unit and {@code _total} suffixes.
 */
final class MetricNames {
    static final String PREFIX = "synapse.media.offload.";

    static final String RUNS = PREFIX + "runs";
    static final String RUN_DURATION = PREFIX + "run.duration";
    static final String LAST_RUN_START = PREFIX + "last.run.start.timestamp";
    static final String LAST_RUN_END = PREFIX + "last.run.end.timestamp";
    static final String LAST_RUN_OUTCOME = PREFIX + "last.run.outcome";
    static final String LAST_SUCCESS = PREFIX + "last.success.timestamp";
    static final String RUN_IN_PROGRESS = PREFIX + "run.in.progress";
    static final String TARGET_MISMATCH = PREFIX + "target.mismatch";

    static final String FILES = PREFIX + "files";
    static final String FILE_BYTES = PREFIX + "file";
    static final String FREED = PREFIX + "freed";
    static final String LOCAL_CONTENT_MISMATCHES = PREFIX + "local.content.mismatches";

    static final String CURRENT_FILES_DONE = PREFIX + "current.run.files.done";
    static final String CURRENT_FILES_TOTAL = PREFIX + "current.run.files.planned";
    static final String CURRENT_BYTES_DONE = PREFIX + "current.run.done";
    static final String CURRENT_BYTES_TOTAL = PREFIX + "current.run.planned";

    static final String BACKLOG_FILES = PREFIX + "backlog.files";
    static final String BACKLOG_BYTES = PREFIX + "backlog";

    static final String S3_REQUEST_DURATION = PREFIX + "s3.request.duration";
    static final String S3_REQUEST_ERRORS = PREFIX + "s3.request.errors";

    static final String MEDIA_FS_FREE = PREFIX + "media.filesystem.free";
    static final String MEDIA_FS_USED = PREFIX + "media.filesystem.used";
    static final String MEDIA_FS_SIZE = PREFIX + "media.filesystem.size";

    static final String AUDIT_OBJECTS = PREFIX + "audit.objects";
    static final String AUDIT_BYTES = PREFIX + "audit";
    static final String AUDIT_NEW_LOST = PREFIX + "audit.new.lost.media";
    static final String AUDIT_ACKNOWLEDGED_LOST = PREFIX + "audit.acknowledged.lost.media";
    static final String AUDIT_LAST_START = PREFIX + "audit.last.start.timestamp";
    static final String AUDIT_LAST_END = PREFIX + "audit.last.end.timestamp";
    static final String AUDIT_LAST_SUCCESS = PREFIX + "audit.last.success.timestamp";
    static final String AUDIT_EXPECTED_SINCE = PREFIX + "audit.expected.since.timestamp";
    static final String AUDIT_DURATION = PREFIX + "audit.duration";
    static final String AUDIT_IN_PROGRESS = PREFIX + "audit.in.progress";
    static final String AUDIT_LAST_COMPLETE = PREFIX + "audit.last.complete";
    static final String AUDIT_ORPHANS_DELETED = PREFIX + "audit.orphans.deleted";
    static final String AUDIT_BYTES_RECLAIMED = PREFIX + "audit.reclaimed";

    static final String TAG_CLASS = "class";
    static final String TAG_OUTCOME = "outcome";
    static final String TAG_RESULT = "result";
    static final String TAG_OPERATION = "operation";
    static final String TAG_STATUS = "status";
    /** "true" for a dry run: it moves nothing, so dashboards and alerts filter it out. */
    static final String TAG_DRY_RUN = "dry_run";

    static final String BYTES = "bytes";
    static final String SECONDS = "seconds";

    private MetricNames() {}
}
