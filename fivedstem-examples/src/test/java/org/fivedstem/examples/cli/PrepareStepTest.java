/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.ProgressListener;
import org.fivedstem.api.Shape5D;
import org.fivedstem.core.preparation.DriftTrajectory;
import org.fivedstem.core.preparation.PatternStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The preparation in two halves: what {@link PrepareStep#find} found, sent as Java serialization sends it to
 * a worker and applied there to a recording opened anew ({@link PrepareStep#apply}), rebuilds the finders'
 * exclusion, mask, centre and drift exactly, and gives the driver's prepared recording, record and summary.
 */
class PrepareStepTest {

    @TempDir
    Path dir;

    /** The drifting recording of {@link AnalyzePreparationTest}, frame 3 blank: something for every finder. */
    private Path drifting() throws IOException {
        AnalyzePreparationTest t = new AnalyzePreparationTest();
        t.dir = dir;
        return t.driftingRecording(3);
    }

    static FoundPreparation sent(FoundPreparation found) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(found);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (FoundPreparation) in.readObject();
        }
    }

    /** Every pattern of two recordings, bit for bit. */
    static void assertSamePatterns(Dataset5D expected, Dataset5D actual) throws IOException {
        Shape5D s = expected.shape();
        assertEquals(s, actual.shape());
        for (int t = 0; t < s.frames(); t++) {
            for (int y = 0; y < s.scanY(); y++) {
                for (int x = 0; x < s.scanX(); x++) {
                    assertArrayEquals(expected.readPattern(t, y, x), actual.readPattern(t, y, x),
                        "pattern (t " + t + ", y " + y + ", x " + x + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"whole steps, circle", "bilinear, ellipse"})
    void whatWasFoundCrossesAndIsAppliedAsFound(String options) throws Exception {
        Path file = drifting();
        boolean ellipse = options.contains("ellipse");
        DriftTrajectory.Resampling resampling = options.startsWith("bilinear") ? DriftTrajectory.Resampling.BILINEAR
            : DriftTrajectory.Resampling.WHOLE_STEPS;
        List<String> args = new ArrayList<>(List.of(file.toString(), "--out", dir.resolve("unused.h5").toString(), "--center",
            "auto", "--mask", "auto", "--exclude-bad-frames", "--drift-correct", "--drift-resampling",
            resampling == DriftTrajectory.Resampling.BILINEAR ? "bilinear" : "whole"));
        if (ellipse) {
            args.add("--ellipse");
        }
        String[] a = args.toArray(String[]::new);
        try (Dataset5D raw = AnalyzeCommand.openRecording(file, a); Dataset5D elsewhere = AnalyzeCommand.openRecording(file, a)) {
            PatternStatistics stats = PatternStatistics.compute(raw, 1, ProgressListener.NONE);
            PrepareStep.Findings findings = PrepareStep.findings(raw, stats, true, ellipse, true, true, resampling);
            FoundPreparation found = findings.found(raw.shape(), ellipse, resampling);
            FoundPreparation received = sent(found);

            // the library's types, rebuilt on the worker, equal the finders' own
            assertEquals(400, findings.bad().excludedCount(), findings.bad().toString());
            assertEquals(findings.bad(), received.exclusion());
            assertEquals(findings.mask().mask(), received.mask());
            assertEquals(findings.mask().beamStopPixels(), received.maskCount(0));
            assertEquals(findings.mask().hotPixels(), received.maskCount(1));
            assertEquals(findings.mask().deadPixels(), received.maskCount(2));
            assertEquals(findings.mask().flarePixels(), received.maskCount(3));
            assertEquals(findings.mask().outsideAperturePixels(), received.maskCount(4));
            assertEquals(findings.mask().saturatedPixels(), received.maskCount(5));
            assertEquals(ellipse, findings.centre().ellipse());
            assertEquals(findings.centre().applyTo(raw.calibration()), received.centred(elsewhere.calibration()));
            DriftTrajectory d = findings.drift();
            DriftTrajectory r = received.drift(elsewhere.calibration());
            assertNotNull(r);
            assertArrayEquals(d.timeSeconds(), r.timeSeconds());
            assertArrayEquals(d.dySteps(), r.dySteps());
            assertArrayEquals(d.dxSteps(), r.dxSteps());
            assertArrayEquals(d.dyNm(), r.dyNm());
            assertArrayEquals(d.dxNm(), r.dxNm());
            assertArrayEquals(d.peak(), r.peak());
            assertArrayEquals(d.significance(), r.significance());
            assertEquals(d.toString(), r.toString());
            assertEquals(resampling, received.resampling());

            // applied on the worker to its own copy of the recording: the driver's prepared recording, record, summary
            PrepareStep.Outcome driver = PrepareStep.apply(raw, found);
            PrepareStep.Outcome worker = PrepareStep.apply(elsewhere, received);
            assertEquals(driver.dataset().calibration(), worker.dataset().calibration());
            assertEquals(findings.centre().applyTo(raw.calibration()), worker.dataset().calibration());
            assertEquals(driver.dataset().mask(), worker.dataset().mask());
            assertEquals(findings.mask().mask(), worker.dataset().mask().orElseThrow());
            assertSamePatterns(driver.dataset(), worker.dataset());
            assertEquals(driver.record(), worker.record());
            assertEquals(driver.summary(), worker.summary());
            assertTrue(worker.summary().startsWith("preparation: 400 patterns excluded (400 blank, 0 dim, 0 flash; 1 bad frames);"),
                worker.summary());
            assertEquals(driver.dataset().shape(), worker.dataset().shape());
            assertTrue(worker.dataset().shape().scanY() < 20, worker.dataset().shape().toString());
        }
    }

    @Test
    void aPlanRefusesWhatWasFoundForOtherOptionsOrWithoutThem() throws Exception {
        Path file = drifting();
        String out = dir.resolve("unused.h5").toString();
        String[] driftOnly = {file.toString(), "--out", out, "--drift-correct", "--exclude-bad-frames"};
        FoundPreparation found;
        try (Dataset5D raw = AnalyzeCommand.openRecording(file, driftOnly)) {
            found = PrepareStep.find(raw, PatternStatistics.compute(raw, 1, ProgressListener.NONE), false, false, false, true,
                DriftTrajectory.Resampling.WHOLE_STEPS);
        }
        try (AnalyzeCommand.Planned plan = AnalyzeCommand.plan(file, found, driftOnly)) {
            assertEquals(18, plan.dataset().shape().scanY());
            assertTrue(plan.preparation().isPresent());
        }
        IllegalArgumentException other = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> AnalyzeCommand.plan(file, found, file.toString(), "--out", out, "--drift-correct"));
        assertTrue(other.getMessage().contains("found for other options"), other.getMessage());
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> AnalyzeCommand.plan(file, found, file.toString(), "--out", out));
        assertTrue(none.getMessage().contains("none of the preparation options"), none.getMessage());
        IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> AnalyzeCommand.plan(file, null, driftOnly));
        assertTrue(missing.getMessage().contains("need what the preparation found"), missing.getMessage());
    }
}
