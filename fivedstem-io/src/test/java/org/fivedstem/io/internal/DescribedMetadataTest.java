/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import org.fivedstem.io.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Unit strings and metadata as the self-describing formats write them. */
class DescribedMetadataTest {

    /** NaN (no conversion) must stay NaN; numbers within 1e-15 relative (one rounding of a product). */
    static void assertClose(double expected, double actual) {
        if (Double.isNaN(expected)) {
            assertEquals(expected, actual);
        } else {
            assertEquals(expected, actual, Math.abs(expected) * 1e-15);
        }
    }

    static Stream<Arguments> reciprocal() {
        return Stream.of(Arguments.of("1/nm", 1.0), Arguments.of("nm^-1", 1.0), Arguments.of("nm⁻¹", 1.0),
            Arguments.of("1 / nm", 1.0), Arguments.of("[n_m^-1]", 1.0), Arguments.of("1/Å", 10.0), Arguments.of("1 / Å", 10.0),
            Arguments.of("1/A", 10.0), Arguments.of("A^-1", 10.0), Arguments.of("Å⁻¹", 10.0), Arguments.of("1/pm", 1000.0),
            Arguments.of("1/m", 1e-9), Arguments.of("pixels", Double.NaN), Arguments.of("mrad", Double.NaN),
            Arguments.of("_None_", Double.NaN), Arguments.of(null, Double.NaN), Arguments.of("nm", Double.NaN));
    }

    @ParameterizedTest(name = "{0} → {1} nm⁻¹")
    @MethodSource("reciprocal")
    void reciprocalLengths(String unit, double inverseNm) {
        assertClose(inverseNm, Units.inverseNmPer(unit));
    }

    static Stream<Arguments> lengths() {
        return Stream.of(Arguments.of("nm", 1.0), Arguments.of("Å", 0.1), Arguments.of("A", 0.1), Arguments.of("pm", 1e-3),
            Arguments.of("µm", 1e3), Arguments.of("μm", 1e3), Arguments.of("um", 1e3), Arguments.of("m", 1e9),
            Arguments.of("[n_m]", 1.0), Arguments.of("pixels", Double.NaN), Arguments.of("1/nm", Double.NaN));
    }

    @ParameterizedTest(name = "{0} → {1} nm")
    @MethodSource("lengths")
    void lengths(String unit, double nm) {
        assertClose(nm, Units.nmPer(unit));
    }

    static Stream<Arguments> times() {
        return Stream.of(Arguments.of("s", 1.0), Arguments.of("ms", 1e-3), Arguments.of("µs", 1e-6), Arguments.of("us", 1e-6),
            Arguments.of("ns", 1e-9), Arguments.of("min", 60.0), Arguments.of("nm", Double.NaN));
    }

    @ParameterizedTest(name = "{0} → {1} s")
    @MethodSource("times")
    void times(String unit, double seconds) {
        assertClose(seconds, Units.secondsPer(unit));
    }

    /** h5py's bools are an HDF5 enum that jhdf returns as text; the axes' navigate flags must still be read. */
    @Test
    void h5pyBoolsAndVlenStringsOfAHyperSpyFile() throws Exception {
        try (HdfFile f = new HdfFile(Fixtures.path("described/hspy_4d.hspy"))) {
            Group scan = (Group) f.getByPath("/Experiments/scan");
            assertEquals(Boolean.TRUE, Hdf5Metadata.flag(Hdf5Metadata.childGroup(scan, "axis-1"), "navigate"));
            assertEquals(Boolean.FALSE, Hdf5Metadata.flag(Hdf5Metadata.childGroup(scan, "axis-2"), "navigate"));
            assertEquals("1 / Å", Hdf5Metadata.text(Hdf5Metadata.childGroup(scan, "axis-3"), "units"));
            assertEquals("HyperSpy", Hdf5Metadata.text(f, "file_format"));
            assertEquals("/Experiments/scan", Hdf5Metadata.path(scan));
        }
    }

    /** Prismatic writes fixed-length 256-byte strings and int32 versions; emdfile writes scalar string datasets. */
    @Test
    void fixedLengthStringsAndScalarStringDatasetsOfEmdFiles() throws Exception {
        try (HdfFile f = new HdfFile(Fixtures.path("described/prismatic.emd"))) {
            assertEquals("[n_m^-1]", Hdf5Metadata.text(f.getByPath("/4DSTEM_simulation/data/datacubes/CBED_array_depth0000/dim3"),
                "units"));
            assertEquals(true, EmdOpener.isEmd(f));
        }
        try (HdfFile f = new HdfFile(Fixtures.path("described/py4dstem_emd1.h5"))) {
            Group cal = (Group) f.getByPath("/datacube_root/metadatabundle/calibration");
            assertEquals("A^-1", Hdf5Metadata.asText(Hdf5Metadata.datasetValue(cal, "Q_pixel_units")));
            assertEquals(0.04425157, Hdf5Metadata.asNumber(Hdf5Metadata.datasetValue(cal, "Q_pixel_size"), Double.NaN));
            assertEquals(false, HyperspyOpener.isHyperspy(f));
        }
    }
}
