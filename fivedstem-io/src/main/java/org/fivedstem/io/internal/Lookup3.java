/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

/**
 * Bob Jenkins' lookup3 {@code hashlittle}, the checksum of HDF5's version-2 superblocks and
 * object headers ({@code H5_checksum_lookup3} with initial value 0).
 *
 * <p>Hand-written (about 50 lines) rather than borrowed from jhdf's {@code io.jhdf.checksum}
 * package, which is not part of jhdf's public API and may move; the tests check this
 * implementation against jhdf's on random inputs.
 */
public final class Lookup3 {

    private Lookup3() {
    }

    /**
     * @param data the bytes. <i>Not modified.</i>
     * @param offset first byte
     * @param length number of bytes
     * @return the hash with initial value 0
     */
    public static int hash(byte[] data, int offset, int length) {
        int a = 0xdeadbeef + length;
        int b = a;
        int c = a;
        int i = offset;
        int n = length;
        while (n > 12) {
            a += word(data, i);
            b += word(data, i + 4);
            c += word(data, i + 8);
            // mix(a, b, c)
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            n -= 12;
            i += 12;
        }
        if (n == 0) {
            return c;
        }
        c += tail(data, i + 8, n - 8);
        b += tail(data, i + 4, n - 4);
        a += tail(data, i, n);
        // final(a, b, c)
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    private static int word(byte[] d, int i) {
        return (d[i] & 0xff) | (d[i + 1] & 0xff) << 8 | (d[i + 2] & 0xff) << 16 | (d[i + 3] & 0xff) << 24;
    }

    /** Little-endian value of the first min(4, available) bytes at {@code i}; 0 if none. */
    private static int tail(byte[] d, int i, int available) {
        int v = 0;
        for (int k = Math.min(4, available) - 1; k >= 0; k--) {
            v = v << 8 | (d[i + k] & 0xff);
        }
        return v;
    }
}
