/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.simulation;

import java.io.IOException;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.rng.simple.RandomSource;
import org.fivedstem.api.AnnulusMask;
import org.fivedstem.api.ArrayStorage;
import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.CorrelationCurve;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.DetectorMask;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.Shape5D;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.simulation.internal.CirculantEmbedding;
import org.fivedstem.core.simulation.internal.ModeWeights;
import org.fivedstem.core.simulation.internal.SeedMixer;
import org.fivedstem.core.simulation.internal.SmoothRandomField;
import org.fivedstem.core.simulation.internal.ToeplitzFactor;

/**
 * A simulated 5D-STEM recording of a glass with known local dynamics and order: the configuration,
 * the truth maps, the analytic expectations of the paper's estimators, and the ways to generate
 * the patterns.
 *
 * <h2>Model</h2>
 * At scan position {@code r} and diffraction pixel {@code p} (at {@code |Q_p|}), frame {@code t}:
 * <pre>
 *   I(t) = H(|Q_p|) · S(t),   S(t) = Σ_m w_m |E_m(t)|²,   Σ_m w_m = 1,   β(r) = Σ_m w_m²
 *   E_m(t) = √(1 − f)·D_m(t) + √f·F_m
 * </pre>
 * {@code D_m} are independent unit-variance circular complex Gaussian processes with correlation
 * {@code ⟨D(t₁) D*(t₁ + t)⟩ = exp(−(t/τ(r))^γ(r))} (exact AR(1) recursion for γ = 1, exact circulant
 * embedding otherwise), {@code F_m} static unit complex Gaussians and {@code f} the static fraction.
 * So each {@code E_m} is a unit complex Gaussian with field correlation
 * {@code ρ(t) = f + (1 − f)·exp(−(t/τ)^γ)}, each pixel's noise-free intensity has mean {@code H},
 * speckle contrast {@code Var S = β} exactly, and {@code ⟨S(t₁)S(t₁+t)⟩ − 1 = β·ρ(t)²} (Siegert). The
 * mode weights are those of {@code ModeWeights}: ⌈1/β⌉ modes. Pixels are independent unless a
 * speckle grain is set (the fields are then filtered across pixels, see
 * {@link Builder#speckleGrainPx}). {@code H} is the {@link HaloProfile}, zero inside the beam stop; with
 * {@link Builder#features} it is {@code T_ap·(H + F)}, zero in the needle's shadow too.
 *
 * <p><b>Counting.</b> With a dose {@code D > 0} (mean electrons per pixel per frame where H = 1) each
 * value is {@code round(G·n + σ·z)} clipped to [0, 65535] with {@code n ~ Poisson(D·H·S)}, gain G
 * (ADU/e⁻), read noise σ (ADU) and {@code z} standard normal; beam-stop pixels are exactly 0.
 * With {@code D = 0} the values are the noise-free intensities {@code H·S} (mean H).
 *
 * <p><b>Heterogeneity.</b> Unless maps are given ({@link Builder#maps}), {@code τ}, {@code β},
 * {@code γ} at the reference temperature come from three independent smooth standard normal fields
 * {@code Z₁, Z₂, Z₃} (correlation {@code exp(−d²/2ℓ²)} over {@code d} scan steps) through a Gaussian
 * copula: {@code ln τ = ln τ_median + s·Z₁}; {@code β = β_min + (β_max − β_min)·Φ(r Z₁ + √(1−r²) Z₂)}
 * with {@code r = 2 sin(π ρ_s/6)}, so the Spearman rank correlation of τ and β is ρ_s;
 * {@code γ = γ_min + (γ_max − γ_min)·Φ(Z₃)}. At temperature T,
 * {@code τ(r, T) = τ(r, T_ref)·exp(E/R·(1/T − 1/T_ref))} on the same spatial pattern.
 *
 * <p><b>Determinism.</b> The maps come from a stream derived from the seed alone; each scan
 * position's patterns come from its own stream derived from (seed, y, x, temperature), so the
 * values do not depend on the thread count or the order in which positions are generated, and a
 * temperature series shares its maps but not its speckle noise.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * SpeckleSimulation sim = SpeckleSimulation.builder().scan(60, 60).seed(7).build();
 * Dataset5D ds = sim.dataset();                 // streams, generated on the fly, bounded memory
 * sim.forEachPosition(2, (y, x, frames) -> writer.write(y, x, frames));   // to a file
 * ScalarMap tau = sim.tauSeconds();             // the truth
 * double v = sim.expectedSpeckleVariance(y, x, AnnulusMask.of(ds, QRange.of(3.0, 5.8)));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #toBuilder()} and the {@code withXxx} methods copy.
 */
public final class SpeckleSimulation {

    private static final long MAP_STREAM = 0x4D415053L;      // "MAPS"
    private static final long PATTERN_STREAM = 0x50415454L;  // "PATT"

    private final Builder b;
    private final double[] tauRefSeconds;
    private final double[] tauSeconds;
    private final double[] beta;
    private final double[] gamma;
    private final double[] halo;
    private final double maxCorrelationError;

    private SpeckleSimulation(Builder builder) {
        this.b = builder.copy();
        int n = b.scanY * b.scanX;
        if (b.userTau != null) {
            checkMapLength("tau", b.userTau.length);
            checkMapLength("beta", b.userBeta.length);
            checkMapLength("gamma", b.userGamma.length);
            tauRefSeconds = b.userTau.clone();
            beta = b.userBeta.clone();
            gamma = b.userGamma.clone();
        } else {
            tauRefSeconds = new double[n];
            beta = new double[n];
            gamma = new double[n];
            var rng = RandomSource.XO_RO_SHI_RO_128_PP.create(SeedMixer.streamSeed(b.seed, MAP_STREAM));
            double[] z1 = SmoothRandomField.standardNormal(rng, b.scanY, b.scanX, b.correlationLengthSteps);
            double[] z2 = SmoothRandomField.standardNormal(rng, b.scanY, b.scanX, b.correlationLengthSteps);
            double[] z3 = SmoothRandomField.standardNormal(rng, b.scanY, b.scanX, b.correlationLengthSteps);
            double r = pearsonOfSpearman(b.rankCorrelation);
            double rc = Math.sqrt(Math.max(0, 1 - r * r));
            for (int i = 0; i < n; i++) {
                tauRefSeconds[i] = b.tauMedianSeconds * Math.exp(b.tauSpreadLn * z1[i]);
                beta[i] = b.betaMin + (b.betaMax - b.betaMin) * normalCdf(r * z1[i] + rc * z2[i]);
                gamma[i] = b.gammaMin == b.gammaMax ? b.gammaMin : b.gammaMin + (b.gammaMax - b.gammaMin) * normalCdf(z3[i]);
            }
        }
        double scale = temperatureFactor();
        tauSeconds = new double[n];
        for (int i = 0; i < n; i++) {
            tauSeconds[i] = tauRefSeconds[i] * scale;
        }
        halo = new double[b.ky * b.kx];
        Calibration cal = b.calibration;
        for (int i = 0; i < b.ky; i++) {
            for (int j = 0; j < b.kx; j++) {
                double q = Math.hypot(i - cal.centerKyPx(), j - cal.centerKxPx()) * cal.pixelSizeInverseNm();
                halo[i * b.kx + j] = q < b.beamStopRadiusInverseNm ? 0
                    : b.features.intensity(b.halo.valueAt(q), i, j, cal.centerKyPx(), cal.centerKxPx());
            }
        }
        // Build every position's field sampler once, so that a correlation that cannot be
        // reproduced is reported now, not in the middle of writing a file.
        double err = 0;
        for (int i = 0; i < n; i++) {
            if (gamma[i] != 1 && b.frames > 1) {
                err = Math.max(err, correlationError(fieldSampler(i / b.scanX, i % b.scanX)));
            }
        }
        this.maxCorrelationError = err;
    }

    private void checkMapLength(String name, int length) {
        if (length != b.scanY * b.scanX) {
            throw new IllegalArgumentException(Checks.format(
                "%s map has %d values, but the scan has %d×%d = %d positions", name, length, b.scanY, b.scanX, b.scanY * b.scanX));
        }
    }

    /**
     * The Pearson correlation of a bivariate normal whose Spearman rank correlation is ρ_s:
     * {@code r = 2 sin(π ρ_s / 6)} (Pearson 1907).
     *
     * @param spearman ρ_s in [−1, 1]
     * @return r
     */
    public static double pearsonOfSpearman(double spearman) {
        return 2 * Math.sin(Math.PI * spearman / 6);
    }

    private static double normalCdf(double z) {
        return 0.5 * Erfc.value(-z / Math.sqrt(2));
    }

    /** @return the simulated temperature in K, NaN for none */
    private double kelvin() {
        return b.calibration.temperatureKelvin().orElse(Double.NaN);
    }

    private double temperatureFactor() {
        if (Double.isNaN(kelvin()) || Double.isNaN(b.referenceTemperatureKelvin)) {
            return 1;
        }
        double e = b.activationEnergyKJPerMol * 1000 / ArrheniusFit.GAS_CONSTANT_J_PER_MOL_K;
        return Math.exp(e * (1 / kelvin() - 1 / b.referenceTemperatureKelvin));
    }

    /** @return a builder with the defaults (close to the paper), see {@link Builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this simulation's configuration */
    public Builder toBuilder() {
        return b.copy();
    }

    /**
     * @param seed the new seed
     * @return a copy with another seed (new maps, unless maps were given, and new speckle)
     */
    public SpeckleSimulation withSeed(long seed) {
        return toBuilder().seed(seed).build();
    }

    /**
     * A member of a temperature series: the same maps at the reference temperature (same seed),
     * τ scaled by the Arrhenius factor, fresh speckle noise.
     *
     * @param kelvin the temperature in K
     * @return the copy
     */
    public SpeckleSimulation withTemperatureKelvin(double kelvin) {
        return toBuilder().temperatureKelvin(kelvin).build();
    }

    /**
     * @param electronsPerPixelPerFrame the dose (0 = noise-free)
     * @return a copy with another dose
     */
    public SpeckleSimulation withDose(double electronsPerPixelPerFrame) {
        return toBuilder().dose(electronsPerPixelPerFrame).build();
    }

    // ------------------------------------------------------------------ configuration

    /** @return the extents of the recording */
    public Shape5D shape() {
        return Shape5D.of(b.frames, b.scanY, b.scanX, b.ky, b.kx);
    }

    /** @return the calibration: frame interval, scan step, pixel size, centre, temperature */
    public Calibration calibration() {
        return b.calibration;
    }

    /** @return the beam-stop shadow (central disc and needle, if any) as a mask (shadowed pixels invalid) */
    public DetectorMask detectorMask() {
        Calibration cal = b.calibration;
        boolean[] v = new boolean[halo.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = !(Math.hypot(i / b.kx - cal.centerKyPx(), i % b.kx - cal.centerKxPx()) * cal.pixelSizeInverseNm()
                < b.beamStopRadiusInverseNm) && !b.features.inNeedleShadow(i / b.kx, i % b.kx, cal.centerKyPx(), cal.centerKxPx());
        }
        return DetectorMask.of(b.ky, b.kx, v);
    }

    /** @return the seed */
    public long seed() {
        return b.seed;
    }

    /** @return frame interval in s */
    public double frameIntervalSeconds() {
        return b.calibration.frameIntervalSeconds();
    }

    /** @return the static fraction f of the field, in [0, 1) */
    public double staticFraction() {
        return b.staticFraction;
    }

    /** @return the speckle grain (Gaussian filter σ across pixels) in pixels; 0 = independent pixels */
    public double speckleGrainPx() {
        return b.speckleGrainPx;
    }

    /** @return mean electrons per pixel per frame where H = 1; 0 = noise-free intensities */
    public double doseElectronsPerPixelPerFrame() {
        return b.dose;
    }

    /** @return gain in ADU per electron */
    public double gainAduPerElectron() {
        return b.gain;
    }

    /** @return read noise standard deviation in ADU */
    public double readNoiseAdu() {
        return b.readNoise;
    }

    /** @return the halo profile */
    public HaloProfile halo() {
        return b.halo;
    }

    /** @return the largest error of the realised field correlation over all positions (0 when every embedding is exact) */
    public double maxCorrelationError() {
        return maxCorrelationError;
    }

    /**
     * @return H(|Q|) of every pixel, row-major, 0 in the beam-stop shadow (a copy)
     */
    public double[] haloValues() {
        return halo.clone();
    }

    // ------------------------------------------------------------------ truth

    /** @return τ in s at the simulated temperature */
    public ScalarMap tauSeconds() {
        return map("tau_s", "s", tauSeconds);
    }

    /** @return τ in s at the reference temperature (equal to {@link #tauSeconds()} without a temperature) */
    public ScalarMap tauReferenceSeconds() {
        return map("tau_ref_s", "s", tauRefSeconds);
    }

    /** @return the speckle contrast β = Σ w_m² */
    public ScalarMap beta() {
        return map("beta", "", beta);
    }

    /** @return the stretching exponent γ */
    public ScalarMap gamma() {
        return map("gamma", "", gamma);
    }

    private ScalarMap map(String name, String unit, double[] v) {
        return ScalarMap.of(name, unit, b.scanY, b.scanX, v, b.calibration.scanStepYNm(), b.calibration.scanStepXNm());
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return τ at the position in s
     */
    public double tauSeconds(int y, int x) {
        return tauSeconds[index(y, x)];
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return β at the position
     */
    public double beta(int y, int x) {
        return beta[index(y, x)];
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return γ at the position
     */
    public double gamma(int y, int x) {
        return gamma[index(y, x)];
    }

    /**
     * @param y scan row
     * @param x scan column
     * @return the mode weights w_m at the position (Σ w = 1, Σ w² = β), largest first
     */
    public double[] modeWeights(int y, int x) {
        return ModeWeights.forContrast(beta(y, x));
    }

    /**
     * The field correlation {@code ρ(t) = f + (1 − f)·exp(−(t/τ)^γ)} at a position.
     *
     * @param y scan row
     * @param x scan column
     * @param lagSeconds lag t in s (&ge; 0)
     * @return ρ(t)
     */
    public double fieldCorrelation(int y, int x, double lagSeconds) {
        Checks.nonNegative("lagSeconds", lagSeconds);
        int i = index(y, x);
        return b.staticFraction + (1 - b.staticFraction) * Math.exp(-Math.pow(lagSeconds / tauSeconds[i], gamma[i]));
    }

    private int index(int y, int x) {
        return Checks.index("y", y, b.scanY) * b.scanX + Checks.index("x", x, b.scanX);
    }

    /**
     * The exact sampler of a position's field series for γ ≠ 1: the circulant embedding, or, when
     * clipping its negative eigenvalues would change the correlation by more than
     * maxCorrelationError, the eigendecomposition of the T × T covariance.
     *
     * @return a {@link CirculantEmbedding} or a {@link ToeplitzFactor}
     */
    Object fieldSampler(int y, int x) {
        int i = y * b.scanX + x;
        double dt = b.calibration.frameIntervalSeconds() / tauSeconds[i];
        double g = gamma[i];
        IntToDoubleFunction c = k -> Math.exp(-Math.pow(k * dt, g));
        CirculantEmbedding e = CirculantEmbedding.of(b.frames, c);
        if (e.maxCovarianceError() <= b.maxCorrelationError) {
            return e;
        }
        ToeplitzFactor f = ToeplitzFactor.of(b.frames, c);
        if (f.maxCovarianceError() <= b.maxCorrelationError) {
            return f;
        }
        throw new IllegalArgumentException(Checks.format(
            "the KWW correlation at scan position (%d, %d) (tau = %.4g s = %.4g frames, gamma = %.4g, %d frames) "
                + "cannot be reproduced within maxCorrelationError %.3g: the circulant embedding (length %d) is off by %.3g, "
                + "the eigendecomposition of the covariance by %.3g; allow a larger error",
            y, x, tauSeconds[i], tauSeconds[i] / b.calibration.frameIntervalSeconds(), g, b.frames, b.maxCorrelationError,
            e.length(), e.maxCovarianceError(), f.maxCovarianceError()));
    }

    private static double correlationError(Object sampler) {
        return sampler instanceof CirculantEmbedding
            ? ((CirculantEmbedding) sampler).maxCovarianceError() : ((ToeplitzFactor) sampler).maxCovarianceError();
    }

    long[] positionSeed(int y, int x) {
        long temperature = Double.isNaN(kelvin()) ? 0 : Double.doubleToLongBits(kelvin());
        return SeedMixer.streamSeed(b.seed, PATTERN_STREAM, y, x, temperature);
    }

    Builder config() {
        return b;
    }

    double[] haloRef() {
        return halo;
    }

    // ------------------------------------------------------------------ expectations

    /**
     * {@code κ = ⟨H²⟩φ / ⟨H⟩φ²} over the annulus pixels: how much the variation of the halo across
     * the annulus adds to the paper's ensemble-normalised g and V.
     *
     * @param annulus the annulus (of this simulation's pattern size)
     * @return κ (&ge; 1)
     */
    public double kappa(AnnulusMask annulus) {
        int[] px = annulusPixels(annulus);
        double s1 = 0;
        double s2 = 0;
        for (int p : px) {
            s1 += halo[p];
            s2 += halo[p] * halo[p];
        }
        s1 /= px.length;
        s2 /= px.length;
        return s2 / (s1 * s1);
    }

    private int[] annulusPixels(AnnulusMask annulus) {
        Objects.requireNonNull(annulus, "annulus");
        if (annulus.ky() != b.ky || annulus.kx() != b.kx) {
            throw new IllegalArgumentException(Checks.format(
                "annulus of %d×%d pixels does not match the simulated %d×%d patterns", annulus.ky(), annulus.kx(), b.ky, b.kx));
        }
        int[] px = annulus.pixelIndices();
        double sum = 0;
        for (int p : px) {
            sum += halo[p];
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("annulus " + annulus + " lies entirely in the beam-stop shadow: no intensity");
        }
        return px;
    }

    /**
     * The expected intensity correlation g(t) at a position over an annulus, for lags
     * {@code 0, Δt, …, (T − 1)Δt}, with this simulation's noise.
     *
     * <p><b>ENSEMBLE</b> (the paper's eqs. 1–2): to leading order in the number N of annulus pixels
     * {@code g(t) − 1 = (κ − 1) + κβρ(t)²} for {@code t > 0}, and at {@code t = 0}
     * {@code κ(1 + β) − 1} plus the counting terms of {@link #expectedSpeckleVariance}. When
     * {@link #speckleGrainPx()} is 0 (independent pixels), the value returned also contains the
     * exact 1/N correction of the ratio of averages (second-order delta method with the exact
     * moments of S, of the Poisson counts, gain and read noise), so that it is right to O(1/N²);
     * with a grain it is the leading order only. Rounding and clipping of the counts are neglected.
     *
     * <p><b>SYMMETRIC</b>: per pixel {@code E[I(t₁)I(t₁+t)]/E[I]²} averaged over the annulus pixels
     * with intensity, {@code g(t) − 1 = βρ(t)²} for t &gt; 0 (H cancels); at t = 0 add
     * {@code ⟨(G²D H + σ²)/(G D H)²⟩} with noise. Leading order in 1/T (the bias of normalising
     * by the series' own means is not included).
     *
     * @param y scan row
     * @param x scan column
     * @param annulus the annulus (of this simulation's pattern size)
     * @param normalisation ENSEMBLE or SYMMETRIC
     * @return the curve, lags in s, {@code stdErr} NaN, pair counts {@code T − k}
     */
    public CorrelationCurve expectedCorrelation(int y, int x, AnnulusMask annulus, Normalisation normalisation) {
        Objects.requireNonNull(normalisation, "normalisation");
        int[] px = annulusPixels(annulus);
        int i = index(y, x);
        double bt = beta[i];
        double b3 = ModeWeights.sumOfCubes(bt);
        double[] lags = new double[b.frames];
        double[] g = new double[b.frames];
        double[] se = new double[b.frames];
        int[] pairs = new int[b.frames];
        for (int k = 0; k < b.frames; k++) {
            lags[k] = k * b.calibration.frameIntervalSeconds();
            double rho = fieldCorrelation(y, x, lags[k]);
            g[k] = Expectations.correlation(halo, px, bt, b3, rho, k == 0, b.dose, b.gain, readVariance(),
                normalisation, b.speckleGrainPx == 0);
            se[k] = Double.NaN;
            pairs[k] = b.frames - k;
        }
        return CorrelationCurve.of(lags, g, se, pairs, annulus.range(), normalisation);
    }

    /**
     * The expected speckle variance V of eq. 5 at a position over the annulus (all its pixels
     * pooled), with this simulation's counting noise:
     * <pre>
     *   V = κ(1 + β) − 1 + 1/(D⟨H⟩φ) + (σ² + 1/12)/(G D⟨H⟩φ)²      (leading order)
     * </pre>
     * (the last term only with read noise σ &gt; 0, 1/12 being the rounding of the ADU values), plus
     * the exact 1/N correction when pixels are independent (see {@link #expectedCorrelation}). The
     * value at one frame; V averaged over frames has the same expectation.
     *
     * @param y scan row
     * @param x scan column
     * @param annulus the annulus
     * @return the expected V
     */
    public double expectedSpeckleVariance(int y, int x, AnnulusMask annulus) {
        int[] px = annulusPixels(annulus);
        double bt = beta[index(y, x)];
        return Expectations.correlation(halo, px, bt, ModeWeights.sumOfCubes(bt), 1, true, b.dose, b.gain,
            readVariance(), Normalisation.ENSEMBLE, b.speckleGrainPx == 0) - 1;
    }

    /**
     * The expected speckle variance V without counting noise: {@code κ(1 + β) − 1} to leading
     * order, with the 1/N correction for independent pixels.
     *
     * @param y scan row
     * @param x scan column
     * @param annulus the annulus
     * @return the expected noise-free V
     */
    public double expectedSpeckleVarianceNoiseFree(int y, int x, AnnulusMask annulus) {
        int[] px = annulusPixels(annulus);
        double bt = beta[index(y, x)];
        return Expectations.correlation(halo, px, bt, ModeWeights.sumOfCubes(bt), 1, true, 0, 1, 0,
            Normalisation.ENSEMBLE, b.speckleGrainPx == 0) - 1;
    }

    /**
     * @param annulus the annulus
     * @return the map of {@link #expectedSpeckleVariance} at every position (name {@code "V_expected"})
     */
    public ScalarMap expectedSpeckleVarianceMap(AnnulusMask annulus) {
        double[] v = new double[b.scanY * b.scanX];
        for (int y = 0; y < b.scanY; y++) {
            for (int x = 0; x < b.scanX; x++) {
                v[y * b.scanX + x] = expectedSpeckleVariance(y, x, annulus);
            }
        }
        return map("V_expected", "", v);
    }

    private double readVariance() {
        return b.readNoise > 0 ? b.readNoise * b.readNoise + 1.0 / 12 : 0;
    }

    // ------------------------------------------------------------------ generation

    /**
     * @return a new generator (the per-thread kernel with its reusable workspace)
     */
    public SpeckleGenerator newGenerator() {
        return new SpeckleGenerator(this);
    }

    /**
     * Generates every scan position, row by row, and hands each complete time series to the
     * visitor on the calling thread, in row-major scan order. {@code threads} workers generate
     * ahead of the visitor (a window of {@code 2·threads} positions), so memory stays bounded at
     * about {@code (2·threads + 1) · T·ky·kx} doubles whatever the recording's size. The values are
     * identical for any thread count.
     *
     * @param threads number of generating threads (&ge; 1)
     * @param visitor receives each position
     * @throws IOException if the visitor throws it (generation stops)
     */
    public void forEachPosition(int threads, PositionVisitor visitor) throws IOException {
        PositionPipeline.run(this, 0, b.scanY, 0, b.scanX, threads, visitor);
    }

    /**
     * @return the recording as a storage that generates patterns on the fly (axis order
     *     {@code y,x,t,ky,kx}), using all available processors
     */
    public SimulatedStorage storage() {
        return SimulatedStorage.of(this);
    }

    /**
     * @return a streaming dataset over {@link #storage()} with this calibration and the beam-stop
     *     mask
     */
    public Dataset5D dataset() {
        return Dataset5D.of(storage(), calibration()).withMask(detectorMask());
    }

    /**
     * Generates the whole recording into memory (order {@code t,y,x,ky,kx}, float64): for tests and
     * small recordings.
     *
     * @param threads number of generating threads
     * @return the storage
     * @throws IllegalStateException if the recording has more values than one Java array holds
     */
    public ArrayStorage toArrayStorage(int threads) {
        Shape5D s = shape();
        if (s.valueCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(Checks.format(
                "a recording of %s has %d values, more than one Java array holds; stream it with storage() or forEachPosition",
                s, s.valueCount()));
        }
        double[] all = new double[(int) s.valueCount()];
        int p = s.patternSize();
        try {
            forEachPosition(threads, (y, x, frames) -> {
                for (int t = 0; t < b.frames; t++) {
                    long offset = (((long) t * b.scanY + y) * b.scanX + x) * p;
                    System.arraycopy(frames, t * p, all, (int) offset, p);
                }
            });
        } catch (IOException e) {
            throw new AssertionError("the in-memory visitor does no I/O", e);
        }
        return ArrayStorage.of(s, all);
    }

    /**
     * @param threads number of generating threads
     * @return an in-memory dataset ({@link #toArrayStorage}) with the calibration and beam-stop mask
     */
    public Dataset5D toInMemoryDataset(int threads) {
        return Dataset5D.of(toArrayStorage(threads), calibration()).withMask(detectorMask());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SpeckleSimulation[").append(shape());
        sb.append(Checks.format(", frame %.4g s, step %.4g nm, pixel %.4g nm⁻¹, centre (%.2f, %.2f) px",
            b.calibration.frameIntervalSeconds(), b.calibration.scanStepYNm(), b.calibration.pixelSizeInverseNm(),
            b.calibration.centerKyPx(), b.calibration.centerKxPx()));
        if (b.userTau != null) {
            sb.append("; user maps");
        } else {
            sb.append(Checks.format("; τ median %.4g s (σ ln τ %.3g)", b.tauMedianSeconds, b.tauSpreadLn));
            sb.append(b.betaMin == b.betaMax ? Checks.format(", β %.3g", b.betaMin) : Checks.format(", β %.3g–%.3g", b.betaMin, b.betaMax));
            sb.append(b.gammaMin == b.gammaMax ? Checks.format(", γ %.3g", b.gammaMin) : Checks.format(", γ %.3g–%.3g", b.gammaMin, b.gammaMax));
            sb.append(Checks.format(", ρs(τ,β) %.3g, ℓ %.3g steps", b.rankCorrelation, b.correlationLengthSteps));
        }
        if (!Double.isNaN(kelvin())) {
            sb.append(Checks.format("; %.1f K (T_ref %.1f K, E %.4g kJ/mol)", kelvin(), b.referenceTemperatureKelvin,
                b.activationEnergyKJPerMol));
        }
        sb.append(Checks.format("; static %.3g, grain %.3g px, beam stop %.3g nm⁻¹, halo %s", b.staticFraction, b.speckleGrainPx,
            b.beamStopRadiusInverseNm, b.halo));
        if (b.features != PatternFeatures.NONE) {
            sb.append("; ").append(b.features);
        }
        if (b.dose > 0) {
            sb.append(Checks.format("; dose %.4g e⁻/px/frame, gain %.4g ADU/e⁻, read noise %.3g ADU", b.dose, b.gain, b.readNoise));
        } else {
            sb.append("; noise-free");
        }
        sb.append(Checks.format("; τ map median %.4g s; seed %d]", tauSeconds().median(), b.seed));
        return sb.toString();
    }

    /**
     * Assembles a {@link SpeckleSimulation}. Every setter validates at once. Defaults follow the
     * paper (Nakazawa et al. 2024): 60×60 scan at 0.16 nm, 106 frames at 9.2 s, 66×66 patterns of
     * 0.23 nm⁻¹ per pixel centred at (32.5, 32.5), 633 K (also the reference temperature),
     * E = 97 kJ/mol; τ median 1000 s with σ(ln τ) = 0.5, β uniform in 0.1–0.3, γ = 1, Spearman
     * ρ(τ, β) = 0.4, map correlation length 3 scan steps; no static fraction, independent pixels,
     * beam stop of radius 1 nm⁻¹, a Gaussian halo ring at 4.4 nm⁻¹ (σ 0.8 nm⁻¹) on a background of
     * 0.2; dose 10 e⁻ per pixel per frame at the ring, gain 1, no read noise; seed 1;
     * maxCorrelationError 1e-6.
     */
    public static final class Builder {
        private int scanY = 60;
        private int scanX = 60;
        private int frames = 106;
        private int ky = 66;
        private int kx = 66;
        private Calibration calibration = Calibration.builder().frameIntervalSeconds(9.2).scanStepNm(0.16).pixelSizeInverseNm(0.23)
            .centerPx(32.5, 32.5).temperatureKelvin(633).build();
        private double referenceTemperatureKelvin = 633;
        private double activationEnergyKJPerMol = 97;
        private long seed = 1;
        private double tauMedianSeconds = 1000;
        private double tauSpreadLn = 0.5;
        private double betaMin = 0.1;
        private double betaMax = 0.3;
        private double gammaMin = 1;
        private double gammaMax = 1;
        private double rankCorrelation = 0.4;
        private double correlationLengthSteps = 3;
        private double[] userTau;
        private double[] userBeta;
        private double[] userGamma;
        private double staticFraction;
        private double speckleGrainPx;
        private double beamStopRadiusInverseNm = 1.0;
        private HaloProfile halo = HaloProfile.gaussianRing(4.4, 0.8, 0.2);
        private PatternFeatures features = PatternFeatures.NONE;
        private double dose = 10;
        private double gain = 1;
        private double readNoise;
        private double maxCorrelationError = 1e-6;

        private Builder() {
        }

        private Builder copy() {
            Builder c = new Builder();
            c.scanY = scanY;
            c.scanX = scanX;
            c.frames = frames;
            c.ky = ky;
            c.kx = kx;
            c.calibration = calibration;
            c.referenceTemperatureKelvin = referenceTemperatureKelvin;
            c.activationEnergyKJPerMol = activationEnergyKJPerMol;
            c.seed = seed;
            c.tauMedianSeconds = tauMedianSeconds;
            c.tauSpreadLn = tauSpreadLn;
            c.betaMin = betaMin;
            c.betaMax = betaMax;
            c.gammaMin = gammaMin;
            c.gammaMax = gammaMax;
            c.rankCorrelation = rankCorrelation;
            c.correlationLengthSteps = correlationLengthSteps;
            c.userTau = userTau;
            c.userBeta = userBeta;
            c.userGamma = userGamma;
            c.staticFraction = staticFraction;
            c.speckleGrainPx = speckleGrainPx;
            c.beamStopRadiusInverseNm = beamStopRadiusInverseNm;
            c.halo = halo;
            c.features = features;
            c.dose = dose;
            c.gain = gain;
            c.readNoise = readNoise;
            c.maxCorrelationError = maxCorrelationError;
            return c;
        }

        /**
         * @param rows scan rows (&ge; 1)
         * @param columns scan columns (&ge; 1)
         * @return this builder
         */
        public Builder scan(int rows, int columns) {
            this.scanY = Checks.positive("scan rows", rows);
            this.scanX = Checks.positive("scan columns", columns);
            return this;
        }

        /**
         * @param count number of frames T (&ge; 1)
         * @return this builder
         */
        public Builder frames(int count) {
            this.frames = Checks.positive("frames", count);
            return this;
        }

        /**
         * Sets the pattern size and puts the centre in its middle, {@code ((ky − 1)/2, (kx − 1)/2)}.
         *
         * @param rows diffraction pixel rows (&ge; 1)
         * @param columns diffraction pixel columns (&ge; 1)
         * @return this builder
         */
        public Builder patternSize(int rows, int columns) {
            this.ky = Checks.positive("pattern rows", rows);
            this.kx = Checks.positive("pattern columns", columns);
            this.calibration = calibration.withCenterPx((rows - 1) / 2.0, (columns - 1) / 2.0);
            return this;
        }

        /**
         * @param inverseNm diffraction pixel size in nm⁻¹ (finite, &gt; 0)
         * @return this builder
         */
        public Builder pixelSizeInverseNm(double inverseNm) {
            this.calibration = calibration.withPixelSizeInverseNm(inverseNm);
            return this;
        }

        /**
         * @param kyPx pattern centre row in pixels (finite)
         * @param kxPx pattern centre column in pixels (finite)
         * @return this builder
         */
        public Builder centerPx(double kyPx, double kxPx) {
            this.calibration = calibration.withCenterPx(kyPx, kxPx);
            return this;
        }

        /**
         * @param seconds time between frames in s (finite, &gt; 0)
         * @return this builder
         */
        public Builder frameIntervalSeconds(double seconds) {
            this.calibration = calibration.withFrameIntervalSeconds(seconds);
            return this;
        }

        /**
         * @param nm scan step in nm (finite, &gt; 0)
         * @return this builder
         */
        public Builder scanStepNm(double nm) {
            this.calibration = calibration.withScanStepNm(nm);
            return this;
        }

        /**
         * @param kelvin the simulated temperature in K (finite, &gt; 0), or NaN for none (no
         *     Arrhenius scaling, no temperature in the calibration)
         * @return this builder
         */
        public Builder temperatureKelvin(double kelvin) {
            this.calibration = calibration.withTemperatureKelvin(kelvin);
            return this;
        }

        /**
         * Sets frame interval, scan step, pixel size, centre and temperature at once.
         *
         * @param c the calibration of the simulated recording: evenly spaced frames, a square scan step, no
         *     elliptical distortion (what the simulator models)
         * @return this builder
         */
        public Builder calibration(Calibration c) {
            Objects.requireNonNull(c, "calibration");
            if (c.hasTimestamps() || c.scanStepYNm() != c.scanStepXNm() || c.hasEllipticalDistortion()) {
                throw new IllegalArgumentException("the simulator models evenly spaced frames, a square scan step and no "
                    + "elliptical distortion; the calibration has " + c);
            }
            this.calibration = c;
            return this;
        }

        /**
         * The Arrhenius law of a temperature series: the maps describe τ at {@code referenceKelvin};
         * at temperature T it is multiplied by {@code exp(E/R·(1/T − 1/T_ref))}.
         *
         * @param referenceKelvin T_ref in K (finite, &gt; 0)
         * @param activationEnergyKJPerMol E in kJ/mol (finite)
         * @return this builder
         */
        public Builder arrhenius(double referenceKelvin, double activationEnergyKJPerMol) {
            this.referenceTemperatureKelvin = Checks.positive("referenceTemperatureKelvin", referenceKelvin);
            this.activationEnergyKJPerMol = Checks.finite("activationEnergyKJPerMol", activationEnergyKJPerMol);
            return this;
        }

        /**
         * @param value the seed of the maps and of every position's stream
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * @param seconds median τ at the reference temperature in s (finite, &gt; 0)
         * @return this builder
         */
        public Builder tauMedianSeconds(double seconds) {
            this.tauMedianSeconds = Checks.positive("tauMedianSeconds", seconds);
            return this;
        }

        /**
         * @param sigmaLn standard deviation of ln τ over the map (finite, &ge; 0)
         * @return this builder
         */
        public Builder tauSpreadLn(double sigmaLn) {
            this.tauSpreadLn = Checks.nonNegative("tauSpreadLn", sigmaLn);
            return this;
        }

        /**
         * @param min smallest β, in [0.01, 1]
         * @param max largest β, in [min, 1]; β is uniform between them
         * @return this builder
         */
        public Builder betaRange(double min, double max) {
            if (!(min >= ModeWeights.MIN_BETA && max >= min && max <= 1)) {
                throw new IllegalArgumentException(Checks.format(
                    "beta range %s–%s is not within [%s, 1] with min ≤ max", min, max, ModeWeights.MIN_BETA));
            }
            this.betaMin = min;
            this.betaMax = max;
            return this;
        }

        /**
         * @param min smallest γ, in (0, 2]
         * @param max largest γ, in [min, 2]; γ is uniform between them (independent of τ and β)
         * @return this builder
         */
        public Builder gammaRange(double min, double max) {
            if (!(min > 0 && max >= min && max <= 2)) {
                throw new IllegalArgumentException(Checks.format("gamma range %s–%s is not within (0, 2] with min ≤ max", min, max));
            }
            this.gammaMin = min;
            this.gammaMax = max;
            return this;
        }

        /**
         * @param spearman the Spearman rank correlation of τ and β over the map, in [−1, 1]
         * @return this builder
         */
        public Builder rankCorrelation(double spearman) {
            if (!(spearman >= -1 && spearman <= 1)) {
                throw new IllegalArgumentException(Checks.format("rankCorrelation is outside [-1, 1]: %s", spearman));
            }
            this.rankCorrelation = spearman;
            return this;
        }

        /**
         * @param steps correlation length ℓ of the maps in scan steps (finite, &ge; 0; 0 = independent positions)
         * @return this builder
         */
        public Builder correlationLengthSteps(double steps) {
            this.correlationLengthSteps = Checks.nonNegative("correlationLengthSteps", steps);
            return this;
        }

        /**
         * Gives the maps instead of generating them; each {@code scanY × scanX} values, row-major,
         * checked against the scan size at {@link #build()} (copied).
         *
         * @param tauReferenceSeconds τ at the reference temperature in s (finite, &gt; 0)
         * @param betaValues β in [0.01, 1]
         * @param gammaValues γ in (0, 2]
         * @return this builder
         */
        public Builder maps(double[] tauReferenceSeconds, double[] betaValues, double[] gammaValues) {
            Objects.requireNonNull(tauReferenceSeconds, "tauReferenceSeconds");
            Objects.requireNonNull(betaValues, "betaValues");
            Objects.requireNonNull(gammaValues, "gammaValues");
            for (int i = 0; i < tauReferenceSeconds.length; i++) {
                Checks.positive("tauReferenceSeconds[" + i + "]", tauReferenceSeconds[i]);
            }
            for (int i = 0; i < betaValues.length; i++) {
                if (!(betaValues[i] >= ModeWeights.MIN_BETA && betaValues[i] <= 1)) {
                    throw new IllegalArgumentException(Checks.format("betaValues[%d] is outside [%s, 1]: %s", i, ModeWeights.MIN_BETA, betaValues[i]));
                }
            }
            for (int i = 0; i < gammaValues.length; i++) {
                if (!(gammaValues[i] > 0 && gammaValues[i] <= 2)) {
                    throw new IllegalArgumentException(Checks.format("gammaValues[%d] is outside (0, 2]: %s", i, gammaValues[i]));
                }
            }
            this.userTau = tauReferenceSeconds.clone();
            this.userBeta = betaValues.clone();
            this.userGamma = gammaValues.clone();
            return this;
        }

        /**
         * @param fraction static fraction f of the field in [0, 1): the field correlation is
         *     {@code f + (1 − f)·exp(−(t/τ)^γ)}
         * @return this builder
         */
        public Builder staticFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException(Checks.format("staticFraction is outside [0, 1): %s", fraction));
            }
            this.staticFraction = fraction;
            return this;
        }

        /**
         * Speckle grain: the complex fields are filtered across pixels, each frame, by a Gaussian of
         * standard deviation {@code px} pixels (truncated at 3σ), renormalised pixel by pixel to unit
         * variance, so the intensity stays exponential per mode and every temporal statistic is
         * unchanged; only neighbouring pixels become correlated (speckles about {@code 2√2·px}
         * pixels wide). 0 = independent pixels.
         *
         * @param px σ in pixels (finite, &ge; 0)
         * @return this builder
         */
        public Builder speckleGrainPx(double px) {
            this.speckleGrainPx = Checks.nonNegative("speckleGrainPx", px);
            return this;
        }

        /**
         * @param inverseNm pixels with |Q| below this radius are shadowed (exactly 0); 0 = no beam stop
         * @return this builder
         */
        public Builder beamStopRadiusInverseNm(double inverseNm) {
            this.beamStopRadiusInverseNm = Checks.nonNegative("beamStopRadiusInverseNm", inverseNm);
            return this;
        }

        /**
         * @param profile the halo profile H(|Q|)
         * @return this builder
         */
        public Builder halo(HaloProfile profile) {
            this.halo = Objects.requireNonNull(profile, "halo");
            return this;
        }

        /**
         * The detector's features: a needle beam stop (shadow exactly 0, part of
         * {@link #detectorMask()}), a flare about its tip and an aperture edge. The mean intensity
         * becomes {@code T_ap·(H + F)} outside the shadows (see {@link PatternFeatures}); here the
         * flare is part of the mean intensity and so speckles like the halo (the mean pattern the
         * preparation works on is right; the flare's dynamics are not physical — mask it).
         *
         * @param f the features ({@link PatternFeatures#NONE} by default)
         * @return this builder
         */
        public Builder features(PatternFeatures f) {
            this.features = Objects.requireNonNull(f, "features");
            return this;
        }

        /**
         * @param electronsPerPixelPerFrame mean electrons per pixel per frame where H = 1 (finite,
         *     &ge; 0); 0 = noise-free intensities
         * @return this builder
         */
        public Builder dose(double electronsPerPixelPerFrame) {
            this.dose = Checks.nonNegative("dose", electronsPerPixelPerFrame);
            return this;
        }

        /**
         * @param aduPerElectron detector gain in ADU per electron (finite, &gt; 0)
         * @return this builder
         */
        public Builder gainAduPerElectron(double aduPerElectron) {
            this.gain = Checks.positive("gainAduPerElectron", aduPerElectron);
            return this;
        }

        /**
         * @param adu Gaussian read noise standard deviation in ADU (finite, &ge; 0)
         * @return this builder
         */
        public Builder readNoiseAdu(double adu) {
            this.readNoise = Checks.nonNegative("readNoiseAdu", adu);
            return this;
        }

        /**
         * @param error largest accepted change of the field correlation by clipping negative
         *     circulant eigenvalues (finite, &gt; 0; default 1e-6)
         * @return this builder
         */
        public Builder maxCorrelationError(double error) {
            this.maxCorrelationError = Checks.positive("maxCorrelationError", error);
            return this;
        }

        /**
         * @return the simulation (the maps are generated now)
         * @throws IllegalArgumentException if given maps do not match the scan, or a position's
         *     correlation cannot be embedded within {@code maxCorrelationError}
         */
        public SpeckleSimulation build() {
            return new SpeckleSimulation(this);
        }
    }
}
