package org.mediaoffload.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

    /**
     * The char-wise fast path agrees in sign with a plain code point comparison on strings built from a small
     * alphabet rich in surrogates (pairs, lone highs and lows, chars on both sides of the surrogate range), so that
     * first differences land on every kind of position; and with UTF-8 byte order where the strings are valid.
     */
    @Test
    void theFastPathAgreesWithCodePointOrderAroundSurrogates() {
        char[] alphabet = {'a', '/', '\u00e9', '\uD7FF', '\uD83D', '\uD83E', '\uDE00', '\uDE01', '\uE000', '\uFFFF'};
        Random random = new Random(42);
        for (int round = 0; round < 200_000; round++) {
            String common = randomString(random, alphabet, random.nextInt(4));
            String a = common + randomString(random, alphabet, random.nextInt(4));
            String b = common + randomString(random, alphabet, random.nextInt(4));
            int expected = Integer.signum(codePointCompare(a, b));
            assertThat(Integer.signum(S3KeyOrder.compare(a, b))).as("%s vs %s", escape(a), escape(b))
                    .isEqualTo(expected);
            assertThat(Integer.signum(S3KeyOrder.compare(b, a))).isEqualTo(-expected);
        }
    }

    private static String randomString(Random random, char[] alphabet, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return s.toString();
    }

    /** The reference: code point by code point, a lone surrogate being its own code point. */
    private static int codePointCompare(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return Arrays.compare(x, y);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(String.format("\\u%04x", c)));
        return out.toString();
    }
}
