package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class S3KeyOrderTest {

    @Test
    void keysSortAsTheirUtf8Bytes() {
        List<String> keys = new ArrayList<>(List.of("a\uFFFD", "a\uD83D\uDE00", "a\u00e9", "aZ", "a_", "a/", "a",
                "a.b"));
        keys.sort(S3KeyOrder.KEYS);
        // U+1F600 (a surrogate pair in UTF-16, so before U+FFFD in String order) is 4 bytes starting 0xF0 in UTF-8.
        assertThat(keys).containsExactly("a", "a.b", "a/", "aZ", "a_", "a\u00e9", "a\uFFFD", "a\uD83D\uDE00");
        List<String> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        assertThat(keys).isEqualTo(byBytes);
    }

    @Test
    void aDirectorySortsAsItsNameFollowedByASlash() {
        List<String> origins = new ArrayList<>(List.of("example.com", "example.com:8448", "example.com.au"));
        origins.sort(S3KeyOrder.DIRECTORIES);
        assertThat(origins).containsExactly("example.com.au", "example.com", "example.com:8448");
    }
}
