package org.mediaoffload.bench;

import java.util.SplittableRandom;

/** Media ids shaped like Synapse's: 24 random ASCII letters. */
final class BenchIds {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private BenchIds() {}

    static String mediaId(SplittableRandom random) {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(id);
    }
}
