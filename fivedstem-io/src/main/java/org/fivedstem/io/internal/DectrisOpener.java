/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.google.gson.JsonObject;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;

/**
 * Opens Dectris (Arina, Quadro, Eiger) NeXus recordings: a {@code NAME_master.h5} whose
 * {@code /entry/data/data_000001, data_000002, …} are external links to frame stacks
 * {@code (N, ky, kx)} in {@code NAME_data_00000k.h5} (or a master holding {@code /entry/data/data}
 * itself), mapped onto (t, y, x) by the {@link FrameMapping}.
 *
 * <p>Links are followed relative to the master file's folder whatever path the user typed (the
 * master is opened by its absolute path: jhdf resolves a relative link against the containing
 * file's parent, which a bare relative name lacks). From {@code /entry/instrument/detector}:
 * <ul>
 *   <li>{@code pixel_mask} (or {@code detectorSpecific/pixel_mask}): pixels with any of bits 0–15 set (gap, dead, under- or over-responding,
 *       noisy, cluster, user) are masked; the upper bits are tags (bit 31: virtual pixel) and do
 *       not mask (NXmx);</li>
 *   <li>{@code saturation_value}, {@code countrate_correction_count_cutoff} and the invalid-pixel
 *       marker 2^{@code bit_depth_image} − 1: the lowest is the storage's saturation level
 *       ({@link FrameStreamStorage#saturationLevel()}): estimators that meet a value at or above it
 *       stop with an error, and {@code --mask auto} masks the pixels that reach it;</li>
 *   <li>{@code x_pixel_size}, {@code detector_distance} (m) and {@code /entry/instrument/beam/
 *       incident_wavelength} (Å unless its {@code units} say otherwise): the pixel size in nm⁻¹ is
 *       p / (L·λ), the small-angle spatial frequency 2 sin θ / λ per pixel;</li>
 *   <li>{@code beam_center_y}, {@code beam_center_x} (pixels): the pattern centre, when inside the
 *       frame;</li>
 *   <li>{@code frame_time} (s): the frame interval when the frames are a time series at each
 *       position ({@code y,x,t}); for repeated scans it only bounds the interval from below, which
 *       the message asking for {@code --frame-interval} says.</li>
 * </ul>
 */
public final class DectrisOpener {

    private static final Pattern DATA_LINK = Pattern.compile("data_\\d+");
    private static final String DETECTOR = "/entry/instrument/detector";

    private DectrisOpener() {
    }

    /**
     * @param hdf an open HDF5 file
     * @return whether it is a Dectris master file: {@code /entry/data} with {@code data_NNNNNN}
     *     members, or {@code /entry/data/data} beside {@code /entry/instrument/detector}
     */
    public static boolean isMaster(HdfFile hdf) {
        try {
            Node data = hdf.getByPath("/entry/data");
            if (!(data instanceof Group g)) {
                return false;
            }
            for (String name : g.getChildren().keySet()) {
                if (DATA_LINK.matcher(name).matches()) {
                    return true;
                }
            }
            // a master holding its frames itself: /entry/data/data and nothing else, beside the detector group
            return g.getChildren().size() == 1 && g.getChildren().containsKey("data") && hdf.getByPath(DETECTOR) instanceof Group;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A data file's dataset that a link names. */
    private record Part(String link, Path file, String dataset) { }

    /**
     * @param master the master file
     * @param o options: the frame mapping (scan required), calibration
     * @return the recording
     * @throws RecordingException for any problem, naming the file and the numbers
     */
    public static Dataset5D open(Path master, OpenOptions o) throws RecordingException {
        Path abs = master.toAbsolutePath();
        List<Part> parts = new ArrayList<>();
        Map<String, Double> detector = new HashMap<>();
        double[] pixelMask;
        int[] maskDims;
        double wavelengthNm;
        try (HdfFile hdf = new HdfFile(abs)) {
            Group data = (Group) hdf.getByPath("/entry/data");
            // data_000001, data_000002, …: in numeric order even if a writer did not pad the numbers
            TreeMap<String, Node> members = new TreeMap<>(SeriesOpener::natural);
            members.putAll(data.getChildren());
            for (Map.Entry<String, Node> e : members.entrySet()) {
                if (DATA_LINK.matcher(e.getKey()).matches()) {
                    parts.add(part(abs, e.getValue()));
                }
            }
            if (parts.isEmpty() && members.get("data") != null) {
                parts.add(part(abs, members.get("data")));
            }
            if (parts.isEmpty()) {
                throw new RecordingException(master, "/entry/data", "no data_NNNNNN links or data dataset; members: " + members.keySet());
            }
            for (String key : new String[] {"saturation_value", "countrate_correction_count_cutoff", "bit_depth_image",
                "x_pixel_size", "y_pixel_size", "detector_distance", "beam_center_x", "beam_center_y", "frame_time"}) {
                double v = scalar(hdf, DETECTOR + "/" + key, key.endsWith("_size") || key.equals("detector_distance") ? "m" : null);
                if (!Double.isNaN(v)) {
                    detector.put(key, v);
                }
            }
            if (Double.isNaN(detector.getOrDefault("countrate_correction_count_cutoff", Double.NaN))) {
                double v = scalar(hdf, DETECTOR + "/detectorSpecific/countrate_correction_count_cutoff", null);
                if (!Double.isNaN(v)) {
                    detector.put("countrate_correction_count_cutoff", v);
                }
            }
            wavelengthNm = wavelengthNm(hdf);
            // detector/pixel_mask is often a link to detectorSpecific/pixel_mask, or absent beside it (Arina)
            Node pm = node(hdf, DETECTOR + "/pixel_mask");
            if (!(pm instanceof Dataset)) {
                pm = node(hdf, DETECTOR + "/detectorSpecific/pixel_mask");
            }
            if (pm instanceof Dataset d) {
                maskDims = d.getDimensions();
                // read only a mask of frame size (checked against the frames below): at most 2^26 pixels here
                pixelMask = maskDims.length == 2 && (long) maskDims[0] * maskDims[1] <= 1 << 26
                    ? Hdf5Opener.toDoubles(d.getDataFlat()) : null;
            } else {
                maskDims = null;
                pixelMask = null;
            }
        } catch (RecordingException e) {
            throw e;
        } catch (RuntimeException e) {
            // jhdf reports damaged files with all sorts of runtime exceptions
            throw new RecordingException(master, null, "cannot read the Dectris master file (truncated or corrupt?): "
                + e.getMessage(), e);
        }
        List<GatheringStorage> stacks = new ArrayList<>();
        try {
            for (Part p : parts) {
                Hdf5Opener.Opened opened = Hdf5Opener.open(p.file, p.dataset, AxisOrder.DEFAULT, 3, o.chunkCacheBytes(), false);
                stacks.add(opened.storage);
            }
        } catch (RecordingException | RuntimeException e) {
            for (GatheringStorage s : stacks) {
                Assembly.closeQuietly(s, e);
            }
            throw e instanceof RecordingException r ? r
                : new RecordingException(master, null, "cannot open a data file: " + e.getMessage(), e);
        }
        int ky = stacks.get(0).shape().ky();
        int kx = stacks.get(0).shape().kx();
        String format = Checks.format("Dectris %s %d × %d in %d data file%s", stacks.get(0).sampleType(), ky, kx,
            stacks.size(), stacks.size() == 1 ? "" : "s");
        FrameStreamStorage storage = FrameStreamStorage.open(master, null, stacks, o.frameMapping(), format, "");
        try {
            DetectorMask mask = null;
            if (maskDims != null) {
                if (pixelMask == null || maskDims.length != 2 || maskDims[0] != ky || maskDims[1] != kx) {
                    throw new RecordingException(master, DETECTOR + "/pixel_mask", Checks.format(
                        "pixel_mask has dimensions %s; expected [%d, %d] like the frames", Arrays.toString(maskDims), ky, kx));
                }
                boolean[] valid = new boolean[pixelMask.length];
                for (int i = 0; i < valid.length; i++) {
                    valid[i] = (((long) pixelMask[i]) & 0xFFFFL) == 0;
                }
                mask = DetectorMask.of(ky, kx, valid);
            }
            double level = saturationLevel(detector);
            if (!Double.isNaN(level)) {
                storage.guardSaturation(master, level, saturationSource(detector, level));
            }
            Path sidePath = RawOpener.sidecarOf(master);
            JsonObject side = RawOpener.readSidecar(master);
            Function<String, double[]> sidecar = RawOpener.lookup(side, sidePath);
            Function<String, double[]> lookup = key -> {
                double[] v = sidecar.apply(key);
                return v != null ? v : fromDetector(key, detector, wavelengthNm, ky, kx, o.frameMapping());
            };
            Calibration cal;
            try {
                cal = CalibrationResolver.resolve(master, null, "in " + master.getFileName() + ":" + DETECTOR
                    + " (x_pixel_size, detector_distance, beam/incident_wavelength, beam_center_y/x) or a sidecar "
                    + sidePath.getFileName(), lookup, null, o);
            } catch (RecordingException e) {
                Double frameTime = detector.get("frame_time");
                if (frameTime != null && e.getMessage().contains("--frame-interval")) {
                    throw new RecordingException(master, null, e.problem() + Checks.format(" (frame_time %s s × %d positions = %s s is only a lower bound: scans may pause "
                        + "between repeats)", frameTime, storage.shape().positionCount(),
                        frameTime * storage.shape().positionCount()), e);
                }
                throw e;
            }
            return Assembly.assemble(master, null, storage, cal, mask, o);
        } catch (RecordingException | RuntimeException e) {
            Assembly.closeQuietly(storage, e);
            throw e instanceof RecordingException r ? r : new RecordingException(master, null, e.getMessage(), e);
        }
    }

    /** Resolves a {@code data_NNNNNN} member: an external link (followed relative to the master's folder) or a dataset. */
    private static Part part(Path master, Node member) throws RecordingException {
        if (member instanceof Link link) {
            Node target;
            try {
                target = link.getTarget();
            } catch (HdfException e) {
                throw new RecordingException(master, member.getPath(), "the external link " + link
                    + " cannot be followed (is the data file beside the master file?): " + e.getMessage(), e);
            }
            return new Part(member.getName(), target.getFileAsPath(), target.getPath());
        }
        if (member instanceof Dataset) {
            return new Part(member.getName(), master, member.getPath());
        }
        throw new RecordingException(master, member.getPath(), "is neither a link to a frame stack nor a dataset");
    }

    private static Node node(HdfFile hdf, String path) {
        try {
            return hdf.getByPath(path);
        } catch (HdfException e) {
            return null;
        }
    }

    /**
     * A scalar dataset's value, converted to SI when {@code siUnit} is "m" and its {@code units}
     * attribute names mm, um or nm; NaN if absent or not a number.
     */
    private static double scalar(HdfFile hdf, String path, String siUnit) {
        if (!(node(hdf, path) instanceof Dataset d)) {
            return Double.NaN;
        }
        double[] v = Hdf5Opener.toDoubles(d.getData());
        if (v == null || v.length != 1) {
            return Double.NaN;
        }
        if ("m".equals(siUnit)) {
            String u = units(d);
            return v[0] * (u.isEmpty() ? 1 : Units.nmPer(u) * 1e-9); // NXmx lengths are in m unless units say
        }
        return v[0];
    }

    private static String units(Dataset d) {
        Attribute a = d.getAttribute("units");
        return a != null && a.getData() instanceof String s ? s.trim() : "";
    }

    /** {@code /entry/instrument/beam/incident_wavelength} in nm (Å by the NXmx convention unless its units say), or NaN. */
    private static double wavelengthNm(HdfFile hdf) {
        if (!(node(hdf, "/entry/instrument/beam/incident_wavelength") instanceof Dataset d)) {
            return Double.NaN;
        }
        double[] v = Hdf5Opener.toDoubles(d.getData());
        if (v == null || v.length != 1 || !(v[0] > 0)) {
            return Double.NaN;
        }
        String u = units(d);
        return u.isEmpty() ? v[0] * 0.1 : v[0] * Units.nmPer(u); // Å by the NXmx convention unless units say
    }

    /** The lowest count that is not a reliable count: saturation, the count-rate cutoff + 1, the invalid marker. */
    private static double saturationLevel(Map<String, Double> d) {
        double level = Double.NaN;
        Double sat = d.get("saturation_value");
        Double cutoff = d.get("countrate_correction_count_cutoff");
        Double bits = d.get("bit_depth_image");
        if (sat != null && sat > 0) {
            level = sat;
        }
        if (cutoff != null && cutoff > 0) {
            level = Double.isNaN(level) ? cutoff + 1 : Math.min(level, cutoff + 1);
        }
        if (bits != null && bits >= 8 && bits <= 32) {
            double marker = Math.pow(2, bits) - 1;
            level = Double.isNaN(level) ? marker : Math.min(level, marker);
        }
        return level;
    }

    private static String saturationSource(Map<String, Double> d, double level) {
        Double sat = d.get("saturation_value");
        Double cutoff = d.get("countrate_correction_count_cutoff");
        if (sat != null && sat == level) {
            return DETECTOR + "/saturation_value";
        }
        if (cutoff != null && cutoff + 1 == level) {
            return DETECTOR + "/countrate_correction_count_cutoff + 1";
        }
        return "2^bit_depth_image − 1, the invalid-pixel marker";
    }

    /** The project's calibration keys from the detector's metadata; {@code null} where it says nothing. */
    private static double[] fromDetector(String key, Map<String, Double> d, double wavelengthNm, int ky, int kx,
                                         FrameMapping mapping) {
        switch (key) {
            case CalibrationResolver.PIXEL_SIZE: {
                Double px = d.get("x_pixel_size");
                Double py = d.get("y_pixel_size");
                Double dist = d.get("detector_distance");
                if (px == null || dist == null || Double.isNaN(wavelengthNm) || !(px > 0) || !(dist > 0)) {
                    return null;
                }
                if (py != null && Math.abs(py - px) > 1e-9 * px) {
                    return null; // non-square pixels: one nm⁻¹ per pixel cannot describe them
                }
                return new double[] {px / (dist * wavelengthNm)};
            }
            case CalibrationResolver.CENTER: {
                Double cx = d.get("beam_center_x");
                Double cy = d.get("beam_center_y");
                if (cx == null || cy == null || !(cx > 0 && cx < kx - 1 && cy > 0 && cy < ky - 1)) {
                    return null; // absent, or a placeholder outside the frame
                }
                return new double[] {cy, cx};
            }
            case CalibrationResolver.FRAME_INTERVAL: {
                Double ft = d.get("frame_time");
                return ft != null && ft > 0 && mapping.order() == FrameMapping.Order.Y_X_T ? new double[] {ft} : null;
            }
            default:
                return null;
        }
    }

    /**
     * @param file a file
     * @return whether it is an HDF5 file that {@link #isMaster} recognises
     */
    public static boolean isMaster(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (HdfFile hdf = new HdfFile(file.toAbsolutePath())) {
            return isMaster(hdf);
        } catch (RuntimeException e) {
            return false; // not an HDF5 file jhdf can read: the generic reader will say why
        }
    }
}
