package org.mediaoffload.store;

/**
 * Where a media lives in the store, or why it cannot be placed there. Relative paths always use {@code /}: they
 * become S3 keys ({@code prefix + relative path}).
 */
public sealed interface MediaLocation permits MediaLocation.Valid, MediaLocation.Invalid {

    /**
     * @param original     e.g. {@code local_content/aa/bb/rest}
     * @param thumbnailDir e.g. {@code local_thumbnails/aa/bb/rest} (thumbnail files are {@code thumbnailDir/name})
     */
    record Valid(String original, String thumbnailDir) implements MediaLocation {}

    /** The ids cannot form a safe path; the row is skipped and this reason reported. */
    record Invalid(String reason) implements MediaLocation {}
}
