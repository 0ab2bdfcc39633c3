package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mediaoffload.pipeline.DiskMediaId;
import org.mediaoffload.pipeline.MediaKind;
import org.mediaoffload.pipeline.MediaRow;

class MediaStoreLayoutTest {

    private final MediaStoreLayout layout = new MediaStoreLayout(Path.of("/srv/media"));

    @Test
    void localMedia() {
        MediaRow row = new MediaRow(MediaKind.LOCAL, "", "aabbcccccccccccccccccccc", "aabbcccccccccccccccccccc",
                OptionalLong.of(3), 0, false);
        assertThat(layout.locate(row)).isEqualTo(new MediaLocation.Valid(
                "local_content/aa/bb/cccccccccccccccccccc", "local_thumbnails/aa/bb/cccccccccccccccccccc"));
    }

    @Test
    void remoteMediaUsesFilesystemIdAndOriginVerbatim() {
        MediaRow row = new MediaRow(MediaKind.REMOTE, "matrix.org", "remote-id/with?odd*chars",
                "GerZNDnDZVjsOtardLuwfIBg", OptionalLong.of(3), 0, false);
        assertThat(layout.locate(row)).isEqualTo(new MediaLocation.Valid(
                "remote_content/matrix.org/Ge/rZ/NDnDZVjsOtardLuwfIBg",
                "remote_thumbnail/matrix.org/Ge/rZ/NDnDZVjsOtardLuwfIBg"));
    }

    @Test
    void originsWithPortAndIpv6() {
        assertThat(layout.locate(new DiskMediaId(MediaKind.REMOTE, "example.com:8448", "abcdef")))
                .isEqualTo(new MediaLocation.Valid("remote_content/example.com:8448/ab/cd/ef",
                        "remote_thumbnail/example.com:8448/ab/cd/ef"));
        assertThat(layout.locate(new DiskMediaId(MediaKind.REMOTE, "[2001:db8::1]:8448", "abcde")))
                .isEqualTo(new MediaLocation.Valid("remote_content/[2001:db8::1]:8448/ab/cd/e",
                        "remote_thumbnail/[2001:db8::1]:8448/ab/cd/e"));
    }

    @Test
    void localIgnoresOrigin() {
        assertThat(layout.locate(new DiskMediaId(MediaKind.LOCAL, "", "a_b-c.d:[e]")))
                .isInstanceOf(MediaLocation.Valid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/b", "..", "ab", "", "abcd", "abcd/efgh", "ab cdefgh", "abcd%2fxx",
            "..abcdef", "ab..cdef", "abcd..", "abcd\u0000xx", "abcdé", "abcd\nxx", "ab\\cdefg"})
    void hostileIdsAreRejectedWithAReason(String id) {
        MediaLocation local = layout.locate(new DiskMediaId(MediaKind.LOCAL, "", id));
        MediaLocation remote = layout.locate(new DiskMediaId(MediaKind.REMOTE, "matrix.org", id));
        assertThat(local).isInstanceOf(MediaLocation.Invalid.class);
        assertThat(remote).isInstanceOf(MediaLocation.Invalid.class);
        assertThat(((MediaLocation.Invalid) local).reason()).startsWith("media id ").doesNotContain("\n");
        assertThat(((MediaLocation.Invalid) remote).reason()).startsWith("filesystem id ");
    }

    @Test
    void reasonsSayWhatIsWrong() {
        assertThat(reason(MediaKind.LOCAL, "", "ab")).contains("shorter than 5 characters");
        assertThat(reason(MediaKind.LOCAL, "", "abcd%zz")).contains("'%'");
        assertThat(reason(MediaKind.LOCAL, "", "abcd zz")).contains("U+0020");
        assertThat(reason(MediaKind.LOCAL, "", "....xx")).contains("\"..\" is not allowed");
        assertThat(reason(MediaKind.LOCAL, "", "abcd\nzz")).contains("\\u000a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "evil.com/../..", "host name", "x%2f"})
    void hostileOriginsAreRejected(String origin) {
        assertThat(reason(MediaKind.REMOTE, origin, "abcdefgh")).startsWith("origin ");
    }

    private String reason(MediaKind kind, String origin, String id) {
        MediaLocation location = layout.locate(new DiskMediaId(kind, origin, id));
        assertThat(location).isInstanceOf(MediaLocation.Invalid.class);
        return ((MediaLocation.Invalid) location).reason();
    }
}
