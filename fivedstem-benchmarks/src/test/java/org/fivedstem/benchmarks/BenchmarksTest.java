/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each benchmark method run once outside JMH: the alternatives a benchmark times side by side compute the
 * same result, so the benchmarks compare like with like (and keep compiling and running with the library).
 */
class BenchmarksTest {

    @ParameterizedTest
    @ValueSource(ints = {50, 106})
    void directAndFftCorrelateToTheSameG(int frames) {
        // correlate() returns g(1) + SE(1); without standard errors SE is NaN, so the routes are compared with them
        double direct = correlate(frames, CorrelationAlgorithm.DIRECT, StdErrMethod.FRAME_BLOCK_JACKKNIFE);
        double fft = correlate(frames, CorrelationAlgorithm.FFT, StdErrMethod.FRAME_BLOCK_JACKKNIFE);
        assertTrue(Double.isFinite(direct) && direct > 1, "g(1) + SE(1) = " + direct);
        Tolerance.relative(1e-12).because("the same pair sums and jackknife, by direct summation and by FFT")
            .assertClose(direct, fft, "g(1) + SE(1) at T = " + frames);
    }

    @Test
    void bothFittersFindTheSameTau() {
        FitBenchmark b = new FitBenchmark();
        b.setUp();
        double handWritten = b.handWritten();
        double commonsMath = b.commonsMath();
        // truth: τ = 25 frames (1 s per frame); noise 0.005 on a contrast of 0.3 over 105 lags
        assertTrue(handWritten > 20 && handWritten < 30, "hand-written τ = " + handWritten);
        Tolerance.relative(1e-6).because("one weighted least-squares minimum; each fitter stops at its own convergence test")
            .assertClose(handWritten, commonsMath, "τ, Commons Math vs hand-written");
        Tolerance.relative(1e-6).because("the same problem from the same start")
            .assertClose(commonsMath, b.handWrittenFromStart(), "τ, hand-written LM alone vs Commons Math");
    }

    private static double correlate(int frames, CorrelationAlgorithm algorithm, StdErrMethod stdErr) {
        CorrelationBenchmark b = new CorrelationBenchmark();
        b.frames = frames;
        b.pixels = 300;
        b.algorithm = algorithm;
        b.stdErr = stdErr;
        b.setUp();
        return b.correlate();
    }
}
