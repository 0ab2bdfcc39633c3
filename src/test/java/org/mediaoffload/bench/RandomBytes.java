package org.mediaoffload.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/** A block of incompressible bytes generated once; files are made of slices of it at random offsets. */
final class RandomBytes {
    private final byte[] block;

    RandomBytes(int size, long seed) {
        block = new byte[size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < size; i += 8) {
            long v = random.nextLong();
            for (int b = 0; b < 8 && i + b < size; b++) {
                block[i + b] = (byte) (v >>> (8 * b));
            }
        }
    }

    ByteBuffer slice(SplittableRandom random, int length) {
        int len = Math.min(length, block.length);
        int offset = random.nextInt(block.length - len + 1);
        return ByteBuffer.wrap(block, offset, len);
    }
}
