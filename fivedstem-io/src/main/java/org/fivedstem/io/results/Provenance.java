/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.lang.module.ModuleDescriptor;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.internal.Checks;

/**
 * Where an analysis's data came from and what produced it: the software version, the input
 * recording (file, dataset inside it, axis order), the part of its scan analysed and the binning of
 * its patterns, and when the analysis finished. The root attributes {@code software_version},
 * {@code input_file}, {@code input_dataset}, {@code axes}, {@code crop}, {@code bin} and
 * {@code created} of a results file, and {@code engine} when the analysis ran on another engine than
 * the single-machine one (fivedstem-spark records its Spark version, master and partitions there).
 *
 * <pre>{@code
 * Provenance p = Provenance.of("scan.h5").withDataset("/data").withCrop(0, 60, 0, 120).withBin(4);
 * ResultsFile.write(Path.of("maps.h5"), analysisResult, p);
 * }</pre>
 *
 * <p>Immutable; the withers return copies and validate at once.
 */
public final class Provenance {

    private final String softwareVersion;
    private final String inputFile;
    private final String inputDataset;
    private final AxisOrder axes;
    private final int[] crop;
    private final int bin;
    private final Instant created;
    private final String engine;

    private Provenance(String softwareVersion, String inputFile, String inputDataset, AxisOrder axes, int[] crop, int bin,
                       Instant created, String engine) {
        this.softwareVersion = softwareVersion;
        this.inputFile = inputFile;
        this.inputDataset = inputDataset;
        this.axes = axes;
        this.crop = crop;
        this.bin = bin;
        this.created = created;
        this.engine = engine;
    }

    /**
     * @param inputFile the input recording as the user named it
     * @return provenance of an analysis of the whole scan of that file, unbinned, in the default axis
     *     order, finished now, by this library's version ({@link #libraryVersion()})
     */
    public static Provenance of(String inputFile) {
        return new Provenance(libraryVersion(), Objects.requireNonNull(inputFile, "inputFile"), "", AxisOrder.DEFAULT, null, 1,
            Instant.now(), "");
    }

    /**
     * @return the version of fivedstem running: on the class path its jar's {@code Implementation-Version}, on
     *     the module path the version of the module {@code org.fivedstem.io}; {@code development} when neither
     *     says (compiled classes on the class path)
     */
    public static String libraryVersion() {
        // A package of a named module has no manifest attributes; its module descriptor has the version
        // (javac --module-version, which the build sets).
        String v = Provenance.class.getPackage().getImplementationVersion();
        ModuleDescriptor module = Provenance.class.getModule().getDescriptor();
        if (v == null && module != null) {
            v = module.rawVersion().orElse(null);
        }
        return v == null ? "development" : v;
    }

    /**
     * @param version the software version to record, e.g. {@code 0.1.0}
     * @return a copy
     */
    public Provenance withSoftwareVersion(String version) {
        return new Provenance(Objects.requireNonNull(version, "softwareVersion"), inputFile, inputDataset, axes, crop, bin, created, engine);
    }

    /**
     * @param path the dataset path inside an HDF5 input, or "" for inputs without one (raw, .npy, detector files)
     * @return a copy
     */
    public Provenance withDataset(String path) {
        return new Provenance(softwareVersion, inputFile, Objects.requireNonNull(path, "inputDataset"), axes, crop, bin, created, engine);
    }

    /**
     * @param order the input's axis order
     * @return a copy
     */
    public Provenance withAxes(AxisOrder order) {
        return new Provenance(softwareVersion, inputFile, inputDataset, Objects.requireNonNull(order, "axes"), crop, bin, created, engine);
    }

    /**
     * @param yStart first analysed scan row of the input
     * @param yEnd end row (exclusive)
     * @param xStart first column
     * @param xEnd end column (exclusive)
     * @return a copy
     */
    public Provenance withCrop(int yStart, int yEnd, int xStart, int xEnd) {
        if (yStart < 0 || yEnd <= yStart || xStart < 0 || xEnd <= xStart) {
            throw new IllegalArgumentException(Checks.format("crop [%d, %d) × [%d, %d) is empty or negative", yStart, yEnd, xStart, xEnd));
        }
        return new Provenance(softwareVersion, inputFile, inputDataset, axes, new int[] {yStart, yEnd, xStart, xEnd}, bin, created, engine);
    }

    /**
     * @param factor the binning factor of the patterns (&ge; 1)
     * @return a copy
     */
    public Provenance withBin(int factor) {
        return new Provenance(softwareVersion, inputFile, inputDataset, axes, crop, Checks.positive("bin", factor), created, engine);
    }

    /**
     * @param when when the analysis finished
     * @return a copy
     */
    public Provenance withCreated(Instant when) {
        return new Provenance(softwareVersion, inputFile, inputDataset, axes, crop, bin, Objects.requireNonNull(when, "created"), engine);
    }

    /**
     * @param description how the analysis ran when not on the single-machine engine, e.g.
     *     {@code "spark 4.2.0, master local[2], 12 partitions"}; "" for the single-machine engine
     * @return a copy
     */
    public Provenance withEngine(String description) {
        return new Provenance(softwareVersion, inputFile, inputDataset, axes, crop, bin, created,
            Objects.requireNonNull(description, "engine").strip());
    }

    /** @return how the analysis ran: "" for the single-machine engine ({@code Analysis.run()}), else its description */
    public String engine() {
        return engine;
    }

    /** @return the version of the software that wrote the results */
    public String softwareVersion() {
        return softwareVersion;
    }

    /** @return the input recording's file name or path */
    public String inputFile() {
        return inputFile;
    }

    /** @return the dataset path inside the input ("" where it has none) */
    public String inputDataset() {
        return inputDataset;
    }

    /** @return the input's axis order */
    public AxisOrder axes() {
        return axes;
    }

    /** @return whether a crop was set; without one the whole scan was analysed */
    public boolean hasCrop() {
        return crop != null;
    }

    /**
     * @param scanY scan rows analysed, used when no crop was set
     * @param scanX scan columns analysed, used when no crop was set
     * @return the analysed scan region {@code [yStart, yEnd, xStart, xEnd]} of the input, half-open (a copy)
     */
    public int[] crop(int scanY, int scanX) {
        return crop == null ? new int[] {0, scanY, 0, scanX} : crop.clone();
    }

    /** @return the binning factor of the patterns */
    public int bin() {
        return bin;
    }

    /** @return when the analysis finished */
    public Instant created() {
        return created;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Provenance p && softwareVersion.equals(p.softwareVersion) && inputFile.equals(p.inputFile)
            && inputDataset.equals(p.inputDataset) && axes.equals(p.axes) && Arrays.equals(crop, p.crop) && bin == p.bin
            && created.equals(p.created) && engine.equals(p.engine);
    }

    @Override
    public int hashCode() {
        return Objects.hash(softwareVersion, inputFile, inputDataset, axes, Arrays.hashCode(crop), bin, created, engine);
    }

    @Override
    public String toString() {
        return Checks.format("Provenance[%s%s %s, crop %s, bin %d, %s, fivedstem %s%s]", inputFile,
            inputDataset.isEmpty() ? "" : ":" + inputDataset, axes, crop == null ? "whole scan" : Arrays.toString(crop), bin,
            created, softwareVersion, engine.isEmpty() ? "" : " on " + engine);
    }
}
