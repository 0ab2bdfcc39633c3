package org.mediaoffload.audit;

import java.util.Comparator;

/**
 * The order S3 lists keys in: their UTF-8 bytes, unsigned. Comparing code points gives exactly that order
 * (UTF-8 preserves code point order); Java's {@link String#compareTo} compares UTF-16 units and so differs for
 * characters above U+FFFF, which is why the merge never uses it.
 */
final class KeyOrder {
    static final Comparator<String> UTF8 = KeyOrder::compare;

    private KeyOrder() {}

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (ca == cb) {
                i++;
                j++;
                continue;
            }
            if (!Character.isSurrogate(ca) && !Character.isSurrogate(cb)) {
                return Character.compare(ca, cb);
            }
            return Integer.compare(a.codePointAt(i), b.codePointAt(j));
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
