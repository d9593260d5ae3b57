/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import org.fivedstem.api.ArrheniusFit;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.ScalarMap;
import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;

/**
 * The activation energy per scan position, E(r), from one area imaged at several temperatures: the
 * Arrhenius law (eq. 4) {@code τ_T(r) = τ∞(r) exp(E(r)/(R T))} fitted position by position. Immutable.
 *
 * <pre>{@code
 * ActivationEnergyMap e = ActivationEnergyMap.of(List.of(maps633, maps643, maps653, maps663, maps673));
 * e.energyKJPerMol();          // E(r) in kJ/mol, NaN where fewer than 3 temperatures measured τ
 * e.energyErrorKJPerMol();     // σ_E(r)
 * System.out.println(e);       // shape, offsets, median E and its IQR
 * }</pre>
 *
 * <p><b>Registration.</b> The scans of a series need not start at the same place (stage drift,
 * re-centring between temperatures). The structure, and with it the speckle-variance map V, does not
 * change with temperature, so each temperature's V map is registered onto that of the coldest (the
 * reference) by the integer scan offset {@code (dy, dx)} — position {@code (y, x)} of the reference
 * shows the same place as {@code (y + dy, x + dx)} of the other map — that maximises Spearman's ρ of
 * the two V maps over their overlap, searched over {@code |dy| ≤ ⌊}{@value #SEARCH_FRACTION}
 * {@code · scanY⌋} and {@code |dx| ≤ ⌊}{@value #SEARCH_FRACTION}{@code · scanX⌋} of the reference
 * scan (so every candidate overlap keeps at least 56 % of it). The best ρ is the largest of many
 * correlated candidates, so its significance must allow for the search: with the effective number of
 * independent positions n_eff of the overlap (Clifford, Richardson &amp; Hémon 1989, from the toroidal
 * shifts of {@link Spearman#test}), the correlation surface of two unrelated maps decorrelates over
 * about N/n_eff offsets (N positions in the overlap), so the W offsets searched hold
 * {@code M = clamp(W · n_eff / N, 1, W)} independent chances, and
 *
 * <pre>    p = min(1, M · p_t(ρ, n_eff))</pre>
 *
 * (Bonferroni; p_t the two-sided t-approximation p-value of ρ with n_eff pairs). A temperature whose
 * best offset has {@code p > }{@value #REGISTRATION_P_VALUE} (or ρ ≤ 0) is refused with an
 * {@link IllegalArgumentException} naming it: E(r) needs the same positions at every temperature, and
 * maps of different areas do not register. On unrelated smooth fields the refusal holds (test
 * {@code ActivationEnergyMapTest.unrelatedAreasAreRefused}).
 *
 * <p><b>Per-position fit.</b> Over the rectangle of reference positions that every temperature covers,
 * the weighted least-squares Arrhenius fit ({@link Arrhenius#fit}, unscaled) of
 * {@code y = ln τ_T(r)} on {@code x = 1/T} with {@code σ_y = σ_τ(r)/τ(r)} from
 * {@link HeterogeneityMaps#tauErrorSeconds()} (the per-position jackknife error):
 *
 * <pre>
 *   b = Σw(x−x̄)(y−ȳ) / Σw(x−x̄)²,  w = 1/σ_y²,  E = R b (kJ/mol),  σ_E = R / √(Σw(x−x̄)²),
 *   ln τ∞ = ȳ − b x̄,  χ²_ν = Σ w (y − ln τ∞ − b x)² / (n − 2).
 * </pre>
 *
 * A temperature counts at a position when its τ is measured — {@linkplain HeterogeneityMaps#reliableTauSeconds()
 * reliable} with a finite, positive error; E(r) is given where at least {@value #MIN_TEMPERATURES}
 * temperatures count (two points determine a line but give no χ², and a single outlier would go
 * unseen), NaN elsewhere.
 *
 * <p><b>Censoring.</b> A right-censored temperature ({@link org.fivedstem.api.FitStatus#UNRESOLVED_SLOW}:
 * τ only known to exceed {@link HeterogeneityMaps#tauLimitSeconds()}) is left out of that position's
 * fit and counted in {@link #censoredTemperatures()}. This is the simplest honest choice: the fit
 * of the remaining (warmer, faster) temperatures is unbiased when the law holds, because whether the
 * coldest τ was resolved does not depend on the noise of the others; the price is a larger σ_E
 * there (fewer, closer temperatures), and positions censored at all but two temperatures get no E.
 * A censored (Tobit) likelihood would use the limits as well, but with 3–5 points per position its
 * maximum is often at the boundary and its Wald errors are not to be trusted. Note the selection
 * this leaves: positions slow at every temperature (censored at three or more) have no E, so E(r)
 * describes the positions whose τ the recordings resolve.
 *
 * <p><b>Errors.</b> σ_E(r) is the stated error of each position's fit. The χ² of all fitted
 * positions is pooled, {@code χ²_pool = Σ_r χ²_r / Σ_r ν_r}, and the errors are scaled by it as the
 * {@link Arrhenius.Scaling} says (default {@link Arrhenius.Scaling#IF_ABOVE_ONE}: multiplied by
 * √χ²_pool when it exceeds 1, the Birge ratio over the map): per-position χ²_ν with 1–3 degrees of
 * freedom is far too noisy to scale each position by its own (it would widen half the intervals
 * several-fold and shrink none), while the pooled one catches τ errors that are too small all over
 * the map. Calibration on synthetic maps with known σ (test
 * {@code ActivationEnergyMapTest.recoversAVaryingEnergyFieldWithCalibratedErrors}): see
 * docs/structure-statistics.md, "Activation-energy map E(r)".
 *
 * <p>The maps use the reference scan's step; {@link #originY()}, {@link #originX()} place them in
 * the reference scan. Positions' fits are independent of one another, and so are their errors (the
 * jackknife errors are per position); neighbouring E values are nevertheless correlated through the
 * overlap of the probe, as every map is.
 */
public final class ActivationEnergyMap {

    /** Half-width of the registration search as a fraction of the reference scan's extent. */
    public static final double SEARCH_FRACTION = 0.25;

    /** Search-corrected p-value above which a temperature's V map is taken not to register. */
    public static final double REGISTRATION_P_VALUE = 0.01;

    /** Number of temperatures with a measured τ a position needs for its E. */
    public static final int MIN_TEMPERATURES = 3;

    /**
     * How one temperature's maps sit on the reference (coldest) scan.
     *
     * @param temperatureKelvin the temperature in K
     * @param dy scan rows: reference row y shows the same place as row y + dy of this temperature's maps
     * @param dx scan columns, likewise
     * @param rho Spearman's ρ of the two V maps over their overlap at this offset (NaN for the reference)
     * @param overlap positions valid in both V maps at this offset
     * @param effectiveSampleSize n_eff of the overlap (NaN for the reference)
     * @param offsetsSearched number of offsets compared (0 for the reference)
     * @param pValue search-corrected p-value of ρ, {@code min(1, M · p_t(ρ, n_eff))} (NaN for the reference)
     */
    public record Registration(double temperatureKelvin, int dy, int dx, double rho, int overlap,
                               double effectiveSampleSize, int offsetsSearched, double pValue) {

        /**
         * Validates.
         *
         * @param temperatureKelvin the temperature in K
         * @param dy scan rows: reference row y shows the same place as row y + dy of this temperature's maps
         * @param dx scan columns, likewise
         * @param rho Spearman's ρ of the two V maps over their overlap at this offset (NaN for the reference)
         * @param overlap positions valid in both V maps at this offset
         * @param effectiveSampleSize n_eff of the overlap (NaN for the reference)
         * @param offsetsSearched number of offsets compared (0 for the reference)
         * @param pValue search-corrected p-value of ρ, {@code min(1, M · p_t(ρ, n_eff))} (NaN for the reference)
         */
        public Registration {
            Checks.positive("temperatureKelvin", temperatureKelvin);
            if (overlap < 0 || offsetsSearched < 0) {
                throw new IllegalArgumentException(Checks.format(
                    "counts are negative: overlap %d, offsetsSearched %d", overlap, offsetsSearched));
            }
        }

        /** @return whether this is the reference temperature (nothing searched) */
        public boolean isReference() {
            return offsetsSearched == 0;
        }
    }

    private final double[] temperatures;
    private final List<Registration> registrations;
    private final int originY;
    private final int originX;
    private final int referenceScanY;
    private final int referenceScanX;
    private final ScalarMap energy;
    private final ScalarMap energyError;
    private final ScalarMap lnTauInf;
    private final ScalarMap used;
    private final ScalarMap censored;
    private final ScalarMap chiSquare;
    private final double pooledChiSquare;
    private final Arrhenius.Scaling scaling;

    private ActivationEnergyMap(double[] temperatures, List<Registration> registrations, int[] frame, ScalarMap[] maps,
                                double pooledChiSquare, Arrhenius.Scaling scaling) {
        this.temperatures = temperatures;
        this.registrations = registrations;
        this.originY = frame[0];
        this.originX = frame[1];
        this.referenceScanY = frame[2];
        this.referenceScanX = frame[3];
        this.energy = maps[0];
        this.energyError = maps[1];
        this.lnTauInf = maps[2];
        this.used = maps[3];
        this.censored = maps[4];
        this.chiSquare = maps[5];
        this.pooledChiSquare = pooledChiSquare;
        this.scaling = scaling;
    }

    /**
     * @param maps analysed maps of one area, one per temperature, each knowing its temperature
     * @return the map, errors scaled by the pooled χ² when it exceeds 1
     */
    public static ActivationEnergyMap of(List<HeterogeneityMaps> maps) {
        return of(maps, TemperatureSeries.temperaturesOf(maps), Arrhenius.Scaling.IF_ABOVE_ONE);
    }

    /**
     * @param maps analysed maps of one area, one per temperature
     * @param temperaturesKelvin the temperature of each, in K (overrides the maps' own)
     * @return the map, errors scaled by the pooled χ² when it exceeds 1
     */
    public static ActivationEnergyMap of(List<HeterogeneityMaps> maps, double[] temperaturesKelvin) {
        return of(maps, temperaturesKelvin, Arrhenius.Scaling.IF_ABOVE_ONE);
    }

    /**
     * @param maps analysed maps of one area, one per temperature (τ and V parts both needed; scans may
     *     differ in size and be offset from one another)
     * @param temperaturesKelvin the temperature of each, in K (at least {@value #MIN_TEMPERATURES}
     *     distinct)
     * @param scaling how the pooled χ² scales the errors ({@link Arrhenius.Scaling})
     * @return the map
     * @throws IllegalArgumentException if a temperature's V map does not register onto the coldest's
     *     (naming the temperature, its best offset, ρ and p), if no position is covered by every
     *     temperature, or if a map lacks τ or V
     */
    public static ActivationEnergyMap of(List<HeterogeneityMaps> maps, double[] temperaturesKelvin,
                                         Arrhenius.Scaling scaling) {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(temperaturesKelvin, "temperaturesKelvin");
        Objects.requireNonNull(scaling, "scaling");
        Checks.length("temperaturesKelvin", maps.size(), temperaturesKelvin.length);
        Integer[] order = TemperatureSeries.ascending(temperaturesKelvin);
        List<HeterogeneityMaps> sorted = new ArrayList<>();
        double[] t = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            HeterogeneityMaps m = Objects.requireNonNull(maps.get(i), "maps[" + i + "]");
            t[k] = Checks.positive("temperaturesKelvin[" + i + "]", temperaturesKelvin[i]);
            if (!m.hasDynamics() || !m.hasStructure()) {
                throw new IllegalArgumentException(Checks.format(
                    "maps[%d] (%.1f K) holds no %s map; an activation-energy map needs τ at every temperature and V "
                        + "to register the scans", i, t[k], m.hasDynamics() ? "V" : "τ"));
            }
            sorted.add(m);
        }
        long distinct = Arrays.stream(t).distinct().count();
        if (distinct < MIN_TEMPERATURES) {
            throw new IllegalArgumentException(Checks.format(
                "temperaturesKelvin holds %d distinct temperature(s) %s; an activation-energy map needs at least %d",
                distinct, Arrays.toString(t), MIN_TEMPERATURES));
        }
        HeterogeneityMaps ref = sorted.get(0);
        List<Registration> regs = new ArrayList<>();
        regs.add(new Registration(t[0], 0, 0, Double.NaN, ref.speckleVariance().validCount(), Double.NaN, 0, Double.NaN));
        for (int k = 1; k < t.length; k++) {
            Registration r = register(ref.speckleVariance(), sorted.get(k).speckleVariance(), t[k]);
            if (!(r.rho() > 0) || !(r.pValue() <= REGISTRATION_P_VALUE)) {
                throw new IllegalArgumentException(Checks.format(
                    "the V map at %.1f K does not register onto the one at %.1f K: best offset (dy %d, dx %d) of %d searched "
                        + "has rho %.3f over %d positions, search-corrected p %.2g > %s; an activation-energy map needs the "
                        + "same area at every temperature", t[k], t[0], r.dy(), r.dx(), r.offsetsSearched(), r.rho(), r.overlap(),
                    r.pValue(), REGISTRATION_P_VALUE));
            }
            regs.add(r);
        }
        // The rectangle of reference positions that every temperature covers.
        int y0 = 0;
        int x0 = 0;
        int y1 = ref.scanY();
        int x1 = ref.scanX();
        for (int k = 0; k < t.length; k++) {
            Registration r = regs.get(k);
            y0 = Math.max(y0, -r.dy());
            x0 = Math.max(x0, -r.dx());
            y1 = Math.min(y1, sorted.get(k).scanY() - r.dy());
            x1 = Math.min(x1, sorted.get(k).scanX() - r.dx());
        }
        if (y1 <= y0 || x1 <= x0) {
            throw new IllegalArgumentException(Checks.format(
                "no position is covered at every temperature (offsets %s)", regs.stream().map(r -> "(" + r.dy() + ", " + r.dx() + ")").toList()));
        }
        return fit(sorted, t, regs, new int[] {y0, x0, y1 - y0, x1 - x0}, scaling);
    }

    /**
     * The integer offset that best registers {@code other} onto {@code ref}, with its search-corrected
     * p-value.
     */
    static Registration register(ScalarMap ref, ScalarMap other, double temperatureKelvin) {
        int hy = (int) Math.floor(SEARCH_FRACTION * ref.scanY());
        int hx = (int) Math.floor(SEARCH_FRACTION * ref.scanX());
        int wy = 2 * hy + 1;
        int wx = 2 * hx + 1;
        double[] a = ref.values();
        double[] b = other.values();
        double[] rho = new double[wy * wx];
        // Offsets are independent; each writes its own entry, so the result does not depend on scheduling.
        IntStream.range(0, rho.length).parallel().forEach(s -> {
            double[][] pair = overlap(a, ref.scanY(), ref.scanX(), b, other.scanY(), other.scanX(), s / wx - hy, s % wx - hx);
            rho[s] = pair[0].length >= 3 ? Spearman.rho(pair[0], pair[1]) : Double.NaN;
        });
        int best = -1;
        int searched = 0;
        for (int s = 0; s < rho.length; s++) {
            if (!Double.isNaN(rho[s])) {
                searched++;
                if (best < 0 || rho[s] > rho[best]) {
                    best = s;
                }
            }
        }
        if (best < 0) {
            return new Registration(temperatureKelvin, 0, 0, Double.NaN, 0, Double.NaN, 0, Double.NaN);
        }
        int dy = best / wx - hy;
        int dx = best % wx - hx;
        int[] box = box(ref.scanY(), ref.scanX(), other.scanY(), other.scanX(), dy, dx);
        ScalarMap ca = crop(ref, box[0], box[1], box[2], box[3], 0, 0);
        ScalarMap cb = crop(other, box[0], box[1], box[2], box[3], dy, dx);
        RankCorrelation rc = Spearman.test(ca, cb);
        int n = rc.n();
        double nEff = Double.isNaN(rc.effectiveSampleSize()) ? n : rc.effectiveSampleSize();
        double m = Math.max(1, Math.min(searched, searched * nEff / n));
        double pt = Spearman.asymptoticPValue(rho[best], (int) Math.floor(nEff));
        double p = Double.isNaN(pt) ? 1 : Math.min(1, m * pt);
        return new Registration(temperatureKelvin, dy, dx, rho[best], n, nEff, searched, p);
    }

    /**
     * The reference rows and columns {@code [y0, y1) × [x0, x1)} whose shifted positions lie in the
     * other scan, as {@code {y0, x0, y1, x1}} (empty when y1 ≤ y0 or x1 ≤ x0).
     */
    private static int[] box(int ny, int nx, int otherNy, int otherNx, int dy, int dx) {
        return new int[] {Math.max(0, -dy), Math.max(0, -dx), Math.min(ny, otherNy - dy), Math.min(nx, otherNx - dx)};
    }

    /** The V values at reference positions of the overlap and at the same places of the other map. */
    private static double[][] overlap(double[] a, int ny, int nx, double[] b, int otherNy, int otherNx, int dy, int dx) {
        int[] box = box(ny, nx, otherNy, otherNx, dy, dx);
        int h = Math.max(0, box[2] - box[0]);
        int w = Math.max(0, box[3] - box[1]);
        double[] va = new double[h * w];
        double[] vb = new double[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                va[y * w + x] = a[(box[0] + y) * nx + box[1] + x];
                vb[y * w + x] = b[(box[0] + y + dy) * otherNx + box[1] + x + dx];
            }
        }
        return new double[][] {va, vb};
    }

    /** Rows [y0, y1) and columns [x0, x1) of the reference frame, read at (y + dy, x + dx) of the map. */
    private static ScalarMap crop(ScalarMap map, int y0, int x0, int y1, int x1, int dy, int dx) {
        double[] v = map.values();
        int h = y1 - y0;
        int w = x1 - x0;
        double[] out = new double[h * w];
        for (int y = 0; y < h; y++) {
            System.arraycopy(v, (y0 + y + dy) * map.scanX() + x0 + dx, out, y * w, w);
        }
        return ScalarMap.of(map.name(), map.unit(), h, w, out, map.scanStepYNm(), map.scanStepXNm());
    }

    /** The per-position fits over the common rectangle {@code frame = {y0, x0, height, width}}. */
    private static ActivationEnergyMap fit(List<HeterogeneityMaps> maps, double[] t, List<Registration> regs, int[] frame,
                                           Arrhenius.Scaling scaling) {
        int nt = t.length;
        double[][] tau = new double[nt][];
        double[][] err = new double[nt][];
        double[][] limit = new double[nt][];
        for (int k = 0; k < nt; k++) {
            tau[k] = maps.get(k).reliableTauSeconds().values();
            err[k] = maps.get(k).tauErrorSeconds().values();
            limit[k] = maps.get(k).tauLimitSeconds().values();
        }
        int h = frame[2];
        int w = frame[3];
        int n = h * w;
        double[][] out = new double[6][n];
        for (double[] o : out) {
            Arrays.fill(o, Double.NaN);
        }
        double chi2 = 0;
        long dof = 0;
        double[] ft = new double[nt];
        double[] ftau = new double[nt];
        double[] ferr = new double[nt];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int m = 0;
                int c = 0;
                for (int k = 0; k < nt; k++) {
                    int i = (frame[0] + y + regs.get(k).dy()) * maps.get(k).scanX() + frame[1] + x + regs.get(k).dx();
                    double e = err[k][i];
                    if (tau[k][i] > 0 && Double.isFinite(tau[k][i]) && e > 0 && Double.isFinite(e)) {
                        ft[m] = t[k];
                        ftau[m] = tau[k][i];
                        ferr[m] = e;
                        m++;
                    } else if (Double.isFinite(limit[k][i])) {
                        c++;
                    }
                }
                int p = y * w + x;
                out[3][p] = m;
                out[4][p] = c;
                if (m >= MIN_TEMPERATURES && Arrays.stream(ft, 0, m).distinct().count() >= 2) {
                    ArrheniusFit f = Arrhenius.fit(Arrays.copyOf(ft, m), Arrays.copyOf(ftau, m), Arrays.copyOf(ferr, m),
                        TauSummary.MEAN, Arrhenius.Scaling.NONE);
                    out[0][p] = f.activationEnergyKJPerMol();
                    out[1][p] = f.activationEnergyErrorKJPerMol();
                    out[2][p] = Math.log(f.tauInfSeconds());
                    out[5][p] = f.reducedChiSquare();
                    chi2 += f.reducedChiSquare() * (m - 2);
                    dof += m - 2;
                }
            }
        }
        double pooled = dof > 0 ? chi2 / dof : Double.NaN;
        double root = Math.sqrt(Arrhenius.varianceFactor(scaling, pooled));
        for (int p = 0; p < n; p++) {
            out[1][p] *= root;
        }
        ScalarMap ref = maps.get(0).tauSeconds();
        double sy = ref.scanStepYNm();
        double sx = ref.scanStepXNm();
        String[][] names = {{"E_kJ_per_mol", "kJ/mol"}, {"E_err_kJ_per_mol", "kJ/mol"}, {"ln_tau_inf", "ln s"},
            {"n_temperatures", ""}, {"n_censored", ""}, {"reduced_chi_square", ""}};
        ScalarMap[] result = new ScalarMap[names.length];
        for (int j = 0; j < names.length; j++) {
            result[j] = ScalarMap.of(names[j][0], names[j][1], h, w, out[j], sy, sx);
        }
        return new ActivationEnergyMap(t, List.copyOf(regs),
            new int[] {frame[0], frame[1], maps.get(0).scanY(), maps.get(0).scanX()}, result, pooled, scaling);
    }

    /** @return E(r) in kJ/mol over the common rectangle, NaN where fewer than {@value #MIN_TEMPERATURES} temperatures count */
    public ScalarMap energyKJPerMol() {
        return energy;
    }

    /** @return σ_E(r) in kJ/mol, scaled by the pooled χ² as {@link #scaling()} says; NaN where E is */
    public ScalarMap energyErrorKJPerMol() {
        return energyError;
    }

    /** @return ln τ∞(r) with τ∞ in s (the extrapolation to 1/T = 0); NaN where E is */
    public ScalarMap lnTauInfSeconds() {
        return lnTauInf;
    }

    /** @return number of temperatures with a measured τ at each position (fitted where &ge; {@value #MIN_TEMPERATURES}) */
    public ScalarMap temperaturesUsed() {
        return used;
    }

    /** @return number of temperatures at which each position's τ is right-censored (left out of its fit) */
    public ScalarMap censoredTemperatures() {
        return censored;
    }

    /** @return each position's reduced χ² (n − 2 degrees of freedom), before any scaling; NaN where E is */
    public ScalarMap reducedChiSquare() {
        return chiSquare;
    }

    /** @return Σ χ² / Σ ν over the fitted positions (expectation 1 when the law holds and the τ errors are right) */
    public double pooledReducedChiSquare() {
        return pooledChiSquare;
    }

    /** @return how {@link #pooledReducedChiSquare()} scaled the errors */
    public Arrhenius.Scaling scaling() {
        return scaling;
    }

    /** @return one registration per temperature, ascending in temperature, the reference first (unmodifiable) */
    public List<Registration> registrations() {
        return registrations;
    }

    /** @return the temperatures in K, ascending (a copy) */
    public double[] temperaturesKelvin() {
        return temperatures.clone();
    }

    /** @return the reference-scan row of the maps' first row */
    public int originY() {
        return originY;
    }

    /** @return the reference-scan column of the maps' first column */
    public int originX() {
        return originX;
    }

    /** @return number of positions with an E */
    public int fittedPositions() {
        return energy.validCount();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivationEnergyMap e && Arrays.equals(temperatures, e.temperatures)
            && registrations.equals(e.registrations) && originY == e.originY && originX == e.originX
            && energy.equals(e.energy) && energyError.equals(e.energyError) && lnTauInf.equals(e.lnTauInf)
            && used.equals(e.used) && censored.equals(e.censored) && chiSquare.equals(e.chiSquare) && scaling == e.scaling;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(temperatures), registrations, energy, energyError, scaling);
    }

    /** @return shape, offsets, median E with its interquartile range, median σ_E and the pooled χ² */
    @Override
    public String toString() {
        StringBuilder offsets = new StringBuilder();
        for (Registration r : registrations) {
            if (!r.isReference()) {
                offsets.append(Checks.format("%s%.0f K (%+d, %+d) ρ %.2f", offsets.length() == 0 ? "" : ", ",
                    r.temperatureKelvin(), r.dy(), r.dx(), r.rho()));
            }
        }
        return Checks.format("ActivationEnergyMap[%d temperatures %.0f–%.0f K, %d×%d of the %d×%d scan at (%d, %d), "
                + "%d positions fitted (≥ %d measured temperatures), median E %.4g kJ/mol, IQR %.4g–%.4g, median σ_E %.2g "
                + "kJ/mol, pooled χ²/ν %.3g (%s); offsets onto %.0f K: %s]",
            temperatures.length, temperatures[0], temperatures[temperatures.length - 1], energy.scanY(), energy.scanX(),
            referenceScanY, referenceScanX, originY, originX, fittedPositions(), MIN_TEMPERATURES, energy.median(),
            energy.quantile(0.25), energy.quantile(0.75), energyError.median(), pooledChiSquare,
            scaling == Arrhenius.Scaling.IF_ABOVE_ONE ? "errors scaled if > 1"
                : scaling == Arrhenius.Scaling.ALWAYS ? "errors scaled" : "stated errors",
            temperatures[0], offsets.length() == 0 ? "none" : offsets);
    }
}
