/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.Selection;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Determinism, streaming, maps, temperature series, beam stop, validation. */
class SpeckleSimulationTest {

    static SpeckleSimulation.Builder tiny(long seed) {
        return SpeckleSimulation.builder().scan(3, 4).frames(12).patternSize(10, 12).pixelSizeInverseNm(0.8).seed(seed);
    }

    static List<double[]> collect(SpeckleSimulation sim, int threads) throws IOException {
        List<double[]> out = new ArrayList<>();
        sim.forEachPosition(threads, (y, x, frames) -> out.add(frames.clone()));
        return out;
    }

    static Stream<Arguments> determinismCases() {
        return SeededCases.of(0xDE7EL, 8, rng -> new Object[] {
            new double[] {1, 0.7, 1.6}[rng.nextInt(3)], rng.nextBoolean() ? 0.0 : 12.0, rng.nextBoolean() ? 0.0 : 1.0,
            rng.nextBoolean() ? 0.0 : 0.2});
    }

    /** Same values for 1, 2 and 3 threads, for repeated runs, for the storage and for readPattern. */
    @ParameterizedTest(name = "seed {0}: gamma={1}, dose={2}, grain={3}, static={4}")
    @MethodSource("determinismCases")
    void identicalForAnyThreadCountAndRepeatedRuns(long seed, double gamma, double dose, double grain, double staticFraction)
        throws IOException {
        SpeckleSimulation sim = tiny(seed).gammaRange(gamma, gamma).dose(dose).speckleGrainPx(grain)
            .staticFraction(staticFraction).readNoiseAdu(dose > 0 ? 1.5 : 0).build();
        List<double[]> one = collect(sim, 1);
        List<double[]> two = collect(sim, 2);
        List<double[]> three = collect(sim, 3);
        List<double[]> again = collect(tiny(seed).gammaRange(gamma, gamma).dose(dose).speckleGrainPx(grain)
            .staticFraction(staticFraction).readNoiseAdu(dose > 0 ? 1.5 : 0).build(), 1);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), "2 threads, position " + i);
            assertArrayEquals(one.get(i), three.get(i), "3 threads, position " + i);
            assertArrayEquals(one.get(i), again.get(i), "rebuilt simulation, position " + i);
        }
        // Float kernel: the same values rounded to float.
        float[] f = new float[sim.newGenerator().valuesPerPosition()];
        sim.newGenerator().generate(2, 3, f);
        for (int i = 0; i < f.length; i++) {
            assertEquals((float) one.get(11)[i], f[i]);
        }
        // The streaming storage (y,x,t order), the in-memory copy (t,y,x order) and readPattern agree.
        ArrayStorage mem = sim.toArrayStorage(2);
        int p = sim.shape().patternSize();
        int sx = sim.shape().scanX();
        Selection part = new Selection(3, 9, 1, 3, 1, 4);
        List<double[]> streamed = new ArrayList<>();
        sim.storage().visit(part, (t, y, x, pattern) -> {
            double[] expected = new double[p];
            System.arraycopy(one.get((y + 1) * sx + x + 1), (t + 3) * p, expected, 0, p);
            assertArrayEquals(expected, pattern, "storage pattern");
            streamed.add(pattern.clone());
        });
        List<double[]> inMemory = new ArrayList<>();
        mem.visit(part, (t, y, x, pattern) -> inMemory.add(pattern.clone()));
        assertEquals(streamed.size(), inMemory.size());
        // Different orders (y,x,t against t,y,x): compare as multisets of patterns by position.
        for (double[] m : inMemory) {
            assertTrue(streamed.stream().anyMatch(q -> java.util.Arrays.equals(q, m)), "in-memory pattern found in the stream");
        }
        double[] single = new double[p];
        sim.storage().readPattern(7, 2, 0, single);
        double[] expected = new double[p];
        System.arraycopy(one.get(2 * sx), 7 * p, expected, 0, p);
        assertArrayEquals(expected, single, "readPattern");
    }

    @Test
    void differentPositionsSeedsAndTemperaturesDiffer() throws IOException {
        SpeckleSimulation sim = tiny(5).build();
        List<double[]> a = collect(sim, 1);
        assertFalse(java.util.Arrays.equals(a.get(0), a.get(1)), "positions have their own streams");
        assertFalse(java.util.Arrays.equals(a.get(0), collect(sim.withSeed(6), 1).get(0)), "seeds differ");
        assertFalse(java.util.Arrays.equals(a.get(0), collect(sim.withTemperatureKelvin(643), 1).get(0)),
            "a temperature series has fresh speckle");
    }

    @Test
    void storageDescribesItselfAndStreamsInPositionOrder() throws IOException {
        SpeckleSimulation sim = tiny(3).build();
        SimulatedStorage s = sim.storage();
        assertEquals("y,x,t,ky,kx", s.axisOrder().toString());
        assertEquals(sim.shape(), s.shape());
        assertTrue(s.toString().contains("seed 3"), s.toString());
        int[] last = {-1};
        s.visit(Selection.all(sim.shape()), (t, y, x, pattern) -> {
            int order = (y * 4 + x) * 12 + t;
            assertEquals(last[0] + 1, order, "y,x,t order");
            last[0] = order;
        });
        Dataset5D ds = sim.dataset();
        assertEquals(sim.detectorMask(), ds.mask().orElseThrow());
        assertEquals(sim.calibration(), ds.calibration());
    }

    @Test
    void visitorExceptionStopsGeneration() {
        SpeckleSimulation sim = tiny(3).build();
        IOException e = assertThrows(IOException.class, () -> sim.forEachPosition(2, (y, x, f) -> {
            if (y == 1) {
                throw new IOException("disk full");
            }
        }));
        assertEquals("disk full", e.getMessage());
    }

    // ------------------------------------------------------------------ beam stop

    static Stream<Arguments> beamStopCases() {
        return SeededCases.of(0xB5A0L, 8, rng -> new Object[] {rng.nextDouble(0.5, 3.0), rng.nextBoolean() ? 0.0 : 8.0});
    }

    /** Pixels with |Q| below the radius are exactly 0 at every frame (even with read noise); others are not. */
    @ParameterizedTest(name = "seed {0}: radius={1} nm⁻¹, dose={2}")
    @MethodSource("beamStopCases")
    void beamStopShadowIsZero(long seed, double radius, double dose) throws IOException {
        SpeckleSimulation sim = tiny(seed).beamStopRadiusInverseNm(radius).dose(dose).readNoiseAdu(dose > 0 ? 2 : 0).build();
        DetectorMask mask = sim.detectorMask();
        int p = sim.shape().patternSize();
        int kx = sim.shape().kx();
        double cy = (sim.shape().ky() - 1) / 2.0;
        double cx = (kx - 1) / 2.0;
        double[] sumOutside = new double[p];
        sim.forEachPosition(1, (y, x, frames) -> {
            for (int t = 0; t < sim.shape().frames(); t++) {
                for (int i = 0; i < p; i++) {
                    boolean shadow = Math.hypot(i / kx - cy, i % kx - cx) * 0.8 < radius;
                    assertEquals(!shadow, mask.isValid(i), "mask pixel " + i);
                    if (shadow) {
                        assertEquals(0.0, frames[t * p + i], "shadow pixel " + i);
                    } else {
                        sumOutside[i] += frames[t * p + i];
                    }
                }
            }
        });
        for (int i = 0; i < p; i++) {
            if (mask.isValid(i)) {
                assertTrue(sumOutside[i] > 0, "pixel " + i + " outside the shadow receives intensity");
            }
        }
        assertTrue(mask.validCount() < p, "the shadow covers some pixels");
    }

    // ------------------------------------------------------------------ maps

    static Stream<Arguments> mapCases() {
        return SeededCases.of(0x3A95L, 24, rng -> new Object[] {
            rng.nextDouble(-0.9, 0.9), rng.nextInt(4) == 0 ? 1.5 : 0.0, rng.nextDouble(0.1, 1.0), Math.exp(rng.nextDouble(3, 9))});
    }

    /**
     * The Spearman rank correlation of τ and β is the prescribed ρ_s (Gaussian copula), ln τ has
     * the prescribed median and spread, β stays in its range.
     *
     * <p>Tolerance for ρ_s: Fisher z of Spearman's coefficient has variance ≈ 1.06/(n_eff − 3)
     * (Fieller, Hartley &amp; Pearson 1957); for smooth fields n_eff = n / Σ_d c(d)², the sum of
     * squared field correlations over all lattice offsets (Bartlett). 4.5σ: false failure 7e-6.
     */
    @ParameterizedTest(name = "seed {0}: rho_s={1}, length={2}, spread={3}, median={4}")
    @MethodSource("mapCases")
    void mapsHaveThePrescribedRankCorrelationAndMarginals(long seed, double rhoS, double length, double spread, double median) {
        int side = 48;
        SpeckleSimulation sim = SpeckleSimulation.builder().scan(side, side).frames(2).patternSize(2, 2).seed(seed)
            .rankCorrelation(rhoS).correlationLengthSteps(length).tauSpreadLn(spread).tauMedianSeconds(median)
            .betaRange(0.05, 0.4).temperatureKelvin(Double.NaN).build();
        double[] tau = sim.tauSeconds().values();
        double[] beta = sim.beta().values();
        int n = tau.length;
        double inflation = 0;
        for (int dy = -side + 1; dy < side; dy++) {
            for (int dx = -side + 1; dx < side; dx++) {
                double c = length == 0 ? (dy == 0 && dx == 0 ? 1 : 0) : Math.exp(-(dy * dy + dx * dx) / (2 * length * length));
                inflation += c * c * (side - Math.abs(dy)) * (side - Math.abs(dx)) / (double) n;
            }
        }
        double nEff = n / inflation;
        double rs = new SpearmansCorrelation().correlation(tau, beta);
        Tolerance.sigmas(4.5, Math.sqrt(1.06 / (nEff - 3))).because(Math.round(nEff) + " effective samples; false failure 7e-6")
            .assertClose(atanh(rhoS), atanh(rs), "Fisher z of Spearman(τ, β)");
        double meanLn = 0;
        for (double t : tau) {
            meanLn += Math.log(t);
        }
        meanLn /= n;
        Tolerance.sigmas(4.5, spread / Math.sqrt(nEff)).because("mean of ln τ over n_eff; false failure 7e-6")
            .assertClose(Math.log(median), meanLn, "mean ln τ");
        for (double b : beta) {
            assertTrue(b >= 0.05 && b <= 0.4, "β in range: " + b);
        }
    }

    private static double atanh(double r) {
        return 0.5 * Math.log((1 + r) / (1 - r));
    }

    @Test
    void pearsonOfSpearmanIsTheGaussianCopulaRelation() {
        // ρ_s = (6/π) asin(r/2) is its inverse.
        for (double rs = -1; rs <= 1; rs += 0.125) {
            double r = SpeckleSimulation.pearsonOfSpearman(rs);
            Tolerance.absolute(1e-14).assertClose(rs, 6 / Math.PI * Math.asin(r / 2), "round trip");
        }
        Tolerance.absolute(1e-15).assertClose(1, SpeckleSimulation.pearsonOfSpearman(1), "ρ_s = 1");
    }

    /** τ(r, T) = τ(r, T_ref)·exp(E/R (1/T − 1/T_ref)) on the same pattern; β and γ unchanged. */
    @Test
    void temperatureSeriesScalesTauByArrhenius() {
        SpeckleSimulation ref = tiny(11).arrhenius(633, 97).temperatureKelvin(633).gammaRange(0.8, 1.2).build();
        for (double temp : new double[] {643, 653, 663, 673}) {
            SpeckleSimulation hot = ref.withTemperatureKelvin(temp);
            double factor = Math.exp(97e3 / ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K * (1 / temp - 1 / 633.0));
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    Tolerance.relative(1e-13).assertClose(ref.tauSeconds(y, x) * factor, hot.tauSeconds(y, x), "τ at " + temp + " K");
                    assertEquals(ref.beta(y, x), hot.beta(y, x));
                    assertEquals(ref.gamma(y, x), hot.gamma(y, x));
                }
            }
            assertEquals(ref.tauReferenceSeconds(), hot.tauReferenceSeconds());
            assertEquals(temp, hot.calibration().temperatureKelvin().orElseThrow());
        }
    }

    @Test
    void userMapsAreUsedAsGiven() {
        double[] tau = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200};
        double[] beta = new double[12];
        double[] gamma = new double[12];
        java.util.Arrays.fill(beta, 0.25);
        java.util.Arrays.fill(gamma, 1);
        SpeckleSimulation sim = tiny(1).maps(tau, beta, gamma).temperatureKelvin(Double.NaN).build();
        assertArrayEquals(tau, sim.tauSeconds().values());
        assertArrayEquals(beta, sim.beta().values());
        assertEquals(4, sim.modeWeights(0, 0).length, "β = 1/4: four equal modes");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SpeckleSimulation.builder().scan(5, 5).maps(tau, beta, gamma).build());
        assertTrue(e.getMessage().contains("tau map has 12 values") && e.getMessage().contains("5×5"), e.getMessage());
    }

    // ------------------------------------------------------------------ expectations, validation, toString

    @Test
    void symmetricExpectationIsSiegertWithoutHalo() {
        SpeckleSimulation sim = SpeckleStatisticsTest.small(20, 16, 3, 0.3, 1).build();
        var ann = org.fivedstem.api.AnnulusMask.of(sim.dataset(), org.fivedstem.api.QRange.of(0.5, 2.0));
        var g = sim.expectedCorrelation(0, 0, ann, Normalisation.SYMMETRIC);
        for (int k = 0; k < 20; k++) {
            double rho = Math.exp(-k / 3.0);
            Tolerance.absolute(1e-12).assertClose(1 + 0.3 * rho * rho, g.g(k), "symmetric g at lag " + k);
        }
        Tolerance.absolute(1e-12).assertClose(1, sim.kappa(ann), "flat halo: κ = 1");
    }

    @Test
    void slowCompressedCorrelationFallsBackToTheCovarianceFactor() {
        // γ = 1.6 with τ = 25 × the series length: the correlation hardly decays over the
        // enlarged embedding, whose clipped eigenvalues would change it by ~3 %.
        SpeckleSimulation.Builder b = SpeckleSimulation.builder().scan(1, 1).frames(12).patternSize(4, 4)
            .gammaRange(1.6, 1.6).tauMedianSeconds(25 * 12 * 9.2).tauSpreadLn(0).temperatureKelvin(Double.NaN);
        SpeckleSimulation sim = b.build();
        Object sampler = sim.fieldSampler(0, 0);
        assertTrue(sampler instanceof org.fivedstem.core.simulation.internal.ToeplitzFactor, sampler.toString());
        assertTrue(sim.maxCorrelationError() < 1e-12, "eigendecomposition exact to rounding: " + sim.maxCorrelationError());
        assertTrue(org.fivedstem.core.simulation.internal.CirculantEmbedding.of(12,
            k -> Math.exp(-Math.pow(k / 300.0, 1.6))).maxCovarianceError() > 1e-3, "the embedding alone is not exact");
        // With an impossible tolerance the build says what failed.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.maxCorrelationError(1e-300).build());
        assertTrue(e.getMessage().contains("cannot be reproduced") && e.getMessage().contains("gamma = 1.6"), e.getMessage());
    }

    @Test
    void invalidSettingsNameParameterValueAndRule() {
        assertMessage(() -> SpeckleSimulation.builder().betaRange(0.3, 0.1), "beta range 0.3–0.1");
        assertMessage(() -> SpeckleSimulation.builder().gammaRange(0, 1), "gamma range 0.0–1.0");
        assertMessage(() -> SpeckleSimulation.builder().staticFraction(1), "staticFraction is outside [0, 1): 1.0");
        assertMessage(() -> SpeckleSimulation.builder().dose(Double.NaN), "dose is not a finite, non-negative number: NaN");
        assertMessage(() -> SpeckleSimulation.builder().rankCorrelation(1.5), "rankCorrelation is outside [-1, 1]: 1.5");
        assertMessage(() -> SpeckleSimulation.builder().frames(0), "frames is not strictly positive: 0");
        assertMessage(() -> SpeckleSimulation.builder().tauMedianSeconds(-1), "tauMedianSeconds");
        assertMessage(() -> HaloProfile.gaussianRing(4.4, 0, 0.2), "sigmaInverseNm");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void defaultsFollowThePaperAndToStringShowsThem() {
        SpeckleSimulation sim = SpeckleSimulation.builder().build();
        assertEquals(org.fivedstem.api.Shape5D.of(106, 60, 60, 66, 66), sim.shape());
        assertEquals(9.2, sim.calibration().frameIntervalSeconds());
        assertEquals(0.23, sim.calibration().pixelSizeInverseNm());
        assertEquals(32.5, sim.calibration().centerKyPx());
        assertEquals(0.16, sim.calibration().scanStepYNm());
        String s = sim.toString();
        for (String part : new String[] {"106 frames × 60×60 scan × 66×66 pixels", "τ median 1000 s", "β 0.100–0.300",
            "Gaussian ring at 4.400", "dose 10.00", "seed 1"}) {
            assertTrue(s.contains(part), s + " should contain " + part);
        }
        // Seed 1 (fixed): the median of 3600 log-normal values correlated over 3 steps (n_eff ≈ 130,
        // SE of ln median ≈ 0.055) lies within 20 %.
        Tolerance.relative(0.2).because("fixed seed; 3.6 SE of the ln median")
            .assertClose(1000, sim.tauSeconds().median(), "τ map median");
    }
}
