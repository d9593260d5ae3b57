/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;

/**
 * A diffraction pattern (typically the mean pattern of a recording) rendered pixel-exact on a
 * square-root viridis scale, masked pixels grey (or coloured by why they are masked,
 * {@link #withMaskReason}), with Q annuli drawn as their inner and outer
 * |Q| contours (ellipses when the calibration has an elliptical distortion), the pattern centre
 * marked, a colour bar of the square-root scale, and a legend below the pattern (covering none of
 * it) whose swatches are drawn as the annuli are (colour and solid or dashed line). So users can
 * check by eye that their Q ranges sit where they mean them. An annulus of the same Q range as one
 * already drawn is not drawn again: its label joins that entry ("dynamics = structure").
 * Immutable; configured with withers.
 *
 * <pre>{@code
 * PatternFigure.of(mean, ky, kx, calibration).withMask(mask)
 *     .withAnnulus("dynamics", QRange.of(4.2, 4.6)).withAnnulus("structure", QRange.of(3.0, 5.8))
 *     .writePng(Path.of("mean-pattern.png"));
 * }</pre>
 *
 * <p>The colour scale runs over the square root of the values between the 0.5 % and 99.5 %
 * quantiles of the valid pixels (so a few hot pixels do not wash it out). |Q| contours use the
 * calibration's centre, pixel size and distortion: the contour of {@code Q} passes through the
 * points whose {@code |Q|} ({@link Calibration#qInverseNm}, extended to sub-pixel positions) is
 * {@code Q}.
 */
public final class PatternFigure {

    private static final int MARGIN = 16;
    private static final int TARGET = 560;
    private static final int BAR_WIDTH = 18;
    /** Room right of the pattern for the colour bar and its labels. */
    private static final int BAR_ROOM = 110;
    private static final Color[] ANNULUS_COLOURS = {new Color(0xFF4B3E), Color.WHITE, new Color(0x00E5FF), new Color(0xFFB000)};
    /**
     * Colours of the mask reasons, in the order they are added ({@link #withMaskReason}): dark grey,
     * light grey, magenta, red, blue, brown; pixels masked for no reason given stay
     * {@link Colormap#INVALID_RGB} grey.
     */
    private static final int[] REASON_RGB = {0x303030, 0xC8C8C8, 0xFF00FF, 0xE00000, 0x2040FF, 0x8B5A2B};

    private final double[] pattern;
    private final int ky;
    private final int kx;
    private final Calibration calibration;
    private final DetectorMask mask;
    private final List<String> labels;
    private final List<QRange> annuli;
    private final String title;
    private final List<String> reasons;
    private final List<DetectorMask> reasonMasks;

    private PatternFigure(double[] pattern, int ky, int kx, Calibration calibration, DetectorMask mask, List<String> labels,
                          List<QRange> annuli, String title) {
        this(pattern, ky, kx, calibration, mask, labels, annuli, title, List.of(), List.of());
    }

    private PatternFigure(double[] pattern, int ky, int kx, Calibration calibration, DetectorMask mask, List<String> labels,
                          List<QRange> annuli, String title, List<String> reasons, List<DetectorMask> reasonMasks) {
        this.reasons = reasons;
        this.reasonMasks = reasonMasks;
        this.pattern = pattern;
        this.ky = ky;
        this.kx = kx;
        this.calibration = calibration;
        this.mask = mask;
        this.labels = labels;
        this.annuli = annuli;
        this.title = title;
    }

    /**
     * @param pattern {@code ky·kx} values, row-major (copied)
     * @param ky pattern rows
     * @param kx pattern columns
     * @param calibration pixel size, centre and distortion of the pattern, or null to draw no
     *     annuli and no centre
     * @return the figure, titled "mean diffraction pattern"
     */
    public static PatternFigure of(double[] pattern, int ky, int kx, Calibration calibration) {
        Objects.requireNonNull(pattern, "pattern");
        Checks.positive("ky", ky);
        Checks.positive("kx", kx);
        Checks.length("pattern", ky * kx, pattern.length);
        return new PatternFigure(pattern.clone(), ky, kx, calibration, null, List.of(), List.of(), "mean diffraction pattern");
    }

    /**
     * @param newMask valid pixels (invalid ones are drawn grey), or null
     * @return a copy
     */
    public PatternFigure withMask(DetectorMask newMask) {
        if (newMask != null && (newMask.ky() != ky || newMask.kx() != kx)) {
            throw new IllegalArgumentException(Checks.format("mask of %d×%d pixels does not match the %d×%d pattern",
                newMask.ky(), newMask.kx(), ky, kx));
        }
        return new PatternFigure(pattern, ky, kx, calibration, newMask, labels, annuli, title, reasons, reasonMasks);
    }

    /**
     * @param label the legend text, e.g. "dynamics"
     * @param range the Q range in nm⁻¹
     * @return a copy with this annulus drawn too (at most four), or, if an annulus of this range is
     *     drawn already, a copy whose legend names both labels at that annulus
     */
    public PatternFigure withAnnulus(String label, QRange range) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(range, "range");
        if (calibration == null) {
            throw new IllegalStateException("annuli need a calibration (pixel size and centre)");
        }
        int same = annuli.indexOf(range);
        if (same >= 0) {
            List<String> l = new ArrayList<>(labels);
            if (!Arrays.asList(l.get(same).split(" = ")).contains(label)) {
                l.set(same, l.get(same) + " = " + label);
            }
            return new PatternFigure(pattern, ky, kx, calibration, mask, List.copyOf(l), annuli, title, reasons, reasonMasks);
        }
        if (annuli.size() == ANNULUS_COLOURS.length) {
            throw new IllegalArgumentException("at most " + ANNULUS_COLOURS.length + " annuli can be drawn");
        }
        List<String> l = new ArrayList<>(labels);
        l.add(label);
        List<QRange> a = new ArrayList<>(annuli);
        a.add(range);
        return new PatternFigure(pattern, ky, kx, calibration, mask, List.copyOf(l), List.copyOf(a), title, reasons, reasonMasks);
    }

    /**
     * @param newTitle the title
     * @return a copy
     */
    public PatternFigure withTitle(String newTitle) {
        return new PatternFigure(pattern, ky, kx, calibration, mask, labels, annuli, Objects.requireNonNull(newTitle, "title"), reasons,
            reasonMasks);
    }

    /**
     * Says why pixels are masked: the pixels this part excludes are drawn in the reason's own
     * colour (the k-th reason added gets {@link #maskReasonRgb(int) maskReasonRgb(k)}) and named in
     * the legend with their count. Pixels excluded by several reasons take the first one's colour;
     * pixels excluded by {@link #withMask} for no reason given are grey ({@link Colormap#INVALID_RGB}).
     *
     * @param reason the legend text, e.g. "beam stop"
     * @param excluded a mask whose invalid pixels are those excluded for this reason
     * @return a copy (at most six reasons)
     */
    public PatternFigure withMaskReason(String reason, DetectorMask excluded) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(excluded, "excluded");
        if (excluded.ky() != ky || excluded.kx() != kx) {
            throw new IllegalArgumentException(Checks.format("mask of %d×%d pixels does not match the %d×%d pattern",
                excluded.ky(), excluded.kx(), ky, kx));
        }
        if (reasons.size() == REASON_RGB.length) {
            throw new IllegalArgumentException("at most " + REASON_RGB.length + " mask reasons can be drawn");
        }
        List<String> r = new ArrayList<>(reasons);
        r.add(reason);
        List<DetectorMask> m = new ArrayList<>(reasonMasks);
        m.add(excluded);
        return new PatternFigure(pattern, ky, kx, calibration, mask, labels, annuli, title, List.copyOf(r), List.copyOf(m));
    }

    /**
     * @param index the reason's position (0 = the first added)
     * @return its colour as 0xRRGGBB
     */
    public static int maskReasonRgb(int index) {
        return REASON_RGB[Checks.index("index", index, REASON_RGB.length)];
    }

    /** @return screen pixels per detector pixel */
    public int scale() {
        return Math.max(1, Math.min(16, TARGET / Math.max(ky, kx)));
    }

    /**
     * @param i detector row (may be fractional)
     * @param j detector column
     * @return {x, y} of that point in image coordinates, for tests and overlays
     */
    public double[] screenPointOf(double i, double j) {
        int s = scale();
        return new double[] {MARGIN + (j + 0.5) * s, MARGIN + titleHeight() + (i + 0.5) * s};
    }

    private static int titleHeight() {
        return 28;
    }

    /** @return {low, high} of the colour scale (the 0.5 % and 99.5 % quantiles of the valid values) */
    public double[] range() {
        double[] v = new double[pattern.length];
        int n = 0;
        for (int i = 0; i < pattern.length; i++) {
            if (Double.isFinite(pattern[i]) && (mask == null || mask.isValid(i))) {
                v[n++] = pattern[i];
            }
        }
        if (n == 0) {
            return new double[] {0, 1};
        }
        Arrays.sort(v, 0, n);
        double lo = Math.max(0, v[(int) Math.floor(0.005 * (n - 1))]);
        double hi = v[(int) Math.ceil(0.995 * (n - 1))];
        return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + 1};
    }

    /** @return the rendered figure */
    public BufferedImage render() {
        int s = scale();
        int w = kx * s;
        int h = ky * s;
        int legend = 18 * Math.max(1, annuli.size() + (calibration == null ? 0 : 1)) + 8 + 18 * reasonLines();
        BufferedImage img = new BufferedImage(w + 2 * MARGIN + BAR_ROOM, h + 2 * MARGIN + titleHeight() + legend,
            BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, MARGIN, MARGIN + 14);
            int top = MARGIN + titleHeight();
            double[] r = range();
            double lo = Math.sqrt(r[0]);
            double hi = Math.sqrt(r[1]);
            int[] row = new int[s];
            for (int i = 0; i < ky; i++) {
                for (int j = 0; j < kx; j++) {
                    double v = pattern[i * kx + j];
                    int rgb;
                    int reason = reasonOf(i * kx + j);
                    if (reason >= 0) {
                        rgb = REASON_RGB[reason];
                    } else if (!Double.isFinite(v) || (mask != null && !mask.isValid(i * kx + j))) {
                        rgb = Colormap.INVALID_RGB;
                    } else {
                        rgb = Colormap.VIRIDIS.rgb((Math.sqrt(Math.max(0, v)) - lo) / (hi - lo));
                    }
                    Arrays.fill(row, rgb);
                    for (int a = 0; a < s; a++) {
                        img.setRGB(MARGIN + j * s, top + i * s + a, s, 1, row, 0, s);
                    }
                }
            }
            drawColourBar(g, MARGIN + w + 16, top, Math.max(h, 120), r);
            int legendTop = top + h + 8;
            if (!reasons.isEmpty()) {
                drawReasons(g, legendTop);
                legendTop += 18 * reasonLines();
            }
            if (calibration != null) {
                drawOverlay(g, legendTop);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** @return the legend's annulus entries, in drawing order */
    List<String> legendEntries() {
        List<String> out = new ArrayList<>();
        for (int a = 0; a < annuli.size(); a++) {
            out.add(labels.get(a) + ": " + annuli.get(a));
        }
        return out;
    }

    /** @return {x, y, height} of the colour bar's top-left corner and its height in image coordinates */
    int[] colourBarBounds() {
        int s = scale();
        return new int[] {MARGIN + kx * s + 16, MARGIN + titleHeight(), Math.max(ky * s, 120)};
    }

    /** The square-root colour bar: nice ticks in counts, placed at the square root of their value. */
    private void drawColourBar(Graphics2D g, int x0, int top, int h, double[] r) {
        double lo = Math.sqrt(r[0]);
        double hi = Math.sqrt(r[1]);
        for (int i = 0; i < h; i++) {
            g.setColor(new Color(Colormap.VIRIDIS.rgb(1 - (i + 0.5) / h)));
            g.drawLine(x0, top + i, x0 + BAR_WIDTH - 1, top + i);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(x0, top, BAR_WIDTH - 1, h - 1);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        java.awt.FontMetrics fm = g.getFontMetrics();
        double step = MapFigure.niceLength((r[1] - r[0]) / 5);
        for (double t = Math.ceil(r[0] / step) * step; t <= r[1] + step * 1e-9; t += step) {
            double f = (Math.sqrt(Math.max(0, t)) - lo) / (hi - lo);
            int y = top + (int) Math.round((1 - f) * (h - 1));
            g.drawLine(x0 + BAR_WIDTH, y, x0 + BAR_WIDTH + 4, y);
            g.drawString(MapFigure.format(Math.abs(t) < step * 1e-9 ? 0 : t), x0 + BAR_WIDTH + 7, y + fm.getAscent() / 2 - 1);
        }
        g.drawString("√ scale", x0, top + h + 14);
    }

    private int reasonOf(int p) {
        for (int k = 0; k < reasonMasks.size(); k++) {
            if (!reasonMasks.get(k).isValid(p)) {
                return k;
            }
        }
        return -1;
    }

    /** @return legend lines the mask reasons take: three reasons a line */
    private int reasonLines() {
        return (reasons.size() + 2) / 3;
    }

    /** The reasons' legend: a swatch per reason with its name and pixel count, three a line. */
    private void drawReasons(Graphics2D g, int legendTop) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x = MARGIN;
        int y = legendTop + 12;
        for (int k = 0; k < reasons.size(); k++) {
            if (k > 0 && k % 3 == 0) {
                x = MARGIN;
                y += 18;
            }
            DetectorMask m = reasonMasks.get(k);
            g.setColor(new Color(REASON_RGB[k]));
            g.fillRect(x, y - 10, 11, 11);
            g.setColor(Color.BLACK);
            g.drawRect(x, y - 10, 11, 11);
            String text = Checks.format("%s %d", reasons.get(k), m.ky() * m.kx() - m.validCount());
            g.drawString(text, x + 15, y);
            x += 15 + g.getFontMetrics().stringWidth(text) + 12;
        }
    }

    private void drawOverlay(Graphics2D g, int legendTop) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int s = scale();
        g.setClip(MARGIN, MARGIN + titleHeight(), kx * s, ky * s);
        for (int a = 0; a < annuli.size(); a++) {
            g.setColor(ANNULUS_COLOURS[a]);
            g.setStroke(annulusStroke(a));
            g.draw(contour(annuli.get(a).qMinInverseNm()));
            g.draw(contour(annuli.get(a).qMaxInverseNm()));
        }
        double[] c = screenPointOf(calibration.centerKyPx(), calibration.centerKxPx());
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(2f));
        g.drawLine((int) Math.round(c[0]) - 6, (int) Math.round(c[1]), (int) Math.round(c[0]) + 6, (int) Math.round(c[1]));
        g.drawLine((int) Math.round(c[0]), (int) Math.round(c[1]) - 6, (int) Math.round(c[0]), (int) Math.round(c[1]) + 6);
        g.setClip(null);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int y = legendTop + 12;
        List<String> entries = legendEntries();
        for (int a = 0; a < annuli.size(); a++) {
            // The swatch is the annulus's own line (colour, solid or dashed) on the pattern's dark end, so white shows.
            g.setColor(new Color(Colormap.VIRIDIS.rgb(0)));
            g.fillRect(MARGIN, y - 12, 30, 12);
            g.setColor(ANNULUS_COLOURS[a]);
            g.setStroke(annulusStroke(a));
            g.drawLine(MARGIN + 2, y - 6, MARGIN + 28, y - 6);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(entries.get(a), MARGIN + 36, y);
            y += 18;
        }
        g.drawString(Checks.format("+ centre (%.2f, %.2f) px, pixel %.4g nm⁻¹%s", calibration.centerKyPx(),
            calibration.centerKxPx(), calibration.pixelSizeInverseNm(), calibration.hasEllipticalDistortion()
                ? Checks.format(", ellipse %.4f at %.1f°", calibration.ellipseAxisRatio(),
                    Math.toDegrees(calibration.ellipseAngleRadians())) : ""), MARGIN, y);
    }

    /** @return the line of the a-th annulus: solid for even a, dashed for odd */
    private static BasicStroke annulusStroke(int a) {
        return a % 2 == 0 ? new BasicStroke(2f)
            : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);
    }

    /** The closed curve of constant |Q| = q, in screen coordinates. */
    private Path2D contour(double q) {
        Path2D p = new Path2D.Double();
        int n = 360;
        double ratio = calibration.ellipseAxisRatio();
        double th = calibration.ellipseAngleRadians();
        double root = Math.sqrt(ratio);
        for (int k = 0; k <= n; k++) {
            double phi = 2 * Math.PI * k / n;
            double dx = Math.cos(phi);
            double dy = Math.sin(phi);
            // |Q| grows linearly along a ray: the formula of Calibration.qInverseNm for a unit step.
            double u = dx * Math.cos(th) + dy * Math.sin(th);
            double v = -dx * Math.sin(th) + dy * Math.cos(th);
            double perPx = Math.hypot(u / root, v * root) * calibration.pixelSizeInverseNm();
            double r = q / perPx;
            double[] pt = screenPointOf(calibration.centerKyPx() + r * dy, calibration.centerKxPx() + r * dx);
            if (k == 0) {
                p.moveTo(pt[0], pt[1]);
            } else {
                p.lineTo(pt[0], pt[1]);
            }
        }
        return p;
    }

    /**
     * Writes the figure as PNG (temporary file, then moved into place).
     *
     * @param file the target
     * @throws IOException if writing fails
     */
    public void writePng(Path file) throws IOException {
        FigureFiles.png(render(), file);
    }

    @Override
    public String toString() {
        return Checks.format("PatternFigure[%s, %d×%d px × %d, %d annuli%s]", title, ky, kx, scale(), annuli.size(),
            calibration == null ? ", no calibration" : "");
    }
}
