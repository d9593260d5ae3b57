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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;

/**
 * Describes the data cube of an EMD file: Berkeley EMD 0.x (ncempy, Prismatic, RosettaSciIO; a
 * data group is any group with {@code emd_group_type = 1} holding {@code data} — or
 * {@code datacube} in Prismatic output — and {@code dim1…dimN}, dim{i+1} describing numpy axis
 * i) and EMD 1.0 as written by py4DSTEM ≥ 0.14 through emdfile (root {@code emd_group_type =
 * "file"}, {@code version_major = 1}; arrays are groups with {@code emd_group_type = "array"},
 * dims 0-based {@code dim0…dim{N-1}}). A dim vector holds the coordinates along its axis, or just
 * {@code [c0, c0 + step]} when the step is constant; its attributes {@code name} and
 * {@code units} say what it is.
 *
 * <p>py4DSTEM stores a DataCube as {@code data[Rx, Ry, Qx, Qy]}, where its "x" is the first
 * (row) index: Rx is the slow scan axis (what HyperSpy and DigitalMicrograph call scan y) and Qx
 * the detector row. So the array is read as (y, x, k_y, k_x) with t implied — not as
 * (x, y, k_x, k_y), which the names might suggest. Its calibration metadata
 * ({@code metadatabundle/calibration}: scalar datasets {@code Q_pixel_size},
 * {@code Q_pixel_units}, {@code R_pixel_size}, {@code R_pixel_units}, {@code qx0_mean},
 * {@code qy0_mean}) wins over the dims when its units are physical ({@code "pixels"} and
 * {@code "mrad"} are not converted).
 *
 * <p>Velox EMD files (Thermo Fisher; a root dataset {@code Version} whose JSON says
 * {@code "format": "Velox"}) share the extension but not the layout: they are recognised and
 * refused.
 */
final class EmdOpener {

    private static final Pattern FORMAT = Pattern.compile("\"format\"\\s*:\\s*\"([^\"]*)\"");
    /** Deep enough for every layout seen (Prismatic: /4DSTEM_simulation/data/datacubes/CBED_array_depth0000). */
    private static final int MAX_DEPTH = 8;

    private EmdOpener() {
    }

    /**
     * @param hdf an open HDF5 file
     * @return whether it is an EMD file: {@code version_major} or {@code emd_group_type} on the
     *     root or on a top-level group (Prismatic's {@code /4DSTEM_simulation}, py4DSTEM 0.13's root group)
     */
    static boolean isEmd(HdfFile hdf) {
        if (isEmdRoot(hdf)) {
            return true;
        }
        for (Group g : Hdf5Metadata.childGroups(hdf)) {
            if (isEmdRoot(g)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmdRoot(Node n) {
        return Hdf5Metadata.attribute(n, "version_major") != null || Hdf5Metadata.attribute(n, "emd_group_type") != null;
    }

    /**
     * @param hdf an open HDF5 file
     * @return the Velox format name ({@code "Velox"} or {@code "DevelopersKit"}) if the root
     *     dataset {@code Version} says so, else {@code null}
     */
    static String veloxFormat(HdfFile hdf) {
        String version = Hdf5Metadata.asText(Hdf5Metadata.datasetValue(hdf, "Version"));
        if (version == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(version);
        if (m.find() && (m.group(1).equals("Velox") || m.group(1).equals("DevelopersKit"))) {
            return m.group(1);
        }
        return null;
    }

    /**
     * @param file for messages
     * @param hdf the open file
     * @param datasetPath the dataset the user chose, or {@code null} to take the only data cube
     * @return the data cube, or {@code null} if a chosen dataset is not one of the file's EMD arrays
     * @throws RecordingException if there is none, several and none chosen, or its dims do not
     *     describe a 5D-STEM recording
     */
    static DescribedSignal describe(Path file, HdfFile hdf, String datasetPath) throws RecordingException {
        List<Dataset> arrays = new ArrayList<>();
        collect(hdf, 0, arrays);
        Dataset chosen = null;
        if (datasetPath != null) {
            for (Dataset d : arrays) {
                if (d.getPath().equals(datasetPath)) {
                    chosen = d;
                }
            }
            if (chosen == null) {
                return null;
            }
        } else {
            // py4DSTEM marks its 4D arrays; other arrays in the file (virtual images, stacks) are not the recording
            List<Dataset> cubes = new ArrayList<>();
            for (Dataset d : arrays) {
                if ("DataCube".equals(Hdf5Metadata.text(d.getParent(), "python_class"))) {
                    cubes.add(d);
                }
            }
            List<Dataset> candidates = cubes.isEmpty() ? arrays : cubes;
            if (candidates.isEmpty()) {
                throw new RecordingException(file, null, "EMD file holds no data group of rank 3 to 5 (a group with "
                    + "emd_group_type 1 or \"array\" and a dataset data or datacube); give the dataset with --dataset");
            }
            if (candidates.size() > 1) {
                List<String> names = new ArrayList<>();
                for (Dataset d : candidates) {
                    names.add(d.getPath() + " " + Arrays.toString(d.getDimensions()));
                }
                throw new RecordingException(file, null, Checks.format(
                    "EMD file holds %d data groups: %s; choose one with --dataset (OpenOptions.withDatasetPath)",
                    candidates.size(), String.join(", ", names)));
            }
            chosen = candidates.get(0);
        }
        Group group = chosen.getParent();
        int[] dims = chosen.getDimensions();
        int first = Hdf5Metadata.childDataset(group, "dim0") != null ? 0 : 1;   // EMD 1.0 and py4DSTEM 0.13: 0-based
        List<DescribedSignal.AxisInfo> axes = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            Dataset dim = Hdf5Metadata.childDataset(group, "dim" + (first + i));
            if (dim == null) {
                axes.add(new DescribedSignal.AxisInfo(null, null, Double.NaN, 0, null));
                continue;
            }
            double[] v = null;
            try {
                v = Hdf5Opener.toDoubles(dim.getData());
            } catch (RuntimeException e) {
                // string labels (emdfile "_labels_") or unreadable: no calibration from this axis
            }
            double scale = DescribedSignal.uniformStep(v);
            double offset = v != null && v.length > 0 ? v[0] : 0;
            axes.add(new DescribedSignal.AxisInfo(Hdf5Metadata.text(dim, "name"), Hdf5Metadata.text(dim, "units"), scale,
                offset, null));
        }
        Group calibration = py4dstemCalibration(group);
        String source = "the EMD dims of " + Hdf5Metadata.path(group) + (calibration == null ? "" : " and " + Hdf5Metadata.path(calibration));
        DescribedSignal signal = DescribedSignal.of(file, chosen.getPath(), dims, axes, source);
        return calibration == null ? signal : signal.with(calibrationValues(calibration, signal.rank));
    }

    /** Finds data groups: emd_group_type 1 (EMD 0.x, py4DSTEM 0.13) or "array" (EMD 1.0) with data/datacube of rank 3–5. */
    private static void collect(Group g, int depth, List<Dataset> out) {
        if (depth > MAX_DEPTH) {
            return;
        }
        for (Group child : Hdf5Metadata.childGroups(g)) {
            String type = Hdf5Metadata.text(child, "emd_group_type");
            if ("1".equals(type) || "array".equals(type)) {
                for (String name : new String[] {"data", "datacube"}) {
                    Dataset d = Hdf5Metadata.childDataset(child, name);
                    if (d != null && d.getDimensions().length >= 3 && d.getDimensions().length <= 5) {
                        out.add(d);
                    }
                }
            }
            collect(child, depth + 1, out);
        }
    }

    /** emdfile keeps a Root's metadata in {@code metadatabundle/calibration} beside the arrays: search up from the array. */
    private static Group py4dstemCalibration(Group arrayGroup) {
        for (Node n = arrayGroup; n instanceof Group; n = n.getParent()) {
            Group bundle = Hdf5Metadata.childGroup((Group) n, "metadatabundle");
            Group cal = bundle == null ? null : Hdf5Metadata.childGroup(bundle, "calibration");
            if (cal != null) {
                return cal;
            }
            if (n.getPath().equals("/") || n.getParent() == n) {
                break;
            }
        }
        return null;
    }

    /** py4DSTEM's calibration in project units; values with non-physical units ("pixels", "mrad") are left out. */
    private static Map<String, double[]> calibrationValues(Group cal, int rank) {
        Map<String, double[]> out = new LinkedHashMap<>();
        double q = Hdf5Metadata.asNumber(Hdf5Metadata.datasetValue(cal, "Q_pixel_size"), Double.NaN)
            * Units.inverseNmPer(Hdf5Metadata.asText(Hdf5Metadata.datasetValue(cal, "Q_pixel_units")));
        if (q > 0) {
            out.put(CalibrationResolver.PIXEL_SIZE, new double[] {q});
        }
        double r = Hdf5Metadata.asNumber(Hdf5Metadata.datasetValue(cal, "R_pixel_size"), Double.NaN)
            * Units.nmPer(Hdf5Metadata.asText(Hdf5Metadata.datasetValue(cal, "R_pixel_units")));
        if (r > 0 && rank >= 4) {
            out.put(CalibrationResolver.SCAN_STEP, new double[] {r, r});
        }
        // qx0 is the row of the pattern centre (py4DSTEM's x is the first index), qy0 the column
        double qx0 = Hdf5Metadata.asNumber(Hdf5Metadata.datasetValue(cal, "qx0_mean"), Double.NaN);
        double qy0 = Hdf5Metadata.asNumber(Hdf5Metadata.datasetValue(cal, "qy0_mean"), Double.NaN);
        if (Double.isFinite(qx0) && Double.isFinite(qy0)) {
            out.put(CalibrationResolver.CENTER, new double[] {qx0, qy0});
        }
        return out;
    }
}
