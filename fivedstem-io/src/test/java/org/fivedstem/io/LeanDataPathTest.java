/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.QRange;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.engine.Analysis;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.fitting.FitOptions;
import org.fivedstem.io.hdf5.Compression;
import org.fivedstem.io.hdf5.RecordingWriter;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analysis of recording files through the lean data path (issue 17) — counts decoded from the
 * stored bytes straight into the engine's float batches — against the double path
 * ({@code fivedstem.floatSeries=false}): the same bits for 8- and 16-bit counts, contiguous and
 * chunked, binned and masked; 32-bit counts beyond 2²⁴ and float32 data keep the double path,
 * which the property then does not change.
 */
class LeanDataPathTest {

    @TempDir
    Path dir;

    static final Calibration CAL = Calibration.builder().frameIntervalSeconds(1).scanStepNm(0.16).pixelSizeInverseNm(0.2)
        .centerPx(13.5, 13.5).temperatureKelvin(640).build();

    /** Speckle that decorrelates as AR(1) per pixel, counted with Poisson-like noise, in the type's range. */
    static double[] speckle(long seed, Shape5D s, SampleType type) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        int n = s.patternSize();
        double[] v = new double[(int) s.valueCount()];
        double[] re = new double[n];
        double[] im = new double[n];
        double scale = switch (type) {
            case UINT8 -> 4;
            case UINT16 -> 900;
            default -> 20;
        };
        for (int y = 0; y < s.scanY(); y++) {
            for (int x = 0; x < s.scanX(); x++) {
                double r = Math.exp(-1 / (5.0 + 3 * x + y));
                double q = Math.sqrt(1 - r * r);
                for (int t = 0; t < s.frames(); t++) {
                    for (int p = 0; p < n; p++) {
                        re[p] = t == 0 ? gauss(rng) : r * re[p] + q * gauss(rng);
                        im[p] = t == 0 ? gauss(rng) : r * im[p] + q * gauss(rng);
                        double mean = scale * (re[p] * re[p] + im[p] * im[p]) / 2;
                        double count = Math.max(0, Math.rint(mean + Math.sqrt(mean) * gauss(rng)));
                        double value = switch (type) {
                            case UINT8 -> Math.min(255, count);
                            case UINT16 -> Math.min(65535, count);
                            case UINT32 -> (1 << 24) + 1 + count;   // beyond 2²⁴: not exact in float
                            default -> count + 0.25 * rng.nextDouble();
                        };
                        v[(int) ((((long) t * s.scanY() + y) * s.scanX() + x) * n + p)] = value;
                    }
                }
            }
        }
        return v;
    }

    static double gauss(UniformRandomProvider rng) {
        // Box–Muller: enough for a test field.
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            Arguments.of(SampleType.UINT8, Compression.NONE, 1, false),
            Arguments.of(SampleType.UINT16, Compression.NONE, 1, false),
            Arguments.of(SampleType.UINT16, Compression.LZ4, 1, true),
            Arguments.of(SampleType.UINT16, Compression.NONE, 2, true),
            Arguments.of(SampleType.UINT32, Compression.NONE, 1, false),
            Arguments.of(SampleType.FLOAT32, Compression.NONE, 1, false));
    }

    @ParameterizedTest(name = "{0} {1}, bin {2}, mask {3}")
    @MethodSource("cases")
    void theFloatPathGivesTheDoublePathsBits(SampleType type, Compression compression, int bin, boolean masked)
        throws IOException {
        int k = 28 * bin;
        Shape5D s = Shape5D.of(40, 6, 5, k, k);
        Path file = dir.resolve(type + "-" + compression + ".h5");
        double[] v = speckle(7 + type.ordinal(), s, type);
        int n = s.patternSize();
        Calibration cal = CAL;
        if (bin > 1) {
            cal = Calibration.builder().frameIntervalSeconds(1).scanStepNm(0.16).pixelSizeInverseNm(0.1)
                .centerPx(27.5, 27.5).temperatureKelvin(640).build();
        }
        try (RecordingWriter w = RecordingWriter.create(file, s, type, cal, Set.of(), compression)) {
            double[] pattern = new double[n];
            for (int t = 0; t < s.frames(); t++) {
                for (int y = 0; y < s.scanY(); y++) {
                    for (int x = 0; x < s.scanX(); x++) {
                        System.arraycopy(v, (int) ((((long) t * s.scanY() + y) * s.scanX() + x) * n), pattern, 0, n);
                        w.writePattern(t, y, x, pattern);
                    }
                }
            }
            w.commit();
        }
        try (Dataset5D stored = Recordings.open(file)) {
            Dataset5D ds = stored.bin(bin);
            if (masked) {
                boolean[] valid = new boolean[28 * 28];
                java.util.Arrays.fill(valid, true);
                for (int p = 3; p < valid.length; p += 11) {
                    valid[p] = false;
                }
                ds = ds.withMask(DetectorMask.of(28, 28, valid));
            }
            Analysis a = Analysis.of(ds).dynamics(QRange.of(1.0, 1.6), CorrelationOptions.defaults(),
                FitOptions.defaults().withGammaFixed(1.0)).structure(
                org.fivedstem.api.AnnulusMask.of(ds, QRange.of(0.6, 2.2), 3)).withThreads(2);
            AnalysisResult doubles = withFloatSeries(false, a);
            AnalysisResult floats = withFloatSeries(true, a);
            String where = type + " " + compression + " bin " + bin;
            assertEquals(doubles.maps(), floats.maps(), where);
            assertArrayEquals(doubles.correlationValues(), floats.correlationValues(), where);
            assertArrayEquals(doubles.correlationStdErrs(), floats.correlationStdErrs(), where);
            assertArrayEquals(doubles.meanSpeckleVarianceProfile(), floats.meanSpeckleVarianceProfile(), where);
            assertEquals(doubles.spearman(), floats.spearman(), where);
            // which path the float run took: float only for 8- and 16-bit counts (32-bit ones may pass 2²⁴)
            assertEquals(type == SampleType.UINT8 || type == SampleType.UINT16,
                ds.countLimit().isPresent() && ds.countLimit().getAsLong() <= org.fivedstem.api.PatternStorage.FLOAT_EXACT_LIMIT,
                where);
        }
    }

    /** Runs with the system property set (tests in this module run one at a time). */
    private static AnalysisResult withFloatSeries(boolean on, Analysis a) throws IOException {
        String key = "fivedstem.floatSeries";
        String before = System.getProperty(key);
        System.setProperty(key, Boolean.toString(on));
        try {
            return a.run();
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }
}
