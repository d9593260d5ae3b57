/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.io.internal.Assembly;
import org.fivedstem.io.internal.DectrisOpener;
import org.fivedstem.io.internal.DescribedHdf5Opener;
import org.fivedstem.io.internal.DigitalMicrographOpener;
import org.fivedstem.io.internal.EmpadOpener;
import org.fivedstem.io.internal.GatheringStorage;
import org.fivedstem.io.internal.Hdf5Opener;
import org.fivedstem.io.internal.MerlinOpener;
import org.fivedstem.io.internal.RawOpener;
import org.fivedstem.io.internal.SeriesOpener;
import org.fivedstem.io.internal.StepSeriesStorage;
import org.fivedstem.io.internal.StoredType;
import org.fivedstem.io.npy.NpyFile;

/**
 * Opens 5D-STEM recordings as {@link Dataset5D}s that stream from disk: HDF5 (any axis order,
 * contiguous or chunked, the filters jhdf supports, plus zstd and bitshuffle+zstd; HyperSpy
 * {@code .hspy}, Berkeley and py4DSTEM EMD), one 4D HDF5 file per time step (a folder or a list of
 * files), Dectris NeXus master files with their data files, Quantum Detectors Merlin {@code .mib}
 * frame streams, Gatan DigitalMicrograph {@code .dm3}/{@code .dm4} files (4D-STEM cubes and 3D
 * stacks of patterns), EMPAD {@code .xml} + {@code .raw}, raw binary files and NumPy {@code .npy}
 * files; frame streams map onto (t, y, x) by {@link OpenOptions#withFrameMapping}. See
 * {@code docs/input-formats.md}.
 *
 * <pre>{@code
 * try (Dataset5D ds = Recordings.open(Path.of("scan.h5"))) {           // /data, t,y,x,ky,kx, calibration from attributes
 *     ds.forEachPattern((t, y, x, p) -> ...);
 * }
 * Dataset5D other = Recordings.open(Path.of("other.h5"), OpenOptions.defaults()
 *     .withDatasetPath("/entry/data").withAxes("y,x,t,ky,kx").withPixelSizeInverseNm(0.23));
 * }</pre>
 *
 * <p>Which reader:
 * <ul>
 *   <li>a directory: Merlin {@code .mib} files if it holds any (one stream); else, if it holds
 *     Gatan {@code .dm3}/{@code .dm4}, HyperSpy {@code .hspy}, EMD {@code .emd}, EMPAD {@code .xml}
 *     or {@code .npy} files, one recording per file, their time steps one after another; else a
 *     series of per-time-step 4D HDF5 files;</li>
 *   <li>{@code .npy}: a NumPy array; {@code .mib} / {@code .hdr}: Quantum Detectors Merlin;
 *     {@code .dm3} / {@code .dm4}: Gatan DigitalMicrograph;</li>
 *   <li>{@code .xml}: an EMPAD acquisition (the {@code .raw} it names is read); a {@code .raw} with
 *     an EMPAD XML beside it and no {@link OpenOptions#withRawLayout}: the same;</li>
 *   <li>files with an HDF5 signature: a Dectris master when {@code /entry/data} holds
 *     {@code data_NNNNNN} members and no dataset path is given; HyperSpy {@code .hspy} (root
 *     attribute {@code file_format = "HyperSpy"}), Berkeley EMD 0.x and py4DSTEM EMD 1.0 (root or
 *     top-level {@code version_major} / {@code emd_group_type}) are read as their metadata
 *     describe unless {@code --dataset} names a dataset that is not one of their signals; Velox
 *     EMD is refused; any other HDF5 file is read generically ({@code /data} or {@code --dataset});</li>
 *   <li>a file starting with a Merlin header is Merlin; a file with a DM3/DM4 header is
 *     DigitalMicrograph unless a raw layout is given;</li>
 *   <li>any other file is raw binary, described by {@link OpenOptions#withRawLayout} or a JSON
 *     sidecar ({@code name.json} beside it).</li>
 * </ul>
 *
 * <p>The returned dataset owns open files; close it (or its storage) when done. All failures are
 * {@link RecordingException}s naming the file, the dataset and the problem.
 */
public final class Recordings {

    private Recordings() {
    }

    /**
     * Opens a recording with default options (dataset {@code /data}; axes and calibration from
     * the file).
     *
     * @param file an HDF5, {@code .npy}, Merlin, DigitalMicrograph or raw file, or a directory of
     *     per-time-step HDF5 files or {@code .mib} files
     * @return the dataset
     * @throws RecordingException if the file cannot be read as a recording
     */
    public static Dataset5D open(Path file) throws RecordingException {
        return open(file, OpenOptions.defaults());
    }

    /**
     * Opens a recording.
     *
     * @param file an HDF5, {@code .npy}, Merlin, DigitalMicrograph or raw file, or a directory of
     *     per-time-step HDF5 files or {@code .mib} files
     * @param options dataset path, axes, calibration overrides, mask file, raw layout
     * @return the dataset, with the mask from the file or the options attached
     * @throws RecordingException if the file cannot be read as a recording
     */
    public static Dataset5D open(Path file, OpenOptions options) throws RecordingException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        try {
            return openAny(file, options);
        } catch (RuntimeException e) {
            // The readers report what they recognise; anything else a damaged file provokes (in jhdf,
            // say) still reaches the caller as the one exception type, naming the file.
            throw new RecordingException(file, null, "cannot read as a recording (damaged or unexpected content?): "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static Dataset5D openAny(Path file, OpenOptions options) throws RecordingException {
        if (Files.isDirectory(file)) {
            if (MerlinOpener.holdsMib(file)) {
                return MerlinOpener.open(file, options);
            }
            List<Path> steps = SeriesOpener.listRecordings(file);
            if (!steps.isEmpty()) {
                return StepSeriesStorage.open(steps, options, Recordings::open);
            }
            return SeriesOpener.open(SeriesOpener.list(file), options);
        }
        Hdf5Opener.requireReadable(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return NpyFile.openRecording(file, options);
        }
        if (name.endsWith(".mib") || name.endsWith(".hdr")) {
            return MerlinOpener.open(file, options);
        }
        if (DigitalMicrographOpener.hasDmExtension(file)) {
            return DigitalMicrographOpener.open(file, options);
        }
        if (name.endsWith(".xml")) {
            return EmpadOpener.open(file, options);
        }
        boolean hdf5;
        try {
            hdf5 = Hdf5Opener.isHdf5(file);
        } catch (IOException e) {
            throw new RecordingException(file, null, "cannot read: " + e.getMessage(), e);
        }
        if (hdf5) {
            return openHdf5(file, options);
        }
        try {
            if (MerlinOpener.isMerlin(file)) {
                return MerlinOpener.open(file, options);
            }
            // a renamed DM file; a raw layout (options or a sidecar with "shape") wins over a header that merely looks like DM
            if (options.rawLayout() == null && !sidecarHasLayout(file) && DigitalMicrographOpener.isDigitalMicrograph(file)) {
                return DigitalMicrographOpener.open(file, options);
            }
        } catch (IOException e) {
            throw new RecordingException(file, null, "cannot read: " + e.getMessage(), e);
        }
        if (options.rawLayout() == null && name.endsWith(".raw") && EmpadOpener.xmlFor(file) != null) {
            return EmpadOpener.open(file, options);
        }
        if (options.rawLayout() != null || Files.exists(RawOpener.sidecarOf(file))) {
            return RawOpener.open(file, options);
        }
        throw new RecordingException(file, null, "not an HDF5 file (no HDF5 signature) and not a .npy file; "
            + "for raw binary data give the layout (OpenOptions.withRawLayout) or a JSON sidecar " + RawOpener.sidecarOf(file).getFileName());
    }

    private static boolean sidecarHasLayout(Path file) throws RecordingException {
        com.google.gson.JsonObject side = RawOpener.readSidecar(file);
        return side != null && side.has("shape");
    }

    /**
     * Opens a time series stored as one 4D HDF5 file per time step, in the order given.
     *
     * @param files the files, first time step first (each with the same dataset, shape and type)
     * @param options dataset path, axes (t first, e.g. {@code t,y,x,ky,kx}), calibration, mask
     * @return the dataset
     * @throws RecordingException if a file cannot be read or the files disagree
     */
    public static Dataset5D openSeries(List<Path> files, OpenOptions options) throws RecordingException {
        return SeriesOpener.open(List.copyOf(files), options);
    }

    private static Dataset5D openHdf5(Path file, OpenOptions o) throws RecordingException {
        // HyperSpy and EMD files say where their signal is and what its axes are
        Dataset5D described = DescribedHdf5Opener.openIfDescribed(file, o);
        if (described != null) {
            return described;
        }
        String ds = o.datasetPath();
        if (!o.hasDatasetPath() && DectrisOpener.isMaster(file)) {
            return DectrisOpener.open(file, o);
        }
        AxisOrder axes = o.axes() == null ? AxisOrder.DEFAULT : o.axes();
        Hdf5Opener.Opened opened = Hdf5Opener.open(file, ds, axes, Hdf5Opener.RANK_5_OR_FRAMES, o.chunkCacheBytes(),
            o.axes() == null);
        GatheringStorage storage = opened.asRecording(file, ds, o.frameMapping(), "HDF5");
        double[] level = opened.attributes.apply("saturation_level");
        if (level != null && level.length == 1) {
            // written by convert from a detector that states its saturation
            storage.guardSaturation(file, level[0], "attribute saturation_level");
        }
        Calibration cal;
        try {
            cal = Hdf5Opener.calibration(file, ds, opened, o);
        } catch (RecordingException e) {
            Assembly.closeQuietly(storage, e);
            throw e;
        }
        return Assembly.assemble(file, ds, storage, cal, opened.mask, o);
    }

    /**
     * The type a recording opened here stores its values in: what {@code convert} keeps.
     *
     * @param dataset a recording from {@link #open} (or a view of one)
     * @return the stored type, or empty for recordings made elsewhere (in memory, simulated)
     */
    public static Optional<SampleType> storedType(Dataset5D dataset) {
        return StoredType.of(dataset.storage());
    }

    /**
     * Reads a detector mask: an HDF5 file with {@code /mask} or a 2D {@code .npy} file; non-zero
     * = valid.
     *
     * @param file the mask file
     * @param ky expected rows
     * @param kx expected columns
     * @return the mask
     * @throws RecordingException if unreadable or of the wrong shape
     */
    public static DetectorMask readMask(Path file, int ky, int kx) throws RecordingException {
        return Assembly.readMask(file, ky, kx);
    }
}
