/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.results;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import org.fivedstem.api.internal.Checks;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.internal.Hdf5Opener;

/**
 * Typed reads of the root attributes and datasets of the two schema files ({@link ResultsFile},
 * {@link SeriesFile}), each failing with a {@link RecordingException} that names the file and the
 * attribute or dataset.
 */
final class SchemaFields {

    private SchemaFields() {
    }

    static String string(Path file, HdfFile hdf, String name) throws RecordingException {
        return string(file, hdf, null, name);
    }

    /**
     * @param node the group holding the attribute (the root when {@code group} is null)
     * @param group its path for the message, or null for the root
     */
    static String string(Path file, Node node, String group, String name) throws RecordingException {
        Attribute a = node.getAttribute(name);
        if (a == null || !(a.getData() instanceof String)) {
            throw new RecordingException(file, group, (group == null ? "root" : "group") + " attribute " + name
                + " is missing or not a string");
        }
        return (String) a.getData();
    }

    static double[] numbers(Path file, HdfFile hdf, String name, int count) throws RecordingException {
        return numbers(file, hdf, null, name, count);
    }

    /**
     * @param node the group holding the attribute (the root when {@code group} is null)
     * @param group its path for the message, or null for the root
     * @param count how many numbers it must hold, or −1 for any
     */
    static double[] numbers(Path file, Node node, String group, String name, int count) throws RecordingException {
        Attribute a = node.getAttribute(name);
        double[] v = a == null ? null : Hdf5Opener.toDoubles(a.getData());
        if (v == null || (count >= 0 && v.length != count)) {
            throw new RecordingException(file, group, Checks.format("%s attribute %s is missing or does not hold %s number(s)",
                group == null ? "root" : "group", name, count >= 0 ? Integer.toString(count) : "the expected"));
        }
        return v;
    }

    /** @return the values as little-endian float64 bytes, as the HDF5 writer takes them */
    static byte[] float64(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    static double[] values(Path file, HdfFile hdf, String path, int count) throws RecordingException {
        double[] v = Hdf5Opener.toDoubles(Hdf5Opener.findDataset(file, hdf, path).getDataFlat());
        if (v == null || (count >= 0 && v.length != count)) {
            throw new RecordingException(file, path, Checks.format("dataset holds %s values; expected %d numbers",
                v == null ? "non-numeric" : Integer.toString(v.length), count));
        }
        return v;
    }
}
