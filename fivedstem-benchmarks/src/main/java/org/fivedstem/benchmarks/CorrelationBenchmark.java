/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.benchmarks;

import java.util.concurrent.TimeUnit;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.CorrelationKernel;
import org.fivedstem.core.correlation.CorrelationOptions;
import org.fivedstem.core.correlation.StdErrMethod;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * g(t) of one scan position: direct vs FFT, with and without jackknife standard errors, over
 * recording lengths T and P = 300 annulus pixels (ensemble normalisation). Run:
 * <pre>
 *   java -jar fivedstem-benchmarks/target/fivedstem-benchmarks.jar CorrelationBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * The numbers calibrate {@link CorrelationKernel#costNanos}; see docs/dynamics.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CorrelationBenchmark {

    /** Frames T. */
    @Param({"50", "106", "500", "2000"})
    public int frames;

    /** Annulus pixels P. */
    @Param({"300"})
    public int pixels;

    /** DIRECT or FFT. */
    @Param({"DIRECT", "FFT"})
    public CorrelationAlgorithm algorithm;

    /** Jackknife SE (10 blocks) or none. */
    @Param({"FRAME_BLOCK_JACKKNIFE", "NONE"})
    public StdErrMethod stdErr;

    private double[] series;
    private int[] bins;
    private CorrelationOptions options;
    private CorrelationKernel.Workspace ws;
    private double[] g;
    private double[] se;
    private int[] pairs;
    private final int[] blank = new int[1];

    /** Builds an AR(1) speckle series (τ = 10 frames). */
    @Setup
    public void setUp() {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(42L);
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        series = new double[frames * pixels];
        double rho = Math.exp(-0.1);
        double in = Math.sqrt((1 - rho * rho) / 2);
        for (int p = 0; p < pixels; p++) {
            double re = z.sample();
            double im = z.sample();
            for (int t = 0; t < frames; t++) {
                re = rho * re + in * z.sample();
                im = rho * im + in * z.sample();
                series[t * pixels + p] = re * re + im * im;
            }
        }
        bins = new int[pixels];
        options = CorrelationOptions.defaults().withAlgorithm(algorithm).withStdErrMethod(stdErr);
        ws = CorrelationKernel.newWorkspace();
        g = new double[frames];
        se = new double[frames];
        pairs = new int[frames];
    }

    /** @return g so that the work is not eliminated */
    @Benchmark
    public double correlate() {
        CorrelationKernel.correlate(series, frames, pixels, bins, 1, options, ws, g, se, pairs, blank);
        return g[1] + se[1];
    }
}
