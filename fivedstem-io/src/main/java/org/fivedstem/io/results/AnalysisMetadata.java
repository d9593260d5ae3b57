package org.fivedstem.io.results;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Normalisation;
import org.fivedstem.api.QRange;
import org.fivedstem.api.internal.Checks;

/**
 * What produced a results file: the input, the calibration after binning, the analysis
 * parameters and summary statistics — the root attributes of {@code fivedstem-results/1} (see
 * {@code docs/results-format.md}). Immutable; assembled by the analysis engine or CLI with
 * {@link #builder()}, read back by {@link ResultsFile#read}.
 *
 * <p>Unknown numbers are NaN (e.g. the temperature, or Spearman's ρ when the dynamics were not
 * analysed). Equality compares doubles bit-wise (NaN equals NaN).
 */
public final class AnalysisMetadata {

    /** Weighting of the KWW fit. */
    public enum Weighting {
        /** Every lag weighs the same. */
        UNIFORM,
        /** Lags weighted by 1/σ² of g. */
        STDERR;

        /**
         * @param text {@code uniform} or {@code stderr}
         * @return the weighting
         */
        public static Weighting parse(String text) {
            for (Weighting w : values()) {
                if (w.toString().equals(text)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("weighting '" + text + "' is neither 'uniform' nor 'stderr'");
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The recorded standard-error methods: {@code pixel-groups} (delete-a-group-of-pixels jackknife),
     * {@code frame-blocks} (delete-a-frame-block jackknife), {@code none}, and {@code unrecorded}
     * (files written before the method was recorded).
     */
    public static final java.util.List<String> STD_ERR_METHODS = java.util.List.of("pixel-groups", "frame-blocks", "none",
        "unrecorded");

    /**
     * The estimators of τ and β a results file can record (root attribute {@code estimator}):
     * {@code least squares} (of g(k) over the fit window) and {@code quasi-likelihood} (on the
     * normalised pixel series, see {@code org.fivedstem.core.fitting.Estimator}).
     */
    public static final java.util.List<String> ESTIMATORS = java.util.List.of("least squares", "quasi-likelihood");

    private final String softwareVersion;
    private final String inputFile;
    private final String inputDataset;
    private final AxisOrder axes;
    private final double frameIntervalSeconds;
    private final double scanStepYNm;
    private final double scanStepXNm;
    private final double pixelSizeInverseNm;
    private final double centerKyPx;
    private final double centerKxPx;
    private final int bin;
    private final int[] crop;
    private final QRange dynamicsQ;
    private final QRange structureQ;
    private final int dynamicsPixels;
    private final int structurePixels;
    private final double shotNoiseGain;
    private final Normalisation normalisation;
    private final double gammaFixed;
    private final int fitFirstLag;
    private final int fitLastLag;
    private final Weighting weighting;
    private final String stdErrMethod;
    private final String estimator;
    private final int pooling;
    private final double temperatureKelvin;
    private final double spearmanRho;
    private final double spearmanP;
    private final int validCount;
    private final Instant created;

    private AnalysisMetadata(Builder b) {
        this.softwareVersion = b.softwareVersion;
        this.inputFile = b.inputFile;
        this.inputDataset = b.inputDataset;
        this.axes = b.axes;
        this.frameIntervalSeconds = b.frameIntervalSeconds;
        this.scanStepYNm = b.scanStepYNm;
        this.scanStepXNm = b.scanStepXNm;
        this.pixelSizeInverseNm = b.pixelSizeInverseNm;
        this.centerKyPx = b.centerKyPx;
        this.centerKxPx = b.centerKxPx;
        this.bin = b.bin;
        this.crop = b.crop.clone();
        this.dynamicsQ = b.dynamicsQ;
        this.structureQ = b.structureQ;
        this.dynamicsPixels = b.dynamicsPixels;
        this.structurePixels = b.structurePixels;
        this.shotNoiseGain = b.shotNoiseGain;
        this.normalisation = b.normalisation;
        this.gammaFixed = b.gammaFixed;
        this.fitFirstLag = b.fitFirstLag;
        this.fitLastLag = b.fitLastLag;
        this.weighting = b.weighting;
        this.stdErrMethod = b.stdErrMethod;
        this.estimator = b.estimator;
        this.pooling = b.pooling;
        this.temperatureKelvin = b.temperatureKelvin;
        this.spearmanRho = b.spearmanRho;
        this.spearmanP = b.spearmanP;
        this.validCount = b.validCount;
        this.created = b.created;
    }

    /** @return a builder; every required part must be set before {@link Builder#build()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this metadata's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.softwareVersion = softwareVersion;
        b.inputFile = inputFile;
        b.inputDataset = inputDataset;
        b.axes = axes;
        b.frameIntervalSeconds = frameIntervalSeconds;
        b.scanStepYNm = scanStepYNm;
        b.scanStepXNm = scanStepXNm;
        b.pixelSizeInverseNm = pixelSizeInverseNm;
        b.centerKyPx = centerKyPx;
        b.centerKxPx = centerKxPx;
        b.bin = bin;
        b.crop = crop.clone();
        b.dynamicsQ = dynamicsQ;
        b.structureQ = structureQ;
        b.dynamicsPixels = dynamicsPixels;
        b.structurePixels = structurePixels;
        b.shotNoiseGain = shotNoiseGain;
        b.normalisation = normalisation;
        b.gammaFixed = gammaFixed;
        b.fitFirstLag = fitFirstLag;
        b.fitLastLag = fitLastLag;
        b.weighting = weighting;
        b.stdErrMethod = stdErrMethod;
        b.estimator = estimator;
        b.pooling = pooling;
        b.temperatureKelvin = temperatureKelvin;
        b.spearmanRho = spearmanRho;
        b.spearmanP = spearmanP;
        b.validCount = validCount;
        b.created = created;
        return b;
    }

    /** @return the version of the software that wrote the results */
    public String softwareVersion() {
        return softwareVersion;
    }

    /** @return the input recording's file name or path */
    public String inputFile() {
        return inputFile;
    }

    /** @return the dataset path inside the input ("" for raw and .npy files) */
    public String inputDataset() {
        return inputDataset;
    }

    /** @return the input's axis order */
    public AxisOrder axes() {
        return axes;
    }

    /** @return frame interval in s */
    public double frameIntervalSeconds() {
        return frameIntervalSeconds;
    }

    /** @return scan step between rows in nm */
    public double scanStepYNm() {
        return scanStepYNm;
    }

    /** @return scan step between columns in nm */
    public double scanStepXNm() {
        return scanStepXNm;
    }

    /** @return pixel size after binning in nm⁻¹ */
    public double pixelSizeInverseNm() {
        return pixelSizeInverseNm;
    }

    /** @return centre row after binning in px */
    public double centerKyPx() {
        return centerKyPx;
    }

    /** @return centre column after binning in px */
    public double centerKxPx() {
        return centerKxPx;
    }

    /** @return the binning factor */
    public int bin() {
        return bin;
    }

    /** @return the analysed scan region {@code [yStart, yEnd, xStart, xEnd]} of the input, half-open (a copy) */
    public int[] crop() {
        return crop.clone();
    }

    /** @return the annulus of the dynamics analysis */
    public QRange dynamicsQ() {
        return dynamicsQ;
    }

    /** @return the annulus of the structure analysis */
    public QRange structureQ() {
        return structureQ;
    }

    /** @return valid pixels in the dynamics annulus */
    public int dynamicsPixels() {
        return dynamicsPixels;
    }

    /** @return valid pixels in the structure annulus */
    public int structurePixels() {
        return structurePixels;
    }

    /**
     * @return the detector gain in ADU per electron with which V was corrected for shot noise
     *     (root attribute {@code speckle_variance_shot_noise_gain}), or NaN if V is not corrected —
     *     as in files written before the attribute existed, when {@code analyze} could not correct
     */
    public double shotNoiseGainAduPerElectron() {
        return shotNoiseGain;
    }

    /** @return whether V is corrected for shot noise */
    public boolean isShotNoiseCorrected() {
        return !Double.isNaN(shotNoiseGain);
    }

    /** @return how g was normalised */
    public Normalisation normalisation() {
        return normalisation;
    }

    /** @return whether γ was fitted freely */
    public boolean isGammaFree() {
        return Double.isNaN(gammaFixed);
    }

    /** @return the value γ was fixed at, NaN if it was fitted */
    public double gammaFixed() {
        return gammaFixed;
    }

    /** @return first lag index of the fit window */
    public int fitFirstLag() {
        return fitFirstLag;
    }

    /** @return last lag index of the fit window (inclusive) */
    public int fitLastLag() {
        return fitLastLag;
    }

    /** @return the fit weighting */
    public Weighting weighting() {
        return weighting;
    }

    /**
     * @return how the standard errors of g (and the jackknife τ errors) were estimated: one of
     *     {@link #STD_ERR_METHODS}; {@code unrecorded} for files written before it was recorded
     */
    public String stdErrMethod() {
        return stdErrMethod;
    }

    /**
     * @return how τ and β were estimated: one of {@link #ESTIMATORS}; {@code least squares} for files
     *     written before it was recorded (the only estimator then)
     */
    public String estimator() {
        return estimator;
    }

    /**
     * @return the side K of the K × K neighbourhood whose g was averaged before fitting (1: none). With
     *     K &gt; 1 the τ errors describe the neighbourhood, not the position (neighbouring g are
     *     correlated, and the errors are the mean of the neighbours'); files written before it was
     *     recorded read as 1
     */
    public int pooling() {
        return pooling;
    }

    /** @return temperature in K, NaN if unknown */
    public double temperatureKelvin() {
        return temperatureKelvin;
    }

    /** @return Spearman's ρ between τ and V maps, NaN if not computed */
    public double spearmanRho() {
        return spearmanRho;
    }

    /** @return its p-value, NaN if not computed */
    public double spearmanP() {
        return spearmanP;
    }

    /** @return number of positions with a reliable fit */
    public int validCount() {
        return validCount;
    }

    /** @return when the analysis finished */
    public Instant created() {
        return created;
    }

    /**
     * The analysis settings in which this file differs from another, so that their τ and V cannot be
     * compared as they stand (a temperature series needs them equal): the dynamics and structure Q
     * ranges, binning, γ mode (free or the fixed value), normalisation, standard-error method, shot-noise
     * correction of V, and the calibration of the analysed patterns and scan (pixel size in nm⁻¹,
     * scan step in nm; equal to a relative 10⁻⁶). Not compared: the frame interval (series at
     * different temperatures are often recorded at different rates), input, crop, centre, temperature.
     *
     * @param other the other file's metadata
     * @return one entry per differing setting, {@code "<setting>: <this value> vs <other value>"}
     *     with the results-file attribute name, in a fixed order; empty if none differs
     */
    public java.util.List<String> settingDifferences(AnalysisMetadata other) {
        Objects.requireNonNull(other, "other");
        java.util.List<String> d = new java.util.ArrayList<>();
        differ(d, "dynamics Q range (dyn_q_inv_nm)", dynamicsQ, other.dynamicsQ);
        differ(d, "structure Q range (struct_q_inv_nm)", structureQ, other.structureQ);
        differ(d, "binning (bin)", bin, other.bin);
        differ(d, "gamma mode (gamma_mode)", gammaMode(), other.gammaMode());
        differ(d, "normalisation", normalisation, other.normalisation);
        differ(d, "standard-error method (stderr_method)", stdErrMethod, other.stdErrMethod);
        differ(d, "estimator", estimator, other.estimator);
        differ(d, "pooling (pool)", pooling, other.pooling);
        differ(d, "shot-noise correction of V (speckle_variance_shot_noise_gain)", shotNoiseMode(), other.shotNoiseMode());
        if (!close(pixelSizeInverseNm, other.pixelSizeInverseNm)) {
            d.add(Checks.format("pixel size (pixel_size_inv_nm): %s vs %s nm⁻¹", pixelSizeInverseNm, other.pixelSizeInverseNm));
        }
        if (!close(scanStepYNm, other.scanStepYNm) || !close(scanStepXNm, other.scanStepXNm)) {
            d.add(Checks.format("scan step (scan_step_nm): %s×%s vs %s×%s nm", scanStepYNm, scanStepXNm, other.scanStepYNm,
                other.scanStepXNm));
        }
        return java.util.List.copyOf(d);
    }

    private String gammaMode() {
        return isGammaFree() ? "free" : "fixed at " + gammaFixed;
    }

    private String shotNoiseMode() {
        return isShotNoiseCorrected() ? "corrected at gain " + shotNoiseGain + " ADU/e⁻" : "not corrected";
    }

    private static void differ(java.util.List<String> d, String setting, Object a, Object b) {
        if (!a.equals(b)) {
            d.add(setting + ": " + a + " vs " + b);
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AnalysisMetadata)) {
            return false;
        }
        AnalysisMetadata m = (AnalysisMetadata) o;
        return softwareVersion.equals(m.softwareVersion) && inputFile.equals(m.inputFile) && inputDataset.equals(m.inputDataset)
            && axes.equals(m.axes) && same(frameIntervalSeconds, m.frameIntervalSeconds) && same(scanStepYNm, m.scanStepYNm)
            && same(scanStepXNm, m.scanStepXNm) && same(pixelSizeInverseNm, m.pixelSizeInverseNm)
            && same(centerKyPx, m.centerKyPx) && same(centerKxPx, m.centerKxPx) && bin == m.bin && Arrays.equals(crop, m.crop)
            && dynamicsQ.equals(m.dynamicsQ) && structureQ.equals(m.structureQ) && dynamicsPixels == m.dynamicsPixels
            && structurePixels == m.structurePixels && same(shotNoiseGain, m.shotNoiseGain) && normalisation == m.normalisation && same(gammaFixed, m.gammaFixed)
            && fitFirstLag == m.fitFirstLag && fitLastLag == m.fitLastLag && weighting == m.weighting
            && stdErrMethod.equals(m.stdErrMethod) && estimator.equals(m.estimator) && pooling == m.pooling
            && same(temperatureKelvin, m.temperatureKelvin) && same(spearmanRho, m.spearmanRho) && same(spearmanP, m.spearmanP)
            && validCount == m.validCount && created.equals(m.created);
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputFile, inputDataset, axes, frameIntervalSeconds, pixelSizeInverseNm, bin, dynamicsQ, structureQ,
            normalisation, fitFirstLag, fitLastLag, created);
    }

    @Override
    public String toString() {
        return Checks.format("AnalysisMetadata[%s:%s %s, bin %d, crop %s, frame interval %.4g s, pixel %.4g nm⁻¹, "
                + "dyn %s (%d px), struct %s (%d px), V %s, %s, gamma %s, lags %d–%d, %s weights, %s, pool %d, SE %s, %s, rho %.3g (p %.2g), %d valid, %s, %s]",
            inputFile, inputDataset, axes, bin, Arrays.toString(crop), frameIntervalSeconds, pixelSizeInverseNm,
            dynamicsQ, dynamicsPixels, structureQ, structurePixels, isShotNoiseCorrected()
                ? Checks.format("shot-noise corrected at %.4g ADU/e⁻", shotNoiseGain) : "not shot-noise corrected", normalisation, isGammaFree() ? "free" : Double.toString(gammaFixed),
            fitFirstLag, fitLastLag, weighting, estimator, pooling, stdErrMethod, Double.isNaN(temperatureKelvin) ? "T unknown" : Checks.format("%.1f K", temperatureKelvin),
            spearmanRho, spearmanP, validCount, created, softwareVersion);
    }

    /** Assembles {@link AnalysisMetadata}; setters validate at once. */
    public static final class Builder {
        private String softwareVersion;
        private String inputFile;
        private String inputDataset = "";
        private AxisOrder axes = AxisOrder.DEFAULT;
        private double frameIntervalSeconds = Double.NaN;
        private double scanStepYNm = Double.NaN;
        private double scanStepXNm = Double.NaN;
        private double pixelSizeInverseNm = Double.NaN;
        private double centerKyPx = Double.NaN;
        private double centerKxPx = Double.NaN;
        private int bin = 1;
        private int[] crop;
        private QRange dynamicsQ;
        private QRange structureQ;
        private int dynamicsPixels = -1;
        private int structurePixels = -1;
        private double shotNoiseGain = Double.NaN;
        private Normalisation normalisation;
        private double gammaFixed = Double.NaN;
        private int fitFirstLag = -1;
        private int fitLastLag = -1;
        private Weighting weighting = Weighting.UNIFORM;
        private String stdErrMethod = "unrecorded";
        private String estimator = "least squares";
        private int pooling = 1;
        private double temperatureKelvin = Double.NaN;
        private double spearmanRho = Double.NaN;
        private double spearmanP = Double.NaN;
        private int validCount = -1;
        private Instant created;

        private Builder() {
        }

        /**
         * @param version e.g. {@code 0.1.0}
         * @return this builder
         */
        public Builder softwareVersion(String version) {
            this.softwareVersion = Objects.requireNonNull(version, "softwareVersion");
            return this;
        }

        /**
         * @param file the input recording (as the user named it)
         * @param dataset the dataset path inside it, or "" for raw and .npy inputs
         * @param order its axis order
         * @return this builder
         */
        public Builder input(String file, String dataset, AxisOrder order) {
            this.inputFile = Objects.requireNonNull(file, "inputFile");
            this.inputDataset = Objects.requireNonNull(dataset, "inputDataset");
            this.axes = Objects.requireNonNull(order, "axes");
            return this;
        }

        /**
         * The calibration of the analysed (binned) patterns.
         *
         * @param frameSeconds frame interval in s
         * @param stepYNm scan step between rows in nm
         * @param stepXNm scan step between columns in nm
         * @param pixelInverseNm pixel size after binning in nm⁻¹
         * @param kyPx centre row after binning in px
         * @param kxPx centre column after binning in px
         * @return this builder
         */
        public Builder calibration(double frameSeconds, double stepYNm, double stepXNm, double pixelInverseNm, double kyPx, double kxPx) {
            this.frameIntervalSeconds = Checks.positive("frameIntervalSeconds", frameSeconds);
            this.scanStepYNm = Checks.positive("scanStepYNm", stepYNm);
            this.scanStepXNm = Checks.positive("scanStepXNm", stepXNm);
            this.pixelSizeInverseNm = Checks.positive("pixelSizeInverseNm", pixelInverseNm);
            this.centerKyPx = Checks.finite("centerKyPx", kyPx);
            this.centerKxPx = Checks.finite("centerKxPx", kxPx);
            return this;
        }

        /**
         * @param factor binning factor (&ge; 1)
         * @param yStart first analysed scan row of the input
         * @param yEnd end row (exclusive)
         * @param xStart first column
         * @param xEnd end column (exclusive)
         * @return this builder
         */
        public Builder binAndCrop(int factor, int yStart, int yEnd, int xStart, int xEnd) {
            this.bin = Checks.positive("bin", factor);
            if (yStart < 0 || yEnd <= yStart || xStart < 0 || xEnd <= xStart) {
                throw new IllegalArgumentException(Checks.format("crop [%d, %d) × [%d, %d) is empty or negative", yStart, yEnd, xStart, xEnd));
            }
            this.crop = new int[] {yStart, yEnd, xStart, xEnd};
            return this;
        }

        /**
         * @param dyn dynamics annulus
         * @param dynPixels its valid pixel count (&ge; 0)
         * @param struct structure annulus
         * @param structPixels its valid pixel count (&ge; 0)
         * @return this builder
         */
        public Builder annuli(QRange dyn, int dynPixels, QRange struct, int structPixels) {
            this.dynamicsQ = Objects.requireNonNull(dyn, "dynamicsQ");
            this.structureQ = Objects.requireNonNull(struct, "structureQ");
            if (dynPixels < 0 || structPixels < 0) {
                throw new IllegalArgumentException(Checks.format("pixel counts are negative: %d, %d", dynPixels, structPixels));
            }
            this.dynamicsPixels = dynPixels;
            this.structurePixels = structPixels;
            return this;
        }

        /**
         * @param gainAduPerElectron the detector gain (finite, &gt; 0, ADU per electron) with which V
         *     was corrected for shot noise, or NaN if it was not (the default)
         * @return this builder
         */
        public Builder shotNoiseGain(double gainAduPerElectron) {
            this.shotNoiseGain = Double.isNaN(gainAduPerElectron) ? gainAduPerElectron
                : Checks.positive("shotNoiseGainAduPerElectron", gainAduPerElectron);
            return this;
        }

        /**
         * @param n normalisation of g
         * @param gammaFixedValue γ held fixed, or NaN for free
         * @param firstLag first fitted lag index (&ge; 0)
         * @param lastLag last fitted lag index (&ge; firstLag)
         * @param w weighting
         * @return this builder
         */
        public Builder fit(Normalisation n, double gammaFixedValue, int firstLag, int lastLag, Weighting w) {
            this.normalisation = Objects.requireNonNull(n, "normalisation");
            this.gammaFixed = Double.isNaN(gammaFixedValue) ? gammaFixedValue : Checks.positive("gammaFixed", gammaFixedValue);
            if (firstLag < 0 || lastLag < firstLag) {
                throw new IllegalArgumentException(Checks.format("fit window [%d, %d] is empty or negative", firstLag, lastLag));
            }
            this.fitFirstLag = firstLag;
            this.fitLastLag = lastLag;
            this.weighting = Objects.requireNonNull(w, "weighting");
            return this;
        }

        /**
         * @param k side of the K × K neighbourhood whose g was averaged before fitting (odd, &ge; 1; default 1)
         * @return this builder
         */
        public Builder pooling(int k) {
            if (k < 1 || k % 2 == 0) {
                throw new IllegalArgumentException(Checks.format("pooling is not an odd number >= 1: %d", k));
            }
            this.pooling = k;
            return this;
        }

        /**
         * @param name how τ and β were estimated, one of {@link #ESTIMATORS} (default {@code least squares})
         * @return this builder
         */
        public Builder estimator(String name) {
            Objects.requireNonNull(name, "estimator");
            if (!ESTIMATORS.contains(name)) {
                throw new IllegalArgumentException(Checks.format("estimator '%s' is not one of %s", name, ESTIMATORS));
            }
            this.estimator = name;
            return this;
        }

        /**
         * @param method how g's standard errors were estimated, one of {@link #STD_ERR_METHODS}
         *     (default {@code unrecorded})
         * @return this builder
         */
        public Builder stdErrMethod(String method) {
            Objects.requireNonNull(method, "stdErrMethod");
            if (!STD_ERR_METHODS.contains(method)) {
                throw new IllegalArgumentException(Checks.format("standard-error method '%s' is not one of %s", method,
                    STD_ERR_METHODS));
            }
            this.stdErrMethod = method;
            return this;
        }

        /**
         * @param kelvin temperature in K, or NaN if unknown
         * @return this builder
         */
        public Builder temperatureKelvin(double kelvin) {
            this.temperatureKelvin = Double.isNaN(kelvin) ? kelvin : Checks.positive("temperatureKelvin", kelvin);
            return this;
        }

        /**
         * @param rho Spearman's ρ in [−1, 1], or NaN
         * @param p its p-value in [0, 1], or NaN
         * @param valid positions with a reliable fit (&ge; 0)
         * @return this builder
         */
        public Builder statistics(double rho, double p, int valid) {
            if (!Double.isNaN(rho) && !(rho >= -1 && rho <= 1)) {
                throw new IllegalArgumentException(Checks.format("spearmanRho is outside [-1, 1]: %s", rho));
            }
            if (!Double.isNaN(p) && !(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(Checks.format("spearmanP is outside [0, 1]: %s", p));
            }
            if (valid < 0) {
                throw new IllegalArgumentException(Checks.format("validCount is negative: %d", valid));
            }
            this.spearmanRho = rho;
            this.spearmanP = p;
            this.validCount = valid;
            return this;
        }

        /**
         * @param when when the analysis finished
         * @return this builder
         */
        public Builder created(Instant when) {
            this.created = Objects.requireNonNull(when, "created");
            return this;
        }

        /**
         * @return the metadata
         * @throws IllegalStateException naming the first part not set
         */
        public AnalysisMetadata build() {
            require(softwareVersion != null, "softwareVersion");
            require(inputFile != null, "input");
            require(!Double.isNaN(frameIntervalSeconds), "calibration");
            require(crop != null, "binAndCrop");
            require(dynamicsQ != null, "annuli");
            require(normalisation != null, "fit");
            require(validCount >= 0, "statistics");
            require(created != null, "created");
            return new AnalysisMetadata(this);
        }

        private static void require(boolean ok, String part) {
            if (!ok) {
                throw new IllegalStateException("analysis metadata lacks " + part + "; set it on the builder");
            }
        }
    }
}
