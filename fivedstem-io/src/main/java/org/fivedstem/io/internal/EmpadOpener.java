/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.FrameMapping;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * Opens EMPAD recordings (Cornell/Thermo Fisher Electron Microscope Pixel Array Detector): an
 * acquisition XML and a {@code .raw} file of frames, each 130 rows × 128 columns of little-endian
 * float32 whose last two rows are a metadata footer, so a frame is 66 560 bytes and the pattern its
 * first 128 × 128 values. The frames are read in place (memory-mapped, footer skipped) and keep
 * the file's orientation: row 0 stored is k_y = 0.
 *
 * <p>The input is the XML, or the {@code .raw} with its XML beside it (same base name, or any XML
 * there whose {@code raw_file} names it). The raw file is the one the XML's
 * {@code <raw_file filename="…">} names in the XML's folder, else the XML's base name with
 * {@code .raw}.
 *
 * <p>The scan comes from the {@link FrameMapping} if it gives one, else from the XML: a
 * {@code <type>series</type>} acquisition is {@code <count>} (or {@code series_count}) frames at
 * one position; a scan is {@code pix_x × pix_y} (software 0.51), else
 * {@code scan_parameters[@mode='acquire']/scan_resolution_x, _y} (1.2.2; {@code mode='search'} if
 * the acquire values do not fit the file, as LiberTEM does), else the {@code scan_x<NX>_y<NY>.raw}
 * file name. A file holding k whole scans is k time steps.
 *
 * <p>Calibration from the XML, each value only where present:
 * <ul>
 *   <li>pixel size: {@code calibrated_pixelsize} × 10⁹ in nm⁻¹. The unit is not documented by the
 *     vendor; RosettaSciIO multiplies by 10⁹ and labels the result 1/nm, which gives a plausible
 *     0.18 nm⁻¹ for its 0.51 test file; software 1.2 and later no longer write it.</li>
 *   <li>scan step: software 0.51 {@code optics.get_full_scan_field_of_view} [x, y] in m over the
 *     whole scan, divided by {@code pix_x}, {@code pix_y}; software 1.2.2
 *     {@code full_scan_field_of_view/x} (and {@code y}) in m, divided by its {@code scale_factor}
 *     and by the larger scan resolution (RosettaSciIO's EMPAD reader, {@code _api.py}, does the
 *     same; the field of view then spans the longer side).</li>
 *   <li>frame interval: for a series, or frames ordered y,x,t, the time from one frame to the
 *     next: {@code exposure_time} + {@code post_exposure_time} (ms). For repeated scans (t,y,x) the
 *     time between scans is not in the XML.</li>
 * </ul>
 * What is missing comes from a JSON sidecar beside the raw file ({@code name.raw.json}), else the
 * user is asked for it. The pattern centre is never in the XML.
 */
public final class EmpadOpener {

    /** Stored rows per frame: 128 pattern rows and a 2-row footer. */
    static final int STORED_ROWS = 130;
    /** Pattern side in pixels. */
    static final int SIDE = 128;
    /** Bytes per stored frame: 130 × 128 float32. */
    static final long FRAME_BYTES = (long) STORED_ROWS * SIDE * 4;

    private static final Pattern SCAN_NAME = Pattern.compile("scan_x(\\d+)_y(\\d+)");
    /** EMPAD XMLs are a few kB; larger XML files beside a raw file are not looked into. */
    private static final long MAX_XML_BYTES = 1 << 20;

    private EmpadOpener() {
    }

    /**
     * @param raw a {@code .raw} file
     * @return the EMPAD XML describing it: {@code base.xml} beside it if that names it or names no
     *     raw file, else the only XML in its folder whose {@code raw_file} names it; {@code null} if none
     */
    public static Path xmlFor(Path raw) {
        String name = raw.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path same = raw.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".xml");
        if (Files.isRegularFile(same) && mentions(same, name, true)) {
            return same;
        }
        Path dir = raw.toAbsolutePath().getParent();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> xml = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")
                && mentions(p, name, false)).toList();
            return xml.size() == 1 ? xml.get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether an XML names the raw file in raw_file (or, if allowed, names none) — a text test, no parsing. */
    private static boolean mentions(Path xml, String rawName, boolean orNone) {
        try {
            if (Files.size(xml) > MAX_XML_BYTES) {
                return false;
            }
            String t = new String(Files.readAllBytes(xml), StandardCharsets.UTF_8);
            if (!t.contains("<raw_file")) {
                return orNone && t.contains("<root");
            }
            // the name alone or the end of a full path (EMPAD on Windows may write D:\\data\\scan.raw)
            return t.contains("\"" + rawName + "\"") || t.contains("\\" + rawName + "\"") || t.contains("/" + rawName + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * @param input the acquisition XML, or the {@code .raw} file with its XML beside it
     * @param o options: frame mapping (else the XML's scan), calibration overrides
     * @return the recording
     * @throws RecordingException for any problem, naming the file and the numbers
     */
    public static Dataset5D open(Path input, OpenOptions o) throws RecordingException {
        Hdf5Opener.requireReadable(input);
        boolean fromXml = input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml");
        Path xmlFile = fromXml ? input : xmlFor(input);
        if (xmlFile == null) {
            throw new RecordingException(input, null, "no EMPAD acquisition XML beside this raw file (same base name "
                + "with .xml, or an XML whose raw_file names it)");
        }
        EmpadXml xml = EmpadXml.read(xmlFile);
        Path raw = fromXml ? rawOf(xml) : input;
        long size;
        try {
            size = Files.size(raw);
        } catch (IOException e) {
            throw new RecordingException(raw, null, "cannot read: " + e.getMessage(), e);
        }
        long frames = size / FRAME_BYTES;
        if (size % FRAME_BYTES != 0 || frames == 0) {
            throw new RecordingException(raw, null, Checks.format(
                "file has %d bytes: %d whole EMPAD frames of %d bytes (130 × 128 float32, the last 2 rows a footer) "
                    + "and %d bytes over; expected a multiple of %d (truncated, or not EMPAD data?)",
                size, frames, FRAME_BYTES, size - frames * FRAME_BYTES, FRAME_BYTES));
        }
        if (frames > Integer.MAX_VALUE) {
            throw new RecordingException(raw, null, Checks.format("%d frames exceed the supported %d", frames, Integer.MAX_VALUE));
        }
        Scan scan = scan(xml, raw, frames);
        FrameMapping mapping = o.frameMapping();
        String format = "EMPAD 128 × 128 float32";
        if (!mapping.hasScan() && scan.ny > 0) {
            if (!scan.series && frames % ((long) scan.ny * scan.nx) != 0) {
                throw new RecordingException(raw, null, Checks.format(
                    "file holds %d frames (%d bytes) but %s gives a scan of %d × %d, which needs a multiple of %d frames "
                        + "(%d bytes per scan); give the scan with --scan NY,NX if the XML is wrong",
                    frames, size, scan.source, scan.ny, scan.nx, (long) scan.ny * scan.nx, (long) scan.ny * scan.nx * FRAME_BYTES));
            }
            if (scan.series && scan.seriesCount > 0 && frames != scan.seriesCount) {
                throw new RecordingException(raw, null, Checks.format(
                    "file holds %d frames (%d bytes) but %s says the series has %d frames (%d bytes expected)",
                    frames, size, scan.source, scan.seriesCount, scan.seriesCount * FRAME_BYTES));
            }
            mapping = mapping.withScan(scan.ny, scan.nx);
            format += " (scan from " + scan.source + ")";
        }
        GatheringStorage part;
        try {
            part = new ContiguousStorage(raw, 0, FRAME_BYTES, new Shape5D(1, 1, (int) frames, SIDE, SIDE),
                AxisOrder.DEFAULT, new Decoder(SampleType.FLOAT32, ByteOrder.LITTLE_ENDIAN), raw.getFileName() + " EMPAD");
        } catch (IOException | IllegalArgumentException e) {
            throw new RecordingException(raw, null, "cannot map: " + e.getMessage(), e);
        }
        FrameStreamStorage storage = FrameStreamStorage.open(raw, null, List.of(part), mapping, format,
            xmlFile.getFileName() + " gives no pix_x/pix_y or scan_resolution_x/_y");
        try {
            boolean consecutive = scan.series || mapping.order() == FrameMapping.Order.Y_X_T;
            Map<String, double[]> fromXmlValues = calibration(xml, scan, consecutive);
            Path sidePath = RawOpener.sidecarOf(raw);
            Function<String, double[]> side = RawOpener.lookup(RawOpener.readSidecar(raw), sidePath);
            Function<String, double[]> lookup = k -> fromXmlValues.containsKey(k) ? fromXmlValues.get(k) : side.apply(k);
            Calibration cal = CalibrationResolver.resolve(raw, null, "in " + xmlFile.getFileName() + " (EMPAD XMLs hold "
                + "no pattern centre" + (consecutive ? "" : ", and no time between repeated scans") + ") or a sidecar "
                + sidePath.getFileName(), lookup, null, o);
            return Assembly.assemble(raw, null, storage, cal, null, o);
        } catch (RecordingException | RuntimeException e) {
            Assembly.closeQuietly(storage, e);
            if (e instanceof RecordingException) {
                throw (RecordingException) e;
            }
            throw new RecordingException(raw, null, e.getMessage(), e);
        }
    }

    /**
     * The raw file the XML names, looked for in the XML's own folder: only the name is used, so an
     * XML cannot point the reader at other folders.
     */
    private static Path rawOf(EmpadXml xml) throws RecordingException {
        String xmlName = xml.file().getFileName().toString();
        Path byBase = xml.file().resolveSibling(xmlName.substring(0, xmlName.length() - 4) + ".raw");
        String named = xml.attribute("raw_file", "filename");
        if (named != null) {
            Path p = xml.file().resolveSibling(Path.of(named.replace('\\', '/')).getFileName().toString());
            if (Files.isRegularFile(p)) {
                return p;
            }
            if (Files.isRegularFile(byBase)) {
                return byBase;
            }
            throw new RecordingException(xml.file(), null, "the raw file it names, " + p.getFileName()
                + ", is not beside it (nor is " + byBase.getFileName() + ")");
        }
        if (Files.isRegularFile(byBase)) {
            return byBase;
        }
        throw new RecordingException(xml.file(), null, "no <raw_file filename=\"…\"> element and no " + byBase.getFileName()
            + " beside it");
    }

    /** The scan the XML describes: ny = nx = 0 when it gives none. */
    private record Scan(int ny, int nx, boolean series, long seriesCount, String source, int xmlNy, int xmlNx) {
    }

    private static Scan scan(EmpadXml xml, Path raw, long frames) throws RecordingException {
        String name = xml.file().getFileName().toString();
        String type = xml.text("type");
        double count = xml.number("count");
        if (Double.isNaN(count)) {
            count = xml.scanParameter("acquire", "series_count");
        }
        if (type != null && type.trim().equalsIgnoreCase("series")) {
            long n = Double.isNaN(count) ? 0 : positiveInt(xml, "count", count);
            return new Scan(1, 1, true, n, name + " (a series)", 0, 0);
        }
        double px = xml.number("pix_x");
        double py = xml.number("pix_y");
        if (!Double.isNaN(px) && !Double.isNaN(py)) {
            int nx = positiveInt(xml, "pix_x", px);
            int ny = positiveInt(xml, "pix_y", py);
            return new Scan(ny, nx, false, 0, name + " pix_x, pix_y", ny, nx);
        }
        Scan first = null;
        for (String mode : new String[] {"acquire", "search"}) {
            double rx = xml.scanParameter(mode, "scan_resolution_x");
            double ry = xml.scanParameter(mode, "scan_resolution_y");
            if (!Double.isNaN(rx) && !Double.isNaN(ry)) {
                int nx = positiveInt(xml, "scan_resolution_x", rx);
                int ny = positiveInt(xml, "scan_resolution_y", ry);
                Scan s = new Scan(ny, nx, false, 0, name + " scan_parameters[@mode='" + mode + "']", ny, nx);
                if (frames % ((long) ny * nx) == 0) {
                    return s;
                }
                first = first == null ? s : first;
            }
        }
        if (first != null) {
            return first;   // neither fits: the caller reports the acquire scan
        }
        Matcher m = SCAN_NAME.matcher(raw.getFileName().toString());
        if (m.find()) {
            try {
                int nx = Integer.parseInt(m.group(1));
                int ny = Integer.parseInt(m.group(2));
                if (nx > 0 && ny > 0) {
                    return new Scan(ny, nx, false, 0, "the file name " + raw.getFileName(), ny, nx);
                }
            } catch (NumberFormatException e) {
                // too large: no scan from the name
            }
        }
        return new Scan(0, 0, false, 0, name, 0, 0);
    }

    private static int positiveInt(EmpadXml xml, String what, double v) throws RecordingException {
        if (!(v >= 1) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new RecordingException(xml.file(), null, Checks.format("<%s> is %s; expected a positive whole number", what, v));
        }
        return (int) v;
    }

    /** The calibration the XML holds, in the project's attribute names and units. */
    private static Map<String, double[]> calibration(EmpadXml xml, Scan scan, boolean consecutiveFrames)
        throws RecordingException {
        Map<String, double[]> out = new LinkedHashMap<>();
        double q = xml.number("calibrated_pixelsize");
        if (q > 0) {
            out.put(CalibrationResolver.PIXEL_SIZE, new double[] {q * 1e9});
        }
        if (scan.xmlNx > 0) {
            double[] fov = xml.list("optics.get_full_scan_field_of_view");
            double fx = xml.nested("full_scan_field_of_view", "x");
            if (fov != null && fov.length == 2 && fov[0] > 0 && fov[1] > 0) {
                // software 0.51: [x, y] in m over the whole scan
                out.put(CalibrationResolver.SCAN_STEP, new double[] {fov[1] / scan.xmlNy * 1e9, fov[0] / scan.xmlNx * 1e9});
            } else if (fx > 0) {
                double fy = xml.nested("full_scan_field_of_view", "y");
                double factor = xml.nested("full_scan_field_of_view", "scale_factor");
                factor = factor > 0 ? factor : 1;
                double longer = Math.max(scan.xmlNx, scan.xmlNy);
                out.put(CalibrationResolver.SCAN_STEP, new double[] {(fy > 0 ? fy : fx) / factor / longer * 1e9,
                    fx / factor / longer * 1e9});
            }
        }
        if (consecutiveFrames) {
            double exposure = xml.number("exposure_time");
            double post = xml.number("post_exposure_time");
            if (exposure > 0) {
                out.put(CalibrationResolver.FRAME_INTERVAL, new double[] {(exposure + (post > 0 ? post : 0)) * 1e-3});
            }
        }
        return out;
    }
}
