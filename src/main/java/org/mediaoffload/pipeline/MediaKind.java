package org.mediaoffload.pipeline;

/** Local uploads live in local_content/local_thumbnails; cached remote media in remote_content/remote_thumbnail. */
public enum MediaKind {
    LOCAL,
    REMOTE
}
