/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.google.gson.JsonObject;
import org.fivedstem.api.Axis;
import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * Opens Gatan DigitalMicrograph {@code .dm3}/{@code .dm4} files (K2, K3, OneView 4D-STEM; 3D
 * stacks of patterns) as recordings. The tag tree is parsed by {@link DmTags} without reading the
 * pixels; the pixels are memory-mapped where they lie (files are tens of GB).
 *
 * <p>Hand-written because no maintained Java library reads DM files (Gatan has not published the
 * format; the layout follows the reverse-engineered description RosettaSciIO, ncempy and
 * LiberTEM implement — see {@code docs/input-formats.md}).
 *
 * <ul>
 *   <li>The image: of the {@code ImageList} items, the largest with 3 or 4 dimensions (the
 *       thumbnail, item 0, is 2D RGBA; K3/STEMx files may hold 2D previews beside the cube).</li>
 *   <li>4D, DM dimensions [kx, ky, scan_x, scan_y] (dimension 0 varies fastest) when
 *       {@code ImageTags/Meta Data/Data Order Swapped} is set: one time step,
 *       shape (1, scan_y, scan_x, ky, kx), patterns contiguous.</li>
 *   <li>3D, DM dimensions [kx, ky, N]: a stream of N frames mapped onto (t, y, x) by
 *       {@link FrameMapping} ({@code --scan}).</li>
 *   <li>Calibration: diffraction pixel size (nm⁻¹) and scan step (nm) from
 *       {@code ImageData/Calibrations/Dimension/[i]/Scale} when {@code Units} is a known length
 *       unit; the rest from a JSON sidecar or the options.</li>
 * </ul>
 */
public final class DigitalMicrographOpener {

    private static final String META = "Meta Data";
    private static final String SWAPPED = "Data Order Swapped";

    private DigitalMicrographOpener() {
    }

    /**
     * @param file a file
     * @return whether its name ends with {@code .dm3} or {@code .dm4} (any case)
     */
    public static boolean hasDmExtension(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".dm3") || n.endsWith(".dm4");
    }

    /**
     * @param file a file
     * @return whether it starts with a DM3 or DM4 header (version 3 or 4, byte-order flag 0 or 1)
     * @throws IOException if it cannot be read
     */
    public static boolean isDigitalMicrograph(Path file) throws IOException {
        return DmTags.looksLikeDm(file);
    }

    /** One ImageList item: its dimensions (DM order: index 0 fastest), type and data tag. */
    private record Image(int index, long[] dims, int dataType, DmTags.Data data, DmTags.Group imageData,
                         DmTags.Group imageTags) {

        long elements() {
            long n = 1;
            for (long d : dims) {
                n = d > 0 && n <= Long.MAX_VALUE / d ? n * d : Long.MAX_VALUE;
            }
            return n;
        }

        String summary() {
            StringBuilder sb = new StringBuilder(Checks.format("[%d] ", index));
            for (int i = dims.length - 1; i >= 0; i--) {
                sb.append(dims[i]).append(i > 0 ? " × " : "");
            }
            return sb.append(dims.length == 0 ? "no dimensions" : "").append(' ').append(typeName(dataType)).toString();
        }
    }

    /**
     * @param file a {@code .dm3} or {@code .dm4} file
     * @param o options: frame mapping (3D stacks), axes (4D files without the data-order tag),
     *     calibration
     * @return the recording
     * @throws RecordingException for any problem, naming the file and the numbers
     */
    public static Dataset5D open(Path file, OpenOptions o) throws RecordingException {
        Hdf5Opener.requireReadable(file);
        DmTags tags = DmTags.read(file);
        Image image = choose(file, tags);
        SampleType type = sampleType(file, image.dataType);
        long expected = image.elements() > Long.MAX_VALUE / 8 ? Long.MAX_VALUE : image.elements() * type.sizeBytes();
        if (image.data == null || image.data.count() < 0) {
            throw new RecordingException(file, null, Checks.format("ImageList item %d has no Data array", image.index));
        }
        if (image.data.payloadBytes() != expected) {
            throw new RecordingException(file, null, Checks.format(
                "ImageList item %d: its Data array holds %d bytes but %s %s needs %d", image.index,
                image.data.payloadBytes(), image.summary(), type, expected));
        }
        long end = image.data.payloadOffset() + image.data.payloadBytes();
        if (end > tags.fileBytes()) { // DmTags checks this already; kept beside the mapping it protects
            throw new RecordingException(file, null, Checks.format("the data end at byte %d but the file has %d bytes: truncated",
                end, tags.fileBytes()));
        }
        Decoder decoder = new Decoder(type, tags.valueOrder());
        String format = Checks.format("%s DM%d %s-endian, ImageList item %s", file.getFileName(), tags.version(),
            tags.valueOrder() == ByteOrder.LITTLE_ENDIAN ? "little" : "big", image.summary());

        PatternStorage storage;
        /** DM dimension index of each role (y, x, ky, kx), -1 if the file has none. */
        int[] dmDimOf;
        if (image.dims.length == 4) {
            AxisOrder axes = fourDimAxes(file, image, o);
            int[] storageDims = new int[5];
            dmDimOf = new int[] {-1, -1, -1, -1};
            int c = 0;
            for (int s = 0; s < 5; s++) {
                Axis a = axes.axis(s);
                if (a == Axis.T) {
                    storageDims[s] = 1;
                } else {
                    int dm = 3 - c++; // C order: the slowest storage dimension is the last DM dimension
                    storageDims[s] = (int) image.dims[dm];
                    dmDimOf[role(a)] = dm;
                }
            }
            Shape5D shape = axes.shapeOf(storageDims);
            try {
                storage = new ContiguousStorage(file, image.data.payloadOffset(), shape, axes, decoder, format + " " + axes);
            } catch (IOException | IllegalArgumentException e) {
                throw new RecordingException(file, null, "cannot map the data in axis order " + axes + ": " + e.getMessage()
                    + (axes.isPatternContiguous() ? "" : "; convert the file so that each pattern is contiguous (see "
                    + "docs/input-formats.md, DigitalMicrograph)"), e);
            }
        } else {
            refuseSpectrumImage(file, image);
            Shape5D stack = Shape5D.of(1, 1, (int) image.dims[2], (int) image.dims[1], (int) image.dims[0]);
            GatheringStorage part;
            try {
                part = new ContiguousStorage(file, image.data.payloadOffset(), stack, AxisOrder.DEFAULT, decoder, format);
            } catch (IOException | IllegalArgumentException e) {
                throw new RecordingException(file, null, "cannot map the data: " + e.getMessage(), e);
            }
            storage = FrameStreamStorage.open(file, null, List.of(part), o.frameMapping(), format, scanHint(image));
            dmDimOf = new int[] {-1, -1, 1, 0};
        }
        try {
            Calibration cal = calibration(file, image, dmDimOf, o);
            return Assembly.assemble(file, null, storage, cal, null, o);
        } catch (RecordingException | RuntimeException e) {
            Assembly.closeQuietly(storage, e);
            throw e;
        }
    }

    /** Index of a non-time axis in (y, x, ky, kx). */
    private static int role(Axis a) {
        switch (a) {
            case Y: return 0;
            case X: return 1;
            case KY: return 2;
            default: return 3;
        }
    }

    /**
     * The storage order of a 4D image. With {@code Meta Data/Data Order Swapped} set, the file is
     * C-ordered (scan_y, scan_x, ky, kx): each pattern contiguous. Without it (or with it 0) it is
     * the legacy "transposed" layout of older K2 conversions, (ky, kx, scan_y, scan_x), where each
     * detector pixel holds a block of all scan positions (LiberTEM's reader and converter; HyperSpy
     * issue 2359 shows RosettaSciIO swapping navigation and signal on such files). That layout is
     * refused rather than read: it could only be read by gathering every pattern from ky·kx places
     * spread over the whole file, which is unusably slow at tens of GB and beyond the memory-map
     * segment size for any real scan — and guessing C order would silently scramble the data. The
     * user who knows the order may name it with {@code --axes}.
     */
    private static AxisOrder fourDimAxes(Path file, Image image, OpenOptions o) throws RecordingException {
        if (o.axes() != null) {
            return o.axes();
        }
        DmTags.Data swapped = image.imageTags == null ? null : image.imageTags.data(META, SWAPPED);
        if (swapped != null && swapped.asNumber() != 0 && !Double.isNaN(swapped.asNumber())) {
            return AxisOrder.DEFAULT;
        }
        String state = swapped == null ? "lacks the tag ImageTags/Meta Data/Data Order Swapped"
            : Checks.format("has ImageTags/Meta Data/Data Order Swapped = %s", swapped.asNumber());
        throw new RecordingException(file, null, Checks.format(
            "4D image %s %s: it is stored in the legacy transposed order (ky, kx, scan_y, scan_x — each detector pixel a "
                + "block of all scan positions), which is not read; re-save it from GMS in the untransposed layout or convert "
                + "it (e.g. LiberTEM's convert_transposed). If you know it is stored (scan_y, scan_x, ky, kx), give --axes "
                + "t,y,x,ky,kx (OpenOptions.withAxes)", image.summary(), state));
    }

    /** A 3D spectrum image is (y, x, energy), not a stack of diffraction patterns. */
    private static void refuseSpectrumImage(Path file, Image image) throws RecordingException {
        DmTags.Data format = image.imageTags == null ? null : image.imageTags.data(META, "Format");
        boolean spim = image.imageTags != null && image.imageTags.group("spim") != null;
        if (spim || format != null && format.text() != null && format.text().toLowerCase(Locale.ROOT).contains("spectrum")) {
            throw new RecordingException(file, null, Checks.format(
                "3D image %s is a spectrum image (%s), not a stack of diffraction patterns", image.summary(),
                spim ? "ImageTags/spim" : "Meta Data/Format '" + format.text() + "'"));
        }
    }

    /** What the tags say about the scan of a 3D stack (NCEM TitanX files), for the missing-scan message. */
    private static String scanHint(Image image) {
        DmTags.Group g = image.imageTags == null ? null : image.imageTags.group("4D STEM Tags");
        if (g == null) {
            return "";
        }
        DmTags.Data sy = g.data("Scan shape Y");
        DmTags.Data sx = g.data("Scan shape X");
        if (sy == null || sx == null) {
            return "";
        }
        return Checks.format("the tags 4D STEM Tags/Scan shape Y, X say %.0f, %.0f", sy.asNumber(), sx.asNumber());
    }

    /** Picks the largest ImageList item with 3 or 4 dimensions, the last of equals. */
    private static Image choose(Path file, DmTags tags) throws RecordingException {
        DmTags.Group list = tags.root().group("ImageList");
        if (list == null) {
            throw new RecordingException(file, null, "the DM tag tree has no ImageList group: no image in the file");
        }
        List<Image> images = new ArrayList<>();
        List<DmTags.Group> items = list.groups();
        for (int i = 0; i < items.size(); i++) {
            DmTags.Group item = items.get(i);
            DmTags.Group data = item.group("ImageData");
            if (data == null) {
                continue;
            }
            DmTags.Group dimGroup = data.group("Dimensions");
            List<DmTags.Data> dimTags = dimGroup == null ? List.of() : dimGroup.dataItems();
            long[] dims = new long[dimTags.size()];
            for (int d = 0; d < dims.length; d++) {
                double v = dimTags.get(d).asNumber();
                if (!(v >= 1 && v <= Integer.MAX_VALUE)) {
                    throw new RecordingException(file, null, Checks.format(
                        "ImageList item %d: dimension %d is %s; expected an integer from 1 to %d", i, d, v, Integer.MAX_VALUE));
                }
                dims[d] = (long) v;
            }
            DmTags.Data dataType = data.data("DataType");
            int code = dataType == null || Double.isNaN(dataType.asNumber()) ? -1 : (int) dataType.asNumber();
            images.add(new Image(i, dims, code, data.data("Data"), data, item.group("ImageTags")));
        }
        Image best = null;
        for (Image im : images) {
            if ((im.dims.length == 3 || im.dims.length == 4) && (best == null || im.elements() >= best.elements())) {
                best = im;
            }
        }
        if (best == null) {
            List<String> seen = new ArrayList<>();
            for (Image im : images) {
                seen.add(im.summary());
            }
            throw new RecordingException(file, null, Checks.format(
                "ImageList holds no 3D or 4D image (%s): one pattern or image is not a recording; a 4D (scan_y, scan_x, ky, kx) "
                    + "image or a 3D stack of patterns is needed", seen.isEmpty() ? "no images" : String.join(", ", seen)));
        }
        return best;
    }

    /** The ImageData DataType codes read as recordings. */
    static SampleType sampleType(Path file, int code) throws RecordingException {
        switch (code) {
            case 1: return SampleType.INT16;
            case 2: return SampleType.FLOAT32;
            case 6: return SampleType.UINT8;
            case 7: return SampleType.INT32;
            case 9: return SampleType.INT8;
            case 10: return SampleType.UINT16;
            case 11: return SampleType.UINT32;
            case 12: return SampleType.FLOAT64;
            default:
                throw new RecordingException(file, null, Checks.format(
                    "DM data type %d (%s) is not supported; readable types are 1 int16, 2 float32, 6 uint8, 7 int32, 9 int8, "
                        + "10 uint16, 11 uint32, 12 float64", code, typeName(code)));
        }
    }

    /** Names of ImageData DataType codes (RosettaSciIO's and ncempy's tables). */
    static String typeName(int code) {
        switch (code) {
            case 1: return "int16";
            case 2: return "float32";
            case 3: return "complex64";
            case 4: return "obsolete type 4";
            case 5: return "packed complex (old FFT)";
            case 6: return "uint8";
            case 7: return "int32";
            case 8: return "RGB";
            case 9: return "int8";
            case 10: return "uint16";
            case 11: return "uint32";
            case 12: return "float64";
            case 13: return "complex128";
            case 14: return "binary";
            case 23: return "RGBA";
            case 27: return "packed complex64 (FFT)";
            case 28: return "packed complex128 (FFT)";
            case -1: return "without DataType";
            default: return "unknown type";
        }
    }

    /**
     * Calibration from the tags, then a JSON sidecar, then the options (which win). The pattern
     * centre is not taken from the diffraction axes' Origin: Origin only places k = 0, and GMS
     * sets it at the image centre of a calibrated diffraction image, not at the measured beam
     * position; using it would be silently off by the beam's misalignment. The frame interval is
     * not in the tags either.
     */
    private static Calibration calibration(Path file, Image image, int[] dmDimOf, OpenOptions o) throws RecordingException {
        List<DmTags.Group> cals = new ArrayList<>();
        DmTags.Group dimCal = image.imageData.group("Calibrations", "Dimension");
        if (dimCal != null) {
            cals.addAll(dimCal.groups());
        }
        Map<String, double[]> fromTags = new HashMap<>();
        double ky = axisScale(cals, dmDimOf[2], true);
        double kx = axisScale(cals, dmDimOf[3], true);
        Path sidePath = RawOpener.sidecarOf(file);
        JsonObject side = RawOpener.readSidecar(file);
        Function<String, double[]> sidecar = RawOpener.lookup(side, sidePath);
        if (ky > 0 && kx > 0) {
            if (Math.abs(ky - kx) <= 1e-6 * Math.max(ky, kx)) {
                fromTags.put(CalibrationResolver.PIXEL_SIZE, new double[] {kx});
            } else if (o.calibration().pixelSizeInverseNm().isEmpty() && sidecar.apply(CalibrationResolver.PIXEL_SIZE) == null) {
                // one pixel size serves both axes: neither value is right for the other axis, so ask
                throw new RecordingException(file, null, Checks.format(
                    "the diffraction axes' scales differ (ky %s nm⁻¹, kx %s nm⁻¹, in ImageData/Calibrations) but the "
                        + "analysis needs square pixels; give the pixel size with --pixel-size (OpenOptions.withPixelSizeInverseNm)",
                    sixDigits(ky), sixDigits(kx)));
            }
        }
        double sy = axisScale(cals, dmDimOf[0], false);
        double sx = axisScale(cals, dmDimOf[1], false);
        if (sy > 0 && sx > 0) {
            fromTags.put(CalibrationResolver.SCAN_STEP, new double[] {sy, sx});
        }
        Function<String, double[]> lookup = key -> fromTags.containsKey(key) ? fromTags.get(key).clone() : sidecar.apply(key);
        return CalibrationResolver.resolve(file, null, "in the DM tags (ImageData/Calibrations) or a sidecar "
            + sidePath.getFileName(), lookup, null, o);
    }

    /** A float32 tag value as six significant digits without trailing zeros (0.03, not 0.0299999993). */
    private static String sixDigits(double v) {
        return new java.math.BigDecimal(Checks.format("%.6g", v)).stripTrailingZeros().toPlainString();
    }

    /**
     * @return the scale of DM dimension {@code dm} in nm⁻¹ (reciprocal) or nm, or NaN if the
     *     dimension has no calibration, its scale is not positive or its unit is not a known length
     */
    private static double axisScale(List<DmTags.Group> cals, int dm, boolean reciprocal) {
        if (dm < 0 || dm >= cals.size()) {
            return Double.NaN;
        }
        DmTags.Data scale = cals.get(dm).data("Scale");
        DmTags.Data units = cals.get(dm).data("Units");
        if (scale == null || units == null || !(scale.asNumber() > 0) || Double.isInfinite(scale.asNumber())) {
            return Double.NaN;
        }
        double factor = reciprocal ? Units.inverseNmPer(units.text()) : Units.nmPer(units.text());
        return scale.asNumber() * factor;
    }

}
