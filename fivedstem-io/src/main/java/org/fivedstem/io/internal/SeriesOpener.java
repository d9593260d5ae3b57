package org.fivedstem.io.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.fivedstem.api.AxisOrder;
import org.fivedstem.api.Calibration;
import org.fivedstem.api.Dataset5D;
import org.fivedstem.api.PatternStorage;
import org.fivedstem.api.PatternVisitor;
import org.fivedstem.api.Selection;
import org.fivedstem.api.Shape5D;
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;
import org.fivedstem.io.SampleType;

/**
 * A time series stored as one 4D HDF5 file per time step. Files are opened one at a time while
 * streaming (so a thousand time steps do not hold a thousand open files); at open, each file's
 * dataset is checked for the same shape and type as the first.
 */
public final class SeriesOpener {

    private SeriesOpener() {
    }

    /**
     * Lists the HDF5 files ({@code .h5, .hdf5, .hdf}) of a folder in natural order (numbers in names
     * compare by value: {@code step2.h5} before {@code step10.h5}).
     *
     * @param dir the folder
     * @return the files
     * @throws RecordingException if the folder cannot be listed or holds no HDF5 files
     */
    public static List<Path> list(Path dir) throws RecordingException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>(s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(p) && (n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".hdf"));
            }).toList());
            if (files.isEmpty()) {
                throw new RecordingException(dir, null, "folder holds no HDF5 files (.h5, .hdf5, .hdf) to read as a time series");
            }
            files.sort(Comparator.comparing(p -> p.getFileName().toString(), SeriesOpener::natural));
            return files;
        } catch (IOException e) {
            throw new RecordingException(dir, null, "cannot list the folder: " + e.getMessage(), e);
        }
    }

    /** Extensions of files that each hold a whole recording (a time step or several). */
    private static final List<String> RECORDING_EXTENSIONS = List.of(".dm3", ".dm4", ".hspy", ".emd", ".xml", ".npy");

    /**
     * Lists the files of a folder that each hold a recording in a format other than the project's
     * 4D HDF5 steps — Gatan {@code .dm3}/{@code .dm4}, HyperSpy {@code .hspy}, EMD {@code .emd},
     * EMPAD {@code .xml}, {@code .npy} — in natural order, if they are all of one such extension.
     *
     * @param dir the folder
     * @return the files, or an empty list if the folder holds none (or mixes extensions)
     * @throws RecordingException if the folder cannot be listed
     */
    public static List<Path> listRecordings(Path dir) throws RecordingException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.filter(Files::isRegularFile).toList();
            // a folder of per-time-step HDF5 files keeps that reading, whatever lies beside them (a mask.npy, notes.xml)
            if (all.stream().anyMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(h5|hdf5|hdf)"))) {
                return List.of();
            }
            List<Path> files = new ArrayList<>(all.stream().filter(p -> extension(p) != null).toList());
            if (files.stream().map(SeriesOpener::extension).distinct().count() != 1) {
                return List.of();
            }
            files.sort(Comparator.comparing(p -> p.getFileName().toString(), SeriesOpener::natural));
            return files;
        } catch (IOException e) {
            throw new RecordingException(dir, null, "cannot list the folder: " + e.getMessage(), e);
        }
    }

    private static String extension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String e : RECORDING_EXTENSIONS) {
            if (n.endsWith(e)) {
                return e;
            }
        }
        return null;
    }

    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * @param files the per-time-step files, in time order
     * @param o options; the axes (if given) must start with t
     * @return the dataset
     * @throws RecordingException for any problem, naming the file
     */
    public static Dataset5D open(List<Path> files, OpenOptions o) throws RecordingException {
        if (files.isEmpty()) {
            throw new RecordingException(null, null, "a time series needs at least one file");
        }
        String ds = o.datasetPath();
        AxisOrder axes = o.axes() == null ? AxisOrder.DEFAULT : o.axes();
        Hdf5Opener.Opened first = Hdf5Opener.open(files.get(0), ds, axes, 4, o.chunkCacheBytes(), false);
        Shape5D one = first.storage.shape();
        SampleType type = first.storage.sampleType();
        try {
            first.storage.close();
            for (int i = 1; i < files.size(); i++) {
                Hdf5Opener.Opened other = Hdf5Opener.open(files.get(i), ds, axes, 4, o.chunkCacheBytes(), false);
                other.storage.close();
                SampleType otherType = other.storage.sampleType();
                if (!other.storage.shape().equals(one) || otherType != type) {
                    throw new RecordingException(files.get(i), ds, "time step " + i + " holds " + other.storage.shape()
                        + " " + otherType + ", but the first file " + files.get(0).getFileName() + " holds " + one + " " + type);
                }
            }
        } catch (RecordingException e) {
            throw e;
        } catch (IOException e) {
            throw new RecordingException(files.get(0), ds, e.getMessage(), e);
        }
        Calibration cal = CalibrationResolver.resolve(files.get(0), ds, "on " + ds + " of the first file, its groups or the root",
            first.attributes, null, o);
        Shape5D shape = Shape5D.of(files.size(), one.scanY(), one.scanX(), one.ky(), one.kx());
        SeriesStorage storage = new SeriesStorage(List.copyOf(files), ds, axes, shape, o.chunkCacheBytes(), type,
            files.size() + " files like " + first.storage.description());
        return Assembly.assemble(files.get(0), ds, storage, cal, first.mask, o);
    }

    /** One file per time step, each opened while its patterns are read. */
    public static final class SeriesStorage implements PatternStorage, StoredType {
        private final List<Path> files;
        private final SampleType type;
        private final String dataset;
        private final AxisOrder axes;
        private final Shape5D shape;
        private final long cacheBytes;
        private final String description;

        SeriesStorage(List<Path> files, String dataset, AxisOrder axes, Shape5D shape, long cacheBytes, SampleType type,
                      String description) {
            this.files = files;
            this.type = type;
            this.dataset = dataset;
            this.axes = axes;
            this.shape = shape;
            this.cacheBytes = cacheBytes;
            this.description = description;
        }

        @Override
        public Shape5D shape() {
            return shape;
        }

        @Override
        public AxisOrder axisOrder() {
            return axes;
        }

        @Override
        public SampleType sampleType() {
            return type;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public void visit(Selection s, PatternVisitor visitor) throws IOException {
            if (!s.fitsIn(shape)) {
                throw new IllegalArgumentException("selection " + s + " does not fit " + shape);
            }
            for (int t = s.frameStart(); t < s.frameEnd(); t++) {
                int frame = t - s.frameStart();
                try (PatternStorage one = Hdf5Opener.open(files.get(t), dataset, axes, 4, cacheBytes, false).storage) {
                    one.visit(new Selection(0, 1, s.yStart(), s.yEnd(), s.xStart(), s.xEnd()),
                        (tt, y, x, p) -> visitor.accept(frame, y, x, p));
                }
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
