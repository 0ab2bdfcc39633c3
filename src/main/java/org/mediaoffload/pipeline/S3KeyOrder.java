package org.mediaoffload.pipeline;

import java.util.Comparator;

/**
 * The order S3 lists keys in (UTF-8 bytes, unsigned), for names on disk: a directory's name sorts as its key
 * prefix does, followed by {@code /}. So {@code example.com.au/} comes before {@code example.com/} ({@code .} is
 * 0x2E, {@code /} 0x2F), which plain name order gets the other way round; the discovery walk uses this so the work
 * it hands over is in the order a listing returns the keys.
 */
public final class S3KeyOrder {

    /** Code point order, which is UTF-8 byte order ({@link String#compareTo} is UTF-16 order). */
    public static final Comparator<String> KEYS = S3KeyOrder::compare;

    /** Directory names, each compared as {@code name + "/"}. */
    public static final Comparator<String> DIRECTORIES = (a, b) -> compare(a + "/", b + "/");

    private S3KeyOrder() {}

    public static int compare(String a, String b) {
        // UTF-16 order is code point order up to the first char where they differ, unless a surrogate is involved
        // there: only then is the comparison made on code points (the audit sorts millions of keys with this).
        int n = Math.min(a.length(), b.length());
        for (int k = 0; k < n; k++) {
            char ca = a.charAt(k);
            char cb = b.charAt(k);
            if (ca != cb) {
                if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
                    return ca < cb ? -1 : 1;
                }
                // Both strings are equal before k: a high surrogate at k - 1 starts the code point that differs.
                int from = k > 0 && Character.isHighSurrogate(a.charAt(k - 1)) ? k - 1 : k;
                return byCodePoints(a, b, from);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    private static int byCodePoints(String a, String b, int from) {
        int i = from;
        int j = from;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
