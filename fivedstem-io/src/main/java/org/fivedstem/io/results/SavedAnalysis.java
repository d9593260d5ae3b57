/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.fivedstem.api.Calibration;
import org.fivedstem.api.FitStatus;
import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.QRange;
import org.fivedstem.api.RankCorrelation;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.engine.AnalysisResult;
import org.fivedstem.core.engine.AnalysisSettings;

/**
 * An analysis as a results file holds it: the maps, every position's g(t) (optional), the
 * {@link AnalysisSettings} it was done with, Spearman's ρ between τ and V, where the data came from
 * ({@link Provenance}) and what was done to the recording first ({@link Preparation}). What
 * {@link ResultsFile#read} gives back; {@link #of(AnalysisResult, Provenance)} makes one of a run.
 *
 * <p>The in-memory {@link AnalysisResult} of {@code Analysis.run()} holds more (pair counts, V(Q) per
 * position, stage timings); this is the part that is saved. Immutable.
 */
public final class SavedAnalysis {

    private final HeterogeneityMaps maps;
    private final ResultCurves curves;
    private final AnalysisSettings settings;
    private final RankCorrelation spearman;
    private final Provenance provenance;
    private final Preparation preparation;
    private final ResultProfiles profiles;
    private final Set<String> unrecorded;

    private SavedAnalysis(HeterogeneityMaps maps, ResultCurves curves, AnalysisSettings settings, RankCorrelation spearman,
                          Provenance provenance, Preparation preparation, ResultProfiles profiles, Set<String> unrecorded) {
        this.maps = maps;
        this.curves = curves;
        this.profiles = profiles;
        this.settings = settings;
        this.spearman = spearman;
        this.provenance = provenance;
        this.preparation = preparation;
        this.unrecorded = unrecorded;
    }

    /**
     * @param result a run of {@code Analysis}
     * @param provenance where its data came from
     * @return the maps, curves (when the dynamics part ran and the run holds them), V(Q) profiles (when the structure part ran),
     *     settings and ρ of the run; no preparation ({@link #withPreparation} adds it)
     */
    public static SavedAnalysis of(AnalysisResult result, Provenance provenance) {
        Objects.requireNonNull(result, "result");
        HeterogeneityMaps m = result.maps();
        ResultCurves curves = result.hasCurves()
            ? ResultCurves.adopt(m.scanY(), m.scanX(), result.lagsSeconds(), result.correlationValues(), result.correlationStdErrs())
            : null;
        SavedAnalysis saved = of(m, curves, result.settings(), result.spearman().orElse(null), provenance);
        if (!result.hasStructure()) {
            return saved;
        }
        QRange[] bins = result.structureBins();
        double[] v = new double[m.scanY() * m.scanX() * bins.length];
        for (int y = 0; y < m.scanY(); y++) {
            for (int x = 0; x < m.scanX(); x++) {
                System.arraycopy(result.speckleVarianceProfile(y, x), 0, v, (y * m.scanX() + x) * bins.length, bins.length);
            }
        }
        return saved.withProfiles(ResultProfiles.adopt(m.scanY(), m.scanX(), bins, v));
    }

    /**
     * @param maps the maps
     * @param curves the curves of the same scan, or {@code null} to store none
     * @param settings how the analysis was done; a part it names must have its maps and vice versa
     * @param spearman ρ between the τ and V maps, or {@code null} if not computed
     * @param provenance where the data came from
     * @return the saved analysis, without preparation
     */
    public static SavedAnalysis of(HeterogeneityMaps maps, ResultCurves curves, AnalysisSettings settings,
                                   RankCorrelation spearman, Provenance provenance) {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(provenance, "provenance");
        if (curves != null && (curves.scanY() != maps.scanY() || curves.scanX() != maps.scanX())) {
            throw new IllegalArgumentException(Checks.format("curves cover %d×%d positions but the maps %d×%d",
                curves.scanY(), curves.scanX(), maps.scanY(), maps.scanX()));
        }
        if (settings.dynamics().isPresent() != maps.hasDynamics() || settings.structure().isPresent() != maps.hasStructure()) {
            throw new IllegalArgumentException(Checks.format("the settings describe %s but the maps hold %s",
                parts(settings.dynamics().isPresent(), settings.structure().isPresent()),
                parts(maps.hasDynamics(), maps.hasStructure())));
        }
        return new SavedAnalysis(maps, curves, settings, spearman, provenance, Preparation.none(), null, Set.of());
    }

    private static String parts(boolean dynamics, boolean structure) {
        return dynamics && structure ? "dynamics and structure" : dynamics ? "dynamics only" : structure ? "structure only" : "neither part";
    }

    /**
     * @param p what was done to the recording before the analysis (mask used, centre, exclusions, drift)
     * @return a copy with it
     */
    public SavedAnalysis withPreparation(Preparation p) {
        return new SavedAnalysis(maps, curves, settings, spearman, provenance, Objects.requireNonNull(p, "preparation"), profiles,
            unrecorded);
    }

    /**
     * @param p the V(Q) profile of every position, of the same scan; {@code null} to store none
     * @return a copy with them
     * @throws IllegalArgumentException if the profiles cover another scan, or the maps hold no V
     */
    public SavedAnalysis withProfiles(ResultProfiles p) {
        if (p != null && (p.scanY() != maps.scanY() || p.scanX() != maps.scanX())) {
            throw new IllegalArgumentException(Checks.format("profiles cover %d×%d positions but the maps %d×%d",
                p.scanY(), p.scanX(), maps.scanY(), maps.scanX()));
        }
        if (p != null && !maps.hasStructure()) {
            throw new IllegalArgumentException("V(Q) profiles given for an analysis without its structure part");
        }
        return new SavedAnalysis(maps, curves, settings, spearman, provenance, preparation, p, unrecorded);
    }

    /**
     * @param attributes names of results-file attributes that the file lacked and were read as the
     *     defaults of the time (see {@link #unrecordedSettings()})
     * @return a copy naming them
     */
    SavedAnalysis withUnrecorded(Set<String> attributes) {
        return new SavedAnalysis(maps, curves, settings, spearman, provenance, preparation, profiles,
            java.util.Collections.unmodifiableSet(new TreeSet<>(attributes)));
    }

    /** @return the maps */
    public HeterogeneityMaps maps() {
        return maps;
    }

    /** @return the curves, if stored */
    public Optional<ResultCurves> curves() {
        return Optional.ofNullable(curves);
    }

    /** @return the V(Q) profile of every position, if stored (files written before they were stored, and analyses
     *     without the structure part, hold none) */
    public Optional<ResultProfiles> profiles() {
        return Optional.ofNullable(profiles);
    }

    /** @return how the analysis was done */
    public AnalysisSettings settings() {
        return settings;
    }

    /** @return Spearman's ρ between the τ and V maps, if it was computed */
    public Optional<RankCorrelation> spearman() {
        return Optional.ofNullable(spearman);
    }

    /**
     * @return the p-value to report for ρ: the one that respects the maps' spatial autocorrelation where
     *     it was computed, else the independent-positions one (far too small for overlapping positions);
     *     NaN without ρ
     */
    public double reportedSpearmanP() {
        if (spearman == null) {
            return Double.NaN;
        }
        return spearman.reportedPValue();
    }

    /** @return where the data came from */
    public Provenance provenance() {
        return provenance;
    }

    /** @return what was done to the recording before the analysis ({@link Preparation#none()} if nothing stored) */
    public Preparation preparation() {
        return preparation;
    }

    /** @return positions with a reliable fit ({@link FitStatus#CONVERGED}) */
    public int validCount() {
        return maps.hasDynamics() ? maps.count(FitStatus.CONVERGED) : 0;
    }

    /**
     * @return the results-file attributes a file read lacked (written by an earlier version) whose settings
     *     were read as documented in {@code docs/results-format.md} — the defaults of the time, or what
     *     the file's other attributes imply; empty for files written by this version
     */
    public Set<String> unrecordedSettings() {
        return unrecorded;
    }

    /**
     * The settings in which this analysis differs from another so that their τ and V cannot be compared
     * as they stand (a temperature series needs them equal): the dynamics and structure Q ranges,
     * binning, γ mode (free or the fixed value), normalisation, standard-error method, estimator,
     * pooling, shot-noise correction of V, and the calibration of the analysed patterns and scan (pixel
     * size in nm⁻¹, scan step in nm; equal to a relative 10⁻⁶). Not compared: the frame interval
     * (series at different temperatures are often recorded at different rates), input, crop, centre,
     * temperature.
     *
     * @param other the other analysis
     * @return one entry per differing setting, {@code "<setting> (<attribute>): <this value> vs <other
     *     value>"} with the results-file attribute name and value, in a fixed order; empty if none differs
     */
    public List<String> settingDifferences(SavedAnalysis other) {
        Objects.requireNonNull(other, "other");
        List<String> d = new ArrayList<>();
        AnalysisSettings a = settings;
        AnalysisSettings b = other.settings;
        differ(d, "parts analysed (dynamics_analysed, structure_analysed)", parts(a.dynamics().isPresent(), a.structure().isPresent()),
            parts(b.dynamics().isPresent(), b.structure().isPresent()));
        Optional<AnalysisSettings.Dynamics> da = a.dynamics();
        Optional<AnalysisSettings.Dynamics> db = b.dynamics();
        if (da.isPresent() && db.isPresent()) {
            differ(d, "dynamics Q range (dyn_q_inv_nm)", da.get().range(), db.get().range());
        }
        if (a.structure().isPresent() && b.structure().isPresent()) {
            differ(d, "structure Q range (struct_q_inv_nm)", a.structure().get().range(), b.structure().get().range());
        }
        differ(d, "binning (bin)", provenance.bin(), other.provenance.bin());
        if (da.isPresent() && db.isPresent()) {
            AnalysisSettings.Dynamics x = da.get();
            AnalysisSettings.Dynamics y = db.get();
            differ(d, "gamma mode (gamma_mode)", gammaMode(x), gammaMode(y));
            differ(d, "normalisation", x.correlation().normalisation(), y.correlation().normalisation());
            differ(d, "standard-error method (stderr_method)", SchemaNames.of(x.correlation().stdErrMethod()),
                SchemaNames.of(y.correlation().stdErrMethod()));
            differ(d, "estimator", SchemaNames.of(x.estimator()), SchemaNames.of(y.estimator()));
        }
        differ(d, "pooling (pool)", a.pooling(), b.pooling());
        if (a.structure().isPresent() && b.structure().isPresent()) {
            differ(d, "shot-noise correction of V (speckle_variance_shot_noise_gain)", a.structure().get().shotNoiseCorrection(),
                b.structure().get().shotNoiseCorrection());
        }
        Calibration ca = a.calibration();
        Calibration cb = b.calibration();
        if (!close(ca.pixelSizeInverseNm(), cb.pixelSizeInverseNm())) {
            d.add(Checks.format("pixel size (pixel_size_inv_nm): %s vs %s nm⁻¹", ca.pixelSizeInverseNm(), cb.pixelSizeInverseNm()));
        }
        if (!close(ca.scanStepYNm(), cb.scanStepYNm()) || !close(ca.scanStepXNm(), cb.scanStepXNm())) {
            d.add(Checks.format("scan step (scan_step_nm): %s×%s vs %s×%s nm", ca.scanStepYNm(), ca.scanStepXNm(),
                cb.scanStepYNm(), cb.scanStepXNm()));
        }
        return List.copyOf(d);
    }

    private static String gammaMode(AnalysisSettings.Dynamics d) {
        return d.fit().gammaFree() ? "free" : "fixed at " + d.fit().gammaFixed();
    }

    private static void differ(List<String> d, String setting, Object a, Object b) {
        if (!a.equals(b)) {
            d.add(setting + ": " + a + " vs " + b);
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SavedAnalysis s && maps.equals(s.maps) && Objects.equals(curves, s.curves)
            && Objects.equals(profiles, s.profiles) && settings.equals(s.settings) && Objects.equals(spearman, s.spearman) && provenance.equals(s.provenance)
            && preparation.equals(s.preparation) && unrecorded.equals(s.unrecorded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maps, curves, settings, spearman, provenance, preparation);
    }

    @Override
    public String toString() {
        return "SavedAnalysis[" + maps + (curves == null ? "" : ", " + curves)
            + (profiles == null ? "" : ", " + profiles) + ", " + settings
            + (spearman == null ? "" : ", " + spearman) + ", " + provenance + (preparation.isEmpty() ? "" : ", " + preparation)
            + (unrecorded.isEmpty() ? "" : ", unrecorded " + unrecorded) + "]";
    }
}
