/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.preparation.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.fivedstem.api.Axis;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;

/**
 * Sub-step drift correction by bilinear interpolation between scan positions: the pattern at
 * corrected position {@code (y, x)} of frame {@code t} is
 *
 * <pre>
 *   Σ_{i,j ∈ {0,1}} wy_i(t) · wx_j(t) · source(t, ry(t) + y + i, rx(t) + x + j)
 *   ry(t) = ⌊sy(t)⌋,  wy_1 = sy(t) − ⌊sy(t)⌋,  wy_0 = 1 − wy_1   (and the same along x)
 * </pre>
 *
 * with {@code (sy(t), sx(t))} the source coordinate of corrected position {@code (0, 0)} — the
 * common field of view's corner plus the drift. Terms of weight 0 are skipped, so a whole-step
 * drift gives the source pattern bit for bit and a NaN in an unused neighbour does not leak in.
 * A neighbour of non-zero weight that the source excludes (when the source is a
 * {@link ZeroedPatternsStorage}, which delivers excluded patterns as zeros) makes the interpolated
 * pattern all 0 too, so exclusion carries through: the kernels then leave it out as blank instead
 * of using a dimmed mixture. Exclusion is decided by the source's exclusion set, not by the values
 * delivered: a real pattern whose annulus happens to hold no counts (low dose) is interpolated like
 * any other, through {@code visit} and {@code visitPixels} alike.
 *
 * <p><b>Reading.</b> The selection is cut into tiles in storage order (first along the slowest
 * of the t, y, x axes, then, if one slice along it does not fit, along the next), each sized
 * so that its source box — the tile's rows and columns widened by the drift range of its frames —
 * fits a fixed byte budget. Each source box is read once ({@link PatternStorage#visit} or, for
 * {@link #visitPixels}, the source's own pixel-subset path, so only the requested pixels — an
 * annulus — are decoded, buffered and interpolated), then the tile's patterns are emitted in
 * storage order. When time is the slowest axis the tiles are single frames, whose source box is
 * the tile plus one row and one column; the extra read is then 1/(tile rows). Memory: the budget
 * (at least one 2×2 box of patterns), whatever the file's size.
 */
public final class ResampledStorage extends StorageView {

    private final int[] rowFloor;
    private final int[] colFloor;
    private final double[] rowFrac;
    private final double[] colFrac;
    /** Per frame, the weights of corners 00, 01, 10, 11 (row, column offsets), summed in this order. */
    private final double[] weights;
    private final long bufferBytes;

    /**
     * @param source the storage (frames as the arrays)
     * @param cornerY integer part of the source row of corrected row 0 (the common field of view's corner, ≥ 0)
     * @param cornerX integer part of the source column of corrected column 0
     * @param dySteps per-frame drift along rows in steps (added to {@code cornerY}); finite
     * @param dxSteps per-frame drift along columns in steps
     * @param scanY corrected rows: every frame's rows {@code ⌊cornerY + dy⌋ … ⌈cornerY + dy⌉ + scanY − 1} lie in the source
     * @param scanX corrected columns
     * @param bufferBytes the byte budget of the buffered source boxes (≥ 1; at least one 2×2 box is always used)
     * @throws IllegalArgumentException if a frame's source rows or columns leave the source scan
     */
    public ResampledStorage(PatternStorage source, int cornerY, int cornerX, double[] dySteps, double[] dxSteps, int scanY,
                            int scanX, long bufferBytes) {
        super(source, Shape5D.of(source.shape().frames(), scanY, scanX, source.shape().ky(), source.shape().kx()));
        Shape5D s = source.shape();
        int n = s.frames();
        Checks.length("dySteps", n, dySteps.length);
        Checks.length("dxSteps", n, dxSteps.length);
        Checks.positive("bufferBytes", (double) bufferBytes);
        this.rowFloor = new int[n];
        this.colFloor = new int[n];
        this.rowFrac = new double[n];
        this.colFrac = new double[n];
        for (int t = 0; t < n; t++) {
            double fy = Math.floor(Checks.finite("dySteps[" + t + "]", dySteps[t]));
            double fx = Math.floor(Checks.finite("dxSteps[" + t + "]", dxSteps[t]));
            rowFloor[t] = cornerY + (int) fy;
            colFloor[t] = cornerX + (int) fx;
            rowFrac[t] = dySteps[t] - fy;
            colFrac[t] = dxSteps[t] - fx;
            if (rowFloor[t] < 0 || rowFloor[t] + lastRowOffset(t) + scanY > s.scanY() || colFloor[t] < 0
                || colFloor[t] + lastColOffset(t) + scanX > s.scanX()) {
                throw new IllegalArgumentException(Checks.format(
                    "frame %d's drift (%.3f, %.3f) steps moves the %d×%d field of view at (%d, %d) outside the %d×%d scan",
                    t, dySteps[t], dxSteps[t], scanY, scanX, cornerY, cornerX, s.scanY(), s.scanX()));
            }
        }
        this.weights = new double[4 * n];
        for (int t = 0; t < n; t++) {
            double fy = rowFrac[t];
            double fx = colFrac[t];
            weights[4 * t] = (1 - fy) * (1 - fx);
            weights[4 * t + 1] = (1 - fy) * fx;
            weights[4 * t + 2] = fy * (1 - fx);
            weights[4 * t + 3] = fy * fx;
        }
        this.bufferBytes = bufferBytes;
    }

    /** 1 if frame t needs the row below its floor row, else 0. */
    private int lastRowOffset(int t) {
        return rowFrac[t] > 0 ? 1 : 0;
    }

    private int lastColOffset(int t) {
        return colFrac[t] > 0 ? 1 : 0;
    }



    @Override
    public String description() {
        return source.description() + ", drift-corrected (bilinear) " + shape.scanY() + "×" + shape.scanX() + " field of view";
    }

    @Override
    public void visit(Selection selection, PatternVisitor visitor) throws IOException {
        run(selection, null, visitor);
    }

    @Override
    public void visitPixels(Selection selection, int[] pixelIndices, PatternVisitor visitor) throws IOException {
        run(selection, PatternStorage.checkedPixels(pixelIndices, shape.patternSize()), visitor);
    }


    /** Axis index used below: 0 = t, 1 = y, 2 = x. */
    private static int index(Axis a) {
        return a == Axis.T ? 0 : a == Axis.Y ? 1 : 2;
    }

    private void run(Selection s, int[] pixels, PatternVisitor visitor) throws IOException {
        if (!s.fitsIn(shape)) {
            throw new IllegalArgumentException("selection " + s + " does not fit " + shape);
        }
        int values = pixels == null ? shape.patternSize() : pixels.length;
        List<Axis> order = source.axisOrder().scanOrder();
        int[] dim = {index(order.get(0)), index(order.get(1)), index(order.get(2))};
        int[] lo = {s.frameStart(), s.yStart(), s.xStart()};
        int[] hi = {s.frameEnd(), s.yEnd(), s.xEnd()};
        int[] ranges = ranges(s);
        int[] chunk = tiles(s, values, dim, ranges);
        Tile tile = new Tile(s, pixels, values, visitor, boxPatterns(chunk, ranges));
        int[] a = new int[3];
        int[] b = new int[3];
        for (int i0 = lo[dim[0]]; i0 < hi[dim[0]]; i0 += chunk[dim[0]]) {
            a[dim[0]] = i0;
            b[dim[0]] = Math.min(hi[dim[0]], i0 + chunk[dim[0]]);
            for (int i1 = lo[dim[1]]; i1 < hi[dim[1]]; i1 += chunk[dim[1]]) {
                a[dim[1]] = i1;
                b[dim[1]] = Math.min(hi[dim[1]], i1 + chunk[dim[1]]);
                for (int i2 = lo[dim[2]]; i2 < hi[dim[2]]; i2 += chunk[dim[2]]) {
                    a[dim[2]] = i2;
                    b[dim[2]] = Math.min(hi[dim[2]], i2 + chunk[dim[2]]);
                    tile.run(a, b, dim);
                }
            }
        }
    }

    /**
     * The drift range of a selection's frames: {rows, columns} spanned by all their source boxes
     * beyond the tile's own extent, and {rows, columns} for a single frame (0 or 1).
     */
    private int[] ranges(Selection s) {
        int minRow = Integer.MAX_VALUE;
        int maxRow = Integer.MIN_VALUE;
        int minCol = Integer.MAX_VALUE;
        int maxCol = Integer.MIN_VALUE;
        int frameY = 0;
        int frameX = 0;
        for (int t = s.frameStart(); t < s.frameEnd(); t++) {
            minRow = Math.min(minRow, rowFloor[t]);
            maxRow = Math.max(maxRow, rowFloor[t] + lastRowOffset(t));
            minCol = Math.min(minCol, colFloor[t]);
            maxCol = Math.max(maxCol, colFloor[t] + lastColOffset(t));
            frameY = Math.max(frameY, lastRowOffset(t));
            frameX = Math.max(frameX, lastColOffset(t));
        }
        return new int[] {maxRow - minRow, maxCol - minCol, frameY, frameX};
    }

    /**
     * Tile extents {frames, rows, columns}: the whole selection if its source box fits the
     * budget, else cut along the slowest axis, then (at extent 1) along the next. When time is
     * the slowest axis, single frames (their box is one row and column wider, not the drift range).
     */
    private int[] tiles(Selection s, int values, int[] dim, int[] ranges) {
        int[] c = {s.frames(), s.rows(), s.columns()};
        int[] n = c.clone();
        if (dim[0] == 0) {
            c[0] = 1;
        }
        for (int k = 0; k < 3; k++) {
            if (boxPatterns(c, ranges) * (8L * values + 1) <= bufferBytes) {
                break;
            }
            int d = dim[k];
            int good = 0;
            int lower = 1;
            int upper = n[d];
            while (lower <= upper) {
                int mid = (lower + upper) >>> 1;
                c[d] = mid;
                if (boxPatterns(c, ranges) * (8L * values + 1) <= bufferBytes) {
                    good = mid;
                    lower = mid + 1;
                } else {
                    upper = mid - 1;
                }
            }
            c[d] = Math.max(1, good);
        }
        return c;
    }

    /** Largest number of source patterns in the box of a tile of extents c = {frames, rows, columns}. */
    private static long boxPatterns(int[] c, int[] ranges) {
        int ry = c[0] == 1 ? ranges[2] : ranges[0];
        int rx = c[0] == 1 ? ranges[3] : ranges[1];
        return (long) c[0] * (c[1] + ry) * (c[2] + rx);
    }

    /** The buffers and the work of one tile; reused for all tiles of one visit. */
    private final class Tile {
        private final Selection s;
        private final int[] pixels;
        private final int values;
        private final PatternVisitor visitor;
        private final double[] buffer;
        private final boolean[] blank;
        private final double[] out;
        private int boxRows;
        private int boxCols;
        private int boxY;
        private int boxX;
        private int boxFrame;

        Tile(Selection s, int[] pixels, int values, PatternVisitor visitor, long patterns) {
            this.s = s;
            this.pixels = pixels;
            this.values = values;
            this.visitor = visitor;
            if (patterns * values > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(Checks.format(
                    "a source box of %d patterns × %d values does not fit one array; lower the buffer budget", patterns, values));
            }
            this.buffer = new double[(int) (patterns * values)];
            this.blank = new boolean[(int) patterns];
            this.out = new double[values];
        }

        /** Offset of corner c (00, 01, 10, 11 = row, column) from corner 00 in the box. */
        private int corner(int c) {
            return (c >> 1) * boxCols + (c & 1);
        }

        /** Reads the source box of tile [a, b) (index 0 = t, 1 = y, 2 = x) and emits its patterns in storage order. */
        void run(int[] a, int[] b, int[] dim) throws IOException {
            int minRow = Integer.MAX_VALUE;
            int maxRow = Integer.MIN_VALUE;
            int minCol = Integer.MAX_VALUE;
            int maxCol = Integer.MIN_VALUE;
            for (int t = a[0]; t < b[0]; t++) {
                minRow = Math.min(minRow, rowFloor[t]);
                maxRow = Math.max(maxRow, rowFloor[t] + lastRowOffset(t));
                minCol = Math.min(minCol, colFloor[t]);
                maxCol = Math.max(maxCol, colFloor[t] + lastColOffset(t));
            }
            Selection box = new Selection(a[0], b[0], a[1] + minRow, b[1] + maxRow, a[2] + minCol, b[2] + maxCol);
            boxFrame = box.frameStart();
            boxY = box.yStart();
            boxX = box.xStart();
            boxRows = box.rows();
            boxCols = box.columns();
            ZeroedPatternsStorage exclusion = source instanceof ZeroedPatternsStorage ? (ZeroedPatternsStorage) source : null;
            PatternVisitor fill = (t, y, x, p) -> {
                int k = (t * boxRows + y) * boxCols + x;
                System.arraycopy(p, 0, buffer, k * values, values);
                blank[k] = exclusion != null && exclusion.isZeroed(boxFrame + t, boxY + y, boxX + x);
            };
            if (pixels == null) {
                source.visit(box, fill);
            } else {
                source.visitPixels(box, pixels, fill);
            }
            int[] at = new int[3];
            for (int i0 = a[dim[0]]; i0 < b[dim[0]]; i0++) {
                at[dim[0]] = i0;
                for (int i1 = a[dim[1]]; i1 < b[dim[1]]; i1++) {
                    at[dim[1]] = i1;
                    for (int i2 = a[dim[2]]; i2 < b[dim[2]]; i2++) {
                        at[dim[2]] = i2;
                        emit(at[0], at[1], at[2]);
                    }
                }
            }
        }

        private void emit(int t, int y, int x) {
            int k00 = ((t - boxFrame) * boxRows + y + rowFloor[t] - boxY) * boxCols + x + colFloor[t] - boxX;
            int first = -1;
            int used = 0;
            boolean anyBlank = false;
            for (int c = 0; c < 4; c++) {
                if (weights[4 * t + c] != 0) {
                    used++;
                    anyBlank |= blank[k00 + corner(c)];
                    first = first < 0 ? c : first;
                }
            }
            if (used == 1) {
                // Weight exactly 1 (a whole-step drift): the source pattern itself, bit for bit.
                System.arraycopy(buffer, (k00 + corner(first)) * values, out, 0, values);
            } else if (anyBlank) {
                Arrays.fill(out, 0.0);
            } else if (used == 4) {
                // One fused pass, summed in the same order as the general case below.
                double w0 = weights[4 * t];
                double w1 = weights[4 * t + 1];
                double w2 = weights[4 * t + 2];
                double w3 = weights[4 * t + 3];
                int o0 = k00 * values;
                int o1 = (k00 + 1) * values;
                int o2 = (k00 + boxCols) * values;
                int o3 = (k00 + boxCols + 1) * values;
                for (int i = 0; i < values; i++) {
                    out[i] = w0 * buffer[o0 + i] + w1 * buffer[o1 + i] + w2 * buffer[o2 + i] + w3 * buffer[o3 + i];
                }
            } else {
                double w0 = weights[4 * t + first];
                int off0 = (k00 + corner(first)) * values;
                for (int i = 0; i < values; i++) {
                    out[i] = w0 * buffer[off0 + i];
                }
                for (int c = first + 1; c < 4; c++) {
                    double wc = weights[4 * t + c];
                    if (wc == 0) {
                        continue;
                    }
                    int off = (k00 + corner(c)) * values;
                    for (int i = 0; i < values; i++) {
                        out[i] += wc * buffer[off + i];
                    }
                }
            }
            visitor.accept(t - s.frameStart(), y - s.yStart(), x - s.xStart(), out);
        }
    }
}
