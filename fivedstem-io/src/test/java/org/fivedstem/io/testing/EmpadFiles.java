/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes EMPAD recordings from the format's description (RosettaSciIO's and LiberTEM's EMPAD
 * readers and the XML files of RosettaSciIO's tests agree on it): a {@code .raw} file of frames of
 * 130 rows × 128 columns of little-endian float32, the last two rows a footer, and an acquisition
 * XML {@code <root name="…">} naming the raw file, in the dialect of software 0.51 (scan
 * {@code pix_x}/{@code pix_y}, field of view in {@code iom_measurements}, a pixel size) or 1.2.2
 * (scan only in {@code scan_parameters}, field of view with a scale factor, no pixel size).
 */
public final class EmpadFiles {

    /** Bytes per stored frame. */
    public static final int FRAME_BYTES = 130 * 128 * 4;

    private EmpadFiles() {
    }

    /**
     * Value of pixel (i, j) of stream frame n: distinct for every frame and pixel, exact in float32.
     *
     * @param n frame index in the stream
     * @param i pattern row (0…127)
     * @param j pattern column (0…127)
     * @return the value
     */
    public static float value(long n, int i, int j) {
        return (float) (n * 1000 + i * 7 + j * 0.5 - 300);
    }

    /** The footer value: huge, so a reader that shows a footer row fails every comparison. */
    private static final float FOOTER = -1e30f;

    /**
     * Writes {@code frames} frames.
     *
     * @param file the raw file
     * @param frames number of frames
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path writeRaw(Path file, long frames) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(FRAME_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            for (long n = 0; n < frames; n++) {
                b.clear();
                for (int i = 0; i < 130; i++) {
                    for (int j = 0; j < 128; j++) {
                        b.putFloat(i < 128 ? value(n, i, j) : FOOTER);
                    }
                }
                out.write(b.array());
            }
        }
        return file;
    }

    /**
     * The XML of EMPAD software 0.51 (as RosettaSciIO's {@code map4x4.xml}) for a scan.
     *
     * @param rawName the raw file's name
     * @param nx scan columns (pix_x)
     * @param ny scan rows (pix_y)
     * @param fovM field of view of the whole scan in m ([x, y])
     * @param pixelSize calibrated_pixelsize (RSciIO: × 1e9 = nm⁻¹)
     * @return the XML text
     */
    public static String xml051(String rawName, int nx, int ny, double fovM, double pixelSize) {
        return String.format(Locale.ROOT, "<root name=\"acquisition_1\">"
            + "<timestamp timestamp=\"1559820600.164675\" isoformat=\"2019-06-06T13:30:00.164675\"/>"
            + "<software_version>0.51 211118</software_version>"
            + "<raw_file filename=\"%s\"/>"
            + "<type>scan</type><pix_x>%d</pix_x><pix_y>%d</pix_y>"
            + "<exposure_time>1</exposure_time><post_exposure_time>0</post_exposure_time>"
            + "<scan_parameters mode=\"search\"><scan_resolution_x>64</scan_resolution_x>"
            + "<scan_resolution_y>64</scan_resolution_y><scan_size>0.55</scan_size></scan_parameters>"
            + "<scan_parameters mode=\"acquire\"><scan_resolution_x>%d</scan_resolution_x>"
            + "<scan_resolution_y>%d</scan_resolution_y><scan_size>0.55</scan_size></scan_parameters>"
            + "<iom_measurements><optics.get_cameralength>0.7225</optics.get_cameralength>"
            + "<optics.get_full_scan_field_of_view>[%s, %s]</optics.get_full_scan_field_of_view>"
            + "<source.get_voltage>300000.0</source.get_voltage></iom_measurements>"
            + "<calibrated_pixelsize>%s</calibrated_pixelsize>"
            + "<calibrated_diffraction_angle>0.000429</calibrated_diffraction_angle>"
            + "</root>", rawName, nx, ny, nx, ny, fovM, fovM, pixelSize);
    }

    /**
     * The XML of EMPAD software 1.2.2 (as RosettaSciIO's {@code EMPAD_v1.2.2_x32_y64_size0.8.xml}).
     *
     * @param rawName the raw file's name
     * @param nx scan_resolution_x of the acquire mode
     * @param ny scan_resolution_y of the acquire mode
     * @param fovXM full_scan_field_of_view/x in m
     * @param fovYM full_scan_field_of_view/y in m
     * @param scaleFactor full_scan_field_of_view/scale_factor
     * @return the XML text
     */
    public static String xml122(String rawName, int nx, int ny, double fovXM, double fovYM, double scaleFactor) {
        return String.format(Locale.ROOT, "<root name=\"EMPAD_v1.2.2\">"
            + "<timestamp timestamp=\"1774471672.586728\" isoformat=\"2026-03-25T16:47:52.586728\"/>"
            + "<software_version>1.2.2  (2021-08-20)</software_version>"
            + "<raw_file filename=\"%s\"/>"
            + "<exposure_time>1</exposure_time><post_exposure_time>0</post_exposure_time>"
            + "<scan_parameters mode=\"search\"><scan_size>0.8</scan_size><scan_resolution_y>64</scan_resolution_y>"
            + "<scan_resolution_x>32</scan_resolution_x></scan_parameters>"
            + "<scan_parameters mode=\"acquire\"><scan_size>0.6</scan_size><scan_resolution_y>%d</scan_resolution_y>"
            + "<scan_resolution_x>%d</scan_resolution_x></scan_parameters>"
            + "<temperature_controller><temperature_value>-5.00</temperature_value></temperature_controller>"
            + "<iom_measurements><scan_rotation>0.0</scan_rotation><full_scan_field_of_view>"
            + "<scale_factor>%s</scale_factor><x>%s</x><y>%s</y></full_scan_field_of_view>"
            + "<nominal_camera_length>0.369</nominal_camera_length><high_voltage>300000.0</high_voltage>"
            + "</iom_measurements></root>", rawName, ny, nx, scaleFactor, fovXM, fovYM);
    }

    /**
     * The XML of a 0.51 time series: {@code count} frames at one position.
     *
     * @param rawName the raw file's name
     * @param count frames in the series
     * @param exposureMs exposure_time in ms
     * @param postMs post_exposure_time in ms
     * @return the XML text
     */
    public static String xmlSeries(String rawName, int count, double exposureMs, double postMs) {
        return String.format(Locale.ROOT, "<root name=\"series_1\"><raw_file filename=\"%s\"/><type>series</type>"
            + "<count>%d</count><exposure_time>%s</exposure_time><post_exposure_time>%s</post_exposure_time>"
            + "<scan_parameters mode=\"acquire\"><series_count>%d</series_count></scan_parameters>"
            + "<calibrated_pixelsize>1.826537060227288e-10</calibrated_pixelsize></root>",
            rawName, count, exposureMs, postMs, count);
    }

    /**
     * @param file where
     * @param text the XML
     * @return the file
     * @throws IOException if writing fails
     */
    public static Path writeXml(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
