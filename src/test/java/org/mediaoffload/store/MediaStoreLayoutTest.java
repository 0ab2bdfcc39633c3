package org.mediaoffload.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Random;

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

    /** The one-pass path for plain ids must say exactly what the rule-by-rule checks say, valid or not. */
    @Test
    void theFastPathAgreesWithTheRuleByRuleChecks() {
        Random random = new Random(20261203);
        int valid = 0;
        int invalid = 0;
        for (int i = 0; i < 20_000; i++) {
            String id = randomText(random, random.nextInt(9));
            String origin = random.nextInt(10) == 0 ? "" : randomText(random, 1 + random.nextInt(4));
            for (MediaKind kind : MediaKind.values()) {
                MediaLocation fast = layout.locate(kind, origin, id);
                MediaLocation checked = MediaStoreLayout.locateChecked(kind, origin, id);
                if (!fast.equals(checked)) {
                    assertThat(fast).as("%s origin %s id %s", kind, origin, id).isEqualTo(checked);
                }
                if (MediaStoreLayout.isValidComponent(origin) != MediaStoreLayout.componentProblem(origin).isEmpty()) {
                    assertThat(MediaStoreLayout.isValidComponent(origin)).as("component %s", origin)
                            .isEqualTo(MediaStoreLayout.componentProblem(origin).isEmpty());
                }
                if (fast instanceof MediaLocation.Valid) {
                    valid++;
                } else {
                    invalid++;
                }
            }
        }
        // Both outcomes are well represented, so the comparison covers the fast path and the fallback.
        assertThat(valid).isGreaterThan(5_000);
        assertThat(invalid).isGreaterThan(5_000);
    }

    /** Mostly allowed characters, dots often (".." parts), now and then one that is refused. */
    private static String randomText(Random random, int length) {
        String allowed = "ab..:-_[]Z9";
        String refused = "/%\u00e9 \n\u0000";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            String from = random.nextInt(25) == 0 ? refused : allowed;
            s.append(from.charAt(random.nextInt(from.length())));
        }
        return s.toString();
    }

    private String reason(MediaKind kind, String origin, String id) {
        MediaLocation location = layout.locate(new DiskMediaId(kind, origin, id));
        assertThat(location).isInstanceOf(MediaLocation.Invalid.class);
        return ((MediaLocation.Invalid) location).reason();
    }
}
