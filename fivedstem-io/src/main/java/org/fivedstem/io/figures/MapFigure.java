/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.figures;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.internal.Checks;

/**
 * A scalar map (τ, V, …) rendered pixel-exact: each scan position is a square block of
 * {@link #pixelsPerPosition()} screen pixels in the {@link Colormap#VIRIDIS} colour of its value,
 * invalid positions grey, with a colour bar (ticks and unit), a scale bar in nm, scan-coordinate
 * ticks (x below, y on the left, in scan steps from 0, so that a position named elsewhere as
 * {@code (y, x)} can be found) and a title.
 * Immutable; configured with withers.
 *
 * <pre>{@code
 * MapFigure.of(maps.tauSeconds()).withLogScale(true).withTitle("τ at 633 K").writePng(Path.of("tau.png"));
 * }</pre>
 */
public final class MapFigure {

    private static final int MARGIN = 16;
    private static final int BAR_WIDTH = 22;
    private static final int TARGET_WIDTH = 600;
    /** Room left of the map for the y tick labels. */
    private static final int LEFT = MARGIN + 34;
    /** Room below the map for the x tick labels and the axis caption. */
    private static final int BOTTOM = 34;
    /** Smallest distance between scan-coordinate ticks in screen pixels. */
    private static final int MIN_TICK_SPACING = 28;

    private final ScalarMap map;
    private final String title;
    private final boolean logScale;
    private final double low;
    private final double high;
    private final int pixelsPerPosition;
    private final String barLabel;

    private MapFigure(ScalarMap map, String title, boolean logScale, double low, double high, int pixelsPerPosition,
                      String barLabel) {
        this.map = map;
        this.title = title;
        this.barLabel = barLabel;
        this.logScale = logScale;
        this.low = low;
        this.high = high;
        this.pixelsPerPosition = pixelsPerPosition;
    }

    /**
     * A figure of a map with a linear colour scale over the map's valid range, titled with the
     * map's name, about 600 screen pixels wide.
     *
     * @param map the map
     * @return the figure
     */
    public static MapFigure of(ScalarMap map) {
        Objects.requireNonNull(map, "map");
        int ppp = Math.max(1, Math.min(TARGET_WIDTH / map.scanX(), 800 / map.scanY()));
        String label = map.unit().isEmpty() ? map.name() : map.name() + " (" + map.unit() + ")";
        return new MapFigure(map, map.name(), false, Double.NaN, Double.NaN, ppp, label);
    }

    /**
     * @param newTitle the title above the map
     * @return a copy with this title
     */
    public MapFigure withTitle(String newTitle) {
        return new MapFigure(map, Objects.requireNonNull(newTitle, "title"), logScale, low, high, pixelsPerPosition, barLabel);
    }

    /**
     * @param label the label above the colour bar, with the unit, e.g. {@code "τ (s)"}; by default
     *     the map's name and unit
     * @return a copy with this label
     */
    public MapFigure withColourBarLabel(String label) {
        return new MapFigure(map, title, logScale, low, high, pixelsPerPosition, Objects.requireNonNull(label, "label"));
    }

    /**
     * @param log whether colours follow the logarithm of the value (for τ, which spans decades);
     *     non-positive values are then shown as invalid
     * @return a copy with this scale
     */
    public MapFigure withLogScale(boolean log) {
        return new MapFigure(map, title, log, low, high, pixelsPerPosition, barLabel);
    }

    /**
     * @param lowValue the value at the bottom of the colour bar
     * @param highValue the value at the top (&gt; low); values outside are clamped to the ends
     * @return a copy with this colour range
     */
    public MapFigure withRange(double lowValue, double highValue) {
        Checks.finite("low", lowValue);
        Checks.finite("high", highValue);
        if (!(highValue > lowValue)) {
            throw new IllegalArgumentException(Checks.format("colour range [%s, %s] is empty or reversed", lowValue, highValue));
        }
        return new MapFigure(map, title, logScale, lowValue, highValue, pixelsPerPosition, barLabel);
    }

    /**
     * @param pixels screen pixels per scan position along each axis (1–64)
     * @return a copy with this magnification
     */
    public MapFigure withPixelsPerPosition(int pixels) {
        if (pixels < 1 || pixels > 64) {
            throw new IllegalArgumentException(Checks.format("pixelsPerPosition is outside 1–64: %d", pixels));
        }
        return new MapFigure(map, title, logScale, low, high, pixels, barLabel);
    }

    /** @return screen pixels per scan position */
    public int pixelsPerPosition() {
        return pixelsPerPosition;
    }

    /** @return the colour range {low, high} actually used (the valid range of the map unless set) */
    public double[] range() {
        double lo = low;
        double hi = high;
        if (Double.isNaN(lo)) {
            double[] v = map.values();
            lo = Double.POSITIVE_INFINITY;
            hi = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                if (!Double.isNaN(x) && (!logScale || x > 0)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            if (lo == Double.POSITIVE_INFINITY) {
                lo = logScale ? 1 : 0;
                hi = logScale ? 10 : 1;
            } else if (!(hi > lo)) {
                // A constant map: widen symmetrically so it shows mid-scale.
                double pad = logScale ? 0 : Math.max(Math.abs(lo) * 0.05, 1e-12);
                lo = logScale ? lo / 1.1 : lo - pad;
                hi = logScale ? hi * 1.1 : hi + pad;
            }
        }
        return new double[] {lo, hi};
    }

    /**
     * @param value a map value
     * @return its position on the colour bar, 0–1 (clamped), NaN if invalid
     */
    double fraction(double value) {
        double[] r = range();
        if (Double.isNaN(value) || (logScale && !(value > 0))) {
            return Double.NaN;
        }
        double f = logScale
            ? (Math.log(value) - Math.log(r[0])) / (Math.log(r[1]) - Math.log(r[0]))
            : (value - r[0]) / (r[1] - r[0]);
        return Math.min(1, Math.max(0, f));
    }

    /**
     * The screen pixel at the centre of a scan position, for tests and overlays.
     *
     * @param y scan row
     * @param x scan column
     * @return {x, y} in image coordinates
     */
    public int[] screenPixelOf(int y, int x) {
        return new int[] {LEFT + x * pixelsPerPosition + pixelsPerPosition / 2,
            MARGIN + titleHeight() + y * pixelsPerPosition + pixelsPerPosition / 2};
    }

    /**
     * @param positions number of scan positions along the axis (&ge; 1)
     * @param pixels screen pixels per position (&ge; 1)
     * @return the scan positions that get a tick: 0 and multiples of the smallest 1-2-5 step whose
     *     ticks are at least {@value #MIN_TICK_SPACING} screen pixels apart
     */
    static List<Integer> scanTicks(int positions, int pixels) {
        int step = 1;
        for (int k = 0; step * pixels < MIN_TICK_SPACING; k++) {
            step = new int[] {1, 2, 5}[k % 3] * (int) Math.pow(10, k / 3);
        }
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < positions; t += step) {
            out.add(t);
        }
        return out;
    }

    private int titleHeight() {
        return 28;
    }

    /** @return the rendered figure */
    public BufferedImage render() {
        int s = pixelsPerPosition;
        int mapW = map.scanX() * s;
        int mapH = map.scanY() * s;
        int barX = LEFT + mapW + 18;
        int width = barX + BAR_WIDTH + 110;
        int height = MARGIN + titleHeight() + Math.max(mapH + BOTTOM, 160) + MARGIN + 4;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(title, MARGIN, MARGIN + 14);
            int top = MARGIN + titleHeight();
            // Pixel-exact map: one block per position, no smoothing.
            double[] v = map.values();
            for (int y = 0; y < map.scanY(); y++) {
                for (int x = 0; x < map.scanX(); x++) {
                    int rgb = Colormap.VIRIDIS.rgb(fraction(v[y * map.scanX() + x]));
                    for (int a = 0; a < s; a++) {
                        img.setRGB(LEFT + x * s, top + y * s + a, s, 1, fill(rgb, s), 0, s);
                    }
                }
            }
            drawScaleBar(g, LEFT, top, mapW, mapH);
            drawScanTicks(g, top, mapW, mapH);
            drawColourBar(g, barX, top, Math.max(mapH, 160));
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int[] fill(int rgb, int n) {
        int[] row = new int[n];
        java.util.Arrays.fill(row, rgb);
        return row;
    }

    private void drawScaleBar(Graphics2D g, int left, int top, int mapW, int mapH) {
        double nmPerPixel = map.scanStepXNm() / pixelsPerPosition;
        double lengthNm = niceLength(0.2 * map.scanX() * map.scanStepXNm());
        int len = (int) Math.round(lengthNm / nmPerPixel);
        if (len < 4 || mapH < 24) {
            return;
        }
        int x0 = left + 8;
        int y0 = top + mapH - 10;
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.BLACK);
        g.fillRect(x0 - 1, y0 - 1, len + 2, 6);
        g.setColor(Color.WHITE);
        g.fillRect(x0, y0, len, 4);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        String label = format(lengthNm) + " nm";
        g.setColor(Color.BLACK);
        g.drawString(label, x0 + 1, y0 - 4 + 1);
        g.setColor(Color.WHITE);
        g.drawString(label, x0, y0 - 4);
    }

    private void drawScanTicks(Graphics2D g, int top, int mapW, int mapH) {
        int s = pixelsPerPosition;
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        for (int x : scanTicks(map.scanX(), s)) {
            int cx = LEFT + x * s + s / 2;
            g.drawLine(cx, top + mapH, cx, top + mapH + 4);
            String label = Integer.toString(x);
            g.drawString(label, cx - fm.stringWidth(label) / 2, top + mapH + 5 + fm.getAscent());
        }
        for (int y : scanTicks(map.scanY(), s)) {
            int cy = top + y * s + s / 2;
            g.drawLine(LEFT - 5, cy, LEFT - 1, cy);
            String label = Integer.toString(y);
            g.drawString(label, LEFT - 7 - fm.stringWidth(label), cy + fm.getAscent() / 2 - 1);
        }
        String caption = "x (scan position)";
        g.drawString(caption, LEFT + (mapW - fm.stringWidth(caption)) / 2, top + mapH + 7 + 2 * fm.getAscent() + 2);
        g.drawString("y", LEFT - 7 - fm.stringWidth("y"), top - 4);
    }

    private void drawColourBar(Graphics2D g, int x0, int top, int h) {
        for (int i = 0; i < h; i++) {
            double f = 1 - (i + 0.5) / h;
            g.setColor(new Color(Colormap.VIRIDIS.rgb(f)));
            g.drawLine(x0, top + i, x0 + BAR_WIDTH - 1, top + i);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x0, top, BAR_WIDTH - 1, h - 1);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        for (double t : ticks()) {
            double f = fraction(t);
            int y = top + (int) Math.round((1 - f) * (h - 1));
            g.drawLine(x0 + BAR_WIDTH, y, x0 + BAR_WIDTH + 4, y);
            g.drawString(format(t), x0 + BAR_WIDTH + 7, y + fm.getAscent() / 2 - 1);
        }
        g.drawString(barLabel, x0, top - 6);
    }

    /** @return tick values inside the colour range: nice linear steps, or {@link LogTicks} on a log scale */
    List<Double> ticks() {
        double[] r = range();
        List<Double> out = new ArrayList<>();
        if (logScale) {
            if (r[0] > 0 && r[1] > r[0] && Double.isFinite(r[1])) {
                out.addAll(LogTicks.between(r[0], r[1]));
            }
            if (out.size() < 2) {
                out.clear();
                out.add(r[0]);
                out.add(r[1]);
            }
            return out;
        }
        double step = niceLength((r[1] - r[0]) / 5);
        for (double t = Math.ceil(r[0] / step) * step; t <= r[1] + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    /** @return the 1-2-5 number nearest below or at {@code x} (x &gt; 0) */
    static double niceLength(double x) {
        double e = Math.pow(10, Math.floor(Math.log10(x)));
        double m = x / e;
        return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * e;
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return Checks.format("%.0e", v);
        }
        String s = Checks.format("%.4g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
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
        double[] r = range();
        return Checks.format("MapFigure[%s, %d×%d positions × %d px, %s colour %s–%s%s]", title, map.scanY(), map.scanX(),
            pixelsPerPosition, logScale ? "log" : "linear", format(r[0]), format(r[1]),
            map.unit().isEmpty() ? "" : " " + map.unit());
    }
}
