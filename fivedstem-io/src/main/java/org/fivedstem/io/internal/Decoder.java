/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.fivedstem.io.SampleType;

/**
 * Converts stored elements of one sample type and byte order to {@code double}, exactly.
 * Contiguous runs go through typed bulk views (the fast path: one virtual call per run);
 * strided elements one at a time.
 */
public final class Decoder {

    private final SampleType type;
    private final ByteOrder order;
    private final int size;
    private short[] shorts = new short[0];
    private int[] ints = new int[0];
    private float[] floats = new float[0];
    private byte[] bytes = new byte[0];
    private double[] run = new double[0];

    /**
     * @param type the stored type
     * @param order the stored byte order
     */
    public Decoder(SampleType type, ByteOrder order) {
        this.type = type;
        this.order = order;
        this.size = type.sizeBytes();
    }

    /** @return the stored type */
    public SampleType type() {
        return type;
    }

    /** @return the stored byte order */
    public ByteOrder order() {
        return order;
    }

    /**
     * Decodes {@code count} consecutive elements.
     *
     * @param src the bytes; its byte order is ignored. <i>Not modified</i> (position untouched).
     * @param byteIndex absolute index of the first element's first byte
     * @param count number of elements
     * @param dst receives the values. <i>Modified.</i>
     * @param dstOffset first index written
     */
    public void decodeRun(ByteBuffer src, int byteIndex, int count, double[] dst, int dstOffset) {
        ByteBuffer b = src.duplicate().order(order);
        b.position(byteIndex).limit(byteIndex + count * size);
        switch (type) {
            case UINT8:
            case INT8: {
                byte[] v = readBytes(src, byteIndex, count);
                if (type == SampleType.UINT8) {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = v[i] & 0xff;
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = v[i];
                    }
                }
                break;
            }
            case UINT16:
            case INT16: {
                short[] v = readShorts(src, byteIndex, count);
                if (type == SampleType.UINT16) {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = v[i] & 0xffff;
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = v[i];
                    }
                }
                break;
            }
            case UINT32:
            case INT32: {
                if (ints.length < count) {
                    ints = new int[count];
                }
                b.asIntBuffer().get(ints, 0, count);
                if (type == SampleType.UINT32) {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = ints[i] & 0xffffffffL;
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        dst[dstOffset + i] = ints[i];
                    }
                }
                break;
            }
            case FLOAT32: {
                if (floats.length < count) {
                    floats = new float[count];
                }
                b.asFloatBuffer().get(floats, 0, count);
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = floats[i];
                }
                break;
            }
            default:
                b.asDoubleBuffer().get(dst, dstOffset, count);
        }
    }

    /**
     * Decodes some elements of a run: {@code dst[i] = element[indices[i]]} of the {@code count}
     * consecutive elements starting at {@code byteIndex}. The run is copied in bulk into this
     * decoder's typed workspace (for 8- and 16-bit types; others decode the run to double first),
     * then the selected elements are converted.
     *
     * @param src the bytes; its byte order is ignored. <i>Not modified</i> (position untouched).
     * @param byteIndex absolute index of the run's first byte
     * @param count number of elements in the run
     * @param indices which elements, each in {@code [0, count)}. <i>Not modified.</i>
     * @param dst receives {@code indices.length} values. <i>Modified.</i>
     */
    public void decodeGather(ByteBuffer src, int byteIndex, int count, int[] indices, double[] dst) {
        switch (type) {
            case UINT16:
            case INT16: {
                short[] v = readShorts(src, byteIndex, count);
                if (type == SampleType.UINT16) {
                    for (int i = 0; i < indices.length; i++) {
                        dst[i] = v[indices[i]] & 0xffff;
                    }
                } else {
                    for (int i = 0; i < indices.length; i++) {
                        dst[i] = v[indices[i]];
                    }
                }
                break;
            }
            case UINT8:
            case INT8: {
                byte[] v = readBytes(src, byteIndex, count);
                if (type == SampleType.UINT8) {
                    for (int i = 0; i < indices.length; i++) {
                        dst[i] = v[indices[i]] & 0xff;
                    }
                } else {
                    for (int i = 0; i < indices.length; i++) {
                        dst[i] = v[indices[i]];
                    }
                }
                break;
            }
            default: {
                if (run.length < count) {
                    run = new double[count];
                }
                decodeRun(src, byteIndex, count, run, 0);
                for (int i = 0; i < indices.length; i++) {
                    dst[i] = run[indices[i]];
                }
            }
        }
    }

    /** Reads a run of 16-bit elements into the reused {@code shorts} (valid up to {@code count}). */
    private short[] readShorts(ByteBuffer src, int byteIndex, int count) {
        if (shorts.length < count) {
            shorts = new short[count];
        }
        ByteBuffer b = src.duplicate().order(order);
        b.position(byteIndex).limit(byteIndex + count * size);
        b.asShortBuffer().get(shorts, 0, count);
        return shorts;
    }

    /** Reads a run of 8-bit elements into the reused {@code bytes} (valid up to {@code count}). */
    private byte[] readBytes(ByteBuffer src, int byteIndex, int count) {
        if (bytes.length < count) {
            bytes = new byte[count];
        }
        ByteBuffer b = src.duplicate();
        b.position(byteIndex).limit(byteIndex + count);
        b.get(bytes, 0, count);
        return bytes;
    }

    /**
     * As {@link #decodeGather(ByteBuffer, int, int, int[], double[])}, into {@code float}: for 8- and
     * 16-bit types each selected stored integer is converted once, straight into its place in
     * {@code dst} (every such value is exact in {@code float}); other types decode the run to
     * {@code double} first and narrow, which is exact only for whole values of at most 2²⁴ — the
     * caller's to know ({@code PatternStorage.countLimit}).
     *
     * @param src the bytes; its byte order is ignored. <i>Not modified</i> (position untouched).
     * @param byteIndex absolute index of the run's first byte
     * @param count number of elements in the run
     * @param indices which elements, each in {@code [0, count)}. <i>Not modified.</i>
     * @param dst receives {@code indices.length} values from {@code dstOffset}. <i>Modified.</i>
     * @param dstOffset where the first value goes
     */
    public void decodeGather(ByteBuffer src, int byteIndex, int count, int[] indices, float[] dst, int dstOffset) {
        switch (type) {
            case UINT16:
            case INT16: {
                short[] v = readShorts(src, byteIndex, count);
                if (type == SampleType.UINT16) {
                    for (int i = 0; i < indices.length; i++) {
                        dst[dstOffset + i] = v[indices[i]] & 0xffff;
                    }
                } else {
                    for (int i = 0; i < indices.length; i++) {
                        dst[dstOffset + i] = v[indices[i]];
                    }
                }
                break;
            }
            case UINT8:
            case INT8: {
                byte[] v = readBytes(src, byteIndex, count);
                if (type == SampleType.UINT8) {
                    for (int i = 0; i < indices.length; i++) {
                        dst[dstOffset + i] = v[indices[i]] & 0xff;
                    }
                } else {
                    for (int i = 0; i < indices.length; i++) {
                        dst[dstOffset + i] = v[indices[i]];
                    }
                }
                break;
            }
            default: {
                if (run.length < count) {
                    run = new double[count];
                }
                decodeRun(src, byteIndex, count, run, 0);
                for (int i = 0; i < indices.length; i++) {
                    dst[dstOffset + i] = (float) run[indices[i]];
                }
            }
        }
    }

    /**
     * Decodes one element.
     *
     * @param src the bytes (its byte order is ignored)
     * @param byteIndex absolute index of the element's first byte
     * @return the value
     */
    public double decode(ByteBuffer src, int byteIndex) {
        boolean little = order == ByteOrder.LITTLE_ENDIAN;
        switch (type) {
            case UINT8: return src.get(byteIndex) & 0xff;
            case INT8: return src.get(byteIndex);
            case UINT16: return swap16(src.getShort(byteIndex), little, src) & 0xffff;
            case INT16: return swap16(src.getShort(byteIndex), little, src);
            case UINT32: return swap32(src.getInt(byteIndex), little, src) & 0xffffffffL;
            case INT32: return swap32(src.getInt(byteIndex), little, src);
            case FLOAT32: return Float.intBitsToFloat(swap32(src.getInt(byteIndex), little, src));
            default: {
                long v = src.getLong(byteIndex);
                return Double.longBitsToDouble((src.order() == ByteOrder.LITTLE_ENDIAN) == little ? v : Long.reverseBytes(v));
            }
        }
    }

    private static short swap16(short v, boolean little, ByteBuffer src) {
        return (src.order() == ByteOrder.LITTLE_ENDIAN) == little ? v : Short.reverseBytes(v);
    }

    private static int swap32(int v, boolean little, ByteBuffer src) {
        return (src.order() == ByteOrder.LITTLE_ENDIAN) == little ? v : Integer.reverseBytes(v);
    }

    @Override
    public String toString() {
        return type + (type.sizeBytes() > 1 ? (order == ByteOrder.LITTLE_ENDIAN ? " little-endian" : " big-endian") : "");
    }
}
