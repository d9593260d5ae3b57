package org.fivedstem.io.results;

import java.util.Objects;
import java.util.Optional;

import org.fivedstem.api.HeterogeneityMaps;
import org.fivedstem.api.internal.Checks;

/**
 * Everything a results file holds: the maps, optionally the per-position correlation curves, and
 * the metadata. Immutable.
 */
public final class AnalysisResults {

    private final HeterogeneityMaps maps;
    private final ResultCurves curves;
    private final AnalysisMetadata metadata;
    private final Preparation preparation;

    private AnalysisResults(HeterogeneityMaps maps, ResultCurves curves, AnalysisMetadata metadata, Preparation preparation) {
        this.maps = maps;
        this.curves = curves;
        this.metadata = metadata;
        this.preparation = preparation;
    }

    /**
     * @param maps the maps
     * @param curves the curves of the same scan, or {@code null} to store none
     * @param metadata the metadata
     * @return the results
     */
    public static AnalysisResults of(HeterogeneityMaps maps, ResultCurves curves, AnalysisMetadata metadata) {
        Objects.requireNonNull(maps, "maps");
        Objects.requireNonNull(metadata, "metadata");
        if (curves != null && (curves.scanY() != maps.scanY() || curves.scanX() != maps.scanX())) {
            throw new IllegalArgumentException(Checks.format("curves cover %d×%d positions but the maps %d×%d",
                curves.scanY(), curves.scanX(), maps.scanY(), maps.scanX()));
        }
        return new AnalysisResults(maps, curves, metadata, Preparation.none());
    }

    /**
     * @param p what was done to the recording before the analysis (mask used, centre, exclusions, drift)
     * @return a copy with it
     */
    public AnalysisResults withPreparation(Preparation p) {
        return new AnalysisResults(maps, curves, metadata, Objects.requireNonNull(p, "preparation"));
    }

    /** @return what was done to the recording before the analysis ({@link Preparation#none()} if nothing stored) */
    public Preparation preparation() {
        return preparation;
    }

    /** @return the maps */
    public HeterogeneityMaps maps() {
        return maps;
    }

    /** @return the curves, if stored */
    public Optional<ResultCurves> curves() {
        return Optional.ofNullable(curves);
    }

    /** @return the metadata */
    public AnalysisMetadata metadata() {
        return metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisResults && maps.equals(((AnalysisResults) o).maps)
            && Objects.equals(curves, ((AnalysisResults) o).curves) && metadata.equals(((AnalysisResults) o).metadata)
            && preparation.equals(((AnalysisResults) o).preparation);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maps, curves, metadata, preparation);
    }

    @Override
    public String toString() {
        return "AnalysisResults[" + maps + (curves == null ? "" : ", " + curves) + ", " + metadata
            + (preparation.isEmpty() ? "" : ", " + preparation) + "]";
    }
}
