/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
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
import org.fivedstem.io.OpenOptions;
import org.fivedstem.io.RecordingException;

/**
 * Lists and opens time series stored as one file per time step: 4D HDF5 files (opened here), or
 * recordings in other formats ({@link #listRecordings}); both become a {@link StepSeriesStorage},
 * which opens the files one at a time while streaming (so a thousand time steps do not hold a
 * thousand open files) and checks each for the same shape and type as the first.
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
        return StepSeriesStorage.open(files, o, SeriesOpener::openStep);
    }

    /**
     * One 4D file of a series as a recording of one time step: the dataset at the options' path,
     * in their axis order (t first and implied), calibrated from its attributes.
     */
    private static Dataset5D openStep(Path file, OpenOptions o) throws RecordingException {
        String ds = o.datasetPath();
        AxisOrder axes = o.axes() == null ? AxisOrder.DEFAULT : o.axes();
        Hdf5Opener.Opened opened = Hdf5Opener.open(file, ds, axes, 4, o.chunkCacheBytes(), false);
        Calibration cal;
        try {
            cal = CalibrationResolver.resolve(file, ds, "on " + ds + " of the first file, its groups or the root",
                opened.attributes, null, o);
        } catch (RecordingException | RuntimeException e) {
            Assembly.closeQuietly(opened.storage, e);
            throw e;
        }
        return Assembly.assemble(file, ds, opened.storage, cal, opened.mask, o);
    }
}
