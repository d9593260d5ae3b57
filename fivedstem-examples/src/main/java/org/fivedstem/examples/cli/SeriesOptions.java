/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.examples.cli;

import org.fivedstem.api.TauSummary;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.core.statistics.TemperatureSeries;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How results files make a temperature series: the options {@code series} and {@code explore} share (a
 * picocli mixin), so that both read the same files into the same series.
 */
final class SeriesOptions {

    @Option(names = "--summary", paramLabel = "mean|median|geometric", defaultValue = "mean", converter = SummaryConverter.class,
        description = "how each tau map is summarised (default: ${DEFAULT-VALUE}, as the paper)")
    TauSummary summary;

    @Option(names = "--pairing", paramLabel = "auto|paired|independent", defaultValue = "auto",
        converter = PairingConverter.class,
        description = "whether the files image the same positions: auto (same scan and correlated V maps), paired, "
            + "independent (default: ${DEFAULT-VALUE})")
    TemperatureSeries.Pairing pairing;

    @Option(names = "--temperatures", paramLabel = "K", split = ",",
        description = "temperature of each file in K, in the order of the files (overrides the files)")
    double[] temperatures;

    /** Parses {@code mean}, {@code median} or {@code geometric}. */
    static final class SummaryConverter implements CommandLine.ITypeConverter<TauSummary> {
        @Override
        public TauSummary convert(String value) {
            try {
                return TauSummary.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses {@code auto}, {@code paired} or {@code independent}. */
    static final class PairingConverter implements CommandLine.ITypeConverter<TemperatureSeries.Pairing> {
        @Override
        public TemperatureSeries.Pairing convert(String value) {
            for (TemperatureSeries.Pairing p : TemperatureSeries.Pairing.values()) {
                if (p.name().equalsIgnoreCase(value.trim())) {
                    return p;
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not one of auto, paired, independent");
        }
    }

    /**
     * @param cl the command, for a usage error
     * @param files how many files were given
     * @throws CommandLine.ParameterException if {@code --temperatures} gives another number of temperatures
     */
    void checkCount(CommandLine cl, int files) {
        if (temperatures != null && temperatures.length != files) {
            throw new CommandLine.ParameterException(cl, Checks.format("--temperatures gives %d temperature(s) for %d file(s)",
                temperatures.length, files));
        }
    }

    /** @return the series options these ask for */
    TemperatureSeries.Options options() {
        return TemperatureSeries.Options.defaults().withSummary(summary).withPairing(pairing);
    }
}
