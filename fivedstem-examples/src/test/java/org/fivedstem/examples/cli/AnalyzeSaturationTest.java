/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.examples.cli.FivedstemCommandTest.Run;
import org.fivedstem.io.Recordings;
import org.fivedstem.io.SampleType;
import org.fivedstem.io.hdf5.Hdf5Attribute;
import org.fivedstem.io.hdf5.RecordingWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A detector's saturation level through {@code analyze}: a saturated count in the annulus stops
 * the analysis with the pattern, pixel and level named (no results file), and {@code --mask auto}
 * masks the pixels that reach it, so the analysis runs and says how many.
 */
class AnalyzeSaturationTest {

    @TempDir
    Path dir;

    /** The synthetic recording with one pixel of the speckle annulus clipped at the level in one pattern. */
    Path saturated(double level) throws IOException {
        Path src = dir.resolve("src.h5");
        SyntheticRecording.write(src, 16, 3, 3, 11L);
        Path out = dir.resolve("saturated.h5");
        int k = SyntheticRecording.K;
        int pixel = 32 * k + 32 + 20; // 20 px right of the centre (32.5, 32.5): inside the speckle annulus
        try (Dataset5D ds = Recordings.open(src);
             RecordingWriter w = RecordingWriter.create(out, ds.shape(), SampleType.UINT16, ds.calibration())) {
            ds.forEachPattern((t, y, x, p) -> {
                double[] q = p.clone();
                if (t == 5 && y == 1 && x == 2) {
                    q[pixel] = level;
                }
                try {
                    w.writePattern(t, y, x, q);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            w.putGroupAttributes("/", Hdf5Attribute.of("saturation_level", level));
            w.commit();
        }
        return out;
    }

    @Test
    void aSaturatedCountStopsTheAnalysisAndAutoMaskingRemovesIt() throws IOException {
        Path in = saturated(60000);
        Path results = dir.resolve("r.h5");
        Run refused = Run.of("analyze", in.toString(), "--out", results.toString(), "-q");
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("pattern (t 5, y 1, x 2) pixel (32, 52) holds 60000")
            && refused.err().contains("--mask auto"), refused.err());
        assertFalse(Files.exists(results), "no results file after a refusal");

        Run masked = Run.of("analyze", in.toString(), "--out", results.toString(), "--mask", "auto");
        assertEquals(0, masked.exitCode(), masked.err());
        assertTrue(masked.out().contains("saturated 1 at ≥ 60000 counts"), masked.out());
        assertEquals(1, org.fivedstem.io.results.ResultsFile.read(results).preparation().saturatedPixels(),
            "the results file records the saturated pixels masked");
    }
}
