/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.util.Locale;
import java.util.Objects;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.internal.Checks;

/**
 * How the frames of a frame stream — a camera's files that store one diffraction pattern after
 * another, without saying which scan position and time step each belongs to (Merlin {@code .mib},
 * Dectris, EMPAD, Gatan 3D stacks) — map onto (t, y, x). Immutable; configured by copy-returning
 * withers that validate at once.
 *
 * <p>Frame {@code n} of the stream, after {@link #skipFrames()} leading frames (sync or flyback
 * frames the camera recorded before the scan), is
 * <ul>
 *   <li>{@link Order#T_Y_X} (the default, repeated scans): {@code n = (t·NY + y)·NX + x};</li>
 *   <li>{@link Order#Y_X_T} (a time series at each position): {@code n = (y·NX + x)·NT + t};</li>
 * </ul>
 * where NY × NX is the scan ({@link #scanY()}, {@link #scanX()}) and the number of time steps NT is
 * inferred: the frames after the skipped ones must be an exact multiple of NY·NX. Frames keep the
 * file's orientation (row 0 of a stored frame is k_y = 0).
 *
 * <pre>{@code
 * OpenOptions o = OpenOptions.defaults().withFrameMapping(FrameMapping.scan(60, 120).withSkipFrames(1));
 * }</pre>
 */
public final class FrameMapping {

    /** Which index varies fastest in the stream. */
    public enum Order {
        /** Repeated scans: all positions of time step 0, then of time step 1, … ({@code t,y,x}). */
        T_Y_X("t,y,x"),
        /** A time series at each position: all time steps of (0, 0), then of (0, 1), … ({@code y,x,t}). */
        Y_X_T("y,x,t");

        private final String letters;

        Order(String letters) {
            this.letters = letters;
        }

        /** @return the storage axis order of the frames: {@code t,y,x,ky,kx} or {@code y,x,t,ky,kx} */
        public AxisOrder axisOrder() {
            return AxisOrder.parse(letters + ",ky,kx");
        }

        /**
         * @param text {@code t,y,x} or {@code y,x,t} (spaces and case ignored)
         * @return the order
         * @throws IllegalArgumentException naming the text and the two accepted values
         */
        public static Order parse(String text) {
            String s = Objects.requireNonNull(text, "order").replace(" ", "").toLowerCase(Locale.ROOT);
            for (Order o : values()) {
                if (o.letters.equals(s)) {
                    return o;
                }
            }
            throw new IllegalArgumentException(Checks.format(
                "frame order '%s' is neither t,y,x (repeated scans) nor y,x,t (a time series at each position)", text));
        }

        @Override
        public String toString() {
            return letters;
        }
    }

    private static final FrameMapping UNKNOWN_SCAN = new FrameMapping(0, 0, Order.T_Y_X, 0);

    private final int scanY;
    private final int scanX;
    private final Order order;
    private final long skipFrames;

    private FrameMapping(int scanY, int scanX, Order order, long skipFrames) {
        this.scanY = scanY;
        this.scanX = scanX;
        this.order = order;
        this.skipFrames = skipFrames;
    }

    /**
     * @return a mapping whose scan comes from the file (where the format stores it), order
     *     {@code t,y,x}, no frames skipped
     */
    public static FrameMapping fromFile() {
        return UNKNOWN_SCAN;
    }

    /**
     * @param scanY scan rows NY (&ge; 1)
     * @param scanX scan columns NX (&ge; 1)
     * @return a mapping onto an NY × NX scan, order {@code t,y,x}, no frames skipped
     */
    public static FrameMapping scan(int scanY, int scanX) {
        return UNKNOWN_SCAN.withScan(scanY, scanX);
    }

    /**
     * @param rows scan rows NY (&ge; 1)
     * @param columns scan columns NX (&ge; 1)
     * @return a copy with this scan
     */
    public FrameMapping withScan(int rows, int columns) {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException(Checks.format("scan %d × %d: both extents must be at least 1", rows, columns));
        }
        return new FrameMapping(rows, columns, order, skipFrames);
    }

    /**
     * @param frameOrder which index varies fastest
     * @return a copy with this order
     */
    public FrameMapping withOrder(Order frameOrder) {
        return new FrameMapping(scanY, scanX, Objects.requireNonNull(frameOrder, "order"), skipFrames);
    }

    /**
     * @param frames leading frames to ignore (&ge; 0)
     * @return a copy skipping them
     */
    public FrameMapping withSkipFrames(long frames) {
        if (frames < 0) {
            throw new IllegalArgumentException(Checks.format("skipFrames is negative: %d", frames));
        }
        return new FrameMapping(scanY, scanX, order, frames);
    }

    /** @return whether the scan was given (otherwise it must come from the file) */
    public boolean hasScan() {
        return scanY > 0;
    }

    /** @return scan rows NY, or 0 if not given */
    public int scanY() {
        return scanY;
    }

    /** @return scan columns NX, or 0 if not given */
    public int scanX() {
        return scanX;
    }

    /** @return the order of the frames */
    public Order order() {
        return order;
    }

    /** @return leading frames ignored */
    public long skipFrames() {
        return skipFrames;
    }

    /**
     * The number of time steps NT a stream of {@code frames} frames holds under this mapping.
     *
     * @param frames frames in the stream
     * @return NT = (frames − skipped) / (NY·NX)
     * @throws IllegalStateException if no scan is given
     * @throws IllegalArgumentException naming both numbers when the frames left after skipping are
     *     not a positive exact multiple of the scan
     */
    public int timeSteps(long frames) {
        if (!hasScan()) {
            throw new IllegalStateException("no scan given");
        }
        long per = (long) scanY * scanX;
        long left = frames - skipFrames;
        if (left < per || left % per != 0) {
            String skipped = skipFrames == 0 ? "" : Checks.format(" (after skipping %d of %d)", skipFrames, frames);
            long lower = left / per;
            String hint = left < per ? "fewer frames than one scan" : Checks.format(
                "%d full time steps leave %d frames over; check --scan, or skip leading frames with --skip-frames",
                lower, left - lower * per);
            throw new IllegalArgumentException(Checks.format(
                "%d frames%s do not divide into scans of %d × %d = %d positions: %s", left, skipped, scanY, scanX, per, hint));
        }
        if (left / per > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(Checks.format("%d time steps exceed the supported %d", left / per, Integer.MAX_VALUE));
        }
        return (int) (left / per);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameMapping m && m.scanY == scanY && m.scanX == scanX && m.order == order
            && m.skipFrames == skipFrames;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scanY, scanX, order, skipFrames);
    }

    @Override
    public String toString() {
        return "FrameMapping[" + (hasScan() ? Checks.format("scan %d × %d", scanY, scanX) : "scan from file")
            + ", order " + order + (skipFrames > 0 ? ", skip " + skipFrames : "") + "]";
    }
}
