/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;

/**
 * Describes the signal of a HyperSpy {@code .hspy} file (RosettaSciIO's hspy format, versions
 * 1.x–3.x): the root has {@code file_format = "HyperSpy"}, each signal is a group
 * {@code /Experiments/<title>} holding the N-D dataset {@code data} and one group
 * {@code axis-i} per numpy axis i of {@code data} (slowest first) whose attributes are
 * {@code name}, {@code units}, {@code scale}, {@code offset}, {@code size} and {@code navigate}
 * (an h5py bool; files before format 2.1 lack it, then the last two axes are the signal).
 * {@code "_None_"} stands for a missing name or unit.
 *
 * <p>What is read: see {@link DescribedSignal} for the axis roles and units. A 4D Signal2D
 * {@code (ny, nx, k_y, k_x)} is one time step, a 5D one with a time navigation axis is a time
 * series, a 3D {@code (N, k_y, k_x)} stack is a frame stream that needs {@code --scan}.
 */
final class HyperspyOpener {

    private HyperspyOpener() {
    }

    /**
     * @param hdf an open HDF5 file
     * @return whether it is a HyperSpy file: root attribute {@code file_format = "HyperSpy"} or a
     *     root group {@code Experiments} (format 1.0 files lack the attribute)
     */
    static boolean isHyperspy(HdfFile hdf) {
        String format = Hdf5Metadata.text(hdf, "file_format");
        return "HyperSpy".equalsIgnoreCase(format) || Hdf5Metadata.childGroup(hdf, "Experiments") != null;
    }

    /**
     * @param file for messages
     * @param hdf the open file
     * @param datasetPath the dataset the user chose, or {@code null} to take the only signal
     * @return the signal, or {@code null} if a chosen dataset is not one of the file's signals
     * @throws RecordingException if there is no signal, several and none chosen, or its axes do not
     *     describe a 5D-STEM recording
     */
    static DescribedSignal describe(Path file, HdfFile hdf, String datasetPath) throws RecordingException {
        Group experiments = Hdf5Metadata.childGroup(hdf, "Experiments");
        List<Group> signals = new ArrayList<>();
        if (experiments != null) {
            for (Group g : Hdf5Metadata.childGroups(experiments)) {
                if (Hdf5Metadata.childDataset(g, "data") != null) {
                    signals.add(g);
                }
            }
        }
        Group chosen = null;
        if (datasetPath != null) {
            for (Group g : signals) {
                if (Hdf5Metadata.childDataset(g, "data").getPath().equals(datasetPath)) {
                    chosen = g;
                }
            }
            if (chosen == null) {
                return null;
            }
        } else if (signals.isEmpty()) {
            throw new RecordingException(file, null, "HyperSpy file holds no signal: no /Experiments/<name>/data");
        } else if (signals.size() > 1) {
            List<String> names = new ArrayList<>();
            for (Group g : signals) {
                Dataset d = Hdf5Metadata.childDataset(g, "data");
                names.add(d.getPath() + " " + Arrays.toString(d.getDimensions()));
            }
            throw new RecordingException(file, null, Checks.format(
                "HyperSpy file holds %d signals: %s; choose one with --dataset (OpenOptions.withDatasetPath)",
                signals.size(), String.join(", ", names)));
        } else {
            chosen = signals.get(0);
        }
        Dataset data = Hdf5Metadata.childDataset(chosen, "data");
        int[] dims = data.getDimensions();
        List<DescribedSignal.AxisInfo> axes = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            Group a = Hdf5Metadata.childGroup(chosen, "axis-" + i);
            if (a == null) {
                axes.add(new DescribedSignal.AxisInfo(null, null, Double.NaN, 0, null));
                continue;
            }
            double scale = Hdf5Metadata.number(a, "scale", Double.NaN);
            if (Double.isNaN(scale)) {
                // an axis given by its coordinates (format 3.1, "axis"): its step if evenly spaced, else no calibration
                scale = DescribedSignal.uniformStep(Hdf5Opener.toDoubles(Hdf5Metadata.attribute(a, "axis")));
            }
            axes.add(new DescribedSignal.AxisInfo(Hdf5Metadata.text(a, "name"), Hdf5Metadata.text(a, "units"), scale,
                Hdf5Metadata.number(a, "offset", 0), Hdf5Metadata.flag(a, "navigate")));
        }
        return DescribedSignal.of(file, data.getPath(), dims, axes, "the HyperSpy axes of " + Hdf5Metadata.path(chosen));
    }
}
