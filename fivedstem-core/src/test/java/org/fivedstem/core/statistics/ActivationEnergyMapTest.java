/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.testing.SeededCases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ActivationEnergyMapTest {

    /** The sample area the scans are cut from, and each scan. */
    private static final int AREA_Y = 30;
    private static final int AREA_X = 40;
    private static final int NY = 24;
    private static final int NX = 32;
    private static final double STEP = 0.16;
    private static final double[] PAPER_T = {633, 643, 653, 663, 673};
    private static final double E_MEAN = 97;
    private static final double E_SPREAD = 10;
    /** τ at 653 K, in s, where the structure field is 0. */
    private static final double TAU_653 = 20;
    /** Positions at 633 K whose true τ exceeds this are censored (slower than the recording resolves). */
    private static final double CENSOR_ABOVE_S = 60;

    /** One area: the structure field f, the activation-energy field E(r) (kJ/mol), over AREA_Y × AREA_X. */
    private record Area(double[] f, double[] energy) {
    }

    private static Area area(UniformRandomProvider rng) {
        double[] f = unit(SmoothFields.field(rng, AREA_Y, AREA_X, 1.5));
        double[] g = unit(SmoothFields.field(rng, AREA_Y, AREA_X, 3));
        double[] e = new double[g.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = E_MEAN + E_SPREAD * g[i];
        }
        return new Area(f, e);
    }

    /** Scaled to mean 0 and SD 1 over the area. */
    private static double[] unit(double[] v) {
        double m = java.util.Arrays.stream(v).average().orElseThrow();
        double s = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - m) * (x - m)).average().orElseThrow());
        return java.util.Arrays.stream(v).map(x -> (x - m) / s).toArray();
    }

    private static ScalarMap map(String name, double[] v) {
        return ScalarMap.of(name, "", NY, NX, v, STEP, STEP);
    }

    /**
     * The maps of a scan starting at area row oy, column ox: ln τ̂ = ln τ_true + σ ε with σ drawn per
     * position in [0.05, 0.30] and stated as τ_err = τ̂ σ (so the stated errors are exactly right);
     * 4 % failed fits; at the coldest temperature τ_true &gt; {@link #CENSOR_ABOVE_S} is censored;
     * V = 0.55 + 0.03 f + 0.005 η (the structure does not change with temperature).
     */
    private static HeterogeneityMaps scan(UniformRandomProvider rng, Area a, double kelvin, int oy, int ox) {
        ZigguratSampler.NormalizedGaussian z = ZigguratSampler.NormalizedGaussian.of(rng);
        int n = NY * NX;
        double[] tau = new double[n];
        double[] err = new double[n];
        double[] limit = new double[n];
        double[] v = new double[n];
        double[] nan = new double[n];
        byte[] status = new byte[n];
        for (int y = 0; y < NY; y++) {
            for (int x = 0; x < NX; x++) {
                int i = y * NX + x;
                int j = (y + oy) * AREA_X + x + ox;
                double trueTau = trueTau(a, j, kelvin);
                double sigma = 0.05 + 0.25 * rng.nextDouble();
                tau[i] = trueTau * Math.exp(sigma * z.sample());
                err[i] = tau[i] * sigma;
                limit[i] = Double.NaN;
                nan[i] = Double.NaN;
                v[i] = 0.55 + 0.03 * a.f()[j] + 0.005 * z.sample();
                status[i] = (byte) FitStatus.CONVERGED.code();
                if (rng.nextDouble() < 0.04) {
                    status[i] = (byte) FitStatus.MAX_ITERATIONS.code();
                    tau[i] = Double.NaN;
                    err[i] = Double.NaN;
                } else if (kelvin == PAPER_T[0] && trueTau > CENSOR_ABOVE_S) {
                    status[i] = (byte) FitStatus.UNRESOLVED_SLOW.code();
                    limit[i] = CENSOR_ABOVE_S;
                }
            }
        }
        return HeterogeneityMaps.builder(NY, NX, STEP, STEP)
            .dynamics(map("tau_s", tau), map("e", err), map("limit", limit), map("b", nan), map("be", nan), map("g", nan),
                map("ge", nan), status)
            .structure(map("V", v)).temperatureKelvin(kelvin).build();
    }

    private static double trueTau(Area a, int j, double kelvin) {
        return TAU_653 * Math.exp(0.5 * a.f()[j]
            + a.energy()[j] * 1000 / ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K * (1 / kelvin - 1 / 653.0));
    }

    /**
     * A known, varying E(r) (97 ± 10 kJ/mol over a smooth field), five temperatures whose scans are
     * offset from one another by up to (6, 8) positions (inside the ±25 % search), per-position noise of
     * known σ, failed fits and censoring at the coldest temperature. The registration finds every offset
     * exactly; every fitted E lies within 5 σ_E of the truth (a calibrated error fails this at one of
     * ~600 positions with probability 3e-4); the fractions within 1 σ and 2 σ are those of a normal
     * within 4 binomial SD (positions are independent: the noise is drawn per position, n ≈ 600, so
     * SD ≈ 1.9 % and 0.9 %; false failure &lt; 1e-4 per bound); the pooled χ²/ν is 1 within 4.5 of its
     * SD √(2/Σν); censored positions leave that temperature out.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("cases")
    void recoversAVaryingEnergyFieldWithCalibratedErrors(long seed) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        Area a = area(rng);
        int[] oy = new int[PAPER_T.length];
        int[] ox = new int[PAPER_T.length];
        List<HeterogeneityMaps> maps = new ArrayList<>();
        for (int k = PAPER_T.length - 1; k >= 0; k--) { // given hottest first: the map sorts them
            oy[k] = rng.nextInt(AREA_Y - NY + 1);
            ox[k] = rng.nextInt(AREA_X - NX + 1);
            maps.add(scan(rng, a, PAPER_T[k], oy[k], ox[k]));
        }
        ActivationEnergyMap e = ActivationEnergyMap.of(maps, new double[] {673, 663, 653, 643, 633}, Arrhenius.Scaling.NONE);
        System.out.println(e);
        for (int k = 0; k < PAPER_T.length; k++) {
            ActivationEnergyMap.Registration r = e.registrations().get(k);
            assertEquals(PAPER_T[k], r.temperatureKelvin());
            assertEquals(oy[0] - oy[k], r.dy(), "dy at " + r); // scan (y, x) shows area (y + oy, x + ox)
            assertEquals(ox[0] - ox[k], r.dx(), "dx at " + r);
            assertTrue(k == 0 || r.pValue() <= ActivationEnergyMap.REGISTRATION_P_VALUE, r.toString());
        }
        int minY = java.util.Arrays.stream(oy).min().orElseThrow();
        int maxY = java.util.Arrays.stream(oy).max().orElseThrow();
        int minX = java.util.Arrays.stream(ox).min().orElseThrow();
        int maxX = java.util.Arrays.stream(ox).max().orElseThrow();
        ScalarMap est = e.energyKJPerMol();
        ScalarMap sig = e.energyErrorKJPerMol();
        assertEquals(NY - (maxY - minY), est.scanY());
        assertEquals(NX - (maxX - minX), est.scanX());
        assertEquals(maxY - oy[0], e.originY());
        assertEquals(maxX - ox[0], e.originX());
        int n = 0;
        int within1 = 0;
        int within2 = 0;
        int censoredFits = 0;
        for (int y = 0; y < est.scanY(); y++) {
            for (int x = 0; x < est.scanX(); x++) {
                double used = e.temperaturesUsed().get(y, x);
                double censored = e.censoredTemperatures().get(y, x);
                assertTrue(used + censored <= PAPER_T.length && censored <= 1, "one censored temperature at most");
                if (!est.isValid(y, x)) {
                    assertTrue(used < ActivationEnergyMap.MIN_TEMPERATURES, "E missing only below 3 temperatures");
                    continue;
                }
                assertTrue(used >= ActivationEnergyMap.MIN_TEMPERATURES);
                censoredFits += censored > 0 ? 1 : 0;
                double truth = a.energy()[(y + maxY) * AREA_X + x + maxX];
                double z = Math.abs(est.get(y, x) - truth) / sig.get(y, x);
                assertTrue(z <= 5, "|Ê − E| = " + z + " σ at (" + y + ", " + x + ")");
                n++;
                within1 += z <= 1 ? 1 : 0;
                within2 += z <= 2 ? 1 : 0;
            }
        }
        double f1 = (double) within1 / n;
        double f2 = (double) within2 / n;
        double sd1 = Math.sqrt(0.6827 * 0.3173 / n);
        double sd2 = Math.sqrt(0.9545 * 0.0455 / n);
        double dof = 0;
        for (double v : e.temperaturesUsed().values()) {
            dof += v >= ActivationEnergyMap.MIN_TEMPERATURES ? v - 2 : 0;
        }
        String what = String.format(Locale.ROOT, "%d positions (%d with a censored temperature): within 1σ %.3f, 2σ %.3f; "
            + "pooled χ²/ν %.3f", n, censoredFits, f1, f2, e.pooledReducedChiSquare());
        System.out.println(what);
        assertTrue(censoredFits > 0, "some fitted positions had a censored temperature: " + what);
        assertTrue(Math.abs(f1 - 0.6827) <= 4 * sd1, what);
        assertTrue(Math.abs(f2 - 0.9545) <= 4 * sd2, what);
        assertEquals(1, e.pooledReducedChiSquare(), 4.5 * Math.sqrt(2 / dof), what);
        // The default scaling widens only when the pooled χ²/ν exceeds 1.
        ActivationEnergyMap scaled = ActivationEnergyMap.of(maps, new double[] {673, 663, 653, 643, 633});
        assertEquals(est, scaled.energyKJPerMol());
        double factor = Math.sqrt(Math.max(1, e.pooledReducedChiSquare()));
        assertEquals(sig.median() * factor, scaled.energyErrorKJPerMol().median(), 1e-9 * sig.median());
    }

    static Stream<Arguments> cases() {
        return SeededCases.of(0xE3A9L, 4, r -> new Object[0]);
    }

    /**
     * Maps of unrelated areas are refused with the temperature named, and the registration's
     * search-corrected p holds its level: over 100 pairs of V maps of unrelated areas (the
     * smooth fields of these tests), at most 5 register at p ≤ 0.01 (binomial with the nominal 1 %:
     * P(≥ 5) ≈ 0.003; the Bonferroni correction makes the actual rate lower), while each map of the
     * same area shifted by up to ±25 % registers.
     */
    @Test
    void unrelatedAreasAreRefused() {
        UniformRandomProvider rng = SeededCases.rng(0xA11EL);
        List<HeterogeneityMaps> maps = new ArrayList<>();
        Area a = area(rng);
        maps.add(scan(rng, a, 633, 3, 4));
        maps.add(scan(rng, area(rng), 643, 3, 4));
        maps.add(scan(rng, a, 653, 3, 4));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ActivationEnergyMap.of(maps));
        assertTrue(ex.getMessage().contains("643.0 K does not register onto the one at 633.0 K"), ex.getMessage());
        int falseRegistrations = 0;
        int found = 0;
        double maxP = 0;
        int reps = 100;
        for (int k = 0; k < reps; k++) {
            Area one = area(rng);
            ScalarMap v0 = scan(rng, one, 633, 3, 4).speckleVariance();
            ActivationEnergyMap.Registration unrelated =
                ActivationEnergyMap.register(v0, scan(rng, area(rng), 643, 3, 4).speckleVariance(), 643);
            falseRegistrations += unrelated.pValue() <= ActivationEnergyMap.REGISTRATION_P_VALUE ? 1 : 0;
            int oy = rng.nextInt(AREA_Y - NY + 1);
            int ox = rng.nextInt(AREA_X - NX + 1);
            ActivationEnergyMap.Registration same =
                ActivationEnergyMap.register(v0, scan(rng, one, 643, oy, ox).speckleVariance(), 643);
            found += same.dy() == 3 - oy && same.dx() == 4 - ox && same.pValue() <= ActivationEnergyMap.REGISTRATION_P_VALUE ? 1 : 0;
            maxP = Math.max(maxP, same.pValue());
        }
        String what = String.format(Locale.ROOT, "unrelated areas registered %d/%d; same area found %d/%d (largest p %.2g)",
            falseRegistrations, reps, found, reps, maxP);
        System.out.println(what);
        assertTrue(falseRegistrations <= 5, what);
        assertEquals(reps, found, what);
    }

    @Test
    void clearErrorsAndAReadableSummary() {
        UniformRandomProvider rng = SeededCases.rng(0xE4L);
        Area a = area(rng);
        List<HeterogeneityMaps> two = List.of(scan(rng, a, 633, 0, 0), scan(rng, a, 653, 0, 0));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ActivationEnergyMap.of(two));
        assertTrue(ex.getMessage().contains("needs at least 3"), ex.getMessage());
        HeterogeneityMaps noV = HeterogeneityMaps.builder(NY, NX, STEP, STEP)
            .dynamics(map("t", new double[NY * NX]), map("e", new double[NY * NX]), map("b", new double[NY * NX]),
                map("be", new double[NY * NX]), map("g", new double[NY * NX]), map("ge", new double[NY * NX]),
                new byte[NY * NX]).temperatureKelvin(663).build();
        List<HeterogeneityMaps> withoutV = List.of(two.get(0), two.get(1), noV);
        ex = assertThrows(IllegalArgumentException.class, () -> ActivationEnergyMap.of(withoutV));
        assertTrue(ex.getMessage().contains("maps[2] (663.0 K) holds no V map"), ex.getMessage());
        HeterogeneityMaps shifted = scan(rng, a, 673, 2, 1);
        ActivationEnergyMap e = ActivationEnergyMap.of(List.of(two.get(0), two.get(1), shifted));
        String s = e.toString();
        assertTrue(s.contains("3 temperatures 633–673 K") && s.contains("median E") && s.contains("673 K (-2, -1)"), s);
        assertEquals(e, ActivationEnergyMap.of(List.of(two.get(1), shifted, two.get(0))), "the order of the inputs does not matter");
    }
}
