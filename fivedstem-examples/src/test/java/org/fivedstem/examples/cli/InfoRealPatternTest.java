/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fivedstem.api.ProgressListener;
import org.fivedstem.core.preparation.PatternStatistics;
import org.fivedstem.core.simulation.HaloProfile;
import org.fivedstem.core.simulation.PatternFeatures;
import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.fivedstem.io.figures.PatternFigure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code info --mask auto} on the pattern (issue 15): 512 × 512, halo at 130 px, a needle
 * stop from the bottom ending 11 px short of the centre, a flare 2.5 × brighter than the halo about
 * its tip, the aperture's edge at 250 px cutting the pattern, 10 frames. The figures of
 * docs/preparation.md are this test's PNGs (copied there when the system property
 * {@code fivedstem.docsImages} names docs/images).
 */
class InfoRealPatternTest {

    static final double CY = 258.3;
    static final double CX = 251.6;

    @TempDir
    Path dir;

    @Test
    void findsTheCentreMasksFlareAndApertureAndSaysWhy() throws IOException {
        PatternFeatures f = PatternFeatures.builder().needleStop(PatternFeatures.Edge.BOTTOM, 20, 11, 2)
            .flare(22, 3, 2.5, 8, 1.5).aperture(CY + 4, CX - 3, 250, 2, 0).build();
        double pixel = 4.4 / 130;
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(1, 2).frames(5).patternSize(512, 512).centerPx(CY, CX)
            .pixelSizeInverseNm(pixel).beamStopRadiusInverseNm(0).halo(HaloProfile.gaussianRing(4.4, 0.8, 0.2)).features(f)
            .tauMedianSeconds(20).betaRange(0.5, 0.5).dose(5).seed(15).build();
        Path file = dir.resolve("needle.h5");
        SimulateCommand.write(sim, file, 2, null);
        Path png = dir.resolve("needle-info.png");
        Run r = Run.of("info", file.toString(), "--mask", "auto", "--out", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        double[] c = InfoCommandTest.centre(r.out());
        double err = Math.hypot(c[0] - CY, c[2] - CX);
        assertTrue(err < 2, () -> "centre " + err + " px off:\n" + r.out());
        assertTrue(r.out().contains("= 4.4"), () -> "halo radius in nm⁻¹:\n" + r.out());
        Matcher m = Pattern.compile("beam stop (\\d+), hot \\d+, dead \\d+, flare (\\d+), outside aperture (\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        int stop = Integer.parseInt(m.group(1));
        int flare = Integer.parseInt(m.group(2));
        int outside = Integer.parseInt(m.group(3));
        // Needle: 20 px × (512 − 269) px ≈ 4900 px inside the aperture, grown by 1 px; the corners
        // beyond the aperture (≈ 512² − π·250² ≈ 66 000 px) are not beam stop.
        assertTrue(stop > 3000 && stop < 7000, r.out());
        assertTrue(outside > 55_000 && outside < 80_000, r.out());
        assertTrue(flare > 200, r.out());
        assertTrue(Files.size(png) > 0);
        // Before: the mean pattern as the file gives it, no preparation — the traps in view.
        double[] mean = PatternStatistics.compute(sim.dataset(), ProgressListener.NONE).meanPattern();
        Path before = dir.resolve("needle-stop-before.png");
        PatternFigure.of(mean, 512, 512, null).withTitle("before: needle stop, flare, aperture edge (no preparation)").writePng(before);
        assertTrue(Files.size(before) > 0);
        String docs = System.getProperty("fivedstem.docsImages");
        if (docs != null) {
            Files.copy(before, Path.of(docs, "needle-stop-before.png"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(png, Path.of(docs, "needle-stop-after.png"), StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.println(r.out());
        // PatternFigure's legend colours are the documented ones.
        assertEquals(0x303030, PatternFigure.maskReasonRgb(0));
    }
}
