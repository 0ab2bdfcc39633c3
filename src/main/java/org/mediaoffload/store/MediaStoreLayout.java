package org.mediaoffload.store;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

/**
 * Synapse's media store layout ({@code synapse/media/filepath.py}): ids split 2/2/rest below four top-level
 * directories, remote media under their origin. Every component is validated exactly as Synapse's
 * {@code _validate_path_component} does, so we never build a path Synapse could not have written.
 */
public final class MediaStoreLayout {

    public static final String LOCAL_CONTENT = "local_content";
    public static final String LOCAL_THUMBNAILS = "local_thumbnails";
    public static final String REMOTE_CONTENT = "remote_content";
    /** Sic: "thumbnail" without the s, as Synapse names it. */
    public static final String REMOTE_THUMBNAIL = "remote_thumbnail";
    public static final List<String> TOP_LEVEL_DIRS =
            List.of(LOCAL_CONTENT, LOCAL_THUMBNAILS, REMOTE_CONTENT, REMOTE_THUMBNAIL);

    private final Path root;

    public MediaStoreLayout(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    /** The media store path as configured (it may be a symlink; it is followed). */
    public Path root() {
        return root;
    }

    public MediaLocation locate(MediaRow row) {
        requireNonNull(row, "row is null");
        return locate(row.kind(), row.origin(), row.filesystemId());
    }

    public MediaLocation locate(DiskMediaId id) {
        requireNonNull(id, "id is null");
        return locate(id.kind(), id.origin(), id.filesystemId());
    }

    /**
     * @param origin       ignored for local media
     * @param filesystemId media_id for local media, filesystem_id for remote media
     */
    public MediaLocation locate(MediaKind kind, String origin, String filesystemId) {
        requireNonNull(kind, "kind is null");
        requireNonNull(filesystemId, "filesystemId is null");
        // Every row of a run and of an audit comes here, and nearly all of them are valid: those get their paths
        // from one pass over the characters; anything else takes the checks below, which say what is wrong.
        if (kind == MediaKind.LOCAL ? isPlainId(filesystemId) : isPlainId(filesystemId) && isPlainComponent(origin)) {
            String split = new StringBuilder(filesystemId.length() + 2).append(filesystemId, 0, 2).append('/')
                    .append(filesystemId, 2, 4).append('/').append(filesystemId, 4, filesystemId.length()).toString();
            return kind == MediaKind.LOCAL
                    ? new MediaLocation.Valid(LOCAL_CONTENT + "/" + split, LOCAL_THUMBNAILS + "/" + split)
                    : new MediaLocation.Valid(REMOTE_CONTENT + "/" + origin + "/" + split,
                            REMOTE_THUMBNAIL + "/" + origin + "/" + split);
        }
        return locateChecked(kind, origin, filesystemId);
    }

    /** The rules one by one, with the reason a path is refused; {@link #locate} agrees with it on every input. */
    static MediaLocation locateChecked(MediaKind kind, String origin, String filesystemId) {
        String idLabel = kind == MediaKind.LOCAL ? "media id" : "filesystem id";
        if (filesystemId.length() < 5) {
            return new MediaLocation.Invalid(idLabel + " " + quote(filesystemId)
                    + " is shorter than 5 characters, so it cannot be split into aa/bb/rest");
        }
        String split = filesystemId.substring(0, 2) + "/" + filesystemId.substring(2, 4) + "/"
                + filesystemId.substring(4);
        for (String part : split.split("/", -1)) {
            Optional<String> problem = componentProblem(part);
            if (problem.isPresent()) {
                return new MediaLocation.Invalid(idLabel + " " + quote(filesystemId) + " is not a valid path: "
                        + problem.get());
            }
        }
        if (kind == MediaKind.LOCAL) {
            return new MediaLocation.Valid(LOCAL_CONTENT + "/" + split, LOCAL_THUMBNAILS + "/" + split);
        }
        requireNonNull(origin, "origin is null");
        Optional<String> problem = componentProblem(origin);
        if (problem.isPresent()) {
            return new MediaLocation.Invalid("origin " + quote(origin) + " is not a valid path component: "
                    + problem.get());
        }
        return new MediaLocation.Valid(REMOTE_CONTENT + "/" + origin + "/" + split,
                REMOTE_THUMBNAIL + "/" + origin + "/" + split);
    }

    /** At least 5 allowed characters, none of whose 2/2/rest parts is "." or "..". */
    private static boolean isPlainId(String id) {
        int n = id.length();
        if (n < 5 || !allowedChars(id)) {
            return false;
        }
        return !isDots(id, 0, 2) && !isDots(id, 2, 4) && !isDots(id, 4, n);
    }

    private static boolean isPlainComponent(String component) {
        int n = component == null ? 0 : component.length();
        return n > 0 && allowedChars(component) && !isDots(component, 0, n);
    }

    private static boolean allowedChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!allowed(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether s[from, to) is "." or "..". */
    private static boolean isDots(String s, int from, int to) {
        if (to - from > 2) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '.') {
                return false;
            }
        }
        return true;
    }

    /** Empty when {@code component} is a valid path component by Synapse's rules, else why not. */
    static Optional<String> componentProblem(String component) {
        if (component.isEmpty()) {
            return Optional.of("empty path component");
        }
        if (component.equals(".") || component.equals("..")) {
            return Optional.of("path component " + quote(component) + " is not allowed");
        }
        for (int i = 0; i < component.length(); i++) {
            char ch = component.charAt(i);
            if (!allowed(ch)) {
                return Optional.of("character " + describe(ch) + " is not allowed (only letters, digits and"
                        + " _ . - [ ] :)");
            }
        }
        return Optional.empty();
    }

    /** The same rule as {@link #componentProblem}, without building the reason (the audit asks it for every key). */
    public static boolean isValidComponent(String component) {
        return isPlainComponent(requireNonNull(component, "component is null"));
    }

    private static boolean allowed(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                || ch == '_' || ch == '.' || ch == '-' || ch == '[' || ch == ']' || ch == ':';
    }

    private static String describe(char ch) {
        return ch >= 0x21 && ch < 0x7f ? "'" + ch + "'" : String.format("U+%04X", (int) ch);
    }

    /** Ids come from a database anyone could have written to: show them without control characters. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().limit(200).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(value.length() > 200 ? "...\"" : "\"").toString();
    }

    @Override
    public String toString() {
        return "MediaStoreLayout[" + root + "]";
    }
}
