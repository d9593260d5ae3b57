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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fivedstem.core.simulation.SpeckleSimulation;
import org.fivedstem.io.results.SeriesFile;
import org.fivedstem.io.results.SeriesResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code fivedstem series} over results files analysed with different settings: refused by default
 * with one line naming both files, the setting and both values; combined with a warning (printed and
 * kept in the series file) under {@code --allow-mixed}; a different frame interval is fine.
 */
class SeriesMixedSettingsTest {

    @TempDir
    static Path dir;
    static Path recording;
    static Path at633;
    static Path at643;

    private static Path analyze(String name, double kelvin, String... options) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("analyze", recording.toString(), "--out", out.toString(), "--quiet",
            "--threads", "1", "--temperature", Double.toString(kelvin)));
        args.addAll(List.of(options));
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    @BeforeAll
    static void analyseOnce() throws IOException {
        // 48×48 px at 0.25 nm⁻¹ holds both annuli, also binned 2×2; counted, so --gain 1 applies.
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(5, 5).frames(12).patternSize(48, 48).pixelSizeInverseNm(0.25)
            .centerPx(23.5, 23.5).frameIntervalSeconds(9.2).dose(5).tauMedianSeconds(40).seed(4).build();
        recording = dir.resolve("sim.h5");
        SimulateCommand.write(sim, recording, 1, null);
        at633 = analyze("r633.h5", 633);
        // The paper's series: 9.2 s frames at one temperature, 4.8 s at another.
        at643 = analyze("r643.h5", 643, "--frame-interval", "4.8");
    }

    static Stream<Arguments> differences() {
        return Stream.of(
            Arguments.of("dynamics Q range", List.of("--dyn-q", "4.0:4.8"), "dynamics Q range (dyn_q_inv_nm): 4.000–4.800 nm⁻¹ vs 4.200–4.600 nm⁻¹"),
            Arguments.of("structure Q range", List.of("--struct-q", "3.2:5.6"), "structure Q range (struct_q_inv_nm): 3.200–5.600 nm⁻¹ vs 3.000–5.800 nm⁻¹"),
            Arguments.of("binning", List.of("--bin", "2"), "binning (bin): 2 vs 1"),
            Arguments.of("gamma free", List.of("--gamma", "free"), "gamma mode (gamma_mode): free vs fixed at 1.0"),
            Arguments.of("gamma value", List.of("--gamma", "0.8"), "gamma mode (gamma_mode): fixed at 0.8 vs fixed at 1.0"),
            Arguments.of("normalisation", List.of("--normalisation", "symmetric"), "normalisation: symmetric vs ensemble"),
            Arguments.of("error method", List.of("--stderr", "frame-blocks"),
                "standard-error method (stderr_method): frame-blocks vs pixel-groups"),
            Arguments.of("shot-noise correction", List.of("--gain", "1"),
                "shot-noise correction of V (speckle_variance_shot_noise_gain): corrected at gain 1.0 ADU/e⁻ vs not corrected"),
            Arguments.of("pixel size", List.of("--pixel-size", "0.24"), "pixel size (pixel_size_inv_nm): 0.24 vs 0.25 nm⁻¹"),
            Arguments.of("scan step", List.of("--scan-step", "0.5"), "scan step (scan_step_nm)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differences")
    void aDifferentSettingIsRefusedOrWarnedAbout(String name, List<String> options, String mentions, @TempDir Path outDir)
        throws IOException {
        Path other = analyze("r653-" + name.replace(' ', '-') + ".h5", 653, options.toArray(String[]::new));
        Path series = outDir.resolve("series.h5");
        List<String> args = List.of("series", at633.toString(), at643.toString(), other.toString(), "--out", series.toString());

        FivedstemCommandTest.Run refused = FivedstemCommandTest.Run.of(args);
        assertEquals(FivedstemCommand.EXIT_FAILURE, refused.exitCode(), refused.err());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().startsWith("fivedstem series: " + other + " and " + at633 + " differ in " + mentions),
            refused.err());
        assertTrue(refused.err().contains("--allow-mixed"), refused.err());
        assertEquals("", refused.out());
        try (Stream<Path> left = Files.list(outDir)) {
            assertEquals(List.of(), left.toList(), "no series file");
        }

        List<String> allow = new ArrayList<>(args);
        allow.add("--allow-mixed");
        FivedstemCommandTest.Run mixed = FivedstemCommandTest.Run.of(allow);
        assertEquals(0, mixed.exitCode(), mixed.err());
        assertTrue(mixed.err().startsWith("fivedstem series: warning: " + other + " and " + at633 + " differ in " + mentions),
            mixed.err());
        assertTrue(mixed.out().contains("warning: the files were analysed with different settings"), mixed.out());
        SeriesResults s = SeriesFile.read(series);
        assertTrue(!s.warnings().isEmpty() && s.warnings().get(0).startsWith(other + " and " + at633 + " differ in " + mentions),
            s.warnings().toString());
        assertEquals(mixed.err().lines().count(), s.warnings().size(), "every warning printed is kept: " + mixed.err());
    }

    @Test
    void aDifferentFrameIntervalIsAllowedWithoutWarning(@TempDir Path outDir) throws IOException {
        Path series = outDir.resolve("series.h5");
        FivedstemCommandTest.Run r = FivedstemCommandTest.Run.of(List.of("series", at633.toString(), at643.toString(),
            "--out", series.toString()));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(List.of(), SeriesFile.read(series).warnings());
    }
}
