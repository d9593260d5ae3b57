/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.file.Path;
import java.util.function.Function;

import io.jhdf.HdfFile;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;

/**
 * Opens HDF5 files whose metadata say where the recording is and what its axes are — HyperSpy
 * {@code .hspy} ({@link HyperspyOpener}), Berkeley EMD 0.x and py4DSTEM EMD 1.0
 * ({@link EmdOpener}) — and refuses Velox EMD. The data are then read like any HDF5 dataset
 * ({@link Hdf5Opener}: memory-mapped or chunked), in the axis order the metadata give.
 *
 * <p>Without {@code --dataset} the file's only signal (data cube) is read; with {@code --dataset}
 * naming one of its signals, that one is read with its axes and calibration; a dataset that is no
 * described signal goes the generic HDF5 way. {@code --axes} overrides the file's axes.
 * Calibration: options, then what the axes say, then the project's attributes on the dataset and
 * its groups, then a JSON sidecar beside the file.
 */
public final class DescribedHdf5Opener {

    private DescribedHdf5Opener() {
    }

    /**
     * @param file an HDF5 file
     * @param o the options
     * @return the recording, or {@code null} if the file is none of the described formats (or the
     *     chosen dataset is not one of its signals): then the generic reader applies
     * @throws RecordingException for Velox files, files with several signals and no choice, and
     *     any problem reading the chosen one
     */
    public static Dataset5D openIfDescribed(Path file, OpenOptions o) throws RecordingException {
        String chosen = o.hasDatasetPath() ? o.datasetPath() : null;
        DescribedSignal signal;
        String format;
        try (HdfFile hdf = new HdfFile(file)) {
            String velox = chosen == null ? EmdOpener.veloxFormat(hdf) : null;
            if (velox != null) {
                throw new RecordingException(file, null, "this is a " + velox + " EMD file (Thermo Fisher Velox), which "
                    + "shares the .emd extension but not the EMD layout and is not supported; export the 4D data from Velox "
                    + "(e.g. as .mrc or raw with a JSON sidecar) or give the image stack with --dataset");
            }
            if (HyperspyOpener.isHyperspy(hdf)) {
                signal = HyperspyOpener.describe(file, hdf, chosen);
                format = "HyperSpy";
            } else if (EmdOpener.isEmd(hdf)) {
                signal = EmdOpener.describe(file, hdf, chosen);
                format = "EMD";
            } else {
                return null;
            }
        } catch (RecordingException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf reports damaged files with HdfException but also with buffer and argument exceptions;
            // none of them may escape as anything but a RecordingException
            throw new RecordingException(file, chosen, "cannot read the HDF5 metadata (truncated or corrupt?): " + e.getMessage(), e);
        }
        if (signal == null) {
            return null;
        }
        return open(file, signal, format, o);
    }

    private static Dataset5D open(Path file, DescribedSignal signal, String format, OpenOptions o) throws RecordingException {
        String ds = signal.datasetPath;
        AxisOrder axes = o.axes() == null ? signal.order : o.axes();
        Hdf5Opener.Opened opened = Hdf5Opener.open(file, ds, axes, signal.rank, o.chunkCacheBytes(), false);
        PatternStorage storage = opened.asRecording(file, ds, o.frameMapping(), format);
        try {
            Path sidePath = RawOpener.sidecarOf(file);
            Function<String, double[]> side = RawOpener.lookup(RawOpener.readSidecar(file), sidePath);
            Function<String, double[]> lookup = name -> {
                double[] v = signal.calibration.get(name);
                if (v == null) {
                    v = opened.attributes.apply(name);
                }
                return v == null ? side.apply(name) : v;
            };
            Calibration cal = CalibrationResolver.resolve(file, ds, signal.where + ", attributes on " + ds
                + " or its groups, or a sidecar " + sidePath.getFileName(), lookup, opened.timestamps, o);
            return Assembly.assemble(file, ds, storage, cal, opened.mask, o);
        } catch (RecordingException | RuntimeException e) {
            Assembly.closeQuietly(storage, e);
            if (e instanceof RecordingException) {
                throw (RecordingException) e;
            }
            throw new RecordingException(file, ds, e.getMessage(), e);
        }
    }
}
