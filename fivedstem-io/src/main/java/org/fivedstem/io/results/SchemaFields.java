package org.fivedstem.io.results;

import java.nio.file.Path;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
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
        Attribute a = hdf.getAttribute(name);
        if (a == null || !(a.getData() instanceof String)) {
            throw new RecordingException(file, null, "root attribute " + name + " is missing or not a string");
        }
        return (String) a.getData();
    }

    static double[] numbers(Path file, HdfFile hdf, String name, int count) throws RecordingException {
        Attribute a = hdf.getAttribute(name);
        double[] v = a == null ? null : Hdf5Opener.toDoubles(a.getData());
        if (v == null || v.length != count) {
            throw new RecordingException(file, null, Checks.format("root attribute %s is missing or does not hold %d number(s)", name, count));
        }
        return v;
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
