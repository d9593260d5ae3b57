/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fivedstem.core.correlation.CorrelationAlgorithm;
import org.fivedstem.core.correlation.StdErrMethod;
import org.fivedstem.core.fitting.Estimator;
import org.fivedstem.core.fitting.Weighting;
import org.fivedstem.io.RecordingException;

/**
 * The names by which results files record core's option enums — the command line's names, kept as
 * files written since {@code fivedstem-results/1} began spell them ({@code pixel-groups},
 * {@code least squares}, {@code stderr}) — and their parsing, one table per enum.
 */
final class SchemaNames {

    private SchemaNames() {
    }

    static String of(StdErrMethod m) {
        return switch (m) {
            case PIXEL_GROUP_JACKKNIFE -> "pixel-groups";
            case FRAME_BLOCK_JACKKNIFE -> "frame-blocks";
            case NONE -> "none";
        };
    }

    static String of(Estimator e) {
        return switch (e) {
            case LEAST_SQUARES -> "least squares";
            case QUASI_LIKELIHOOD -> "quasi-likelihood";
        };
    }

    static String of(Weighting w) {
        return switch (w) {
            case AUTO -> "auto";
            case STD_ERR -> "stderr";
            case UNIFORM -> "uniform";
        };
    }

    static String of(CorrelationAlgorithm a) {
        return a.name().toLowerCase(Locale.ROOT);
    }

    static StdErrMethod stdErrMethod(Path file, String attribute, String text) throws RecordingException {
        return parse(file, attribute, text, StdErrMethod.values(), SchemaNames::of);
    }

    static Estimator estimator(Path file, String attribute, String text) throws RecordingException {
        return parse(file, attribute, text, Estimator.values(), SchemaNames::of);
    }

    static Weighting weighting(Path file, String attribute, String text) throws RecordingException {
        return parse(file, attribute, text, Weighting.values(), SchemaNames::of);
    }

    static CorrelationAlgorithm algorithm(Path file, String attribute, String text) throws RecordingException {
        return parse(file, attribute, text, CorrelationAlgorithm.values(), SchemaNames::of);
    }

    private static <E> E parse(Path file, String attribute, String text, E[] values, java.util.function.Function<E, String> name)
        throws RecordingException {
        List<String> names = new ArrayList<>();
        for (E v : values) {
            if (name.apply(v).equals(text)) {
                return v;
            }
            names.add("'" + name.apply(v) + "'");
        }
        throw new RecordingException(file, null, "root attribute " + attribute + " is '" + text + "'; expected one of "
            + String.join(", ", names));
    }
}
