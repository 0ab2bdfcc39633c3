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
        int i = 0;
        int j = 0;
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
