package org.fivedstem.core.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.rng.UniformRandomProvider;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.testing.SeededCases;
import org.fivedstem.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TemperatureSeriesTest {

    private static final int NY = 20;
    private static final int NX = 30;
    private static final double[] PAPER_T = {633, 643, 653, 663, 673};
    private static final double E_KJ = 97;
    private static final double TAU_INF = 1e-5;

    private static ScalarMap map(String name, double[] v) {
        return ScalarMap.of(name, "", NY, NX, v, 0.16, 0.16);
    }

    /**
     * Maps at one temperature: τ = τ_Arrhenius(T)·exp(0.4 f) with f a smooth field, 5 % failed fits;
     * V = 0.55 + 0.03 f + independent smooth noise, so τ and V correlate positively.
     */
    static HeterogeneityMaps maps(UniformRandomProvider rng, double kelvin, boolean withTemperature) {
        double[] f = SmoothFields.field(rng, NY, NX, 1.5);
        double[] g = SmoothFields.field(rng, NY, NX, 1.5);
        int n = NY * NX;
        double[] tau = new double[n];
        double[] v = new double[n];
        double[] nan = new double[n];
        byte[] status = new byte[n];
        double tauT = TAU_INF * Math.exp(E_KJ * 1000 / (ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K * kelvin));
        for (int i = 0; i < n; i++) {
            tau[i] = tauT * Math.exp(0.4 * f[i]);
            v[i] = 0.55 + 0.03 * f[i] + 0.03 * g[i];
            nan[i] = Double.NaN;
            status[i] = (byte) (rng.nextDouble() < 0.05 ? FitStatus.MAX_ITERATIONS.code() : FitStatus.CONVERGED.code());
        }
        HeterogeneityMaps.Builder b = HeterogeneityMaps.builder(NY, NX, 0.16, 0.16)
            .dynamics(map("tau_s", tau), map("e", nan), map("b", nan), map("be", nan), map("g", nan), map("ge", nan), status)
            .structure(map("V", v));
        if (withTemperature) {
            b.temperatureKelvin(kelvin);
        }
        return b.build();
    }

    @ParameterizedTest(name = "seed {0}: {1} tau")
    @MethodSource("seriesCases")
    void rowsSummariseEachTemperatureAndTheFitRecoversE(long seed, TauSummary summary) {
        UniformRandomProvider rng = SeededCases.rng(seed);
        List<HeterogeneityMaps> maps = new ArrayList<>();
        for (int i = PAPER_T.length - 1; i >= 0; i--) { // given in descending order: rows come out sorted
            maps.add(maps(rng, PAPER_T[i], true));
        }
        TemperatureSeries ts = TemperatureSeries.of(maps, new double[] {673, 663, 653, 643, 633},
            TemperatureSeries.Options.defaults().withSummary(summary));
        assertEquals(PAPER_T.length, ts.rows().size());
        for (int i = 0; i < PAPER_T.length; i++) {
            TemperatureSeries.Row r = ts.rows().get(i);
            HeterogeneityMaps m = maps.get(PAPER_T.length - 1 - i);
            assertEquals(PAPER_T[i], r.temperatureKelvin());
            ScalarMap tau = m.reliableTauSeconds();
            assertEquals(tau.validCount(), r.n());
            assertEquals(summary.of(tau), r.tauSeconds(), 0.0);
            assertEquals(SpatialSummary.standardError(tau, summary), r.tauErrorSeconds(), 0.0);
            assertEquals(m.speckleVariance().mean(), r.meanVariance(), 0.0);
            assertEquals(Spearman.test(tau, m.speckleVariance()), r.correlation());
            assertTrue(r.correlation().rho() > 0, "tau and V correlate positively by construction: " + r);
        }
        ArrheniusFit fit = ts.arrhenius().orElseThrow();
        assertEquals(summary, fit.summary());
        // Each summary scatters by its spatial SE around τ_Arr(T)·const, so E is within its stated error;
        // 4.5 σ (false failure 7e-6 if the errors are right; the default scaling only widens them).
        Tolerance.sigmas(4.5, fit.activationEnergyErrorKJPerMol()).because("Arrhenius fit of 5 summaries")
            .assertClose(E_KJ, fit.activationEnergyKJPerMol(), "E from the series");
        String table = ts.toString();
        assertTrue(table.contains("T (K)") && table.contains("633.0") && table.contains("Arrhenius: E ="), table);
    }

    static Stream<Arguments> seriesCases() {
        return SeededCases.of(0x7E3FL, 6, r -> new Object[] {TauSummary.values()[r.nextInt(3)]});
    }

    @Test
    void temperaturesComeFromTheMapsOrAClearError() {
        UniformRandomProvider rng = SeededCases.rng(5);
        List<HeterogeneityMaps> maps = List.of(maps(rng, 633, true), maps(rng, 653, true));
        TemperatureSeries ts = TemperatureSeries.of(maps);
        assertEquals(633, ts.rows().get(0).temperatureKelvin());
        assertEquals(TauSummary.MEAN, ts.options().summary(), "default summary: the mean, as the paper");
        assertTrue(Double.isNaN(ts.arrhenius().orElseThrow().reducedChiSquare()), "two temperatures: no χ²");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> TemperatureSeries.of(List.of(maps(rng, 633, true), maps(rng, 643, false))));
        assertTrue(e.getMessage().contains("maps[1] has no temperature"), e.getMessage());
        HeterogeneityMaps structureOnly = HeterogeneityMaps.builder(NY, NX, 0.16, 0.16)
            .structure(map("V", new double[NY * NX])).temperatureKelvin(633).build();
        e = assertThrows(IllegalArgumentException.class, () -> TemperatureSeries.of(List.of(structureOnly)));
        assertTrue(e.getMessage().contains("holds no dynamics"), e.getMessage());
        TemperatureSeries single = TemperatureSeries.of(List.of(maps(rng, 633, true)));
        assertTrue(single.arrhenius().isEmpty());
        assertTrue(single.toString().contains("not fitted"), single.toString());
    }
}
