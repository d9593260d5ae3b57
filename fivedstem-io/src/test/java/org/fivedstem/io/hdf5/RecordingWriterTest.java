/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.testing.H5py;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordingWriterTest {

    @TempDir
    Path dir;

    static final Calibration CAL = Calibration.builder().frameIntervalSeconds(9.2).scanStepNm(0.16)
        .pixelSizeInverseNm(0.23).centerPx(2.5, 3.0).temperatureKelvin(633).build();

    /** Values that every sample type stores exactly (integers in range, or any double for floats). */
    static double[] values(UniformRandomProvider rng, Shape5D s, SampleType type) {
        double[] v = new double[(int) s.valueCount()];
        for (int i = 0; i < v.length; i++) {
            if (type == SampleType.FLOAT64) {
                v[i] = org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian.of(rng).sample() * 1e3;
            } else if (type == SampleType.FLOAT32) {
                v[i] = (float) (org.apache.commons.rng.sampling.distribution.ZigguratSampler.NormalizedGaussian.of(rng).sample() * 1e3);
            } else {
                double lo = Math.max(type.minValue(), -1e6);
                double hi = Math.min(type.maxValue(), 1e6);
                v[i] = Math.floor(lo + rng.nextDouble() * (hi - lo + 1));
                if (rng.nextInt(10) == 0) {
                    v[i] = rng.nextBoolean() ? type.minValue() : type.maxValue();
                }
            }
        }
        return v;
    }

    /** Writes the recording position by position in a random order (the simulator's access pattern). */
    static void writeShuffled(Path file, Shape5D s, SampleType type, double[] v, UniformRandomProvider rng) throws IOException {
        List<int[]> positions = new ArrayList<>();
        for (int y = 0; y < s.scanY(); y++) {
            for (int x = 0; x < s.scanX(); x++) {
                positions.add(new int[] {y, x});
            }
        }
        Collections.shuffle(positions, new java.util.Random(rng.nextLong()));
        int p = s.patternSize();
        try (RecordingWriter w = RecordingWriter.create(file, s, type, CAL)) {
            for (int[] yx : positions) {
                double[] frames = new double[s.frames() * p];
                for (int t = 0; t < s.frames(); t++) {
                    int src = (int) ((((long) t * s.scanY() + yx[0]) * s.scanX() + yx[1]) * p);
                    System.arraycopy(v, src, frames, t * p, p);
                }
                w.writeFrames(yx[0], yx[1], frames);
            }
            w.commit();
        }
    }

    static double[] flatten(Object data) {
        List<Double> out = new ArrayList<>();
        flattenInto(data, out);
        double[] d = new double[out.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = out.get(i);
        }
        return d;
    }

    private static void flattenInto(Object data, List<Double> out) {
        if (data.getClass().isArray() && data.getClass().getComponentType().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) {
                flattenInto(Array.get(data, i), out);
            }
        } else {
            for (int i = 0; i < Array.getLength(data); i++) {
                out.add(((Number) Array.get(data, i)).doubleValue());
            }
        }
    }

    static Stream<Arguments> typeCases() {
        return Stream.of(SampleType.values()).flatMap(t ->
            SeededCases.of(0x3717E5L + t.ordinal(), 3, rng -> new Object[] {t,
                Shape5D.of(1 + rng.nextInt(4), 1 + rng.nextInt(5), 1 + rng.nextInt(5), 1 + rng.nextInt(9), 1 + rng.nextInt(9))}));
    }

    @ParameterizedTest(name = "seed {0}: {1} {2}")
    @MethodSource("typeCases")
    void jhdfReadsWhatWasWrittenInAnyOrder(long seed, SampleType type, Shape5D s) throws IOException {
        UniformRandomProvider rng = SeededCases.rng(seed);
        double[] v = values(rng, s, type);
        Path file = dir.resolve("rec.h5");
        writeShuffled(file, s, type, v, rng);
        try (HdfFile f = new HdfFile(file)) {
            Dataset d = f.getDatasetByPath("/data");
            assertArrayEquals(new int[] {s.frames(), s.scanY(), s.scanX(), s.ky(), s.kx()}, d.getDimensions());
            assertArrayEquals(v, flatten(d.getData()));
            assertEquals(9.2, (Double) d.getAttribute("frame_interval_s").getData());
            assertEquals(0.16, (Double) d.getAttribute("scan_step_nm").getData());
            assertEquals(0.23, (Double) d.getAttribute("pixel_size_inv_nm").getData());
            assertArrayEquals(new double[] {2.5, 3.0}, (double[]) d.getAttribute("center_px").getData());
            assertEquals(633.0, (Double) d.getAttribute("temperature_K").getData());
            assertEquals("t,y,x,ky,kx", d.getAttribute("axes").getData());
        }
        try (var ds = Files.list(dir)) {
            assertEquals(List.of(file), ds.toList(), "only the target remains, no temporary file");
        }
    }

    @Test
    void h5pyReadsRecordingTruthAndMask() throws IOException {
        Shape5D s = Shape5D.of(3, 4, 5, 6, 7);
        UniformRandomProvider rng = SeededCases.rng(42);
        double[] v = values(rng, s, SampleType.UINT16);
        Path file = dir.resolve("sim.h5");
        double[] tau = new double[20];
        for (int i = 0; i < tau.length; i++) {
            tau[i] = i == 7 ? Double.NaN : 10 + i * 0.5;
        }
        boolean[] valid = new boolean[42];
        for (int i = 0; i < valid.length; i++) {
            valid[i] = i % 5 != 0;
        }
        Calibration withTimestamps = CAL.toBuilder().timestampsSeconds(new double[] {0, 9.2, 18.5}).build();
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT16, withTimestamps)) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    for (int t = 0; t < 3; t++) {
                        double[] p = new double[42];
                        System.arraycopy(v, ((t * 4 + y) * 5 + x) * 42, p, 0, 42);
                        w.writePattern(t, y, x, p);
                    }
                }
            }
            w.putMask(DetectorMask.of(6, 7, valid));
            w.putDataset("/truth/tau_s", new long[] {4, 5}, tau, Hdf5Attribute.of("units", "s"));
            w.putGroupAttributes("/truth", Hdf5Attribute.of("model", "KWW"), Hdf5Attribute.of("seed", 42L));
            w.commit();
        }
        long sum = 0;
        for (double d : v) {
            sum += (long) d;
        }
        String out = H5py.run(String.join("\n",
            "import sys, h5py, numpy as np",
            "f = h5py.File(sys.argv[1], 'r')",
            "d = f['data']",
            "print(d.shape, d.dtype, int(d[...].astype(np.int64).sum()), d.chunks)",
            "print(d.attrs['frame_interval_s'], d.attrs['scan_step_nm'], d.attrs['pixel_size_inv_nm'], d.attrs['center_px'].tolist(), d.attrs['temperature_K'], d.attrs['axes'])",
            "print(f['timestamps_s'][...].tolist(), f['mask'].dtype, int(f['mask'][...].sum()))",
            "t = f['truth/tau_s']",
            "print(t.shape, t.dtype, t.attrs['units'], int(np.isnan(t[...]).sum()), float(np.nansum(t[...])), f['truth'].attrs['model'], f['truth'].attrs['seed'])",
            "print(int(d[2, 3, 4, 5, 6]))"), file.toString());
        double tauSum = 0;
        for (double d : tau) {
            tauSum += Double.isNaN(d) ? 0 : d;
        }
        int validCount = 0;
        for (boolean b : valid) {
            validCount += b ? 1 : 0;
        }
        String expected = String.join("\n",
            "(3, 4, 5, 6, 7) uint16 " + sum + " None",
            "9.2 0.16 0.23 [2.5, 3.0] 633.0 t,y,x,ky,kx",
            "[0.0, 9.2, 18.5] uint8 " + validCount,
            String.format(Locale.ROOT, "(4, 5) float64 s 1 %s KWW 42", tauSum),
            Integer.toString((int) v[v.length - 1]), "");
        assertEquals(expected, out);
    }

    @Test
    void failureInsideTryLeavesNoFile() throws IOException {
        Path file = dir.resolve("broken.h5");
        Shape5D s = Shape5D.of(2, 2, 2, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.UINT8, CAL)) {
                w.writePattern(0, 0, 0, new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
                w.writePattern(0, 1, 1, new double[] {1, 2, 3, 4, 256, 6, 7, 8, 9});
                w.commit();
            }
        });
        assertEquals("pattern (t=0, y=1, x=1) pixel (1, 1) = 256.0 cannot be stored as uint8: not an integer in [0, 255]",
            e.getMessage());
        try (var ds = Files.list(dir)) {
            assertEquals(0, ds.count(), "neither target nor temporary file remains");
        }
    }

    @Test
    void commitRefusesMissingPatternsAndRejectsNonIntegralValues() throws IOException {
        Path file = dir.resolve("partial.h5");
        Shape5D s = Shape5D.of(2, 2, 3, 1, 2);
        try (RecordingWriter w = RecordingWriter.create(file, s, SampleType.INT16, CAL)) {
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> w.writePattern(0, 0, 0, new double[] {Double.NaN, 1}));
            assertTrue(nan.getMessage().contains("NaN cannot be stored as int16"), nan.getMessage());
            assertThrows(IllegalArgumentException.class, () -> w.writePattern(0, 0, 0, new double[] {0.5, 1}));
            for (int t = 0; t < 2; t++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 3; x++) {
                        if (!(t == 1 && y == 0 && x == 2)) {
                            w.writePattern(t, y, x, new double[] {-32768, 32767});
                        }
                    }
                }
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
            assertTrue(e.getMessage().endsWith("11 of 12 patterns were written; the first missing is t=1, y=0, x=2"), e.getMessage());
        }
        assertFalse(Files.exists(file));
        try (var ds = Files.list(dir)) {
            assertEquals(0, ds.count());
        }
    }
}
