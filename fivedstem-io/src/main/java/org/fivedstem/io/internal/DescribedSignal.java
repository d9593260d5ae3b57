/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;

/**
 * A dataset in a self-describing HDF5 file (HyperSpy {@code .hspy}, Berkeley EMD, py4DSTEM) with
 * what the file says about its axes, turned into the project's terms: which stored axis is t, y,
 * x, k_y, k_x, and the calibration in the project's attribute names ({@link CalibrationResolver}),
 * in nm, nm⁻¹ and seconds.
 *
 * <p>Axis roles: the two signal axes (HyperSpy {@code navigate = False}; without flags, the last
 * two) are k_y then k_x in array order; the navigation axes are y then x in array order, and for
 * rank 5 the time axis is the navigation axis whose unit is a time or whose name is {@code t} /
 * {@code time}, else the first (slowest) navigation axis. A rank-4 array is one time step
 * ({@code t} implied); a rank-3 array {@code (N, k_y, k_x)} is a stack of frames for a
 * {@link FrameStreamStorage}.
 */
final class DescribedSignal {

    /** One axis as the file describes it: numpy axis i of the data (C order, slowest first). */
    record AxisInfo(String name, String units, double scale, double offset, Boolean navigate) {
    }

    /** The dataset path. */
    final String datasetPath;
    /** Storage axis order (five axes; for rank 4 t comes first and is implied). */
    final AxisOrder order;
    /** The dataset's rank: 3, 4 or 5. */
    final int rank;
    /** Calibration values found, by the project's attribute names, in project units. */
    final Map<String, double[]> calibration;
    /** Where the calibration was looked for and why values are missing, for messages. */
    final String where;

    private DescribedSignal(String datasetPath, AxisOrder order, int rank, Map<String, double[]> calibration, String where) {
        this.datasetPath = datasetPath;
        this.order = order;
        this.rank = rank;
        this.calibration = calibration;
        this.where = where;
    }

    /**
     * @param file for messages
     * @param datasetPath the dataset
     * @param dims its dimensions
     * @param axes one description per dimension
     * @param source what described the axes, for messages, e.g. {@code "the HyperSpy axes"}
     * @return the signal
     * @throws RecordingException if the rank or the signal axes do not make a 5D-STEM recording
     */
    static DescribedSignal of(Path file, String datasetPath, int[] dims, List<AxisInfo> axes, String source)
        throws RecordingException {
        int rank = dims.length;
        if (rank < 3 || rank > 5) {
            throw new RecordingException(file, datasetPath, Checks.format(
                "signal has rank %d (dimensions %s); expected 3 (frames, k_y, k_x), 4 (y, x, k_y, k_x) or 5 (t, y, x, k_y, k_x)",
                rank, Arrays.toString(dims)));
        }
        List<Integer> signal = new ArrayList<>();
        List<Integer> navigation = new ArrayList<>();
        boolean flagged = axes.stream().allMatch(a -> a.navigate() != null);
        for (int i = 0; i < rank; i++) {
            boolean nav = flagged ? axes.get(i).navigate() : i < rank - 2;
            (nav ? navigation : signal).add(i);
        }
        if (signal.size() != 2) {
            throw new RecordingException(file, datasetPath, Checks.format(
                "%s mark %d of the %d axes as signal axes (navigate = False): %s; expected 2, the diffraction pattern's "
                    + "k_y and k_x", source, signal.size(), rank, signal));
        }
        Axis[] roles = new Axis[rank];
        roles[signal.get(0)] = Axis.KY;
        roles[signal.get(1)] = Axis.KX;
        int time = -1;
        if (rank == 3) {
            if (navigation.get(0) != 0) {
                throw new RecordingException(file, datasetPath, Checks.format(
                    "a stack of frames must have the frame axis first; %s put it at axis %d", source, navigation.get(0)));
            }
            roles[0] = Axis.X;   // a frame stack (1, 1, N, k_y, k_x): the frames run along x
        } else {
            List<Integer> scan = new ArrayList<>(navigation);
            if (rank == 5) {
                time = navigation.get(0);
                for (int i : navigation) {
                    if (isTime(axes.get(i))) {
                        time = i;
                        break;
                    }
                }
                roles[time] = Axis.T;
                scan.remove(Integer.valueOf(time));
            }
            roles[scan.get(0)] = Axis.Y;
            roles[scan.get(1)] = Axis.X;
        }
        Axis[] five = new Axis[5];
        int implied = 5 - rank;
        Axis[] leading = rank == 4 ? new Axis[] {Axis.T} : new Axis[] {Axis.T, Axis.Y};
        System.arraycopy(leading, 0, five, 0, implied);
        System.arraycopy(roles, 0, five, implied, rank);
        AxisOrder order = AxisOrder.of(five);

        Map<String, double[]> cal = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        AxisInfo ky = axes.get(signal.get(0));
        AxisInfo kx = axes.get(signal.get(1));
        double fy = Units.inverseNmPer(ky.units());
        double fx = Units.inverseNmPer(kx.units());
        if (fy > 0 && fx > 0 && ky.scale() > 0 && kx.scale() > 0) {
            double py = ky.scale() * fy;
            double px = kx.scale() * fx;
            if (Math.abs(py - px) <= 1e-6 * Math.max(py, px)) {
                cal.put(CalibrationResolver.PIXEL_SIZE, new double[] {py});
            } else {
                notes.add(Checks.format("the signal axes' scales differ: %s nm⁻¹ (k_y) and %s nm⁻¹ (k_x), and fivedstem "
                    + "needs square pixels", py, px));
            }
            // The axes' offsets say where q = 0 is (offset = −origin · scale), but files converted from Gatan
            // DM carry DM's Origin, which GMS often sets to the image centre rather than the measured beam:
            // as the DM reader, quote it for the user instead of taking it as the pattern centre.
            if (ky.offset() != 0 && kx.offset() != 0 && Double.isFinite(ky.offset()) && Double.isFinite(kx.offset())) {
                notes.add(Checks.format("q = 0 at (%.2f, %.2f) px by the axes' offsets, not taken as the beam centre",
                    -ky.offset() / ky.scale(), -kx.offset() / kx.scale()));
            }
        } else {
            notes.add(Checks.format("the signal axes' units are %s and %s, not a reciprocal length", shown(ky.units()),
                shown(kx.units())));
        }
        if (rank >= 4) {
            AxisInfo y = axes.get(indexOf(roles, Axis.Y));
            AxisInfo x = axes.get(indexOf(roles, Axis.X));
            double sy = y.scale() * Units.nmPer(y.units());
            double sx = x.scale() * Units.nmPer(x.units());
            if (sy > 0 && sx > 0) {
                cal.put(CalibrationResolver.SCAN_STEP, new double[] {sy, sx});
            } else {
                notes.add(Checks.format("the scan axes' units are %s and %s, not a length", shown(y.units()), shown(x.units())));
            }
        }
        if (time >= 0) {
            AxisInfo t = axes.get(time);
            double dt = t.scale() * Units.secondsPer(t.units());
            if (dt > 0) {
                cal.put(CalibrationResolver.FRAME_INTERVAL, new double[] {dt});
            } else {
                notes.add(Checks.format("the time axis' unit is %s, not a time", shown(t.units())));
            }
        }
        String where = "in " + source + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
        return new DescribedSignal(datasetPath, order, rank, cal, where);
    }

    /**
     * The step of axis coordinates that are evenly spaced (to 1e-6 of the step), else NaN: a
     * non-uniform axis has no one pixel size or scan step, and a mean step would be a silent guess.
     *
     * @param v the coordinates, or {@code null}
     * @return the step, or NaN when absent, shorter than 2 or uneven
     */
    static double uniformStep(double[] v) {
        if (v == null || v.length < 2) {
            return Double.NaN;
        }
        double step = (v[v.length - 1] - v[0]) / (v.length - 1);
        for (int i = 1; i < v.length; i++) {
            if (!(Math.abs(v[i] - v[i - 1] - step) <= 1e-6 * Math.abs(step))) {
                return Double.NaN;
            }
        }
        return step;
    }

    /** A unit for messages: quoted, or "(no unit)" when the file gives none. */
    private static String shown(String unit) {
        return unit == null ? "(no unit)" : "'" + unit + "'";
    }

    private static boolean isTime(AxisInfo a) {
        String n = a.name() == null ? "" : a.name().trim().toLowerCase(Locale.ROOT);
        return Units.secondsPer(a.units()) > 0 || n.equals("t") || n.equals("time");
    }

    private static int indexOf(Axis[] roles, Axis a) {
        for (int i = 0; i < roles.length; i++) {
            if (roles[i] == a) {
                return i;
            }
        }
        throw new IllegalStateException("no axis " + a);
    }

    /**
     * @param values a calibration value's replacement (e.g. py4DSTEM's calibration metadata)
     * @return this signal with the values put over the axes' (a {@code null} value is ignored)
     */
    DescribedSignal with(Map<String, double[]> values) {
        Map<String, double[]> cal = new LinkedHashMap<>(calibration);
        values.forEach((k, v) -> {
            if (v != null) {
                cal.put(k, v);
            }
        });
        return new DescribedSignal(datasetPath, order, rank, cal, where);
    }

    /** @return whether the dataset is a stack of frames (rank 3) */
    boolean isFrameStack() {
        return rank == 3;
    }
}
